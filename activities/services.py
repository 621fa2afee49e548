"""Marketing activities: one function per transition (docs/architecture.md "Transitions live in services").

Each reads top to bottom as reviews.workflow does: guard and raise ActivityError, lock and change inside one
transaction, append the audit event, queue the mail on commit.

    registered ──pre-check──> cleared (go) | awaiting_ack (go with conditions) | awaiting_legal | blocked
    awaiting_ack ──acknowledge──> cleared
    awaiting_legal ──Legal approves──> awaiting_ack (conditions) | cleared;  ──Legal refuses──> refused
    blocked | awaiting_ack | awaiting_legal ──revise──> pre-checked again
    any open ──withdraw──> withdrawn
A vendor it uses suspended or lapsed flags an open activity (activities.receivers) and tells its owner.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.access import decider_refusal
from reviews.audit import audit_record
from reviews.roles import Role, has_role
from vendors.models import Vendor
from vendors.people import person_name
from vendors.scope import (
    AudienceSource,
    Ceiling,
    Channel,
    DataCategory,
    OwnChannelKind,
    Purpose,
)
from vendors.text import clean_text

from . import notify
from .models import OPEN_ACTIVITY_STATES, Activity, ActivityStatus, Outcome
from .precheck import Check, activity_precheck, worst
from .rules import CHANNEL_RULE, Finding, Use


class ActivityError(Exception):
    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message, self.code, self.field = message, code, field


STATUS_AFTER_CHECK: dict[str, str] = {
    Outcome.GO: ActivityStatus.CLEARED,
    Outcome.CONDITIONS: ActivityStatus.AWAITING_ACK,
    Outcome.NEEDS_LEGAL: ActivityStatus.AWAITING_LEGAL,
    Outcome.NO_GO: ActivityStatus.BLOCKED,
}
REVISABLE = (ActivityStatus.BLOCKED, ActivityStatus.AWAITING_ACK, ActivityStatus.AWAITING_LEGAL)


@dataclass(frozen=True)
class ActivityPlan:
    """What the requester says of a planned activity, checked (ActivityError names the field)."""

    name: str
    starts_on: date
    ends_on: date
    purpose: str
    channels: tuple[str, ...]
    vendors: tuple[Vendor, ...]
    own_channels: tuple[str, ...]
    audience_source: str
    audience: str
    data_categories: tuple[str, ...]
    volume: str
    profiling: bool = False
    personalised_pricing: bool = False
    pricing_justification: str = ""
    minors: bool = False
    cross_border: bool = False
    named_channels: tuple[Vendor, ...] = ()

    def use(self) -> Use:
        return Use(
            purpose=self.purpose,
            channels=self.channels,
            data_categories=self.data_categories,
            audience_source=self.audience_source,
            cross_border=self.cross_border,
            volume=self.volume,
            profiling=self.profiling,
            personalised_pricing=self.personalised_pricing,
            pricing_justification=self.pricing_justification,
            minors=self.minors,
        )

    def fields(self) -> dict:
        return {
            "name": self.name,
            "starts_on": self.starts_on,
            "ends_on": self.ends_on,
            "purpose": self.purpose,
            "channels": list(self.channels),
            "own_channels": list(self.own_channels),
            "audience_source": self.audience_source,
            "audience": self.audience,
            "data_categories": list(self.data_categories),
            "volume": self.volume,
            "profiling": self.profiling,
            "personalised_pricing": self.personalised_pricing,
            "pricing_justification": self.pricing_justification,
            "minors": self.minors,
            "cross_border": self.cross_border,
        }


def _codes(values, choices, field: str) -> tuple[str, ...]:
    unknown = [v for v in values if v not in choices.values]
    if unknown:
        raise ActivityError(
            _("Unknown value: %(values)s") % {"values": ", ".join(map(str, unknown))}, field=field
        )
    return tuple(v for v in choices.values if v in values)


def activity_plan(
    *,
    name: str,
    starts_on: date,
    ends_on: date,
    purpose: str,
    channels=(),
    vendors=(),
    own_channels=(),
    named_channels=(),
    audience_source: str,
    audience: str = "",
    data_categories=(),
    volume: str,
    profiling: bool = False,
    personalised_pricing: bool = False,
    pricing_justification: str = "",
    minors: bool = False,
    cross_border: bool = False,
    today: date | None = None,
) -> ActivityPlan:
    today = today or timezone.localdate()
    name = clean_text(name or "", error=ActivityError)
    if not name:
        raise ActivityError(_("Give the activity a name."), field="name")
    if ends_on < starts_on:
        raise ActivityError(_("The activity cannot end before it starts."), field="ends_on")
    if ends_on < today:
        raise ActivityError(
            _("The activity has already ended: register activities before they run."), field="ends_on"
        )
    if purpose not in Purpose.values:
        raise ActivityError(_("Choose the purpose."), field="purpose")
    if audience_source not in AudienceSource.values:
        raise ActivityError(_("Say where the audience comes from."), field="audience_source")
    if volume not in Ceiling.values:
        raise ActivityError(_("Say how many individuals the activity reaches."), field="volume")
    channels = _codes(channels, Channel, "channels")
    named_channels = tuple(named_channels)
    if any(not entry.is_own_channel for entry in named_channels):
        raise ActivityError(_("Only the brand's own channels are named here."), field="named_channels")
    # A channel named by its entry in the register uses its kind: the kinds say what the activity goes through.
    kinds = {*own_channels, *(entry.channel.kind for entry in named_channels)}
    own_channels = _codes(kinds, OwnChannelKind, "own_channels")
    if not channels and not own_channels:
        raise ActivityError(_("Name at least one channel or own channel."), field="channels")
    justification = clean_text(pricing_justification or "", error=ActivityError, multiline=True)
    return ActivityPlan(
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        purpose=purpose,
        channels=channels,
        vendors=tuple(vendors),
        own_channels=own_channels,
        audience_source=audience_source,
        audience=clean_text(audience or "", error=ActivityError, multiline=True),
        data_categories=_codes(data_categories, DataCategory, "data_categories"),
        volume=volume,
        profiling=bool(profiling),
        personalised_pricing=bool(personalised_pricing),
        pricing_justification=justification if personalised_pricing else "",
        minors=bool(minors),
        cross_border=bool(cross_border),
        named_channels=named_channels,
    )


def channel_findings(named_channels, *, today: date) -> list[Finding]:
    """One no-go finding naming the own channels of the plan that are not approved on `today`."""
    fresh = Vendor.objects.in_bulk([entry.pk for entry in named_channels])
    waiting = [
        fresh[e.pk].name_zh for e in named_channels if e.pk in fresh and not fresh[e.pk].is_approved_on(today)
    ]
    if not waiting:
        return []
    return [Finding(CHANNEL_RULE.code, CHANNEL_RULE.outcome, "", tuple(waiting))]


def activity_check(plan: ActivityPlan, *, today: date | None = None) -> Check:
    """The pre-check of a plan, without saving anything (the form's preview). The vendors are read again: the
    check answers for their approvals as they stand now, not as the caller's copies last saw them."""
    fresh = Vendor.objects.in_bulk([vendor.pk for vendor in plan.vendors])
    vendors = [fresh[vendor.pk] for vendor in plan.vendors if vendor.pk in fresh]  # in the plan's order
    today = today or timezone.localdate()
    check = activity_precheck(plan.use(), vendors, today=today)
    extra = channel_findings(plan.named_channels, today=today)
    if not extra:
        return check
    findings = (*check.findings, *extra)
    return Check(worst(findings), findings)


def next_in_year(model, field: str, prefix: str) -> str:
    """The next of the numbers `prefix` and five digits (ACT-2026-00042) in `field` of `model`, after the
    highest there is (its row locked), or the first."""
    last = (
        model.objects.select_for_update()
        .filter(**{f"{field}__startswith": prefix})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:05d}"


def _next_reference(now) -> str:
    return next_in_year(Activity, "reference", f"ACT-{now:%Y}-")


def _audit(activity: Activity, action: str, actor, **data) -> None:
    audit_record(action=action, actor=actor, obj=activity, data={"reference": activity.reference, **data})


def _apply_check(activity: Activity, check: Check, now) -> None:
    activity.outcome = check.outcome
    activity.findings = [finding.as_json() for finding in check.findings]
    activity.status = STATUS_AFTER_CHECK[check.outcome]
    activity.checked_at = now
    activity.acknowledged_by = activity.acknowledged_at = None


def activity_register(*, owner, plan: ActivityPlan) -> Activity:
    if not has_role(owner, Role.REQUESTER):
        raise ActivityError(_("Only marketing requesters register activities."), code="forbidden")
    now = timezone.now()
    check = activity_check(plan, today=timezone.localdate(now))
    with transaction.atomic():
        activity = Activity(owner=owner, reference=_next_reference(now), created_at=now, **plan.fields())
        _apply_check(activity, check, now)
        _save_checked(activity, plan, action="activity.registered", actor=owner)
    return activity


def _locked(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


def _owner_only(activity: Activity, actor) -> None:
    if activity.owner_id != getattr(actor, "pk", None):
        raise ActivityError(_("Only the activity's owner can do this."), code="forbidden")


def state_refusal(record, message: str) -> ActivityError:
    """The error for a step that the state of `record` (an activity or an extension) does not allow; `message`
    names the state as %(status)s."""
    return ActivityError(message % {"status": record.get_status_display()}, code="state")


def withdraw_locked(record, *, withdrawable, withdrawn: str, refusal: str) -> None:
    """Withdraw `record` (an activity or an extension, locked) while its status is one of `withdrawable`;
    otherwise refuse with `refusal` (see state_refusal)."""
    if record.status not in withdrawable:
        raise state_refusal(record, refusal)
    record.status = withdrawn
    record.save(update_fields=["status", "updated_at"])


def _save_checked(activity: Activity, plan: ActivityPlan, *, action: str, actor) -> None:
    """Save an activity just (re)checked with its plan's vendors and own channels, record it and tell its owner."""
    activity.save()
    activity.vendors.set(plan.vendors)
    activity.named_channels.set(plan.named_channels)
    _audit(
        activity,
        action,
        actor,
        outcome=activity.outcome,
        findings=activity.findings,
        vendors=[v.uscc for v in plan.vendors],
        own_channels=[entry.name_zh for entry in plan.named_channels],
    )
    notify.activity_checked(activity)


def activity_revise(*, activity: Activity, actor, plan: ActivityPlan) -> Activity:
    """The owner changes the plan of an activity not cleared yet; it is checked again."""
    _owner_only(activity, actor)
    now = timezone.now()
    check = activity_check(plan, today=timezone.localdate(now))
    with transaction.atomic():
        activity = _locked(activity)
        if activity.status not in REVISABLE:
            raise state_refusal(activity, _("The activity is %(status)s and can no longer be changed."))
        for name, value in plan.fields().items():
            setattr(activity, name, value)
        _apply_check(activity, check, now)
        # A flag said a vendor of the old plan stopped being usable; the new plan is checked afresh (an unusable
        # vendor still in it makes the check a no-go), so the flag no longer speaks of this plan.
        activity.flagged_at, activity.flag_reason = None, ""
        _save_checked(activity, plan, action="activity.revised", actor=actor)
    return activity


def activity_acknowledge(*, activity: Activity, actor) -> Activity:
    """The owner acknowledges the conditions; the activity is cleared to start."""
    _owner_only(activity, actor)
    with transaction.atomic():
        activity = _locked(activity)
        if activity.status != ActivityStatus.AWAITING_ACK:
            raise ActivityError(_("There are no conditions waiting to be acknowledged."), code="state")
        now = timezone.now()
        activity.status = ActivityStatus.CLEARED
        activity.acknowledged_by, activity.acknowledged_at = actor, now
        activity.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "updated_at"])
        _audit(
            activity,
            "activity.acknowledged",
            actor,
            conditions=[f["rule"] for f in activity.findings if f["outcome"] == Outcome.CONDITIONS],
        )
    return activity


