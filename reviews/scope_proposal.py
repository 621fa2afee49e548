"""The scope the sign-off proposes: what the vetting established, before Legal narrows it.

An approval covers what was vetted, nothing more (docs/domain.md "Use"; PIPL Art. 6, 14, 21). The proposal
starts from what a vendor of the category is bought for (CATEGORY_DEFAULTS) and then lets the answers take
away what they did not establish, or add what they did, each rule a row of ANSWER_RULES with its article
(the shape of reviews/questionnaire/tiering.py). Legal sees the proposal on the sign-off form and narrows it;
approvals signed before scopes existed got the same proposal by migration, marked unconfirmed.

Pure functions over plain values (a category, {question code: value}, the request's traits and volume), so
that the migration can call them with historical models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.utils.translation import gettext_lazy as _

from vendors.scope import AudienceSource as A
from vendors.scope import Channel as C
from vendors.scope import DataCategory as D
from vendors.scope import Purpose as P
from vendors.scope import Scope
from vendors.scope import ScopeCondition as K

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from reviews.models import Review


class CategoryDefaults(TypedDict):
    """What a vendor of a category is bought for, as codes of the scope's vocabularies."""

    purposes: list[str]
    channels: list[str]
    data_categories: list[str]
    audience_sources: list[str]


CATEGORY_DEFAULTS: dict[str, CategoryDefaults] = {
    "data_provider": {
        "purposes": [P.ACQUISITION, P.ABM, P.ANALYTICS],
        "channels": [C.PROGRAMMATIC],
        "data_categories": [D.CONTACT, D.DEVICE],
        "audience_sources": [A.VENDOR_SUPPLIED],
    },
    "ad_network": {
        "purposes": [P.ACQUISITION, P.RETARGETING],
        "channels": [C.PROGRAMMATIC],
        "data_categories": [D.DEVICE],
        "audience_sources": [A.OWN_CONSENTED, A.LOOKALIKE],
    },
    "scrm_saas": {
        "purposes": [P.MEMBER_MARKETING, P.ANALYTICS, P.CUSTOMER_SERVICE],
        "channels": [C.WECHAT, C.SMS, C.EDM, C.APP_PUSH],
        "data_categories": [D.CONTACT, D.PURCHASES],
        "audience_sources": [A.OWN_CONSENTED],
    },
    "sms_edm": {
        "purposes": [P.MEMBER_MARKETING],
        "channels": [C.SMS, C.EDM],
        "data_categories": [D.CONTACT],
        "audience_sources": [A.OWN_CONSENTED],
    },
    "social_agency": {
        "purposes": [P.ACQUISITION],
        "channels": [C.KOL, C.WECHAT],
        "data_categories": [D.CONTACT],
        "audience_sources": [A.OWN_CONSENTED, A.PUBLIC_AGGREGATED],
    },
    "app_developer": {
        "purposes": [P.MEMBER_MARKETING, P.CUSTOMER_SERVICE],
        "channels": [C.APP_PUSH, C.WECHAT],
        "data_categories": [D.CONTACT, D.DEVICE],
        "audience_sources": [A.OWN_CONSENTED],
    },
    "event_agency": {
        "purposes": [P.ACQUISITION, P.ABM],
        "channels": [C.EVENTS],
        "data_categories": [D.CONTACT],
        "audience_sources": [A.OWN_CONSENTED],
    },
    "other": {
        "purposes": [P.MEMBER_MARKETING],
        "channels": [],
        "data_categories": [D.CONTACT],
        "audience_sources": [A.OWN_CONSENTED],
    },
}

# Conditions every approval carries: the processor's duties of PIPL Art. 21 and the ban on bought lists.
ALWAYS = (K.NO_EXTERNAL_LISTS, K.DELETE_AT_END, K.NO_TRAINING)


@dataclass(frozen=True)
class Facts:
    category: str
    values: Mapping[str, Any]  # {question code: the answer's JSON value}
    traits: frozenset[str]
    volume: str

    def value(self, code: str) -> Any:
        return self.values.get(code)

    def has(self, trait: str) -> bool:
        return trait in self.traits


@dataclass
class Draft:
    purposes: list[str]
    channels: list[str]
    data_categories: list[str]
    audience_sources: list[str]
    cross_border: bool = False
    conditions: list[str] = field(default_factory=list)

    def drop(self, dimension: str, *codes: str) -> None:
        setattr(self, dimension, [value for value in getattr(self, dimension) if value not in codes])

    def add(self, dimension: str, *codes: str) -> None:
        current = getattr(self, dimension)
        current.extend(code for code in codes if code not in current)


