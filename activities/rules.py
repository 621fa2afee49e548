"""The rules a use must meet, each a row with its article: a use check against an approval's scope, and the
pre-check of a marketing activity (docs/domain.md "Use").

Two tables. SCOPE_RULES compare what a use asks for with what a vendor's approval covers (vendors.scope):
a vendor that is not approved, whose approval lapsed or was suspended, or a use beyond its purposes,
channels, data, audiences, cross-border permission or ceiling. ACTIVITY_RULES apply the law to the plan of
an activity whatever its vendors: consent for commercial messages, no bought lists, proof of source,
profiling, price differences, sensitive data, minors, cross-border transfer, ads marked as ads.

A rule yields findings: the rule's code, the vendor it concerns (if any) and the codes it is about. A finding
is stored as those codes and only turned into a sentence, with the rule's article and what to do, when
shown (activities.findings), in the reader's language. Tests go row by row:
tests/activities/test_rules.py::test_<code>_*.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from vendors.models import Vendor, VendorStatus
from vendors.scope import (
    CEILING_ORDER,
    MESSAGE_CHANNELS,
    AudienceSource,
    Channel,
    DataCategory,
    Purpose,
    Scope,
)

from .models import Outcome


@dataclass(frozen=True)
class Use:
    """What a use asks for: an activity's plan, or the parameters of an API use check. Empty values are not
    asked about."""

    purpose: str = ""
    channels: tuple[str, ...] = ()
    data_categories: tuple[str, ...] = ()
    audience_source: str = ""
    cross_border: bool = False
    volume: str = ""
    profiling: bool = False
    personalised_pricing: bool = False
    pricing_justification: str = ""
    minors: bool = False


@dataclass(frozen=True)
class Finding:
    rule: str
    outcome: str
    vendor: str = ""  # the credit code of the vendor it concerns
    values: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {
            "rule": self.rule,
            "outcome": self.outcome,
            "vendor": self.vendor,
            "values": list(self.values),
        }

    @classmethod
    def from_json(cls, data: dict) -> "Finding":
        return cls(
            rule=data["rule"],
            outcome=data["outcome"],
            vendor=data.get("vendor", ""),
            values=tuple(data.get("values", ())),
        )


@dataclass(frozen=True)
class Rule:
    code: str
    outcome: str
    article: str
    article_zh: str
    text: object  # what the finding says; %(values)s are the labels of its codes
    remedy: object  # what to do
    dimension: str = ""  # the vocabulary of the finding's values (vendors.scope.VOCABULARY), if any


@dataclass(frozen=True)
class VendorCheck:
    """The approval a scope rule reads: the vendor's status and the scope in force."""

    vendor: Vendor
    today: date
    scope: Scope = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "scope", Scope.from_json(self.vendor.approved_scope))

    @property
    def lapsed(self) -> bool:
        until = self.vendor.approved_until
        return (
            self.vendor.status in (VendorStatus.APPROVED, VendorStatus.SUSPENDED)
            and until is not None
            and until < self.today
        )

    @property
    def approved(self) -> bool:
        return self.vendor.status == VendorStatus.APPROVED and not self.lapsed


# --- The scope rules ------------------------------------------------------------------------------------------


def _beyond(asked, covered) -> tuple[str, ...]:
    return tuple(code for code in asked if code and code not in covered)


def _over_ceiling(use: Use, scope: Scope) -> tuple[str, ...]:
    if use.volume and scope.ceiling and CEILING_ORDER.index(use.volume) > CEILING_ORDER.index(scope.ceiling):
        return (use.volume,)
    return ()


ScopeTest = Callable[[VendorCheck, Use], tuple[str, ...] | bool]

