"""Inherent risk, then residual risk: the tier floor and why a review has its tier.

Summing answer points alone rates a vendor that sends consumer data abroad under a filed standard contract as
Low. A legal programme first rates what the vendor touches (inherent risk) from the request and the answers,
then what the answers show (residual risk, the score). The tier is the higher of the two; any red flag makes
it Critical (I3). Each rule below lifts the floor and names its law article (docs/domain.md "Risk tier");
the consequences of a tier (the PIPIA, the compliance audit, how long an approval may run) follow in
TIER_CONSEQUENCES and reviews.submission.

Pure functions; nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from vendors.models import RiskTier

from ..models import DataTrait

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .scoring import RiskResult

# The tiers' values (RiskTier members are str), lowest first.
TIER_ORDER: list[str] = [RiskTier.LOW, RiskTier.MEDIUM, RiskTier.HIGH, RiskTier.CRITICAL]
VOLUME_1M = {"1m_10m", "gt10m"}


def higher(a: str, b: str) -> str:
    return max(a, b, key=TIER_ORDER.index)


@dataclass(frozen=True)
class Facts:
    """What the floor is read from: the request (traits ticked, expected volume) and the values of the
    visible answers ({question code: value})."""

    traits: frozenset[str] = frozenset()
    volume: str = ""
    values: Mapping[str, Any] | None = None  # {question code: the answer's JSON value}

    def value(self, code: str) -> Any:
        return (self.values or {}).get(code)

    def has(self, trait: str) -> bool:
        return trait in self.traits


@dataclass(frozen=True)
class Reason:
    """One fact behind a tier: what it is (translatable), the law it comes from, and its effect (the tier it
    lifts the floor to, or the points it adds)."""

    text: StrOrPromise
    article: str
    effect: str
    code: str = ""  # the rule, trait or question it comes from

    @property
    def is_floor(self) -> bool:
        return self.effect in TIER_ORDER

    @property
    def effect_label(self) -> str:
        return str(RiskTier(self.effect).label) if self.is_floor else self.effect


@dataclass(frozen=True)
class FloorRule:
    code: str  # tests/reviews/test_tiering.py::test_<code>
    tier: str
    article: str
    text: StrOrPromise
    applies: Callable[[Facts], bool]


FLOOR_RULES: tuple[FloorRule, ...] = (
    FloorRule(
        "cross_border_transfer",
        RiskTier.HIGH,
        "PIPL Art. 38-40",
        _("Personal information leaves China or is reachable from abroad"),
        lambda f: f.has(DataTrait.CROSS_BORDER) or f.value("F1") == "yes" or f.value("D5") == "overseas",
    ),
    FloorRule(
        "sensitive_personal_information",
        RiskTier.HIGH,
        "PIPL Art. 28",
        _("Sensitive personal information is processed"),
        lambda f: f.has(DataTrait.SENSITIVE) or f.value("B5") == "yes",
    ),
    FloorRule(
        "minors_under_14",
        RiskTier.HIGH,
        "PIPL Art. 31",
        _("Personal information of children under 14 is processed"),
        lambda f: f.has(DataTrait.MINORS),
    ),
    FloorRule(
        "one_million_individuals",
        RiskTier.HIGH,
        "PIPL Art. 52",
        _("1 million individuals or more"),
        lambda f: f.volume in VOLUME_1M or f.value("A5") in VOLUME_1M,
    ),
    FloorRule(
        "independent_recipient",
        RiskTier.HIGH,
        "PIPL Art. 23",
        _("The vendor receives the data as an independent handler"),
        lambda f: f.value("D1") == "recipient",
    ),
    # An own channel's answers (reviews/questionnaire/template_channel_v1.py; its codes never reuse a vendor's).
    FloorRule(
        "channel_cross_border",
        RiskTier.HIGH,
        "PIPL Art. 38-40",
        _("The channel's data leaves China or is reachable from abroad"),
        lambda f: f.value("X3") == "yes",
    ),
    FloorRule(
        "channel_sensitive_personal_information",
        RiskTier.HIGH,
        "PIPL Art. 28",
        _("The channel collects sensitive personal information"),
        lambda f: f.value("K4") == "yes",
    ),
    FloorRule(
        "channel_children_under_14",
        RiskTier.HIGH,
        "PIPL Art. 31",
        _("The channel is aimed at or reaches children under 14"),
        lambda f: f.value("Y1") == "yes",
    ),
    FloorRule(
        "channel_shares_with_other_handlers",
        RiskTier.MEDIUM,
        "PIPL Art. 23",
        _("The channel provides personal information to other handlers"),
        lambda f: f.value("K2") == "yes",
    ),
    FloorRule(
        "profiling_or_automated_decisions",
        RiskTier.MEDIUM,
        "PIPL Art. 24",
        _("Profiling, personalised push or automated decisions"),
        lambda f: f.has(DataTrait.PROFILING) or f.value("E1") == "yes",
    ),
)

# What a tier asks for beyond the questionnaire (shown with the tier; the approval cap is enforced by
# reviews.submission.sign_off_validity_cap, the PIPIA by the data-source stage).
TIER_CONSEQUENCES: Mapping[str, tuple[StrOrPromise, ...]] = {
    RiskTier.CRITICAL: (
        _(
            "A red flag blocks the questionnaire: the vendor must change the practice, or the "
            "request is withdrawn."
        ),
    ),
    RiskTier.HIGH: (
        _(
            "A PIPIA report is required (PIPL Art. 55-56) and a compliance audit within the last 2 "
            "years (PIPL Art. 54)."
        ),
    ),
}


def approval_months(tier: str) -> int:
    """The longest approval a tier allows (settings VETTED_APPROVAL_MONTHS_*)."""
    months: Mapping[str, int] = {
        RiskTier.HIGH: settings.VETTED_APPROVAL_MONTHS_HIGH,
        RiskTier.MEDIUM: settings.VETTED_APPROVAL_MONTHS_MEDIUM,
    }
    return months.get(tier, settings.VETTED_APPROVAL_MONTHS_LOW)


def tier_context(result: RiskResult) -> dict[str, Any]:
    """What templates/reviews/_tier_why.html and the admin's and dossier's tier boxes show for a RiskResult."""
    return {
        "result": result,
        "tier_label": RiskTier(result.tier).label,
        "floor_label": RiskTier(result.floor).label,
        "consequences": TIER_CONSEQUENCES.get(result.tier, ()),
        # A Critical review cannot be approved (I3): no approval period to speak of.
        "approval_months": None if result.tier == RiskTier.CRITICAL else approval_months(result.tier),
    }


def floor_reasons(facts: Facts) -> list[Reason]:
    return [
        Reason(rule.text, rule.article, rule.tier, rule.code) for rule in FLOOR_RULES if rule.applies(facts)
    ]


def floor_of(reasons: Iterable[Reason]) -> str:
    tier: str = RiskTier.LOW.value
    for reason in reasons:
        if reason.is_floor:
            tier = higher(tier, reason.effect)
    return tier
