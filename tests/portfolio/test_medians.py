"""Medians taken by the database (portfolio.medians): the same figure on SQLite (the middle rows, by window
functions) and on PostgreSQL (percentile_cont), and only the middle rows ever leave the database."""

from datetime import datetime, timedelta

import pytest
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from portfolio.medians import Seconds, grouped_median
from reviews.models import Stage, StageKind
from tests import builders

pytestmark = pytest.mark.django_db


def _stages_lasting(requester, days_by_kind):
    now = timezone.now()
    for kind, days in days_by_kind:
        review = builders.start_review(requester)
        Stage.objects.filter(review=review, kind=kind).update(
            opened_at=now - timedelta(days=days), decided_at=now
        )


def test_the_median_of_an_odd_group_is_its_middle_and_of_an_even_group_the_mean_of_the_two(requester):
    _stages_lasting(
        requester,
        [(StageKind.QUESTIONNAIRE, d) for d in (1, 9, 3)] + [(StageKind.SECURITY, d) for d in (2, 4, 10, 6)],
    )
    medians = grouped_median(
        Stage.objects.filter(decided_at__isnull=False), "kind", Seconds(F("opened_at"), F("decided_at"))
    )
    assert set(medians) == {StageKind.QUESTIONNAIRE, StageKind.SECURITY}
    questionnaire, security = medians[StageKind.QUESTIONNAIRE], medians[StageKind.SECURITY]
    assert questionnaire["median"] / 86400 == pytest.approx(3) and questionnaire["n"] == 3
    assert security["median"] / 86400 == pytest.approx(5) and security["n"] == 4


def test_other_aggregates_of_each_group_come_in_the_same_query(requester, django_assert_num_queries):
    _stages_lasting(requester, [(StageKind.QUESTIONNAIRE, d) for d in (1, 2, 8, 20)])
    with django_assert_num_queries(1):
        medians = grouped_median(
            Stage.objects.filter(decided_at__isnull=False),
            "kind",
            Seconds(F("opened_at"), F("decided_at")),
            longer=Count("pk", filter=Q(opened_at__lt=timezone.now() - timedelta(days=5))),
            earliest=Min("opened_at"),
        )
    row = medians[StageKind.QUESTIONNAIRE]
    assert row["median"] / 86400 == pytest.approx(5) and row["n"] == 4 and row["longer"] == 2
    assert isinstance(row["earliest"], datetime)
    assert timezone.now() - row["earliest"] == pytest.approx(timedelta(days=20), abs=timedelta(minutes=1))


def test_an_empty_queryset_has_no_groups():
    assert grouped_median(Stage.objects.none(), "kind", Seconds(F("opened_at"), F("decided_at"))) == {}


def test_one_query_whatever_the_rows(requester, django_assert_num_queries):
    _stages_lasting(requester, [(StageKind.QUESTIONNAIRE, d) for d in range(1, 8)])
    with django_assert_num_queries(1):
        grouped_median(
            Stage.objects.filter(decided_at__isnull=False), "kind", Seconds(F("opened_at"), F("decided_at"))
        )


def test_the_two_middles_of_each_group_are_values_of_its_rows(requester, django_assert_num_queries):
    """portfolio.medians.grouped_middles: the middle row's value twice in an odd group, the two middle rows'
    values in an even one, in one query, whatever the group's size."""
    from portfolio.medians import grouped_middles

    _stages_lasting(
        requester,
        [(StageKind.QUESTIONNAIRE, d) for d in (1, 9, 3)] + [(StageKind.SECURITY, d) for d in (2, 4, 10, 6)],
    )
    opened = dict(Stage.objects.filter(decided_at__isnull=False).values_list("pk", "opened_at"))
    with django_assert_num_queries(1):
        middles = grouped_middles(
            Stage.objects.filter(decided_at__isnull=False), "kind", F("opened_at"), earliest=Min("opened_at")
        )
    now = timezone.now()

    def days(value):
        return round((now - value).total_seconds() / 86400)

    questionnaire, security = middles[StageKind.QUESTIONNAIRE], middles[StageKind.SECURITY]
    assert [days(v) for v in questionnaire["middles"]] == [3, 3] and questionnaire["n"] == 3
    assert [days(v) for v in security["middles"]] == [6, 4] and security["n"] == 4  # earlier opening first
    assert set(questionnaire["middles"]) <= set(opened.values())
    assert days(security["earliest"]) == 10
