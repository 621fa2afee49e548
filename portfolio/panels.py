"""The six charts of the portfolio, built from portfolio.selectors in the language of the request."""

from collections.abc import Callable
from datetime import date, datetime

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities.models import ActivityStatus, ExtensionStatus
from reviews.models import StageKind
from vendors.models import RiskTier, VendorCategory

from . import selectors
from .charts import Chart, draw


def _days(value: float | None) -> str:
    return "—" if value is None else _("%(days).1f days") % {"days": value}


def _round(value: float | None):
    return "" if value is None else round(value, 1)


def coverage_chart(*, today: date) -> Chart:
    figures = selectors.coverage(today=today)
    rows = [
        (_("Vetted (on the approved list)"), figures.vetted),
        (_("In use, not vetted"), figures.in_use),
        (_("In use, catch-up review overdue"), figures.overdue),
    ]
    total = sum(n for _label, n in rows)
    chart = Chart(
        key="coverage",
        title=_("Coverage"),
        caption=_(
            "Vendors the business uses or may use: on the approved list, in use without a passed review, "
            "and in use past the catch-up review's due date. Total: %(total)d."
        )
        % {"total": total},
        headers=[_("Group"), _("Vendors"), _("Share")],
        rows=[[label, n, f"{n / total:.0%}" if total else "—"] for label, n in rows],
    )
    # One series per bar, so that each group keeps its own colour.
    series = [label for label, _n in rows]
    return draw(
        chart,
        [
            (label, [n if j == i else 0 for j in range(len(rows))], str(n))
            for i, (label, n) in enumerate(rows)
        ],
        series=series,
        legend=False,
    )


def tiers_chart(*, today: date) -> Chart:
    counts = selectors.vendors_by_category_and_tier(today=today)
    tiers = [*RiskTier.values, ""]
    tier_names = [*[str(label) for label in RiskTier.labels], _("Not assessed")]
    categories = [
        (value, str(label))
        for value, label in VendorCategory.choices
        if any(counts.get((value, tier)) for tier in tiers)
    ]
    by_tier = [(label, [counts.get((value, tier), 0) for tier in tiers]) for value, label in categories]
    table = [[label, *values, sum(values)] for label, values in by_tier]
    chart = Chart(
        key="tiers",
        title=_("Vendors by category and risk tier"),
        caption=_(
            "Vendors on the approved list and platforms in use, by category, coloured by the risk tier of "
            "their review; a platform in use that has not been reviewed is “not assessed”."
        ),
        headers=[_("Category"), *tier_names, _("Total")],
        rows=table,
    )
    return draw(chart, [(label, values, str(sum(values))) for label, values in by_tier], series=tier_names)


def renewals_chart(*, today: date) -> Chart:
    months = selectors.approvals_ending_by_month(today=today)
    ending = [(date_format(month, "YEAR_MONTH_FORMAT"), n) for month, n in months.items()]
    chart = Chart(
        key="renewals",
        title=_("Approvals ending, next 12 months"),
        caption=_(
            "Approvals on the list by the month they end. A renewal review may start %(days)d days before "
            "the end."
        )
        % {"days": settings.VETTED_RENEWAL_WINDOW_DAYS},
        headers=[_("Month"), _("Approvals ending")],
        rows=[[label, n] for label, n in ending],
    )
    return draw(chart, [(label, [n], str(n)) for label, n in ending], series=[_("Approvals ending")])


def stage_days_chart(*, now: datetime) -> Chart:
    figures = selectors.median_stage_days(now=now)
    table = [[str(label), _round(figures[kind][0]), figures[kind][1]] for kind, label in StageKind.choices]
    chart = Chart(
        key="stage-days",
        title=_("Median days per stage, last %(days)d days") % {"days": selectors.STAGE_DAYS_WINDOW},
        caption=_(
            "For the stages passed in the last %(days)d days: the median time from the stage's opening to "
            "its passing, returned rounds included."
        )
        % {"days": selectors.STAGE_DAYS_WINDOW},
        headers=[_("Stage"), _("Median days"), _("Stages passed")],
        rows=table,
    )
    return draw(
        chart,
        [
            (
                str(label),
                [figures[kind][0] or 0],
                _days(figures[kind][0])
                + " · "
                + ngettext("%(n)d stage", "%(n)d stages", figures[kind][1]) % {"n": figures[kind][1]},
            )
            for kind, label in StageKind.choices
        ],
        series=[_("Median days")],
    )


