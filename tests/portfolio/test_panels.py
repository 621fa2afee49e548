"""The charts as the board reads them, from given figures: no row that only says zero, durations said as a
reader says them, tier colours that mean the same everywhere, each named in the legend."""

from datetime import date, datetime

from django.utils import timezone, translation

from portfolio import panels, selectors
from portfolio.charts import TIER_COLOURS

TODAY = date(2026, 12, 7)


def figures(**given) -> panels.Figures:
    """Figures with the given values in place of the database's."""
    result = panels.Figures(today=TODAY, now=timezone.make_aware(datetime(2026, 12, 7, 10)))
    for name, value in given.items():
        setattr(result, name, value)
    return result


def test_stages_nobody_passed_are_left_out_and_short_medians_read_in_hours():
    chart = panels.stage_days_chart(
        figures(
            stage_days={
                "questionnaire": (4.25, 3),
                "data_source": (2 / 24, 2),
                "security": (0.01, 1),  # 14.4 minutes
                "sign_off": (None, 0),
            }
        )
    )
    assert [bar.value_label for bar in chart.bars] == ["4.2 days", "2.0 hours", "14 min"]
    assert [row[1:] for row in chart.rows] == [["4.2 days", 3], ["2.0 hours", 2], ["14 min", 1]]
    assert "0.0" not in " ".join(bar.value_label for bar in chart.bars)
    assert chart.total_label == "6 stages passed" and "left out" in chart.note


def test_months_without_an_ending_approval_are_left_out():
    months = dict.fromkeys(selectors.month_starts(TODAY), 0)
    months[date(2027, 2, 1)] = 3
    chart = panels.renewals_chart(figures(renewals=months))
    assert chart.rows == [["February 2027", 3]] and len(chart.bars) == 1
    assert chart.total_label == "Total: 3" and chart.note


def test_the_tiers_are_coloured_worst_first_and_named_in_the_legend():
    chart = panels.tiers_chart(
        figures(
            tiers={
                ("sms_edm", "low"): 2,
                ("sms_edm", "critical"): 1,
                ("scrm_saas", "high"): 1,
                ("scrm_saas", ""): 4,
            }
        )
    )
    assert [(item.name, item.colour) for item in chart.legend] == [
        ("Critical", TIER_COLOURS["critical"]),
        ("High", TIER_COLOURS["high"]),
        ("Low", TIER_COLOURS["low"]),
        ("Not assessed", TIER_COLOURS[""]),
    ]
    assert TIER_COLOURS["critical"] == "#c62828" and TIER_COLOURS["high"] == "#ef6c00"
    assert chart.headers == ["Category", "Critical", "High", "Low", "Not assessed", "Total"]
    sms = next(bar for bar in chart.bars if bar.label.startswith("SMS"))
    assert [(s.name, s.colour) for s in sms.segments] == [("Critical", "#c62828"), ("Low", "#2e7d32")]
    assert chart.total_label == "Total: 8"


def test_stages_with_nothing_waiting_are_left_out():
    waiting = [
        selectors.Waiting(kind, dict.fromkeys(("0-7", "8-14", "15-30", "31+"), 0), 0, 0, None, None)
        for kind in ("questionnaire", "data_source", "security", "sign_off")
    ]
    waiting[2] = selectors.Waiting("security", {"0-7": 1, "8-14": 0, "15-30": 0, "31+": 2}, 2, 1, 40.5, 50)
    chart = panels.waiting_chart(figures(waiting=waiting))
    assert [row[0] for row in chart.rows] == ["Security certification"]
    # The ages are working days, and the headings say so.
    assert chart.headers[4:] == [
        "0-7 working days",
        "8-14 working days",
        "15-30 working days",
        "31+ working days",
        "Median wait (working days)",
        "Longest wait (working days)",
    ]
    assert chart.rows[0][-2:] == ["40.5", "50"]
    assert chart.total_label == "Total: 3"
    # Fresh to old: green, amber, orange, red; empty bands draw nothing.
    assert [s.colour for s in chart.bars[0].segments] == [TIER_COLOURS["low"], TIER_COLOURS["critical"]]


def test_the_trend_ends_with_this_month_as_it_stands_and_shows_months_in_chinese():
    from portfolio.models import PortfolioSnapshot

    snapshot = PortfolioSnapshot(month=date(2026, 11, 1), vetted=1, in_use=3, overdue=0, backfilled=True)
    coverage = selectors.Coverage(vetted=3, in_use=1, overdue=0)
    with translation.override("zh-hans"):
        chart = panels.trend_chart(figures(snapshots=[snapshot], coverage=coverage))
    assert [(c.label, c.value_label) for c in chart.columns] == [("11月", "25%"), ("12月", "75%")]
    assert chart.columns[0].note and not chart.columns[1].note
    assert chart.rows[0][0].endswith(" *") and chart.note