SCOPE_RULES: tuple[tuple[Rule, ScopeTest], ...] = (
    (
        Rule(
            "vendor_stop_using",
            Outcome.NO_GO,
            "PIPL Art. 21; GB/T 35273 9.1",
            "《个人信息保护法》第二十一条；GB/T 35273 第9.1条",
            _("%(vendor)s failed its catch-up review: the business must stop using it."),
            _("Choose another vendor from the approved list."),
        ),
        lambda v, u: v.vendor.stop_using,
    ),
    (
        Rule(
            "vendor_not_approved",
            Outcome.NO_GO,
            "PIPL Art. 21; GB/T 35273 9.1",
            "《个人信息保护法》第二十一条；GB/T 35273 第9.1条",
            _("%(vendor)s is not on the approved list (%(status)s)."),
            _("Request a review of the vendor before using it, or choose an approved vendor."),
        ),
        lambda v, u: (
            v.vendor.status not in (VendorStatus.APPROVED, VendorStatus.SUSPENDED) and not v.vendor.stop_using
        ),
    ),
    (
        Rule(
            "vendor_lapsed",
            Outcome.NO_GO,
            "PIPL Art. 21",
            "《个人信息保护法》第二十一条",
            _("The approval of %(vendor)s lapsed on %(until)s."),
            _("Request a renewal review of the vendor; until it is signed off, the vendor may not be used."),
        ),
        lambda v, u: v.lapsed,
    ),
    (
        Rule(
            "vendor_suspended",
            Outcome.NO_GO,
            "PIPL Art. 21",
            "《个人信息保护法》第二十一条",
            _("%(vendor)s is suspended: %(reason)s"),
            _("Ask Legal why; a new review can admit it again."),
        ),
        lambda v, u: v.vendor.status == VendorStatus.SUSPENDED and not v.lapsed,
    ),
    (
        Rule(
            "purpose_outside_scope",
            Outcome.NO_GO,
            "PIPL Art. 6, 21",
            "《个人信息保护法》第六条、第二十一条",
            _("%(vendor)s is not approved for the purpose %(values)s."),
            _("Request a scope extension for this purpose, or choose a vendor approved for it."),
            dimension="purposes",
        ),
        lambda v, u: _beyond((u.purpose,), v.scope.purposes),
    ),
    (
        Rule(
            "channel_outside_scope",
            Outcome.NO_GO,
            "PIPL Art. 6, 14",
            "《个人信息保护法》第六条、第十四条",
            _("%(vendor)s is not approved for the channel(s) %(values)s."),
            _("Request a scope extension for the channel, or use a channel within the approval."),
            dimension="channels",
        ),
        lambda v, u: _beyond(u.channels, v.scope.channels),
    ),
    (
        Rule(
            "data_outside_scope",
            Outcome.NO_GO,
            "PIPL Art. 6, 14",
            "《个人信息保护法》第六条、第十四条",
            _("%(vendor)s is not approved for the data %(values)s."),
            _("Leave this data out, or request a scope extension for it."),
            dimension="data_categories",
        ),
        lambda v, u: _beyond(u.data_categories, v.scope.data_categories),
    ),
    (
        Rule(
            "audience_outside_scope",
            Outcome.NO_GO,
            "PIPL Art. 23; DSL Art. 33",
            "《个人信息保护法》第二十三条；《数据安全法》第三十三条",
            _("%(vendor)s is not approved for an audience %(values)s."),
            _("Use an audience within the approval, or request a scope extension with proof of the source."),
            dimension="audience_sources",
        ),
        lambda v, u: (
            ()
            if u.audience_source == AudienceSource.PURCHASED
            else _beyond((u.audience_source,), v.scope.audience_sources)
        ),
    ),
    (
        Rule(
            "cross_border_outside_scope",
            Outcome.NO_GO,
            "PIPL Art. 38-39",
            "《个人信息保护法》第三十八条至第三十九条",
            _("%(vendor)s is not approved to take data out of China."),
            _("Keep the data in China, or request a scope extension with the transfer's legal route."),
        ),
        lambda v, u: u.cross_border and not v.scope.cross_border,
    ),
    (
        Rule(
            "volume_over_ceiling",
            Outcome.NO_GO,
            "PIPL Art. 6",
            "《个人信息保护法》第六条",
            _("%(vendor)s is approved for %(ceiling)s; the use reaches %(values)s."),
            _("Reach fewer individuals, or request a scope extension for the larger volume."),
            dimension="ceiling",
        ),
        lambda v, u: _over_ceiling(u, v.scope),
    ),
    (
        Rule(
            "scope_unconfirmed",
            Outcome.CONDITIONS,
            "PIPL Art. 6",
            "《个人信息保护法》第六条",
            _("The scope of %(vendor)s was derived from its answers and Legal has not confirmed it yet."),
            _("Keep to the scope shown; Legal confirms it on the vendor's page."),
        ),
        lambda v, u: not v.vendor.scope_confirmed,
    ),
    (
        Rule(
            "scope_conditions",
            Outcome.CONDITIONS,
            "PIPL Art. 21",
            "《个人信息保护法》第二十一条",
            _("The approval of %(vendor)s comes with conditions: %(values)s"),
            _("Keep to each condition while the vendor is used."),
            dimension="conditions",
        ),
        lambda v, u: v.scope.conditions,
    ),
    (
        Rule(
            "scope_other_conditions",
            Outcome.CONDITIONS,
            "PIPL Art. 21",
            "《个人信息保护法》第二十一条",
            _("Legal's further conditions for %(vendor)s: %(text)s"),
            _("Keep to each condition while the vendor is used."),
        ),
        lambda v, u: bool(v.scope.other_conditions),
    ),
)