def waiting_chart(*, now: datetime) -> Chart:
    waiting = {w.kind: w for w in selectors.waiting_by_stage(now=now)}
    bands = [key for _bound, key in selectors.AGE_BANDS]
    band_names = [_("%(band)s days") % {"band": key} for key in bands]
    table = [
        [
            str(label),
            waiting[kind].total,
            waiting[kind].with_deciders,
            waiting[kind].with_requesters,
            *[waiting[kind].bands[key] for key in bands],
            _round(waiting[kind].median_days),
            _round(waiting[kind].oldest_days),
        ]
        for kind, label in StageKind.choices
    ]
    chart = Chart(
        key="waiting",
        title=_("Reviews waiting, by stage and age"),
        caption=_(
            "The stage each open review stands at, coloured by how long it has waited: since submission "
            "when the deciders have it, since it was opened or returned when the requester has it."
        ),
        headers=[
            _("Stage"),
            _("Waiting"),
            _("With the deciders"),
            _("With the requester"),
            *band_names,
            _("Median age (days)"),
            _("Oldest (days)"),
        ],
        rows=table,
    )
    return draw(chart, [(row[0], row[4 : 4 + len(bands)], str(row[1])) for row in table], series=band_names)


# The statuses the panel shows, in the order an activity moves through them; withdrawn ones are left out.
ACTIVITY_STATUSES = (
    ActivityStatus.AWAITING_ACK,
    ActivityStatus.AWAITING_LEGAL,
    ActivityStatus.CLEARED,
    ActivityStatus.BLOCKED,
    ActivityStatus.REFUSED,
)


def activities_chart(*, today: date) -> Chart:
    """Marketing activities (营销活动) as they stand today; `today` is not needed, statuses are current."""
    figures = selectors.activity_figures()
    activities = [(str(status.label), figures.by_status[status]) for status in ACTIVITY_STATUSES]
    flagged = [(_("Open, flagged: a vendor it uses may no longer be used"), figures.flagged)]
    extensions = [
        (
            _("Scope extensions waiting for Security"),
            figures.extensions_waiting[ExtensionStatus.AWAITING_SECURITY],
        ),
        (_("Scope extensions waiting for Legal"), figures.extensions_waiting[ExtensionStatus.AWAITING_LEGAL]),
    ]
    series = [_("Marketing activities"), _("Flagged"), _("Scope extensions")]
    chart = Chart(
        key="activities",
        title=_("Marketing activities"),
        caption=_(
            "Marketing activities by where they stand (withdrawn ones left out), the open ones flagged because "
            "a vendor they use was suspended or its approval lapsed, and the scope extensions waiting for a "
            "decision. Activities: %(total)d."
        )
        % {"total": sum(n for _label, n in activities)},
        headers=[_("Group"), _("Count")],
        rows=[[label, n] for label, n in activities + flagged + extensions],
    )
    # One colour per group (activities, flagged, extensions), named in the legend.
    bars = [(label, [n, 0, 0], str(n)) for label, n in activities]
    bars += [(label, [0, n, 0], str(n)) for label, n in flagged]
    bars += [(label, [0, 0, n], str(n)) for label, n in extensions]
    return draw(chart, bars, series=series)


# Each chart by its key, in the page's order, built from today's date or from now (the stages' ages).
BUILDERS: dict[str, Callable[[date, datetime], Chart]] = {
    "coverage": lambda today, now: coverage_chart(today=today),
    "tiers": lambda today, now: tiers_chart(today=today),
    "renewals": lambda today, now: renewals_chart(today=today),
    "stage-days": lambda today, now: stage_days_chart(now=now),
    "waiting": lambda today, now: waiting_chart(now=now),
    "activities": lambda today, now: activities_chart(today=today),
}


def chart_by_key(key: str, *, today: date, now: datetime) -> Chart | None:
    builder = BUILDERS.get(key)
    return None if builder is None else builder(today, now)


def portfolio_charts(*, today: date, now: datetime) -> list[Chart]:
    return [builder(today, now) for builder in BUILDERS.values()]