@dataclass(frozen=True)
class AnswerRule:
    code: str  # tests/reviews/test_scope_proposal.py::test_<code>
    article: str
    applies: Callable[[Facts], bool]
    change: Callable[[Draft], None]
    # What the answers established, in a sentence: shown under the dimension of the sign-off form from which
    # the rule took something, or to which it added something (scope_proposal_notes).
    why: StrOrPromise = ""


def _anonymous_only(draft: Draft) -> None:
    draft.data_categories = []
    draft.audience_sources = [A.PUBLIC_AGGREGATED]


def _no_profiling(draft: Draft) -> None:
    draft.drop("purposes", P.RETARGETING)
    draft.drop("audience_sources", A.LOOKALIKE)


ANSWER_RULES: tuple[AnswerRule, ...] = (
    # No identifiable data: only anonymous or aggregated audiences, no personal data (PIPL Art. 4, 73(4)).
    AnswerRule(
        "no_identifiable_data",
        "PIPL Art. 4, 73(4)",
        lambda f: f.value("B1") in ("anonymous", "none"),
        _anonymous_only,
        why=_(
            "B1: the vendor handles no identifiable personal information, so only anonymous or "
            "aggregated data is covered."
        ),
    ),
    # Data of unproven origin cannot reach us as an audience (PIPL Art. 10, 23; DSL Art. 33).
    AnswerRule(
        "source_not_proven",
        "PIPL Art. 10, 23; DSL Art. 33",
        lambda f: f.value("B2") in ("scraped", "bought") or f.value("B3") == "no" or f.value("B4") == "no",
        lambda d: d.drop("audience_sources", A.VENDOR_SUPPLIED),
        why=_(
            "B2-B4: the origin of the vendor's data is not proven (scraped or bought, no authorisation "
            "chain, or no separate consent naming us)."
        ),
    ),
    # Commercial messages only with consent, a licence and an opt-out (Advertising Law Art. 43).
    AnswerRule(
        "messages_without_consent",
        "Advertising Law Art. 43",
        lambda f: f.value("C1") == "no" or f.value("C2") == "no" or f.value("A3") == "no",
        lambda d: d.drop("channels", C.SMS, C.EDM, C.CALLS),
        why=_(
            "C1, C2, A3: consent of the recipients, an identified sender with an opt-out, or the "
            "telecom licence is not established for commercial messages."
        ),
    ),
    AnswerRule(
        "messages_conditions",
        "Advertising Law Art. 43",
        lambda f: True,
        lambda d: (
            d.add("conditions", K.OPTED_IN_ONLY, K.UNSUBSCRIBE_EVERY_MESSAGE, K.AD_MARKED)
            if set(d.channels) & {C.SMS, C.EDM, C.CALLS}
            else None
        ),
        why=_(
            "Commercial SMS, e-mail and calls go only to people who consented, each with an opt-out "
            "and marked as an ad."
        ),
    ),
    # Sensitive data only when the request said so and the questionnaire vetted it (PIPL Art. 28-29).
    AnswerRule(
        "sensitive_vetted",
        "PIPL Art. 28-29",
        lambda f: f.has("sensitive") and f.value("B5") == "yes",
        lambda d: d.add("data_categories", D.SENSITIVE),
        why=_("The request names sensitive personal information and B5 vetted its separate consent."),
    ),
    AnswerRule(
        "sensitive_excluded",
        "PIPL Art. 28",
        lambda f: not (f.has("sensitive") and f.value("B5") == "yes"),
        lambda d: d.add("conditions", K.NO_SENSITIVE),
        why=_("Sensitive personal information was not both named in the request and vetted at B5."),
    ),
    # Children under 14 only when the request said so (PIPL Art. 31).
    AnswerRule(
        "minors_vetted",
        "PIPL Art. 31",
        lambda f: f.has("minors"),
        lambda d: d.add("data_categories", D.MINORS),
        why=_("The request names data of children under 14."),
    ),
    AnswerRule(
        "minors_excluded",
        "PIPL Art. 31",
        lambda f: not f.has("minors"),
        lambda d: d.add("conditions", K.NO_MINORS),
        why=_("The request does not name data of children under 14."),
    ),
    # No profiling vetted: no retargeting or lookalike audiences (PIPL Art. 24).
    AnswerRule(
        "no_profiling",
        "PIPL Art. 24",
        lambda f: f.value("E1") == "no" and not f.has("profiling"),
        _no_profiling,
        why=_("E1: no profiling or targeting was vetted, so no retargeting and no lookalike audience."),
    ),
    AnswerRule(
        "profiling_off_switch",
        "PIPL Art. 24; NDSMR Art. 42",
        lambda f: f.value("E1") == "yes" or f.has("profiling"),
        lambda d: d.add("conditions", K.OFF_SWITCH),
        why=_(
            "E1: profiling or targeting was vetted; people must be offered a non-personalised option "
            "and an off switch."
        ),
    ),
    # Cross-border only with a lawful route and separate consent (PIPL Art. 38-39).
    AnswerRule(
        "cross_border_route",
        "PIPL Art. 38-39",
        lambda f: (
            f.value("F1") == "yes" and f.value("F2") not in (None, "", "none") and f.value("F3") == "yes"
        ),
        lambda d: setattr(d, "cross_border", True),
        why=_("F1-F3: data goes abroad through a lawful route, with separate consent."),
    ),
)

