"""The portfolio for the board, built from portfolio.selectors and the monthly snapshots in the language of the
request: the headline figures first, then the trend, then the charts, each with its table. The page, the PDF
and each chart's CSV read one `Figures` per request, so a figure shown twice is read once.

Rows that would only say zero are left out of the charts and their tables (a stage nobody passed, a month
without an ending approval), and each table's summary gives its total; the coverage keeps its three groups,
whose zeros are the news."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities.models import ActivityStatus, ExtensionStatus
from reviews.models import StageKind
from vendors.models import RiskTier, VendorCategory

from . import freshness, selectors, snapshots
from .charts import PALETTE, TIER_COLOURS, Chart, draw, draw_columns

# How long a figure is kept at most. Every write of the data it reads through the application replaces the
# version it is kept under at once (portfolio.freshness); this bound is only for what reaches the database by
# another way (a restored backup, SQL typed by hand).
FIGURES_TIMEOUT = 30 * 60
T = TypeVar("T")
_MISSING = object()
FIGURES_KEY = "portfolio:figures:{version}:{name}"


class Figures:
    """The figures of one request, each read the first time it is asked for: from the cache when the data it
    reads has not changed since it was computed (portfolio.freshness: the version of that data is in the key,
    with the day it is counted for), from the database otherwise, and kept for the next request.

    A figure is the same for a given version of the data and day, but for the median stage days, whose window
    of 90 days slides with the time: it is kept with the last moment it holds (selectors.StageDays). While
    the request's own transaction has written that data and not committed, every figure is computed and none
    is kept."""

    def __init__(self, *, today: date, now: datetime):
        self.today, self.now = today, now

    @cached_property
    def _version(self) -> str | None:
        """The version of the data the figures read, or None when they must be computed and not kept."""
        return None if freshness.writes_pending() else freshness.data_version()

    def _key(self, name: str, *parts: object) -> str | None:
        if self._version is None:
            return None
        return FIGURES_KEY.format(version=self._version, name=":".join([name, *map(str, parts)]))

    def _kept(self, key: str | None, compute: Callable[[], T]) -> T:
        if key is None:
            return compute()
        found = cache.get(key, _MISSING)
        if found is not _MISSING:
            return found
        value = compute()
        cache.set(key, value, FIGURES_TIMEOUT)
        return value

    @cached_property
    def register(self) -> selectors.Register:
        return self._kept(
            self._key("register", self.today), lambda: selectors.register_figures(today=self.today)
        )

    @cached_property
    def subjects(self) -> selectors.SubjectCoverage:
        return self.register.subjects

    @cached_property
    def coverage(self) -> selectors.Coverage:
        return self.subjects.together

    @cached_property
    def tiers(self) -> dict[tuple[str, str], int]:
        return self.register.tiers

    @cached_property
    def renewals(self) -> dict[date, int]:
        return self._kept(
            self._key("renewals", self.today),
            lambda: selectors.approvals_ending_by_month(today=self.today),
        )

    @cached_property
    def stage_days(self) -> dict[str, tuple[float | None, int]]:
        key = self._key("stage-days")
        if key is None:
            return selectors.stage_days(now=self.now).by_kind
        found = cache.get(key)
        if found is not None:
            computed_at, figure = found
            if computed_at <= self.now and (figure.holds_until is None or self.now <= figure.holds_until):
                return figure.by_kind
        figure = selectors.stage_days(now=self.now)
        cache.set(key, (self.now, figure), FIGURES_TIMEOUT)
        return figure.by_kind

    @cached_property
    def waiting(self) -> list[selectors.Waiting]:
        # What the database counts is kept, per version and per bounds of the age bands; the ages in working
        # days are counted from it in the calendar in force at each request.
        return selectors.waiting_by_stage(
            now=self.now,
            rows_of=lambda bounds: self._kept(
                self._key("waiting", *(bound.isoformat() for bound in bounds)),
                lambda: selectors.waiting_rows(bounds),
            ),
        )

    @cached_property
    def activities(self) -> selectors.ActivityFigures:
        return self._kept(self._key("activities"), selectors.activity_figures)

    @cached_property
    def snapshots(self) -> list:
        return self._kept(self._key("snapshots", self.today), lambda: snapshots.trend(today=self.today))


def _duration(days: float | None) -> str:
    """A median as a reader says it: days from one day on, hours, minutes or seconds below, and never "0.0 days"."""
    if days is None:
        return "—"
    if days >= 1:
        return _("%(days).1f days") % {"days": days}
    if days * 24 >= 1:
        return _("%(hours).1f hours") % {"hours": days * 24}
    if days * 24 * 60 >= 1:
        return _("%(minutes)d min") % {"minutes": days * 24 * 60}
    return _("%(seconds).1f s") % {"seconds": days * 86400}


def _working_days(days: float | None) -> str:
    """Working days as a figure under a heading that names them: "4", "11.5"; a dash when none wait."""
    if days is None:
        return "—"
    return number_format(days, decimal_pos=0 if days == int(days) else 1)


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "—"


def _total(n: int) -> str:
    return _("Total: %(total)s") % {"total": number_format(n, force_grouping=True)}


# Headline ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """One figure of the headline: its value as shown, what it counts, and a line of context. `tone` is
    "good", "warning" or "danger" (a border colour, with the words saying the same)."""

    key: str
    label: str
    value: str
    detail: str
    tone: str


def headline(figures: Figures) -> list[Headline]:
    coverage = figures.coverage
    share = coverage.vetted_share
    blocked = figures.activities.by_status[ActivityStatus.BLOCKED]
    registered = sum(
        n for status, n in figures.activities.by_status.items() if status != ActivityStatus.WITHDRAWN
    )
    return [
        Headline(
            key="vetted-share",
            label=_("Vetted share of platforms in use"),
            value="—" if share is None else f"{share:.0%}",
            detail=_("%(vetted)d of %(total)d vetted and on the approved list")
            % {"vetted": coverage.vetted, "total": coverage.in_use_total},
            tone="good" if share is None or share >= 0.9 else "warning",
        ),
        Headline(
            key="overdue",
            label=_("Catch-up reviews overdue"),
            value=str(coverage.overdue),
            detail=ngettext(
                "platform in use past its catch-up deadline, of %(n)d in use and not vetted",
                "platforms in use past their catch-up deadline, of %(n)d in use and not vetted",
                coverage.overdue,
            )
            % {"n": coverage.in_use + coverage.overdue},
            tone="danger" if coverage.overdue else "good",
        ),
        Headline(
            key="ending-soon",
            label=_("Approvals ending in %(days)d days") % {"days": selectors.ENDING_SOON_DAYS},
            value=str(coverage.ending_soon),
            detail=_("renewal reviews may start %(days)d days before the end")
            % {"days": settings.VETTED_RENEWAL_WINDOW_DAYS},
            tone="warning" if coverage.ending_soon else "good",
        ),
        Headline(
            key="blocked",
            label=_("Marketing activities blocked"),
            value=str(blocked),
            detail=_("no-go at the pre-check, of %(n)d activities registered") % {"n": registered},
            tone="danger" if blocked else "good",
        ),
    ]


# Charts ------------------------------------------------------------------------------------------------------


def trend_chart(figures: Figures) -> Chart:
    """The vetted share month by month: the snapshots of the eleven months before, and this month as it is."""
    coverage = figures.coverage
    months = [(s.month, s.vetted, s.in_use, s.overdue, s.backfilled) for s in figures.snapshots] + [
        (figures.today.replace(day=1), coverage.vetted, coverage.in_use, coverage.overdue, False)
    ]
    table, columns = [], []
    for i, (month, vetted, in_use, overdue, backfilled) in enumerate(months):
        total = vetted + in_use + overdue
        label = date_format(month, "YEAR_MONTH_FORMAT") + (" *" if backfilled else "")
        table.append([label, vetted, in_use, overdue, _share(vetted, total)])
        year = str(month.year) if i == 0 or month.month == 1 else ""
        columns.append(
            (
                _short_month(month),
                year,
                vetted / total if total else None,
                _share(vetted, total),
                _("reconstructed from the records") if backfilled else "",
            )
        )
    chart = Chart(
        key="trend",
        title=_("Vetted share, last 12 months"),
        caption=_(
            "The share of the platforms in use that are vetted, at each month's end, from the monthly snapshots; "
            "this month as it stands today."
        ),
        headers=[
            _("Month"),
            _("Vetted (on the approved list)"),
            _("In use, not vetted"),
            _("Catch-up overdue"),
            _("Share"),
        ],
        rows=table,
        total_label=ngettext("%(n)d month", "%(n)d months", len(table)) % {"n": len(table)},
        note=_("* reconstructed from the records when the snapshots began")
        if any(m[4] for m in months)
        else "",
    )
    return draw_columns(chart, columns, colour=PALETTE[0])


def _short_month(month: date) -> str:
    """The month under its column, short enough for twelve columns on a phone: "Jan" in English, "1月" in
    Chinese (Django's abbreviation, "一月", is as long as the column is wide)."""
    if translation.get_language().startswith("zh"):
        return f"{month.month}月"
    return date_format(month, "M")


def coverage_chart(figures: Figures) -> Chart:
    coverage = figures.coverage
    rows = [
        (_("Vetted (on the approved list)"), coverage.vetted),
        (_("In use, not vetted"), coverage.in_use),
        (_("In use, catch-up review overdue"), coverage.overdue),
    ]
    total = coverage.in_use_total
    chart = Chart(
        key="coverage",
        title=_("Coverage"),
        caption=_(
            "Vendors the business uses or may use: on the approved list, in use without a passed review, "
            "and in use past the catch-up review's due date. Total: %(total)d."
        )
        % {"total": total},
        headers=[_("Group"), _("Vendors"), _("Share")],
        rows=[[label, n, _share(n, total)] for label, n in rows],
        total_label=_total(total),
    )
    # One colour per group, named by the bars' own labels: vetted green, in use amber, overdue red.
    colours = [TIER_COLOURS["low"], TIER_COLOURS["medium"], TIER_COLOURS["critical"]]
    series = [label for label, _n in rows]
    return draw(
        chart,
        [
            (label, [n if j == i else 0 for j in range(len(rows))], str(n))
            for i, (label, n) in enumerate(rows)
        ],
        series=series,
        colours=colours,
        legend=False,
    )


# Worst first, in the legend and the table.
TIER_ORDER = (RiskTier.CRITICAL, RiskTier.HIGH, RiskTier.MEDIUM, RiskTier.LOW, "")


def tiers_chart(figures: Figures) -> Chart:
    counts = figures.tiers
    names = {**{value: str(label) for value, label in RiskTier.choices}, "": _("Not assessed")}
    used = [tier for tier in TIER_ORDER if any(n for (_c, t), n in counts.items() if t == tier)]
    values = {
        category: [counts.get((category, tier), 0) for tier in used]
        for category in VendorCategory.values
        if any(counts.get((category, tier)) for tier in used)
    }
    labels = dict(VendorCategory.choices)
    bars = [(str(labels[category]), row, str(sum(row))) for category, row in values.items()]
    table = [[label, *row, sum(row)] for label, row, _text in bars]
    chart = Chart(
        key="tiers",
        title=_("Vendors by category and risk tier"),
        caption=_(
            "Vendors on the approved list and platforms in use, by category, coloured by the risk tier of "
            "their review; a platform in use that has not been reviewed is “not assessed”."
        ),
        headers=[_("Category"), *[names[tier] for tier in used], _("Total")],
        rows=table,
        total_label=_total(sum(sum(row) for row in values.values())),
    )
    return draw(
        chart, bars, series=[names[tier] for tier in used], colours=[TIER_COLOURS[tier] for tier in used]
    )


def renewals_chart(figures: Figures) -> Chart:
    months = figures.renewals
    ending = [(date_format(month, "YEAR_MONTH_FORMAT"), n) for month, n in months.items() if n]
    table = [[label, n] for label, n in ending]
    chart = Chart(
        key="renewals",
        title=_("Approvals ending, next 12 months"),
        caption=_(
            "Approvals on the list by the month they end. A renewal review may start %(days)d days before "
            "the end."
        )
        % {"days": settings.VETTED_RENEWAL_WINDOW_DAYS},
        headers=[_("Month"), _("Approvals ending")],
        rows=table,
        total_label=_total(sum(n for _m, n in ending)),
        note=_("Months without an ending approval are left out.") if len(table) < len(months) else "",
    )
    return draw(chart, [(label, [n], str(n)) for label, n in ending], series=[_("Approvals ending")])


def stage_days_chart(figures: Figures) -> Chart:
    stage_days = figures.stage_days
    passed = [(kind, str(label)) for kind, label in StageKind.choices if stage_days[kind][1]]
    table = [[label, _duration(stage_days[kind][0]), stage_days[kind][1]] for kind, label in passed]
    passed_count = sum(stage_days[kind][1] for kind, _label in passed)
    chart = Chart(
        key="stage-days",
        title=_("Median days per stage, last %(days)d days") % {"days": selectors.STAGE_DAYS_WINDOW},
        caption=_(
            "For the stages passed in the last %(days)d days: the median time from the stage's opening to "
            "its passing, returned rounds included."
        )
        % {"days": selectors.STAGE_DAYS_WINDOW},
        headers=[_("Stage"), _("Median time"), _("Stages passed")],
        rows=table,
        total_label=ngettext("%(n)d stage passed", "%(n)d stages passed", passed_count) % {"n": passed_count},
        note=_("Stages nobody passed in the period are left out.")
        if len(passed) < len(StageKind.values)
        else "",
    )
    return draw(
        chart,
        [(label, [stage_days[kind][0] or 0], _duration(stage_days[kind][0])) for kind, label in passed],
        series=[_("Median days")],
    )


def waiting_chart(figures: Figures) -> Chart:
    waiting = {w.kind: w for w in figures.waiting}
    bands = [key for _bound, key in selectors.AGE_BANDS]
    band_names = [_("%(band)s working days") % {"band": key} for key in bands]
    stages = [(kind, str(label)) for kind, label in StageKind.choices if waiting[kind].total]
    table = [
        [
            label,
            waiting[kind].total,
            waiting[kind].with_deciders,
            waiting[kind].with_requesters,
            *[waiting[kind].bands[key] for key in bands],
            _working_days(waiting[kind].median_days),
            _working_days(waiting[kind].oldest_days),
        ]
        for kind, label in stages
    ]
    chart = Chart(
        key="waiting",
        title=_("Reviews waiting, by stage and age"),
        caption=_(
            "The stage each open review stands at, coloured by how long it has waited in working days (China's "
            "public holidays left out, make-up working days counted): since submission when the deciders have "
            "it, since it was opened or returned when the requester has it."
        ),
        headers=[
            _("Stage"),
            _("Waiting"),
            _("With the deciders"),
            _("With the requester"),
            *band_names,
            _("Median wait (working days)"),
            _("Longest wait (working days)"),
        ],
        rows=table,
        total_label=_total(sum(waiting[kind].total for kind, _label in stages)),
    )
    # Ages from fresh to old: green, amber, orange, red.
    colours = [TIER_COLOURS[t] for t in ("low", "medium", "high", "critical")]
    return draw(
        chart,
        [
            (label, [waiting[kind].bands[key] for key in bands], str(waiting[kind].total))
            for kind, label in stages
        ],
        series=band_names,
        colours=colours,
    )


# The statuses the panel shows, in the order an activity moves through them; withdrawn ones are left out.
ACTIVITY_STATUSES = (
    ActivityStatus.AWAITING_ACK,
    ActivityStatus.AWAITING_LEGAL,
    ActivityStatus.CLEARED,
    ActivityStatus.BLOCKED,
    ActivityStatus.REFUSED,
)


def activities_chart(figures: Figures) -> Chart:
    """Marketing activities (营销活动) as they stand today."""
    counts = figures.activities
    activities = [(str(status.label), counts.by_status[status]) for status in ACTIVITY_STATUSES]
    flagged = [(_("Open, flagged: a vendor it uses may no longer be used"), counts.flagged)]
    extensions = [
        (
            _("Scope extensions waiting for Security"),
            counts.extensions_waiting[ExtensionStatus.AWAITING_SECURITY],
        ),
        (_("Scope extensions waiting for Legal"), counts.extensions_waiting[ExtensionStatus.AWAITING_LEGAL]),
    ]
    groups = [
        (_("Marketing activities"), activities),
        (_("Flagged"), flagged),
        (_("Scope extensions"), extensions),
    ]
    series = [name for name, _rows in groups]
    total = sum(n for _label, n in activities)
    chart = Chart(
        key="activities",
        title=_("Marketing activities"),
        caption=_(
            "Marketing activities by where they stand (withdrawn ones left out), the open ones flagged because "
            "a vendor they use was suspended or its approval lapsed, and the scope extensions waiting for a "
            "decision. Activities: %(total)d."
        )
        % {"total": total},
        headers=[_("Group"), _("Count")],
        rows=[[label, n] for _name, rows in groups for label, n in rows if n],
        total_label=ngettext("%(n)d activity", "%(n)d activities", total) % {"n": total},
    )
    # One colour per group (activities, flagged, extensions), named in the legend.
    bars = [
        (label, [n if j == i else 0 for j in range(len(groups))], str(n))
        for i, (_name, rows) in enumerate(groups)
        for label, n in rows
        if n
    ]
    return draw(chart, bars, series=series, colours=[PALETTE[0], TIER_COLOURS["critical"], PALETTE[1]])


BUILDERS = {
    "trend": trend_chart,
    "coverage": coverage_chart,
    "tiers": tiers_chart,
    "renewals": renewals_chart,
    "stage-days": stage_days_chart,
    "waiting": waiting_chart,
    "activities": activities_chart,
}


def chart_by_key(key: str, figures: Figures) -> Chart | None:
    builder = BUILDERS.get(key)
    return None if builder is None else builder(figures)


def portfolio_charts(figures: Figures) -> list[Chart]:
    return [builder(figures) for builder in BUILDERS.values()]