# A vendor that may not be used at all is not compared with its scope.
BLOCKING_VENDOR_RULES = {"vendor_stop_using", "vendor_not_approved", "vendor_lapsed", "vendor_suspended"}


def scope_findings(check: VendorCheck, use: Use, *, cross_border: bool = True) -> list[Finding]:
    """The scope rules for one vendor. `cross_border=False` leaves the transfer to ACTIVITY_RULES, where an
    activity's transfer outside a scope needs Legal rather than being refused outright."""
    findings = []
    for rule, test in SCOPE_RULES:
        if not cross_border and rule.code == "cross_border_outside_scope":
            continue
        result = test(check, use)
        if result:
            values = tuple(result) if isinstance(result, tuple) else ()
            findings.append(Finding(rule.code, rule.outcome, check.vendor.uscc, values))
            if rule.code in BLOCKING_VENDOR_RULES:
                break
    return findings


# --- The activity rules ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """An activity as the rules read it: the use, and the scopes of its vendors."""

    use: Use
    vendors: tuple[VendorCheck, ...] = ()

    @property
    def messages(self) -> tuple[str, ...]:
        return tuple(c for c in self.use.channels if c in MESSAGE_CHANNELS)


ActivityTest = Callable[[Plan], tuple[str, ...] | bool]

