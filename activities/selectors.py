"""Reads for the requester's activity pages, as view models (frozen dataclasses): a page gets what it shows,
worked out once here, never as attributes set on model instances (docs/architecture.md)."""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vendors.models import Vendor, VendorStatus
from vendors.people import person_name
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, OwnChannelKind, Purpose, ScopeLabels
from vendors.selectors import vendor_search

from .access import activities_visible_to
from .models import (
    OPEN_ACTIVITY_STATES,
    OPEN_EXTENSION_STATES,
    Activity,
    ActivityStatus,
    Outcome,
    ScopeExtension,
)
from .precheck import Check, FindingView, finding_views
from .rules import Finding
from .services import REVISABLE

# The status as a badge: its words always, the colour only repeats them.
STATUS_BADGE: dict[str, str] = {
    ActivityStatus.AWAITING_ACK: "text-bg-info",
    ActivityStatus.AWAITING_LEGAL: "text-bg-warning",
    ActivityStatus.CLEARED: "text-bg-success",
    ActivityStatus.BLOCKED: "text-bg-danger",
    ActivityStatus.REFUSED: "text-bg-danger",
    ActivityStatus.WITHDRAWN: "text-bg-secondary",
}
# Decided: the pre-check or Legal has said its last word, and the record (PDF) can be issued.
DECIDED_STATES = (ActivityStatus.CLEARED, ActivityStatus.REFUSED, ActivityStatus.BLOCKED)
WITHDRAWABLE = (*OPEN_ACTIVITY_STATES, ActivityStatus.BLOCKED)


def _labels(values, choices) -> list[str]:
    return [str(choices(value).label) for value in values or () if value in choices.values]


# --- The list ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityRow:
    pk: int
    reference: str
    name: str
    starts_on: date
    ends_on: date
    purpose: str
    status: str
    status_label: str
    badge: str
    outcome_label: str
    flagged: bool
    flag_reason: str
    owner: str


# The columns a row shows: an activity is a wide row (findings, texts), and a list reads only these.
ROW_FIELDS = (
    "reference",
    "name",
    "starts_on",
    "ends_on",
    "purpose",
    "status",
    "outcome",
    "flagged_at",
    "flag_reason",
    "created_at",
    "owner_id",
)
OWNER_FIELDS = ("owner__username", "owner__first_name", "owner__last_name")


def activities_for_list(user, *, status: str = "") -> QuerySet[Activity]:
    """What `user` may read, newest first (the owner's index), one status or all; a reader of every review
    sees every owner's, with the owner named."""
    queryset = activities_visible_to(user).select_related("owner").only(*ROW_FIELDS, *OWNER_FIELDS)
    if status in ActivityStatus.values:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-id")


def activity_row(activity: Activity) -> ActivityRow:
    return ActivityRow(
        pk=activity.pk,
        reference=activity.reference,
        name=activity.name,
        starts_on=activity.starts_on,
        ends_on=activity.ends_on,
        purpose=str(Purpose(activity.purpose).label),
        status=activity.status,
        status_label=activity.get_status_display(),
        badge=STATUS_BADGE[activity.status],
        outcome_label=activity.get_outcome_display(),
        flagged=activity.flagged_at is not None,
        flag_reason=activity.flag_reason,
        owner=person_name(activity.owner),
    )


# --- The dashboard panel ---------------------------------------------------------------------------------------

PANEL_ROWS = 5
# The panel's counts (ActivityPanel's fields), each over the activities it lists (None: all of them).
PANEL_COUNTS: dict[str, Q | None] = {
    "open": None,
    "to_acknowledge": Q(status=ActivityStatus.AWAITING_ACK),
    "awaiting_legal": Q(status=ActivityStatus.AWAITING_LEGAL),
    "flagged": Q(flagged_at__isnull=False),
}


@dataclass(frozen=True)
class ActivityPanel:
    rows: list[ActivityRow]
    open: int
    to_acknowledge: int
    awaiting_legal: int
    flagged: int

    @property
    def more(self) -> int:
        return max(self.open - len(self.rows), 0)


