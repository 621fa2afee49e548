"""The reviewers' desk: what waits on a reviewer, by stage, longest waiting first, against each stage's
target in working days; the approvals ending soon; their latest decisions (the admin's index page,
reviews.admin_site). Every list is capped, with its count, and read from the current stage each review keeps
(reviews.current_stage), so the desk costs the same queries and rows with ten waiting reviews or ten
thousand."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import reduce
from html import escape as html_escape
from operator import or_

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from vendors.links import object_url
from vendors.models import Vendor
from vendors.people import person_name
from vendors.selectors import approval_ends_within, catch_up_overdue
from vendors.templatetags.dates import ymd, ymd_hm

from .access import DECIDING_ROLE, reviews_visible_to
from .models import STAGE_ORDER, Decision, Review, StageKind, StageState
from .roles import Role, roles_of
from .selectors import OPEN_STATES
from .working_days import working_calendar, working_days_before


def escape(value) -> str:
    """django.utils.html.escape(value) without its check for lazy arguments, for the desk's rows: the same
    characters, and the rows are marked safe once each."""
    return html_escape(str(value))


def kinds_decided_by(user) -> list[str]:
    roles = roles_of(user)
    return [kind for kind, role in DECIDING_ROLE.items() if role in roles]


# How many rows each list of the desk shows; the rest is counted and linked to the review queue or the
# vendor list, so the desk costs the same with ten waiting reviews or ten thousand.
DESK_ROWS = 10


@dataclass
class DeskItem:
    review: Review
    kind: str
    waiting_since: datetime | None
    days_waiting: int
    target_days: int
    tier_label: str = ""  # the review's risk tier as said (read once for the desk, not per row)

    @property
    def overdue(self) -> bool:
        return self.days_waiting > self.target_days

    # The row's phrases, written here rather than by a translation tag in each row of the desk's template.
    @property
    def waiting_phrase(self) -> str:
        """ "3 of 5 working days", and "· overdue" past the target."""
        phrase = ngettext(
            "%(days)s of %(target)s working day", "%(days)s of %(target)s working days", self.days_waiting
        ) % {"days": self.days_waiting, "target": self.target_days}
        return f"{phrase} · {gettext('overdue')}" if self.overdue else phrase

    @property
    def since_phrase(self) -> str:
        since = timezone.localtime(self.waiting_since) if self.waiting_since else None
        return gettext("since %(since)s") % {"since": ymd(since)}

    @property
    def red_flags_phrase(self) -> str:
        count = self.review.red_flag_count
        return ngettext("%(n)s red flag", "%(n)s red flags", count) % {"n": count} if count else ""

    @property
    def row(self) -> str:
        """The row of the desk's table (templates/admin/desk.html wrote it per cell, with the same markup)."""
        review, vendor, overdue = self.review, self.review.vendor, self.overdue
        # {% translate %} of a literal writes the translation as it is (a literal is safe): not escaped.
        uscc = escape(vendor.uscc) if vendor.uscc else gettext("The brand's own channel")
        flags = (
            f'<br><small class="overdue">{escape(self.red_flags_phrase)}</small>'
            if review.red_flag_count
            else ""
        )
        tr = '<tr class="is-overdue">' if overdue else "<tr>"
        return (
            f"\n            {tr}"
            f'\n              <td><a href="{escape(object_url("admin:reviews_review_change", review.pk))}">'
            f"{escape(review.number)}</a></td>"
            f'\n              <td>{escape(vendor.name_zh)}<br><small class="uscc">{uscc}</small></td>'
            f"\n              <td>{escape(person_name(review.requester) if review.requester else '')}</td>"
            f"\n              <td>{escape(self.tier_label)}{flags}</td>"
            f'\n              <td class="days{" overdue" if overdue else ""}">{escape(self.waiting_phrase)}'
            f'\n                <br><small class="vetted-muted">{escape(self.since_phrase)}</small></td>'
            "\n            </tr>\n          "
        )


@dataclass
class DeskGroup:
    kind: StageKind
    items: list[DeskItem]  # the longest waiting, at most DESK_ROWS
    total: int = 0
    overdue: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.items)

    @property
    def rows(self) -> SafeString:
        """The table's rows, written in one piece: a template loop over cells cost the desk most of its time."""
        return mark_safe("".join(item.row for item in self.items))


@dataclass
class DeskExpiring:
    horizon: int  # days: approvals ending after the previous horizon and within this one
    vendors: list[Vendor]  # the soonest, at most DESK_ROWS
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.vendors)

    @property
    def rows(self) -> SafeString:
        return mark_safe(
            "".join(
                f'\n          <li><a href="{escape(object_url("admin:vendors_vendor_change", vendor.pk))}">'
                f"{escape(vendor.name_zh)}</a> · {ymd(vendor.approved_until)}</li>\n        "
                for vendor in self.vendors
            )
        )


