"""The compliance confirmation of a decided marketing activity (营销活动合规确认单), as a frozen view model:
its facts, its vendors with the scope in force, the pre-check's outcome and every finding with its article and
what to do, the acknowledgement of the conditions and Legal's decision (activities.records.render prints it)."""

import datetime as dt
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from reviews.bilingual import EN, ZH, Bi, bi
from vendors.models import Vendor, VendorStatus
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, OwnChannelKind, Purpose

from ..models import Activity, ActivityStatus, Outcome
from ..precheck import finding_views, no_findings_text
from ..rules import Finding
from .base import (
    Recorded,
    RecordNotAvailable,
    Row,
    Step,
    as_typed,
    in_both,
    label,
    labels_of,
    local_time,
    person,
    recorded,
    scope_rows,
    username,
    utc_iso,
    yes_no,
)

# A record is issued once there is something to confirm: the activity may start, or it may not.
DECIDED_STATES = (ActivityStatus.CLEARED, ActivityStatus.REFUSED, ActivityStatus.BLOCKED)
RECORD_FORMAT = "vetted-activity-record/1"


@dataclass(frozen=True)
class VendorRow:
    name_zh: str
    name_en: str
    uscc: str
    approval: Bi  # its reference and end, or "no approval in force"
    scope: tuple[Row, ...]
    scope_confirmed: bool


@dataclass(frozen=True)
class FindingRow:
    outcome: str
    outcome_label: Bi
    text: Bi
    article: Bi
    remedy: Bi


@dataclass(frozen=True)
class ActivityRecord:
    reference: str
    name: str
    owner: str
    runs: str
    plan: tuple[Row, ...]  # purpose, channels, own channels, audience source, data, volume
    traits: tuple[Row, ...]  # profiling, price differences, minors, cross-border: yes or no
    notes: tuple[Row, ...]  # the owner's own words
    vendors: tuple[VendorRow, ...]
    outcome: str
    outcome_label: Bi
    status: str
    status_label: Bi
    checked_at: str
    findings: tuple[FindingRow, ...]
    no_findings: Bi
    flag: str  # why a vendor it uses may no longer be used, when it was flagged
    flagged_at: str
    acknowledgement: Step | None
    decision: Step | None
    issued_at: str
    recorded: Recorded
    filename: str


def _vendor_row(vendor: Vendor) -> VendorRow:
    if vendor.approval_reference:
        until = vendor.approved_until.isoformat() if vendor.approved_until else ""
        validity = label("validity")
        status = bi(VendorStatus(vendor.status).label)
        approval = Bi(
            f"{vendor.approval_reference} · {validity.zh} {until} · {status.zh}",
            f"{vendor.approval_reference} · {validity.en} {until} · {status.en}",
        )
    else:
        approval = label("no_approval")
    return VendorRow(
        name_zh=vendor.name_zh,
        name_en=vendor.name_en,
        uscc=vendor.uscc,
        approval=approval,
        scope=scope_rows(vendor.scope),
        scope_confirmed=vendor.scope_confirmed,
    )


def _findings(activity: Activity, vendors: list[Vendor]) -> tuple[FindingRow, ...]:
    findings = [Finding.from_json(item) for item in activity.findings]
    with translation.override(ZH):
        zh = finding_views(findings, vendors=vendors)
    with translation.override(EN):
        en = finding_views(findings, vendors=vendors)
    return tuple(
        FindingRow(
            outcome=e.outcome,
            outcome_label=Bi(z.outcome_label, e.outcome_label),
            text=Bi(z.text, e.text),
            article=Bi(z.article, e.article),
            remedy=Bi(z.remedy, e.remedy),
        )
        for z, e in zip(zh, en, strict=True)
    )


def _plan(activity: Activity) -> tuple[Row, ...]:
    return (
        Row(label("purpose"), bi(Purpose(activity.purpose).label)),
        Row(label("channels"), labels_of(Channel, activity.channels)),
        Row(label("own_channels"), labels_of(OwnChannelKind, activity.own_channels)),
        Row(label("audience_source"), bi(AudienceSource(activity.audience_source).label)),
        Row(label("data_categories"), labels_of(DataCategory, activity.data_categories)),
        Row(label("volume"), bi(Ceiling(activity.volume).label)),
    )


