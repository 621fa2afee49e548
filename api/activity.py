"""A marketing activity looked up by its reference (ACT-2026-00042): where it stands, what it must keep to,
what Legal decided and whether a vendor it uses has since stopped being usable (docs/domain.md "Use"). A
marketing system asks before it runs a campaign it was given the reference of; a key needs activities:read.

Findings are shown as the activity's pages show them (activities.precheck.finding_views), in the request's
language, split by what they ask: conditions to keep, questions Legal decides, refusals."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch

from activities.models import Activity, ActivityStatus, Outcome
from activities.precheck import finding_views
from activities.rules import Finding
from vendors.models import Vendor

from .use_check import RuleAnswer

# activities.services._next_reference: ACT-<year>-<five digits>, more digits only past 99,999 in a year;
# Activity.reference holds at most 20 characters.
REFERENCE_PATTERN = r"^ACT-[0-9]{4}-[0-9]{5,11}$"
REFERENCE = re.compile(REFERENCE_PATTERN, re.ASCII)
REFERENCE_MAX_LENGTH = 20


@dataclass(frozen=True)
class ActivityVendor:
    uscc: str
    name: str


@dataclass(frozen=True)
class LegalDecision:
    decision: str  # "approved" or "refused"
    reason: str
    decided_at: datetime


@dataclass(frozen=True)
class ActivityAnswer:
    reference: str
    name: str
    status: str
    status_label: str
    outcome: str
    outcome_label: str
    may_run: bool
    starts_on: date
    ends_on: date
    registered_at: datetime
    checked_at: datetime
    purpose: str
    channels: tuple[str, ...]
    own_channels: tuple[str, ...]
    data_categories: tuple[str, ...]
    audience_source: str
    volume: str
    cross_border: bool
    vendors: tuple[ActivityVendor, ...]
    conditions: tuple[RuleAnswer, ...]
    conditions_acknowledged: bool | None
    acknowledged_at: datetime | None
    needs_legal: tuple[RuleAnswer, ...]
    legal_decision: LegalDecision | None
    refusals: tuple[RuleAnswer, ...]
    flagged: bool
    flagged_at: datetime | None
    flag_reason: str


def reference_is_wellformed(reference: str) -> bool:
    return len(reference) <= REFERENCE_MAX_LENGTH and REFERENCE.match(reference) is not None


def _legal_decision(activity: Activity) -> LegalDecision | None:
    # A decision taken before the plan was last revised and checked again decided another plan.
    if activity.decided_at is None or activity.decided_at < activity.checked_at:
        return None
    decision = "refused" if activity.status == ActivityStatus.REFUSED else "approved"
    return LegalDecision(decision=decision, reason=activity.decision_reason, decided_at=activity.decided_at)


def activity_answer(activity: Activity, *, today: date) -> ActivityAnswer:
    vendors = list(activity.vendors.all())
    findings = [Finding.from_json(data) for data in activity.findings]
    rules = [
        RuleAnswer(
            code=view.rule,
            outcome=view.outcome,
            text=view.text,
            article=view.article,
            remedy=view.remedy,
            values=finding.values,
        )
        for view, finding in zip(finding_views(findings, vendors=vendors), findings, strict=False)
    ]
    conditions = tuple(rule for rule in rules if rule.outcome == Outcome.CONDITIONS)
    flagged = activity.flagged_at is not None
    return ActivityAnswer(
        reference=activity.reference,
        name=activity.name,
        status=activity.status,
        status_label=str(ActivityStatus(activity.status).label),
        outcome=activity.outcome,
        outcome_label=str(Outcome(activity.outcome).label),
        may_run=activity.status == ActivityStatus.CLEARED and not flagged and activity.ends_on >= today,
        starts_on=activity.starts_on,
        ends_on=activity.ends_on,
        registered_at=activity.created_at,
        checked_at=activity.checked_at,
        purpose=activity.purpose,
        channels=tuple(activity.channels),
        own_channels=tuple(activity.own_channels),
        data_categories=tuple(activity.data_categories),
        audience_source=activity.audience_source,
        volume=activity.volume,
        cross_border=activity.cross_border,
        vendors=tuple(ActivityVendor(uscc=v.uscc, name=v.display_name) for v in vendors),
        conditions=conditions,
        conditions_acknowledged=(activity.acknowledged_at is not None) if conditions else None,
        acknowledged_at=activity.acknowledged_at if conditions else None,
        needs_legal=tuple(rule for rule in rules if rule.outcome == Outcome.NEEDS_LEGAL),
        legal_decision=_legal_decision(activity),
        refusals=tuple(rule for rule in rules if rule.outcome == Outcome.NO_GO),
        flagged=flagged,
        flagged_at=activity.flagged_at,
        flag_reason=activity.flag_reason if flagged else "",
    )


def activity_by_reference(*, reference: str, today: date) -> ActivityAnswer | None:
    """The activity with this reference, or None. Two queries: the activity, then its vendors."""
    activity = (
        Activity.objects.filter(reference=reference)
        .prefetch_related(Prefetch("vendors", queryset=Vendor.objects.order_by("uscc")))
        .first()
    )
    if activity is None:
        return None
    return activity_answer(activity, today=today)