def activity_decide_refusal(user, activity: Activity) -> str | None:
    """Why `user` may not decide `activity`, or None (I4: Legal, not their own, not a fresh role)."""
    if not getattr(user, "is_authenticated", False):
        return _("Sign in first.")
    if activity.owner_id == user.pk:
        return _("You registered this activity, so you cannot decide it (segregation of duties).")
    if not has_role(user, Role.LEGAL):
        return _("Only Legal decides marketing activities.")
    return decider_refusal(user, Role.LEGAL)


def activity_decide(*, activity: Activity, actor, approve: bool, reason: str) -> Activity:
    """Legal decides an activity the pre-check sent to Legal, with a reason (I8: one decision is kept)."""
    reason = clean_text(reason or "", error=ActivityError, multiline=True)
    refusal = activity_decide_refusal(actor, activity)
    if refusal is not None:
        raise ActivityError(refusal, code="forbidden")
    if not reason:
        raise ActivityError(_("Give the reason for your decision."), field="reason")
    with transaction.atomic():
        activity = _locked(activity)
        if activity.status != ActivityStatus.AWAITING_LEGAL:
            if activity.decided_by_id:
                raise ActivityError(
                    _("%(user)s already decided this activity at %(time)s; your decision was not recorded.")
                    % {
                        "user": person_name(activity.decided_by),
                        "time": timezone.localtime(activity.decided_at).strftime("%Y-%m-%d %H:%M"),
                    },
                    code="already_decided",
                )
            raise state_refusal(activity, _("The activity is %(status)s: there is nothing to decide."))
        now = timezone.now()
        has_conditions = any(f["outcome"] == Outcome.CONDITIONS for f in activity.findings)
        if approve:
            activity.status = ActivityStatus.AWAITING_ACK if has_conditions else ActivityStatus.CLEARED
        else:
            activity.status = ActivityStatus.REFUSED
        activity.decided_by, activity.decided_at, activity.decision_reason = actor, now, reason
        activity.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
        _audit(activity, "activity.approved" if approve else "activity.refused", actor, reason=reason)
        notify.activity_decided(activity)
    return activity