# The dimensions a rule may change, in the order of the sign-off form.
DIMENSIONS = ("purposes", "channels", "data_categories", "audience_sources", "cross_border", "conditions")


@dataclass(frozen=True)
class ProposalNote:
    """What one rule changed in one dimension of the proposal: the codes it took away from the category's
    defaults, or added to them (cross-border: (True,) when it was granted)."""

    dimension: str
    rule: AnswerRule
    removed: tuple[str | bool, ...] = ()
    added: tuple[str | bool, ...] = ()


def _proposal(
    *, category: str, values: Mapping[str, Any], traits: Iterable[str] = (), volume: str = ""
) -> tuple[Scope, list[ProposalNote]]:
    defaults = CATEGORY_DEFAULTS.get(category, CATEGORY_DEFAULTS["other"])
    draft = Draft(
        purposes=list(defaults["purposes"]),
        channels=list(defaults["channels"]),
        data_categories=list(defaults["data_categories"]),
        audience_sources=list(defaults["audience_sources"]),
        conditions=list(ALWAYS),
    )
    facts = Facts(category=category, values=values, traits=frozenset(traits or ()), volume=volume or "")
    notes: list[ProposalNote] = []
    for rule in ANSWER_RULES:
        if not rule.applies(facts):
            continue
        before = {dimension: _as_list(getattr(draft, dimension)) for dimension in DIMENSIONS}
        rule.change(draft)
        for dimension in DIMENSIONS:
            after = _as_list(getattr(draft, dimension))
            removed = tuple(code for code in before[dimension] if code not in after)
            added = tuple(code for code in after if code not in before[dimension])
            if removed or added:
                notes.append(ProposalNote(dimension, rule, removed, added))
    # The ceiling is what the brand asked to use the vendor for (the request's volume), not how many people the
    # vendor handles for all its clients (A5); A5 stands in only where the request gave no volume.
    ceiling = volume or values.get("A5") or ""
    scope = Scope.build(
        purposes=draft.purposes,
        channels=draft.channels,
        data_categories=draft.data_categories,
        audience_sources=draft.audience_sources,
        cross_border=draft.cross_border,
        ceiling=ceiling,
        conditions=draft.conditions,
    )
    return scope, notes


def _as_list(value: bool | list[str]) -> list[str | bool]:
    if isinstance(value, bool):
        return [True] if value else []
    return list(value)


def scope_from_facts(
    *, category: str, values: Mapping[str, Any], traits: Iterable[str] = (), volume: str = ""
) -> Scope:
    """The proposal for a vendor of `category` whose visible answers are `values` ({code: value})."""
    return _proposal(category=category, values=values, traits=traits, volume=volume)[0]


class _ReviewFacts(TypedDict):
    category: str
    values: dict[str, Any]
    traits: Iterable[str]
    volume: str


def _review_facts(review: Review) -> _ReviewFacts:
    values = dict(review.answers.values_list("question__code", "value"))
    return {
        "category": review.vendor.category,
        "values": values,
        "traits": review.data_traits or (),
        "volume": review.expected_volume,
    }


def scope_proposed(review: Review) -> Scope:
    """What the sign-off form proposes for `review`: its category, its answers, its request."""
    return scope_from_facts(**_review_facts(review))


def scope_proposal_notes(review: Review) -> list[ProposalNote]:
    """Why the proposal for `review` differs from its category's defaults, rule by rule: what the sign-off
    form says under each dimension, so that Legal sees what the answers took away before narrowing further."""
    return _proposal(**_review_facts(review))[1]