ACTIVITY_RULES: tuple[tuple[Rule, ActivityTest], ...] = (
    (
        Rule(
            "purchased_list",
            Outcome.NO_GO,
            "PIPL Art. 10; Criminal Law Art. 253-1",
            "《个人信息保护法》第十条；《刑法》第二百五十三条之一",
            _(
                "A bought, rented or swapped list may not be used: buying personal information is obtaining it "
                "illegally."
            ),
            _("Reach your own members who opted in, or use scenario marketing on anonymous behaviour."),
        ),
        lambda p: p.use.audience_source == AudienceSource.PURCHASED,
    ),
    (
        Rule(
            "commercial_messages",
            Outcome.CONDITIONS,
            "Advertising Law Art. 43; MIIT SMS Provisions Art. 18",
            "《广告法》第四十三条；《通信短信息服务管理规定》第十八条",
            _(
                "Commercial %(values)s only to people who consented or asked, with an opt-out in every message, "
                "stopped at once when refused."
            ),
            _("Send only to the opted-in list and honour every opt-out."),
            dimension="channels",
        ),
        lambda p: p.messages if p.use.audience_source != AudienceSource.PURCHASED else (),
    ),
    (
        Rule(
            "email_subject_marked",
            Outcome.CONDITIONS,
            "MIIT Internet E-mail Measures 2006",
            "《互联网电子邮件服务管理办法》（2006年）",
            _('Each marketing e-mail\'s subject begins with "广告" or "AD".'),
            _("Mark the subject line of every e-mail."),
        ),
        lambda p: Channel.EDM in p.use.channels and p.use.audience_source != AudienceSource.PURCHASED,
    ),
    (
        Rule(
            "ads_marked",
            Outcome.CONDITIONS,
            "Advertising Law Art. 14; SAMR Internet Advertising Measures 2023 Art. 9",
            "《广告法》第十四条；《互联网广告管理办法》（2023年）第九条",
            _('KOL, livestream and native ads must be identifiable as ads and marked "广告".'),
            _("Brief every KOL and placement to mark the content as an ad."),
        ),
        lambda p: bool({Channel.KOL, Channel.PROGRAMMATIC} & set(p.use.channels)),
    ),
    (
        Rule(
            "vendor_audience_proof",
            Outcome.CONDITIONS,
            "PIPL Art. 23; DSL Art. 33; GB/T 35273 5.4",
            "《个人信息保护法》第二十三条；《数据安全法》第三十三条；GB/T 35273 第5.4条",
            _(
                "An audience supplied by a vendor needs proof of its source and the individuals' separate consent "
                "naming the brand."
            ),
            _("Get the vendor's source statement and consent samples before the list is used."),
        ),
        lambda p: p.use.audience_source == AudienceSource.VENDOR_SUPPLIED,
    ),
    (
        Rule(
            "own_members_consent",
            Outcome.CONDITIONS,
            "PIPL Art. 13-14",
            "《个人信息保护法》第十三条至第十四条",
            _("Own customers and members only with their consent to marketing on record."),
            _("Filter the audience on the marketing consent flag."),
        ),
        lambda p: p.use.audience_source == AudienceSource.OWN_CONSENTED,
    ),
    (
        Rule(
            "profiling",
            Outcome.CONDITIONS,
            "PIPL Art. 24, 55; NDSMR Art. 42",
            "《个人信息保护法》第二十四条、第五十五条；《网络数据安全管理条例》第四十二条",
            _(
                "Profiling, lookalike audiences and personalised ads need transparency, an easy off switch and a "
                "personal information protection impact assessment (PIPIA) before the start."
            ),
            _("Complete the PIPIA and offer a non-personalised option."),
        ),
        lambda p: (
            p.use.profiling
            or p.use.audience_source == AudienceSource.LOOKALIKE
            or p.use.purpose == Purpose.RETARGETING
        ),
    ),
    (
        Rule(
            "price_discrimination",
            Outcome.NO_GO,
            "PIPL Art. 24; NDSMR Art. 46",
            "《个人信息保护法》第二十四条；《网络数据安全管理条例》第四十六条",
            _("Prices or terms may not differ by personal traits without an objective justification."),
            _("Offer the same prices and terms to everyone, or state the objective justification for Legal."),
        ),
        lambda p: p.use.personalised_pricing and not p.use.pricing_justification.strip(),
    ),
    (
        Rule(
            "price_difference_justified",
            Outcome.NEEDS_LEGAL,
            "PIPL Art. 24; NDSMR Art. 46",
            "《个人信息保护法》第二十四条；《网络数据安全管理条例》第四十六条",
            _("Prices or terms differ by personal traits; Legal weighs the stated justification."),
            _("Legal decides; the activity waits."),
        ),
        lambda p: p.use.personalised_pricing and bool(p.use.pricing_justification.strip()),
    ),
    (
        Rule(
            "sensitive_data",
            Outcome.NEEDS_LEGAL,
            "PIPL Art. 28-30",
            "《个人信息保护法》第二十八条至第三十条",
            _("Sensitive personal information needs necessity, strict protection and separate consent."),
            _("Legal decides; prepare the separate-consent text."),
        ),
        lambda p: DataCategory.SENSITIVE in p.use.data_categories,
    ),
    (
        Rule(
            "minors",
            Outcome.NEEDS_LEGAL,
            "PIPL Art. 31",
            "《个人信息保护法》第三十一条",
            _("Children under 14 need their guardian's consent and rules of their own."),
            _("Legal decides; prepare the guardian-consent flow."),
        ),
        lambda p: p.use.minors or DataCategory.MINORS in p.use.data_categories,
    ),
    (
        Rule(
            "cross_border_needs_legal",
            Outcome.NEEDS_LEGAL,
            "PIPL Art. 38-39",
            "《个人信息保护法》第三十八条至第三十九条",
            _(
                "Data leaves China through a vendor not approved for it: a lawful route and separate consent are "
                "needed."
            ),
            _("Legal decides on the route (standard contract, certification or assessment)."),
        ),
        lambda p: p.use.cross_border and (not p.vendors or any(not v.scope.cross_border for v in p.vendors)),
    ),
    (
        Rule(
            "cross_border_consent",
            Outcome.CONDITIONS,
            "PIPL Art. 39",
            "《个人信息保护法》第三十九条",
            _("Data leaves China: individuals are told of the overseas recipient and give separate consent."),
            _("Use the separate-consent text for the transfer."),
        ),
        lambda p: p.use.cross_border and bool(p.vendors) and all(v.scope.cross_border for v in p.vendors),
    ),
)

# An own channel of the register that the activity names and that is not approved (activities.services
# channel_findings): the channel collects personal data for the activity, so it passes its review first.
CHANNEL_RULE = Rule(
    "own_channel_not_approved",
    Outcome.NO_GO,
    "PIPL Art. 17, 51",
    "《个人信息保护法》第十七条、第五十一条",
    _("Own channel not approved: %(values)s."),
    _("Ask for the channel's review (New own-channel review) and start once it is signed off."),
)

RULES: dict[str, Rule] = {
    **{rule.code: rule for rule, _test in SCOPE_RULES + ACTIVITY_RULES},
    CHANNEL_RULE.code: CHANNEL_RULE,
}


def activity_findings(plan: Plan) -> Iterator[Finding]:
    for rule, test in ACTIVITY_RULES:
        result = test(plan)
        if result:
            yield Finding(rule.code, rule.outcome, "", tuple(result) if isinstance(result, tuple) else ())
