"""The reviewers' desk: /admin/ opens on what waits on the signed-in reviewer (reviews.desk.desk_for)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.desk import DESK_ROWS, desk_for
from reviews.models import Review, StageKind, StageState
from reviews.working_days import working_calendar
from tests.builders import approved_review, pass_stage, stages_update, start_review, submit_stage
from tests.factories import VendorFactory, make_user
from vendors.models import Vendor, VendorStatus

pytestmark = pytest.mark.django_db

DESK = reverse("admin:index")


@pytest.fixture
def requester_legal(db):
    return make_user("cmo_legal", "Requester", "Legal", is_staff=True)


def _wait(review, kind, days: int) -> None:
    """Set how long a submitted stage has waited (test data; no service changes a timestamp backwards)."""
    stages_update(where={"review": review, "kind": kind}, submitted_at=timezone.now() - timedelta(days=days))


@pytest.fixture
def waiting(requester, requester_legal, legal, security):
    old = start_review(requester, vendor=VendorFactory(name_zh="久等科技"))
    submit_stage(old, StageKind.QUESTIONNAIRE, requester)
    _wait(old, StageKind.QUESTIONNAIRE, 30)
    new = start_review(requester, vendor=VendorFactory(name_zh="刚到科技"))
    submit_stage(new, StageKind.QUESTIONNAIRE, requester)
    secure = start_review(requester, vendor=VendorFactory(name_zh="安全待审科技"))
    pass_stage(secure, StageKind.QUESTIONNAIRE, requester, legal=legal, security=security)
    pass_stage(secure, StageKind.DATA_SOURCE, requester, legal=legal, security=security)
    submit_stage(secure, StageKind.SECURITY, requester)
    own = start_review(requester_legal, vendor=VendorFactory(name_zh="自己申请科技"))
    submit_stage(own, StageKind.QUESTIONNAIRE, requester_legal)
    return {"old": old, "new": new, "security": secure, "own": own}


def numbers(desk) -> list[tuple[str, list[str]]]:
    return [(group.kind, [item.review.number for item in group.items]) for group in desk.groups]


def test_legal_desk_lists_what_waits_on_legal_by_stage_oldest_first(client, legal, waiting):
    client.force_login(legal)

    response = client.get(DESK)

    assert response.status_code == 200
    assert numbers(response.context["desk"]) == [
        (StageKind.QUESTIONNAIRE, [waiting["old"].number, waiting["new"].number, waiting["own"].number])
    ]
    queue = response.content.decode().split('id="expiring"')[0]
    assert "久等科技" in queue and "安全待审科技" not in queue


def test_a_reviewers_own_request_is_not_on_their_desk(requester_legal, waiting):
    assert numbers(desk_for(requester_legal)) == [
        (StageKind.QUESTIONNAIRE, [waiting["old"].number, waiting["new"].number])
    ]


def test_security_desk_lists_the_security_stage(security, waiting):
    assert numbers(desk_for(security)) == [(StageKind.SECURITY, [waiting["security"].number])]


def test_the_auditor_reads_every_waiting_stage(auditor, waiting):
    desk = desk_for(auditor)

    assert not desk.decides
    assert numbers(desk) == [
        (StageKind.QUESTIONNAIRE, [waiting["old"].number, waiting["new"].number, waiting["own"].number]),
        (StageKind.SECURITY, [waiting["security"].number]),
    ]


def test_a_stage_past_its_target_in_working_days_is_overdue_in_red(client, legal, waiting):
    client.force_login(legal)

    response = client.get(DESK)

    old, new, _own = response.context["desk"].groups[0].items
    assert old.overdue and old.days_waiting > 5 and not new.overdue
    assert response.content.decode().count('class="is-overdue"') == 1


def test_the_target_is_set_per_stage(settings, legal, waiting):
    settings.VETTED_STAGE_TARGET_DAYS = {**settings.VETTED_STAGE_TARGET_DAYS, "questionnaire": 100}

    assert not any(item.overdue for item in desk_for(legal).groups[0].items)


def test_days_waiting_count_working_days_only(legal, waiting):
    # Submitted on a Friday, read on the Monday after: one working day, not three.
    friday = date(2026, 11, 27)
    stages_update(
        where={"review": waiting["new"], "kind": StageKind.QUESTIONNAIRE},
        submitted_at=timezone.make_aware(timezone.datetime(2026, 11, 27, 18, 0)),
    )

    items = desk_for(legal, today=friday + timedelta(days=3)).groups[0].items

    assert next(i for i in items if i.review == waiting["new"]).days_waiting == 1


def test_approvals_ending_are_grouped_by_30_60_and_90_days(requester, legal, security):
    today = timezone.localdate()
    soon = approved_review(
        requester,
        legal=legal,
        security=security,
        vendor=VendorFactory(name_zh="快到期"),
        valid_until=today + timedelta(days=20),
    )
    later = approved_review(
        requester,
        legal=legal,
        security=security,
        vendor=VendorFactory(name_zh="较晚"),
        valid_until=today + timedelta(days=75),
    )

    expiring = {ending.horizon: ending.vendors for ending in desk_for(legal).expiring}

    assert expiring[30] == [soon.vendor] and expiring[60] == [] and expiring[90] == [later.vendor]


def test_my_recent_decisions_are_listed(client, requester, legal, security, waiting):
    client.force_login(legal)

    decisions = client.get(DESK).context["desk"].decisions

    assert {d.stage.review for d in decisions} == {waiting["security"]}
    assert all(d.decided_by == legal for d in decisions)


def test_superusers_keep_the_tables(client, admin_user, legal, waiting):
    client.force_login(admin_user)
    assert 'id="tables"' in client.get(DESK).content.decode()

    client.force_login(legal)
    assert 'id="tables"' not in client.get(DESK).content.decode()


@pytest.mark.parametrize("count", [10, 200])
def test_the_desk_runs_the_same_queries_and_rows_whatever_the_number_of_reviews(
    client, requester, legal, security, count, django_assert_num_queries
):
    for _ in range(count):
        start_review(requester)
    # Test data: every questionnaire submitted a month ago (overdue), without the slow walk through the
    # services; as many approvals ending within 30 days (vendor rows only: the desk reads the vendor).
    stages_update(
        where={"kind": StageKind.QUESTIONNAIRE},
        state=StageState.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=30),
    )
    Vendor.objects.filter(pk__in=[VendorFactory().pk for _ in range(count)]).update(
        status=VendorStatus.APPROVED,
        approved_until=timezone.localdate() + timedelta(days=10),
        approval_reference="VD-TEST",
    )
    # As many platforms in use past their catch-up deadline.
    Vendor.objects.filter(pk__in=[VendorFactory().pk for _ in range(count)]).update(
        status=VendorStatus.IN_USE, catch_up_due=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(legal)
    working_calendar()  # read once and kept in the cache (reviews.working_days), not once per page

    # session, user, groups; waiting: counts, the first rows' ids, those rows; approvals ending: the first rows
    # with their counts; recent decisions; overdue catch-ups: rows with their count; the admin's permissions
    # (2); the panels the activities add (activities.desk), one each
    with django_assert_num_queries(14):
        response = client.get(DESK)

    desk = response.context["desk"]
    assert desk.waiting_count == count and desk.overdue_count == count
    assert len(desk.groups[0].items) == min(count, DESK_ROWS)
    assert desk.expiring[0].total == count and len(desk.expiring[0].vendors) == min(count, DESK_ROWS)
    page = response.content.decode()
    assert page.count('<tr class="is-overdue">') == min(count, DESK_ROWS)
    assert ("?waiting=me&amp;stage=questionnaire" in page) == (count > DESK_ROWS)
    assert ("?ends=30" in page) == (count > DESK_ROWS)
    assert desk.catch_ups.total == count and len(desk.catch_ups.vendors) == min(count, DESK_ROWS)
    assert ("?in_use=overdue" in page) == (count > DESK_ROWS)


def test_the_desk_shows_the_longest_waiting_and_counts_the_rest(client, requester, legal, waiting):
    waiting_list = numbers(desk_for(legal, rows=2))

    assert waiting_list == [(StageKind.QUESTIONNAIRE, [waiting["old"].number, waiting["new"].number])]
    group = desk_for(legal, rows=2).groups[0]
    assert (group.total, group.more, group.overdue) == (3, 1, 1)


def test_the_auditors_see_all_link_lists_every_stage_waiting_for_a_decision(client, auditor, waiting):
    client.force_login(auditor)

    response = client.get(
        reverse("admin:reviews_review_changelist"), {"waiting": "decision", "stage": StageKind.QUESTIONNAIRE}
    )

    assert {r.number for r in response.context["cl"].result_list} == {
        waiting["old"].number,
        waiting["new"].number,
        waiting["own"].number,
    }


@pytest.mark.parametrize(
    ("language", "overdue", "days", "since"),
    [("en", "overdue", "working days", "since "), ("zh-hans", "已超期", "个工作日", "自")],
)
def test_each_row_says_how_long_it_waited_against_its_target_in_the_users_language(
    client, legal, waiting, language, overdue, days, since
):
    Review.objects.filter(pk=waiting["old"].pk).update(red_flag_count=2)
    client.force_login(legal)
    page = client.get(DESK, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    old = next(
        item for group in desk_for(legal).groups for item in group.items if item.review == waiting["old"]
    )
    day = timezone.localtime(old.waiting_since).date().isoformat()
    row = page[page.index(waiting["old"].number) :]
    row = row[: row.index("</tr>")]
    assert (
        f"{old.days_waiting} / {old.target_days} {days}" in row
        if language == "zh-hans"
        else (f"{old.days_waiting} of {old.target_days} {days}" in row)
    )
    assert f" · {overdue}" in row and f"{since}{day}" in row
    assert ("2 red flags" if language == "en" else "2 项红线") in row
