"""The review queue (changelist) of the reviewers' desk."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import Review, StageKind, StageState
from reviews.working_days import working_calendar
from tests.builders import pass_stage, stages_update, start_review, submit_stage
from tests.factories import VendorFactory, make_user

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:reviews_review_changelist")


@pytest.fixture
def requester_legal(db):
    """A Legal member who also requests vendors: the segregation-of-duties case (I4)."""
    return make_user("cmo_legal", "Requester", "Legal", is_staff=True)


def listed(response) -> set[str]:
    return {review.number for review in response.context["cl"].result_list}


@pytest.fixture
def desk(requester, requester_legal, legal, security):
    """One review waiting at each desk, one still with the requester, and one the Legal requester
    asked for."""
    draft = start_review(requester, vendor=VendorFactory(name_zh="起草中科技"))
    questionnaire = start_review(requester, vendor=VendorFactory(name_zh="问卷待审科技"))
    submit_stage(questionnaire, StageKind.QUESTIONNAIRE, requester)
    secure = start_review(requester, vendor=VendorFactory(name_zh="安全待审科技"))
    pass_stage(secure, StageKind.QUESTIONNAIRE, requester, legal=legal, security=security)
    pass_stage(secure, StageKind.DATA_SOURCE, requester, legal=legal, security=security)
    submit_stage(secure, StageKind.SECURITY, requester)
    own = start_review(requester_legal, vendor=VendorFactory(name_zh="自己申请科技"))
    submit_stage(own, StageKind.QUESTIONNAIRE, requester_legal)
    return {"draft": draft, "questionnaire": questionnaire, "security": secure, "own": own}


def test_legal_sees_what_waits_on_legal_by_default(client, legal, desk):
    client.force_login(legal)

    response = client.get(QUEUE)

    assert response.status_code == 200
    assert listed(response) == {desk["questionnaire"].number, desk["own"].number}


def test_security_sees_what_waits_on_security_by_default(client, security, desk):
    client.force_login(security)

    assert listed(client.get(QUEUE)) == {desk["security"].number}


def test_a_reviewers_own_request_never_waits_on_them(client, requester_legal, desk):
    client.force_login(requester_legal)

    assert listed(client.get(QUEUE)) == {desk["questionnaire"].number}


def test_everything_shows_every_review(client, legal, desk):
    client.force_login(legal)

    response = client.get(QUEUE, {"waiting": "all"})

    assert listed(response) == {review.number for review in desk.values()}


def test_an_auditor_sees_everything_by_default(client, auditor, desk):
    client.force_login(auditor)

    assert listed(client.get(QUEUE)) == {review.number for review in desk.values()}


def test_the_queue_shows_stage_risk_requester_and_days_waiting(client, legal, desk):
    client.force_login(legal)

    html = client.get(QUEUE).content.decode()

    assert "问卷待审科技" in html and desk["questionnaire"].vendor.uscc in html
    assert "Due-diligence questionnaire" in html and "Submitted" in html
    assert "cmo" in html


def test_it_filters_by_current_stage_state_and_category(client, legal, desk):
    client.force_login(legal)

    by_stage = client.get(QUEUE, {"waiting": "all", "stage": StageKind.SECURITY})
    by_state = client.get(QUEUE, {"waiting": "all", "state__exact": "draft"})
    by_category = client.get(QUEUE, {"waiting": "all", "vendor__category__exact": "ad_network"})

    assert listed(by_stage) == {desk["security"].number}
    assert listed(by_state) == {desk["draft"].number}
    assert listed(by_category) == set()


def test_it_filters_overdue_stages(client, legal, desk, settings):
    settings.VETTED_STAGE_TARGET_DAYS = {**settings.VETTED_STAGE_TARGET_DAYS, "security": 5}
    # Ten calendar days hold at least six working days, whatever the weekday: past the target of five.
    stages_update(
        where={"review": desk["security"], "kind": StageKind.SECURITY},
        submitted_at=timezone.now() - timedelta(days=10),
    )
    client.force_login(legal)

    response = client.get(QUEUE, {"waiting": "all", "overdue": "yes"})

    assert listed(response) == {desk["security"].number}
    assert "vetted-overdue" in response.content.decode()


def test_it_searches_vendor_name_uscc_and_requester(client, legal, desk):
    client.force_login(legal)

    assert listed(client.get(QUEUE, {"q": "安全待审"})) == {desk["security"].number}
    assert listed(client.get(QUEUE, {"q": desk["draft"].vendor.uscc})) == {desk["draft"].number}
    assert listed(client.get(QUEUE, {"q": "cmo_legal"})) == {desk["own"].number}


def test_a_staff_member_without_a_role_sees_no_review(client, desk):
    client.force_login(make_user("intern", is_staff=True))

    assert client.get(QUEUE).status_code == 403


def test_there_is_no_bulk_delete(client, admin_user, legal, desk):
    client.force_login(admin_user)

    response = client.post(
        QUEUE, {"action": "delete_selected", "_selected_action": [desk["draft"].pk], "waiting": "all"}
    )

    assert Review.objects.filter(pk=desk["draft"].pk).exists()
    assert "delete_selected" not in client.get(QUEUE).content.decode()
    assert response.status_code in (200, 302)


def _many_reviews(requester, legal, security, count):
    """`count` reviews at varied stages; only a few are walked through the services (slow), the rest are
    started, which is what most of a real queue looks like."""
    advanced = min(count, 4)
    for i in range(count):
        review = start_review(requester)
        if i < advanced:
            submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    # Some stages waiting a long time, so the overdue marking shows in the rendered rows.
    stages_update(where={"state": StageState.SUBMITTED}, submitted_at=timezone.now() - timedelta(days=30))


QUERIES = [{}, {"waiting": "all"}, {"waiting": "all", "overdue": "yes", "q": "数智"}]


@pytest.mark.parametrize("count", [10, 200])
def test_the_queue_runs_a_constant_number_of_queries(
    client, requester, legal, security, count, django_assert_num_queries
):
    # The reviews are built once for the three ways of asking for the queue (building them is the slow part).
    _many_reviews(requester, legal, security, count)
    client.force_login(legal)
    working_calendar()  # read once and kept in the cache (reviews.working_days), not once per page

    for params in QUERIES:
        with django_assert_num_queries(8):
            response = client.get(QUEUE, params)

        assert response.status_code == 200, params
        assert response.context["cl"].result_count > 0, params
