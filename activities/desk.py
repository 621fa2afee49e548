"""What the use adds to the reviewers' desk (reviews.panels): the marketing activities waiting for Legal, the
open activities flagged because a vendor they use was suspended or lapsed, and the approvals whose scope the
migration derived and Legal has not confirmed yet (docs/domain.md "Use").

For Legal, who decides and confirms, and the Auditor, who reads what waits. Each panel is one query whatever
the number of rows: its first rows, each carrying the count of all (a window over the filtered rows, taken
before the LIMIT), so that the desk costs the same with ten activities or ten thousand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reviews.desk import DESK_ROWS, escape
from reviews.panels import Panel, desk_panel
from reviews.roles import Role, roles_of
from vendors.links import object_url
from vendors.lists import first_rows
from vendors.models import Vendor, VendorStatus
from vendors.people import person_name
from vendors.templatetags.dates import ymd

from .models import OPEN_ACTIVITY_STATES, Activity, ActivityStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DESK_ROLES = {Role.LEGAL, Role.AUDITOR}
ACTIVITY_COLUMNS = (
    "reference",
    "name",
    "status",
    "checked_at",
    "flagged_at",
    "flag_reason",
    "owner_id",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
)


@dataclass(frozen=True)
class DeskActivity:
    reference: str
    name: str
    owner: str
    since: str  # the day it has waited since (the last pre-check), or was flagged
    status: str
    note: str  # why it is flagged, for the flagged panel
    url: str
    own: bool  # the reader registered it, so another Legal member decides (I4)

    @property
    def html(self) -> str:
        """The row of admin/activities/desk_activities.html (which wrote it per value, with the same markup)."""
        # {% translate %} of a literal writes the translation as it is; {% blocktranslate %} escapes the values.
        own = ""
        if self.own:
            # Outside the f-string: xgettext reads no call inside one (tests/test_translations.py).
            yours = gettext("yours: another Legal member decides")
            own = f' <small class="vetted-muted">({yours})</small>'
        note = f'<br><small class="vetted-overdue">{escape(self.note)}</small>' if self.note else ""
        since = gettext("since %(since)s") % {"since": escape(self.since)}
        return (
            f'\n          <li><a href="{escape(self.url)}">{escape(self.reference)}</a> {escape(self.name)}'
            f" · {escape(self.owner)}{own}"
            f'\n            <small class="vetted-muted">{since} · {escape(self.status)}</small>{note}</li>\n        '
        )


@dataclass(frozen=True)
class DeskVendor:
    name: str
    uscc: str
    approval_reference: str
    approved_until: date | None
    url: str

    @property
    def html(self) -> str:
        """The row of admin/activities/desk_scopes.html (which wrote it per value, with the same markup)."""
        until = (
            " · " + gettext("until %(date)s") % {"date": escape(ymd(self.approved_until))}
            if self.approved_until
            else ""
        )
        return (
            f'\n          <li><a href="{escape(self.url)}">{escape(self.name)}</a>'
            f' <small class="uscc">{escape(self.uscc)}</small>'
            f'\n            <small class="vetted-muted">{escape(self.approval_reference)}{until}</small></li>\n        '
        )


@dataclass(frozen=True)
class DeskList:
    """The first rows of a panel, how many there are in all, and where to see them all."""

    title: StrOrPromise
    anchor: str
    rows: tuple
    total: int
    see_all: str
    empty: StrOrPromise

    @property
    def more(self) -> int:
        return self.total - len(self.rows)

    @property
    def rows_html(self) -> SafeString:
        """The list's rows, written in one piece: the panels' template loop over each row's values was most of
        their time on the desk."""
        return mark_safe("".join(row.html for row in self.rows))


def _day(moment: datetime | None) -> str:
    return ymd(timezone.localtime(moment)) if moment else ""


def _activity_row(activity: Activity, user, since: datetime | None) -> DeskActivity:
    return DeskActivity(
        reference=activity.reference,
        name=activity.name,
        owner=person_name(activity.owner),
        since=_day(since),
        status=activity.get_status_display(),
        note=activity.flag_reason,
        url=object_url("admin:activities_activity_change", activity.pk),
        own=activity.owner_id == user.pk,
    )


def _reads_desk(user) -> bool:
    return bool(roles_of(user) & DESK_ROLES)


def activities_waiting_for_legal(user, *, rows: int = DESK_ROWS) -> DeskList:
    """The activities the pre-check sent to Legal, longest waiting first (since their last pre-check)."""
    return _activities(
        user,
        rows,
        since="checked_at",
        title=_("Marketing activities waiting for Legal"),
        anchor="activities-waiting",
        see_all=f"status={ActivityStatus.AWAITING_LEGAL}",
        empty=_("No marketing activity waits for Legal."),
        wide=True,
        status=ActivityStatus.AWAITING_LEGAL,
    )


def activities_flagged(user, *, rows: int = DESK_ROWS) -> DeskList:
    """Open activities using a vendor that was suspended or lapsed since they were registered, the earliest
    flagged first: their owners were told to stop, and Legal follows up."""
    return _activities(
        user,
        rows,
        since="flagged_at",
        title=_("Flagged marketing activities"),
        anchor="activities-flagged",
        see_all="status=all&flagged=open",
        empty=_("No open marketing activity is flagged."),
        wide=False,
        flagged_at__isnull=False,
        status__in=OPEN_ACTIVITY_STATES,
    )


def _activities(
    user,
    rows: int,
    *,
    since: str,
    title: StrOrPromise,
    anchor: str,
    see_all: str,
    empty: StrOrPromise,
    wide: bool,
    **filters,
) -> DeskList:
    """The activities `filters` select, the earliest by `since` (a moment of theirs) first; `see_all` is the
    query of the admin's list that shows them all."""
    queryset = Activity.objects.filter(**filters).select_related("owner").only(*ACTIVITY_COLUMNS)
    # `wide`: a list that grows with the activities registered (hundreds wait for Legal at 10,000), counted
    # apart; the flagged ones are few by nature (vendors.lists.first_rows).
    firsts, total = first_rows(queryset.order_by(since, "pk"), rows=rows, wide=wide)
    changelist = reverse("admin:activities_activity_changelist")
    return DeskList(
        title=title,
        anchor=anchor,
        rows=tuple(_activity_row(a, user, getattr(a, since)) for a in firsts),
        total=total,
        see_all=f"{changelist}?{see_all}",
        empty=empty,
    )