def activity_withdraw(*, activity: Activity, actor) -> Activity:
    _owner_only(activity, actor)
    with transaction.atomic():
        activity = _locked(activity)
        withdraw_locked(
            activity,
            withdrawable=(*OPEN_ACTIVITY_STATES, ActivityStatus.BLOCKED),
            withdrawn=ActivityStatus.WITHDRAWN,
            refusal=_("The activity is %(status)s and cannot be withdrawn."),
        )
        _audit(activity, "activity.withdrawn", actor)
    return activity


def activities_flag_for_vendor(*, vendor: Vendor, reason: str) -> int:
    """A vendor stopped being usable (suspended, lapsed, rejected): every open activity using it is flagged
    and its owner told. Flagged once; a later change of the same vendor does not flag again."""
    count = 0
    candidates = Activity.objects.filter(
        vendors=vendor, status__in=OPEN_ACTIVITY_STATES, flagged_at__isnull=True
    )
    for activity in candidates:
        with transaction.atomic():
            activity = _locked(activity)
            if activity.flagged_at is not None or activity.status not in OPEN_ACTIVITY_STATES:
                continue
            activity.flagged_at = timezone.now()
            activity.flag_reason = _("%(vendor)s may no longer be used: %(reason)s") % {
                "vendor": vendor.name_zh,
                "reason": reason,
            }
            activity.save(update_fields=["flagged_at", "flag_reason", "updated_at"])
            _audit(activity, "activity.flagged", None, vendor=vendor.uscc, reason=reason)
            notify.activity_flagged(activity)
        count += 1
    return count
