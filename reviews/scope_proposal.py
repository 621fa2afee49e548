"""The scope the sign-off proposes: what the vetting established, before Legal narrows it.

An approval covers what was vetted, nothing more (docs/domain.md "Use"; PIPL Art. 6, 14, 21). The proposal
starts from what a vendor of the category is bought for (CATEGORY_DEFAULTS) and then lets the answers take
away what they did not establish, or add what they did, each rule a row of ANSWER_RULES with its article
(the shape of reviews/questionnaire/tiering.py). Legal sees the proposal on the sign-off form and narrows it;
approvals signed before scopes existed got the same proposal by migration, marked unconfirmed.

Pure functions over plain values (a category, {question code: value}, the request's traits and volume), so
that the migration can call them with historical models.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from vendors.scope import AudienceSource as A
from vendors.scope import Channel as C
from vendors.scope import DataCategory as D
from vendors.scope import Purpose as P
from vendors.scope import Scope
from vendors.scope import ScopeCondition as K

CATEGORY_DEFAULTS: dict[str, dict] = {
    "data_provider": {"purposes": [P.ACQUISITION, P.ABM, P.ANALYTICS], "channels": [C.PROGRAMMATIC],
                      "data_categories": [D.CONTACT, D.DEVICE], "audience_sources": [A.VENDOR_SUPPLIED]},
    "ad_network": {"purposes": [P.ACQUISITION, P.RETARGETING], "channels": [C.PROGRAMMATIC],
                   "data_categories": [D.DEVICE], "audience_sources": [A.OWN_CONSENTED, A.LOOKALIKE]},
    "scrm_saas": {"purposes": [P.MEMBER_MARKETING, P.ANALYTICS, P.CUSTOMER_SERVICE],
                  "channels": [C.WECHAT, C.SMS, C.EDM, C.APP_PUSH],
                  "data_categories": [D.CONTACT, D.PURCHASES], "audience_sources": [A.OWN_CONSENTED]},
    "sms_edm": {"purposes": [P.MEMBER_MARKETING], "channels": [C.SMS, C.EDM],
                "data_categories": [D.CONTACT], "audience_sources": [A.OWN_CONSENTED]},
    "social_agency": {"purposes": [P.ACQUISITION], "channels": [C.KOL, C.WECHAT],
                      "data_categories": [D.CONTACT], "audience_sources": [A.OWN_CONSENTED, A.PUBLIC_AGGREGATED]},
    "app_developer": {"purposes": [P.MEMBER_MARKETING, P.CUSTOMER_SERVICE], "channels": [C.APP_PUSH, C.WECHAT],
                      "data_categories": [D.CONTACT, D.DEVICE], "audience_sources": [A.OWN_CONSENTED]},
    "event_agency": {"purposes": [P.ACQUISITION, P.ABM], "channels": [C.EVENTS],
                     "data_categories": [D.CONTACT], "audience_sources": [A.OWN_CONSENTED]},
    "other": {"purposes": [P.MEMBER_MARKETING], "channels": [], "data_categories": [D.CONTACT],
              "audience_sources": [A.OWN_CONSENTED]},
}

# Conditions every approval carries: the processor's duties of PIPL Art. 21 and the ban on bought lists.
ALWAYS = (K.NO_EXTERNAL_LISTS, K.DELETE_AT_END, K.NO_TRAINING)


@dataclass(frozen=True)
class Facts:
    category: str
    values: Mapping
    traits: frozenset
    volume: str

    def value(self, code: str):
        return self.values.get(code)

    def has(self, trait: str) -> bool:
        return trait in self.traits


@dataclass
class Draft:
    purposes: list
    channels: list
    data_categories: list
    audience_sources: list
    cross_border: bool = False
    conditions: list = None

    def drop(self, dimension: str, *codes) -> None:
        setattr(self, dimension, [value for value in getattr(self, dimension) if value not in codes])

    def add(self, dimension: str, *codes) -> None:
        current = getattr(self, dimension)
        current.extend(code for code in codes if code not in current)


@dataclass(frozen=True)
class AnswerRule:
    code: str  # tests/reviews/test_scope_proposal.py::test_<code>
    article: str
    applies: Callable[[Facts], bool]
    change: Callable[[Draft], None]


ANSWER_RULES: tuple[AnswerRule, ...] = (
    # No identifiable data: only anonymous or aggregated audiences, no personal data (PIPL Art. 4, 73(4)).
    AnswerRule("no_identifiable_data", "PIPL Art. 4, 73(4)",
               lambda f: f.value("B1") in ("anonymous", "none"),
               lambda d: (setattr(d, "data_categories", []), setattr(d, "audience_sources", [A.PUBLIC_AGGREGATED]))),
    # Data of unproven origin cannot reach us as an audience (PIPL Art. 10, 23; DSL Art. 33).
    AnswerRule("source_not_proven", "PIPL Art. 10, 23; DSL Art. 33",
               lambda f: f.value("B2") in ("scraped", "bought") or f.value("B3") == "no" or f.value("B4") == "no",
               lambda d: d.drop("audience_sources", A.VENDOR_SUPPLIED)),
    # Commercial messages only with consent, a licence and an opt-out (Advertising Law Art. 43).
    AnswerRule("messages_without_consent", "Advertising Law Art. 43",
               lambda f: f.value("C1") == "no" or f.value("C2") == "no" or f.value("A3") == "no",
               lambda d: d.drop("channels", C.SMS, C.EDM, C.CALLS)),
    AnswerRule("messages_conditions", "Advertising Law Art. 43",
               lambda f: True,
               lambda d: d.add("conditions", K.OPTED_IN_ONLY, K.UNSUBSCRIBE_EVERY_MESSAGE, K.AD_MARKED)
               if set(d.channels) & {C.SMS, C.EDM, C.CALLS} else None),
    # Sensitive data only when the request said so and the questionnaire vetted it (PIPL Art. 28-29).
    AnswerRule("sensitive_vetted", "PIPL Art. 28-29",
               lambda f: f.has("sensitive") and f.value("B5") == "yes",
               lambda d: d.add("data_categories", D.SENSITIVE)),
    AnswerRule("sensitive_excluded", "PIPL Art. 28",
               lambda f: not (f.has("sensitive") and f.value("B5") == "yes"),
               lambda d: d.add("conditions", K.NO_SENSITIVE)),
    # Children under 14 only when the request said so (PIPL Art. 31).
    AnswerRule("minors_vetted", "PIPL Art. 31", lambda f: f.has("minors"),
               lambda d: d.add("data_categories", D.MINORS)),
    AnswerRule("minors_excluded", "PIPL Art. 31", lambda f: not f.has("minors"),
               lambda d: d.add("conditions", K.NO_MINORS)),
    # No profiling vetted: no retargeting or lookalike audiences (PIPL Art. 24).
    AnswerRule("no_profiling", "PIPL Art. 24",
               lambda f: f.value("E1") == "no" and not f.has("profiling"),
               lambda d: (d.drop("purposes", P.RETARGETING), d.drop("audience_sources", A.LOOKALIKE))),
    AnswerRule("profiling_off_switch", "PIPL Art. 24; NDSMR Art. 42",
               lambda f: f.value("E1") == "yes" or f.has("profiling"),
               lambda d: d.add("conditions", K.OFF_SWITCH)),
    # Cross-border only with a lawful route and separate consent (PIPL Art. 38-39).
    AnswerRule("cross_border_route", "PIPL Art. 38-39",
               lambda f: f.value("F1") == "yes" and f.value("F2") not in (None, "", "none") and f.value("F3") == "yes",
               lambda d: setattr(d, "cross_border", True)),
)


def scope_from_facts(*, category: str, values: Mapping, traits=(), volume: str = "") -> Scope:
    """The proposal for a vendor of `category` whose visible answers are `values` ({code: value})."""
    defaults = CATEGORY_DEFAULTS.get(category, CATEGORY_DEFAULTS["other"])
    draft = Draft(**{key: list(value) for key, value in defaults.items()}, conditions=list(ALWAYS))
    facts = Facts(category=category, values=values, traits=frozenset(traits or ()), volume=volume or "")
    for rule in ANSWER_RULES:
        if rule.applies(facts):
            rule.change(draft)
    ceiling = values.get("A5") or volume or ""
    return Scope.build(purposes=draft.purposes, channels=draft.channels, data_categories=draft.data_categories,
                       audience_sources=draft.audience_sources, cross_border=draft.cross_border,
                       ceiling=ceiling, conditions=draft.conditions)


def scope_proposed(review) -> Scope:
    """What the sign-off form proposes for `review`: its category, its answers, its request."""
    values = dict(review.answers.values_list("question__code", "value"))
    return scope_from_facts(category=review.vendor.category, values=values, traits=review.data_traits or (),
                            volume=review.expected_volume)