def scopes_to_confirm(*, rows: int = DESK_ROWS) -> DeskList:
    """Approvals in force whose scope the migration derived from the answers (approvals signed before scopes
    existed), not confirmed by Legal yet: the pre-check adds a condition to every activity using them. Those
    ending soonest first: a renewal would confirm them anyway."""
    queryset = Vendor.objects.filter(status=VendorStatus.APPROVED, scope_confirmed=False).only(
        "name_zh", "uscc", "approval_reference", "approved_until"
    )
    # A list that only shrinks (approvals signed before scopes existed): counted with its rows.
    firsts, total = first_rows(queryset.order_by("approved_until", "pk"), rows=rows, wide=False)
    changelist = reverse("admin:vendors_vendor_changelist")
    return DeskList(
        title=_("Scopes to confirm"),
        anchor="scopes-to-confirm",
        rows=tuple(
            DeskVendor(
                name=v.name_zh,
                uscc=v.uscc,
                approval_reference=v.approval_reference,
                approved_until=v.approved_until,
                url=object_url("admin:vendors_vendor_change", v.pk),
            )
            for v in firsts
        ),
        total=total,
        see_all=f"{changelist}?status__exact={VendorStatus.APPROVED}&scope_confirmed__exact=0",
        empty=_("Every approval's scope is confirmed."),
    )


@desk_panel
def waiting_for_legal_panel(user) -> Panel | None:
    if not _reads_desk(user):
        return None
    return Panel(
        "admin/activities/desk_activities.html", {"list": activities_waiting_for_legal(user)}, order=10
    )


@desk_panel
def flagged_panel(user) -> Panel | None:
    if not _reads_desk(user):
        return None
    return Panel("admin/activities/desk_activities.html", {"list": activities_flagged(user)}, order=20)


@desk_panel
def scopes_to_confirm_panel(user) -> Panel | None:
    if not _reads_desk(user):
        return None
    return Panel("admin/activities/desk_scopes.html", {"list": scopes_to_confirm()}, order=30)