@dataclass
class DeskCatchUps:
    """Platforms in use whose catch-up review is overdue: the longest overdue first, with the count."""

    vendors: list[Vendor]  # at most DESK_ROWS
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.vendors)

    @property
    def rows(self) -> SafeString:
        rows = []
        for vendor in self.vendors:
            due = gettext("due %(day)s") % {"day": ymd(vendor.catch_up_due)}
            owner = vendor.business_owner
            rows.append(
                f'\n          <li><a href="{escape(object_url("admin:vendors_vendor_change", vendor.pk))}">'
                f'{escape(vendor.name_zh)}</a> · <span class="overdue">{due}</span>'
                f"{f' · {escape(person_name(owner))}' if owner else ''}</li>\n        "
            )
        return mark_safe("".join(rows))


@dataclass
class Desk:
    decides: bool  # False for an auditor: the desk then shows what waits on anyone, to read
    groups: list[DeskGroup]
    expiring: list[DeskExpiring]  # within 30, 60 and 90 days
    decisions: list[Decision]
    # Years the working-day calendar does not cover yet: this one, or the next from NEXT_YEAR_WARNED on
    # (reviews.working_days.calendar_gaps). Their days count Monday to Friday until Legal enters the notice.
    calendar_gaps: list[int] = field(default_factory=list)
    catch_ups: DeskCatchUps | None = None  # Legal's and the auditor's: overdue catch-up reviews

    @property
    def waiting_count(self) -> int:
        return sum(g.total for g in self.groups)

    @property
    def overdue_count(self) -> int:
        return sum(g.overdue for g in self.groups)

    @property
    def decision_rows(self) -> SafeString:
        rows = []
        for decision in self.decisions:
            stage = decision.stage
            review = stage.review
            rows.append(
                f'\n          <li><a href="{escape(object_url("admin:reviews_review_change", review.pk))}">'
                f"{escape(review.number)}</a>"
                f"\n            {escape(review.vendor.name_zh)}: {escape(stage.get_kind_display())} "
                f"{escape(decision.get_outcome_display())}"
                f'\n            <small class="vetted-muted">{ymd_hm(timezone.localtime(decision.decided_at))}</small>'
                "</li>\n        "
            )
        return mark_safe("".join(rows))


EXPIRY_HORIZONS = (30, 60, 90)
# The State Council publishes the next year's holiday arrangements in October or November: from this month
# on, the desk warns when the coming year is not covered yet.
NEXT_YEAR_WARNED = 11

# The columns the desk shows (templates/admin/desk.html), read alone: a review, its vendor and requester, or a
# decision with its stage, review and vendor, is a wide row, and the desk lists dozens of them.
DESK_REVIEW_FIELDS = (
    "number",
    "risk_tier",
    "red_flag_count",
    "current_stage_kind",
    "current_stage_state",
    "current_stage_waiting_since",
    "vendor__name_zh",
    "vendor__uscc",
    "requester__username",
    "requester__first_name",
    "requester__last_name",
)
DESK_DECISION_FIELDS = (
    "outcome",
    "decided_at",
    "stage__kind",
    "stage__review__number",
    "stage__review__vendor__name_zh",
)


def overdue_since(today: date) -> Q:
    """Submitted current stages that have waited more working days than their kind's target
    (VETTED_STAGE_TARGET_DAYS), as DeskItem.overdue counts them: waiting since before the earliest day that
    is still on time (working_days_before). Compared as times, not dates, so the index on the waiting time
    serves it."""
    late_by_kind = [
        Q(
            current_stage_kind=kind,
            current_stage_waiting_since__lt=timezone.make_aware(
                datetime.combine(working_days_before(today, days), time.min)
            ),
        )
        for kind, days in settings.VETTED_STAGE_TARGET_DAYS.items()
    ]
    return Q(reduce(or_, late_by_kind), current_stage_state=StageState.SUBMITTED)


def _first_rows(queryset: QuerySet, *, partition, order: list, rows: int) -> QuerySet:
    """The first `rows` of each partition, in one query (a window function, filtered)."""
    return queryset.annotate(row=Window(RowNumber(), partition_by=partition, order_by=order)).filter(
        row__lte=rows
    )


def waiting_for_decision(user) -> QuerySet[Review]:
    """Open reviews whose current stage waits for a decision by `user` (any decision, for a reader who
    decides nothing), their own requests left out (I4). Filters on the columns the review keeps
    (reviews.current_stage), indexed: no subquery per review."""
    queryset = reviews_visible_to(user).filter(
        state__in=OPEN_STATES, current_stage_state=StageState.SUBMITTED
    )
    kinds = kinds_decided_by(user)
    if kinds:
        queryset = queryset.filter(current_stage_kind__in=kinds).exclude(requester_id=user.pk)
    return queryset


def approvals_ending_within(*, today: date, days: int = EXPIRY_HORIZONS[-1]) -> QuerySet[Vendor]:
    """Approved vendors whose approval ends within `days`, soonest first."""
    return Vendor.objects.filter(approval_ends_within(today, days)).order_by("approved_until", "pk")