def _traits(activity: Activity) -> tuple[Row, ...]:
    return (
        Row(label("profiling"), yes_no(activity.profiling)),
        Row(label("pricing"), yes_no(activity.personalised_pricing)),
        Row(label("minors"), yes_no(activity.minors)),
        Row(label("cross_border"), yes_no(activity.cross_border)),
    )


def _notes(activity: Activity) -> tuple[Row, ...]:
    """What the owner wrote in their own words: the audience, the justification of a price difference."""
    notes = []
    if activity.audience:
        notes.append(Row(label("audience"), as_typed(activity.audience)))
    if activity.personalised_pricing and activity.pricing_justification:
        notes.append(Row(label("justification"), as_typed(activity.pricing_justification)))
    return tuple(notes)


def _activity_facts(activity: Activity, vendors: list[Vendor]) -> dict:
    """What the activity holds, as stored: the source of the record's digest."""
    return {
        "format": RECORD_FORMAT,
        "reference": activity.reference,
        "name": activity.name,
        "owner": activity.owner.get_username(),
        "starts_on": activity.starts_on.isoformat(),
        "ends_on": activity.ends_on.isoformat(),
        "purpose": activity.purpose,
        "channels": list(activity.channels),
        "own_channels": list(activity.own_channels),
        "vendors": sorted(v.uscc for v in vendors),
        "audience_source": activity.audience_source,
        "audience": activity.audience,
        "data_categories": list(activity.data_categories),
        "volume": activity.volume,
        "profiling": activity.profiling,
        "personalised_pricing": activity.personalised_pricing,
        "pricing_justification": activity.pricing_justification,
        "minors": activity.minors,
        "cross_border": activity.cross_border,
        "outcome": activity.outcome,
        "findings": activity.findings,
        "status": activity.status,
        "checked_at": utc_iso(activity.checked_at),
        "acknowledged_by": username(activity.acknowledged_by),
        "acknowledged_at": utc_iso(activity.acknowledged_at),
        "decided_by": username(activity.decided_by),
        "decided_at": utc_iso(activity.decided_at),
        "decision_reason": activity.decision_reason,
        "flagged_at": utc_iso(activity.flagged_at),
        "flag_reason": activity.flag_reason,
    }


def activity_record(activity: Activity, *, issued_at: dt.datetime) -> ActivityRecord:
    """The compliance confirmation of a decided activity (cleared, refused or no-go); RecordNotAvailable
    otherwise."""
    activity = (
        Activity.objects.select_related("owner", "acknowledged_by", "decided_by")
        .prefetch_related("vendors")
        .get(pk=activity.pk)
    )
    if activity.status not in DECIDED_STATES:
        raise RecordNotAvailable(
            _(
                "The compliance record is issued once the activity is decided (cleared to start, refused or "
                "no-go); it is %(status)s."
            )
            % {"status": activity.get_status_display()}
        )
    vendors = sorted(activity.vendors.all(), key=lambda v: (v.name_zh, v.pk))
    acknowledgement = decision = None
    if activity.acknowledged_by_id:
        acknowledgement = Step(
            outcome=None, by=person(activity.acknowledged_by), at=local_time(activity.acknowledged_at)
        )
    if activity.decided_by_id:
        code = "refused" if activity.status == ActivityStatus.REFUSED else "approved"
        decision = Step(
            outcome=label(code),
            by=person(activity.decided_by),
            at=local_time(activity.decided_at),
            text=activity.decision_reason,
            code=code,
        )
    return ActivityRecord(
        reference=activity.reference,
        name=activity.name,
        owner=person(activity.owner),
        runs=f"{activity.starts_on.isoformat()} – {activity.ends_on.isoformat()}",
        plan=_plan(activity),
        traits=_traits(activity),
        notes=_notes(activity),
        vendors=tuple(_vendor_row(v) for v in vendors),
        outcome=activity.outcome,
        outcome_label=bi(Outcome(activity.outcome).label),
        status=activity.status,
        status_label=bi(ActivityStatus(activity.status).label),
        checked_at=local_time(activity.checked_at),
        findings=_findings(activity, vendors),
        no_findings=in_both(no_findings_text),
        flag=activity.flag_reason,
        flagged_at=local_time(activity.flagged_at),
        acknowledgement=acknowledgement,
        decision=decision,
        issued_at=local_time(issued_at),
        recorded=recorded(f"{activity.reference}-record.json", _activity_facts(activity, vendors)),
        filename=f"{activity.reference}-record.pdf",
    )
