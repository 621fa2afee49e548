"""An activity's page in the admin, read once into a view model: its facts, the pre-check attached (each
finding with its article and what to do, grouped by outcome, hardest first), the vendors it uses with the scope
of their approval, its audit trail, and the decision Legal may take (activities.admin shows it).

Nothing here writes: Legal decides through activities.services.activity_decide."""

import json
from dataclasses import dataclass
from datetime import date, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone, translation
from django.utils.translation import gettext

from reviews.audit_sentences import audit_sentence
from reviews.models import AuditEvent
from vendors.links import object_url
from vendors.people import person_name
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, OwnChannelKind, Purpose, ScopeLabels
from vendors.templatetags.dates import ymd, ymd_hm
from vendors.text import field_label

from .models import Activity, ActivityStatus, Outcome
from .precheck import FindingView, finding_views, no_findings_text
from .rules import Finding
from .services import activity_decide_refusal

# Hardest first: what stops the activity, then what Legal weighs, then what the owner keeps to.
GROUP_ORDER = (Outcome.NO_GO, Outcome.NEEDS_LEGAL, Outcome.CONDITIONS)


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    multiline: bool = False


@dataclass(frozen=True)
class FindingGroup:
    outcome: str
    label: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class VendorScope:
    """A vendor the activity uses, and what its approval covers (the approval in force, vendor.scope)."""

    name: str
    uscc: str
    status: str
    approved_until: date | None
    approval_reference: str
    scope_confirmed: bool
    scope: ScopeLabels
    url: str

    @property
    def unscoped(self) -> bool:
        return not (
            self.scope.purposes
            or self.scope.channels
            or self.scope.data_categories
            or self.scope.audience_sources
        )


@dataclass(frozen=True)
class AuditRow:
    """One event of the activity's trail, as templates/admin/reviews/review/includes/audit.html shows it."""

    pk: int
    at: datetime
    sentence: str
    action: str
    actor_label: str
    recorded_label: str
    details_text: str


@dataclass(frozen=True)
class DecisionPanel:
    """Legal's decision on an activity waiting for it: the buttons when `refusal` is empty, else why not."""

    refusal: str
    has_conditions: bool

    @property
    def allowed(self) -> bool:
        return not self.refusal


@dataclass(frozen=True)
class ActivityPage:
    activity: Activity
    facts: tuple[Fact, ...]
    groups: tuple[FindingGroup, ...]
    no_findings: str
    vendors: tuple[VendorScope, ...]
    audit_events: tuple[AuditRow, ...]
    decision: DecisionPanel | None


def _joined(choices, codes) -> str:
    sep = "、" if (translation.get_language() or "").startswith("zh") else ", "
    return sep.join(str(choices(code).label) for code in codes if code in choices.values) or "—"


def _yes_no(value: bool) -> str:
    return gettext("yes") if value else gettext("no")


def _label(name: str) -> str:
    return field_label(Activity, name)


def _facts(activity: Activity) -> tuple[Fact, ...]:
    facts = [
        Fact(_label("owner"), person_name(activity.owner)),
        Fact(gettext("Runs"), f"{ymd(activity.starts_on)} – {ymd(activity.ends_on)}"),
        Fact(_label("purpose"), _joined(Purpose, [activity.purpose])),
        Fact(_label("channels"), _joined(Channel, activity.channels)),
        Fact(_label("own_channels"), _joined(OwnChannelKind, activity.own_channels)),
        Fact(_label("audience_source"), _joined(AudienceSource, [activity.audience_source])),
        Fact(_label("audience"), activity.audience or "—", multiline=True),
        Fact(_label("data_categories"), _joined(DataCategory, activity.data_categories)),
        Fact(_label("volume"), _joined(Ceiling, [activity.volume])),
        Fact(_label("profiling"), _yes_no(activity.profiling)),
        Fact(_label("personalised_pricing"), _yes_no(activity.personalised_pricing)),
    ]
    if activity.personalised_pricing:
        facts.append(
            Fact(_label("pricing_justification"), activity.pricing_justification or "—", multiline=True)
        )
    facts += [
        Fact(_label("minors"), _yes_no(activity.minors)),
        Fact(_label("cross_border"), _yes_no(activity.cross_border)),
        Fact(_label("created_at"), ymd_hm(timezone.localtime(activity.created_at))),
        Fact(_label("checked_at"), ymd_hm(timezone.localtime(activity.checked_at))),
    ]
    if activity.acknowledged_at:
        facts.append(
            Fact(
                _label("acknowledged_by"),
                gettext("%(person)s at %(time)s")
                % {
                    "person": person_name(activity.acknowledged_by),
                    "time": ymd_hm(timezone.localtime(activity.acknowledged_at)),
                },
            )
        )
    if activity.decided_at:
        facts.append(
            Fact(
                _label("decided_by"),
                gettext("%(person)s at %(time)s")
                % {
                    "person": person_name(activity.decided_by),
                    "time": ymd_hm(timezone.localtime(activity.decided_at)),
                },
            )
        )
        facts.append(Fact(_label("decision_reason"), activity.decision_reason, multiline=True))
    if activity.flagged_at:
        facts.append(Fact(_label("flagged_at"), ymd_hm(timezone.localtime(activity.flagged_at))))
        facts.append(Fact(_label("flag_reason"), activity.flag_reason, multiline=True))
    return tuple(facts)


def _groups(activity: Activity, vendors) -> tuple[FindingGroup, ...]:
    views = finding_views([Finding.from_json(row) for row in activity.findings], vendors=vendors)
    return tuple(
        FindingGroup(outcome, str(Outcome(outcome).label), tuple(v for v in views if v.outcome == outcome))
        for outcome in GROUP_ORDER
        if any(v.outcome == outcome for v in views)
    )


def _vendor(vendor) -> VendorScope:
    return VendorScope(
        name=vendor.name_zh,
        uscc=vendor.uscc,
        status=vendor.get_status_display(),
        approved_until=vendor.approved_until,
        approval_reference=vendor.approval_reference,
        scope_confirmed=vendor.scope_confirmed,
        scope=vendor.scope.labels(),
        url=object_url("admin:vendors_vendor_change", vendor.pk),
    )


def activity_audit(activity: Activity) -> tuple[AuditRow, ...]:
    """The events recorded on the activity, oldest first (one query)."""
    events = (
        AuditEvent.objects.filter(object_type=Activity._meta.model_name, object_id=str(activity.pk))
        .select_related("actor")
        .order_by("pk")
    )
    return tuple(
        AuditRow(
            pk=event.pk,
            at=event.at,
            sentence=audit_sentence(event),
            action=event.action,
            actor_label=event.actor_label,
            recorded_label=gettext("Recorded data (event #%(n)s)") % {"n": event.pk},
            details_text=json.dumps(event.data, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder),
        )
        for event in events
    )


def activity_page(activity: Activity, *, user) -> ActivityPage:
    """`activity` from activities.access.activity_for_user (its owner and deciders come with it)."""
    vendors = list(activity.vendors.order_by("name_zh", "pk"))
    decision = None
    if activity.status == ActivityStatus.AWAITING_LEGAL:
        decision = DecisionPanel(
            refusal=activity_decide_refusal(user, activity) or "",
            has_conditions=any(row["outcome"] == Outcome.CONDITIONS for row in activity.findings),
        )
    return ActivityPage(
        activity=activity,
        facts=_facts(activity),
        groups=_groups(activity, vendors),
        no_findings=no_findings_text(),
        vendors=tuple(_vendor(vendor) for vendor in vendors),
        audit_events=activity_audit(activity),
        decision=decision,
    )