def activity_panel(user, *, today: date | None = None) -> ActivityPanel:
    """The user's open activities that have not ended, flagged first (a vendor they use may no longer be
    used), then those waiting for them, then the newest; with the counts. One query whatever the number: the
    counts are windows over the same rows (COUNT(*) FILTER (...) OVER ()), read on the first row, where a
    second query (an aggregate) cost as much again as the rows; no row, no activity to count."""
    today = today or timezone.localdate()
    rows = list(
        Activity.objects.filter(owner=user, status__in=OPEN_ACTIVITY_STATES, ends_on__gte=today)
        .select_related("owner")
        .only(*ROW_FIELDS, *OWNER_FIELDS)
        .annotate(
            waiting_on_owner=Case(
                When(status=ActivityStatus.AWAITING_ACK, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            **{
                f"panel_{name}": Window(Count("pk", filter=condition))
                for name, condition in PANEL_COUNTS.items()
            },
        )
        .order_by(F("flagged_at").desc(nulls_last=True), "waiting_on_owner", "-created_at", "-id")[
            :PANEL_ROWS
        ]
    )
    counts = {name: getattr(rows[0], f"panel_{name}") if rows else 0 for name in PANEL_COUNTS}
    return ActivityPanel(rows=[activity_row(a) for a in rows], **counts)


# --- The vendor lookup of the form -----------------------------------------------------------------------------

LOOKUP_LIMIT = 10


@dataclass(frozen=True)
class VendorMatch:
    uscc: str
    name: str
    status: str
    status_label: str
    usable: bool
    scope: str

    def as_json(self) -> dict:
        return {
            "uscc": self.uscc,
            "name": self.name,
            "status": self.status,
            "status_label": self.status_label,
            "usable": self.usable,
            "scope": self.scope,
        }


def vendor_matches(term: str, *, today: date | None = None) -> list[VendorMatch]:
    """At most LOOKUP_LIMIT vendors whose name contains `term` or whose code starts with it, the approved
    first, each group by name. The approved are read first, in the order of the approved list's index
    (vendor_approved_name_idx), which stops at the tenth match instead of sorting every match of a common
    word; the others only when fewer than ten approved vendors match: one query, or two."""
    term = (term or "").strip()
    if len(term) < 2:
        return []
    today = today or timezone.localdate()
    matching = Vendor.objects.filter(vendor_search(term)).only(
        "uscc", "name_zh", "name_en", "status", "approved_until", "approved_scope"
    )
    vendors = list(matching.filter(status=VendorStatus.APPROVED).order_by("name_zh", "pk")[:LOOKUP_LIMIT])
    if len(vendors) < LOOKUP_LIMIT:
        others = matching.exclude(status=VendorStatus.APPROVED).order_by("name_zh", "pk")
        vendors += list(others[: LOOKUP_LIMIT - len(vendors)])
    return [
        VendorMatch(
            uscc=v.uscc,
            name=v.display_name,
            status=v.status,
            status_label=v.get_status_display(),
            usable=v.is_approved_on(today),
            scope=v.scope.labels().summary() if v.is_approved_on(today) else "",
        )
        for v in vendors
    ]


# --- The activity's page ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """The outcome in one sentence, at the top of the page."""

    kind: str  # go | conditions | needs_legal | no_go | refused | withdrawn
    title: str
    sentence: str
    alert: str


@dataclass(frozen=True)
class VendorUse:
    pk: int
    name: str
    uscc: str
    status_label: str
    usable: bool
    scope: ScopeLabels
    scope_confirmed: bool


@dataclass(frozen=True)
class ExtensionLink:
    """The way forward for an approved vendor used beyond its scope: a scope extension of what is missing,
    or the one already under way."""

    vendor: str
    url: str
    open_number: str = ""
    open_url: str = ""
    open_status: str = ""


@dataclass(frozen=True)
class ActivityPage:
    activity: Activity
    headline: Headline
    badge: str
    purpose: str
    channels: list[str]
    own_channels: list[str]
    named_channels: list
    audience_source: str
    data_categories: list[str]
    volume: str
    vendors: list[VendorUse]
    refusals: list[FindingView]
    for_legal: list[FindingView]
    conditions: list[FindingView]
    extension_links: list[ExtensionLink]
    suggest_scenario: bool
    is_owner: bool
    can_acknowledge: bool
    can_edit: bool
    can_withdraw: bool
    has_record: bool
    owner: str
    acknowledged_by: str
    decided_by: str


# The headlines that name no one: (kind, title, sentence, alert) by status; any other status reads as withdrawn.
_FIXED_HEADLINES: dict[str, tuple] = {
    ActivityStatus.AWAITING_LEGAL: (
        "needs_legal",
        gettext_lazy("Needs Legal"),
        gettext_lazy(
            "Legal decides before the activity may start; the pre-check below is attached to the review."
        ),
        "warning",
    ),
    ActivityStatus.BLOCKED: (
        "no_go",
        gettext_lazy("No-go"),
        gettext_lazy("The activity may not run as planned: see why below, and the way forward."),
        "danger",
    ),
    ActivityStatus.REFUSED: (
        "refused",
        gettext_lazy("No-go: refused by Legal"),
        gettext_lazy("Legal refused the activity: it may not run. Legal's reason is below."),
        "danger",
    ),
}
_WITHDRAWN_HEADLINE = (
    "withdrawn",
    gettext_lazy("Withdrawn"),
    gettext_lazy("The activity was withdrawn; it may not run."),
    "secondary",
)


def _headline(activity: Activity, *, is_owner: bool) -> Headline:
    status = activity.status
    if status == ActivityStatus.CLEARED:
        sentence = _("The pre-check found no rule against this activity: it may start as planned.")
        if activity.acknowledged_at:
            sentence = _(
                "Cleared to start: %(person)s acknowledged the conditions below on "
                "%(date)s. Keep to them while the activity runs."
            ) % {
                "person": person_name(activity.acknowledged_by),
                "date": _local_day(activity.acknowledged_at),
            }
        elif activity.decided_at:
            sentence = _("Cleared to start: Legal (%(person)s) approved the activity on %(date)s.") % {
                "person": person_name(activity.decided_by),
                "date": _local_day(activity.decided_at),
            }
        return Headline("go", _("Go"), sentence, "success")
    if status == ActivityStatus.AWAITING_ACK:
        sentence = (
            _("The activity may start once you acknowledge the conditions below.")
            if is_owner
            else _("The activity may start once its owner acknowledges the conditions below.")
        )
        return Headline("conditions", _("Go with conditions"), sentence, "info")
    kind, title, sentence, alert = _FIXED_HEADLINES.get(status, _WITHDRAWN_HEADLINE)
    return Headline(kind, str(title), str(sentence), alert)


def _local_day(moment) -> str:
    return timezone.localtime(moment).date().isoformat()


# What each finding beyond a scope asks an extension to add, as the extension form's parameters name it.
EXTENSION_PARAMS = {
    "purpose_outside_scope": "purpose",
    "channel_outside_scope": "channels",
    "data_outside_scope": "data_categories",
    "audience_outside_scope": "audience_source",
    "volume_over_ceiling": "volume",
}


def _extension_links(
    activity: Activity, check: Check, vendors: dict[str, Vendor], user
) -> list[ExtensionLink]:
    codes = [code for code in check.extension_vendors if code in vendors]
    if not codes:
        return []
    open_extensions = {
        ext.vendor.uscc: ext
        for ext in ScopeExtension.objects.filter(
            requester=user, vendor__uscc__in=codes, status__in=OPEN_EXTENSION_STATES
        ).select_related("vendor")
    }
    links = []
    for code in codes:
        vendor = vendors[code]
        params = []
        for finding in check.findings:
            name = EXTENSION_PARAMS.get(finding.rule)
            if finding.vendor == code and name:
                params += [(name, value) for value in finding.values]
        if activity.cross_border and not vendor.scope.cross_border:
            params.append(("cross_border", "1"))
        url = reverse("activities:extension_new", args=[vendor.pk]) + (
            "?" + urlencode(params) if params else ""
        )
        extension = open_extensions.get(code)
        if extension is None:
            links.append(ExtensionLink(vendor=vendor.name_zh, url=url))
        else:
            links.append(
                ExtensionLink(
                    vendor=vendor.name_zh,
                    url=url,
                    open_number=extension.number,
                    open_url=reverse("activities:extension", args=[extension.pk]),
                    open_status=extension.get_status_display(),
                )
            )
    return links


def activity_page(activity: Activity, *, user, today: date | None = None) -> ActivityPage:
    today = today or timezone.localdate()
    vendors = list(activity.vendors.all().order_by("name_zh", "pk"))
    by_code = {vendor.uscc: vendor for vendor in vendors}
    findings = tuple(Finding.from_json(row) for row in activity.findings)
    views = finding_views(findings, vendors=vendors)
    check = Check(activity.outcome, findings)
    is_owner = activity.owner_id == user.pk
    return ActivityPage(
        activity=activity,
        headline=_headline(activity, is_owner=is_owner),
        badge=STATUS_BADGE[activity.status],
        purpose=str(Purpose(activity.purpose).label),
        channels=_labels(activity.channels, Channel),
        own_channels=_labels(activity.own_channels, OwnChannelKind),
        named_channels=list(activity.named_channels.all()),
        audience_source=str(AudienceSource(activity.audience_source).label),
        data_categories=_labels(activity.data_categories, DataCategory),
        volume=str(Ceiling(activity.volume).label),
        vendors=[
            VendorUse(
                pk=v.pk,
                name=v.display_name,
                uscc=v.uscc,
                status_label=v.get_status_display(),
                usable=v.is_approved_on(today),
                scope=v.scope.labels(),
                scope_confirmed=v.scope_confirmed,
            )
            for v in vendors
        ],
        refusals=[v for v in views if v.outcome == Outcome.NO_GO],
        for_legal=[v for v in views if v.outcome == Outcome.NEEDS_LEGAL],
        conditions=[v for v in views if v.outcome == Outcome.CONDITIONS],
        extension_links=(
            _extension_links(activity, check, by_code, user)
            if is_owner and activity.status in REVISABLE
            else []
        ),
        suggest_scenario=check.suggest_scenario and activity.status == ActivityStatus.BLOCKED,
        is_owner=is_owner,
        can_acknowledge=is_owner and activity.status == ActivityStatus.AWAITING_ACK,
        can_edit=is_owner and activity.status in REVISABLE,
        can_withdraw=is_owner and activity.status in WITHDRAWABLE,
        has_record=activity.status in DECIDED_STATES,
        owner=person_name(activity.owner),
        acknowledged_by=person_name(activity.acknowledged_by),
        decided_by=person_name(activity.decided_by),
    )