def _expiring(today: date, *, rows: int) -> list[DeskExpiring]:
    """Approvals ending within 30, 60 and 90 days, the soonest `rows` of each with the count of each, in one
    query (the count a window over each horizon's rows, counted before the first rows are picked)."""
    horizon = Case(
        *[
            When(approved_until__lte=today + timedelta(days=days), then=Value(days))
            for days in EXPIRY_HORIZONS
        ],
        output_field=IntegerField(),
    )
    ending = approvals_ending_within(today=today).annotate(horizon=horizon)
    by_horizon: dict[int, list[Vendor]] = {}
    totals: dict[int, int] = {}
    firsts = _first_rows(
        ending.only("name_zh", "approved_until").annotate(
            horizon_total=Window(Count("pk"), partition_by=F("horizon"))
        ),
        partition=F("horizon"),
        order=[F("approved_until").asc(), F("pk").asc()],
        rows=rows,
    )
    for vendor in firsts.order_by("approved_until", "pk"):
        by_horizon.setdefault(vendor.horizon, []).append(vendor)
        totals[vendor.horizon] = vendor.horizon_total
    return [DeskExpiring(days, by_horizon.get(days, []), totals.get(days, 0)) for days in EXPIRY_HORIZONS]


def desk_for(user, *, today: date | None = None, decisions: int = 10, rows: int = DESK_ROWS) -> Desk:
    """What waits on `user` by stage, the `rows` oldest of each with how many wait in all and how many are
    overdue, working days waiting against each stage's target (VETTED_STAGE_TARGET_DAYS); approvals ending
    in 30, 60 and 90 days; their latest decisions. Five queries whatever the number of reviews (and one for
    the overdue catch-ups of Legal and the auditor). Nobody decides a stage of a review they requested (I4),
    so those are left out; a reader who decides nothing (the auditor) sees every submitted stage."""
    today = today or timezone.localdate()
    calendar = working_calendar()  # a request reads it from the cache once (reviews.working_days)
    kinds = kinds_decided_by(user)
    waiting = waiting_for_decision(user)
    counts = {
        row["current_stage_kind"]: row
        for row in waiting.order_by()
        .values("current_stage_kind")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=overdue_since(today)))
    }
    order = [F("current_stage_waiting_since").asc(nulls_last=True), F("pk").asc()]
    # The first rows of each stage are picked on the review table alone, then read with their vendor and
    # requester: joined before the window, every waiting review would be joined.
    firsts = list(
        _first_rows(waiting, partition=F("current_stage_kind"), order=order, rows=rows)
        .order_by()
        .values_list("pk", flat=True)
    )
    targets = settings.VETTED_STAGE_TARGET_DAYS
    tiers = {value: str(label) for value, label in Review._meta.get_field("risk_tier").flatchoices}
    by_kind: dict[str, list[DeskItem]] = {}
    rows_read = (
        Review.objects.filter(pk__in=firsts).select_related("vendor", "requester").only(*DESK_REVIEW_FIELDS)
    )
    for review in rows_read.order_by(*order):
        kind, since = review.current_stage_kind, review.current_stage_waiting_since
        if kind is None:  # not waiting on anyone (the filter on the submitted state leaves none such)
            continue
        day = timezone.localtime(since).date() if since else today
        by_kind.setdefault(kind, []).append(
            DeskItem(
                review=review,
                kind=kind,
                waiting_since=since,
                days_waiting=calendar.between(day, today),
                target_days=targets[kind],
                tier_label=tiers.get(review.risk_tier, review.risk_tier),
            )
        )
    groups = [
        DeskGroup(StageKind(kind), by_kind.get(kind, []), counts[kind]["total"], counts[kind]["overdue"])
        for kind in STAGE_ORDER
        if kind in counts
    ]
    recent = list(
        Decision.objects.filter(decided_by=user)
        .select_related("stage__review__vendor")
        .only(*DESK_DECISION_FIELDS)
        .order_by("-decided_at", "-pk")[:decisions]
    )
    gaps = [
        year
        for year in (today.year, today.year + 1)
        if not calendar.covers(year) and (year == today.year or today.month >= NEXT_YEAR_WARNED)
    ]
    return Desk(
        decides=bool(kinds),
        groups=groups,
        expiring=_expiring(today, rows=rows),
        decisions=recent,
        calendar_gaps=gaps,
        catch_ups=_catch_ups(today, rows=rows) if roles_of(user) & CATCH_UP_READERS else None,
    )


# What the desk shows of an overdue catch-up (templates/admin/desk.html): a vendor and its owner are wide rows.
CATCH_UP_FIELDS = (
    "name_zh",
    "catch_up_due",
    "business_owner__username",
    "business_owner__first_name",
    "business_owner__last_name",
)

# Legal opens and chases catch-up reviews (docs/domain.md); the auditor reads what Legal is late on.
CATCH_UP_READERS = frozenset({Role.LEGAL, Role.AUDITOR})


def _catch_ups(today: date, *, rows: int) -> DeskCatchUps:
    """The platforms in use past their catch-up deadline, the longest overdue `rows` first, with how many
    there are in all, in one query (the count a window over the same rows)."""
    first: list = list(
        catch_up_overdue(today=today)
        .select_related("business_owner")
        .only(*CATCH_UP_FIELDS)
        .annotate(desk_total=Window(Count("pk")))
        .order_by("catch_up_due", "pk")[:rows]
    )
    return DeskCatchUps(vendors=first, total=first[0].desk_total if first else 0)
