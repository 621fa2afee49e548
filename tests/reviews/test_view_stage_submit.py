import pytest
from django.urls import reverse

from reviews.models import StageKind, StageState
from tests.builders import fill_questionnaire, stage_of, start_review

pytestmark = pytest.mark.django_db


def _url(review, kind="questionnaire"):
    return reverse("stage_submit", args=[review.pk, kind])


def test_anonymous_is_sent_to_login(client, requester):
    review = start_review(requester)
    assert client.post(_url(review)).status_code == 302
    assert stage_of(review, StageKind.QUESTIONNAIRE).state == StageState.OPEN


def test_incomplete_questionnaire_lists_what_is_missing_with_links(client, requester):
    review = start_review(requester)
    client.force_login(requester)
    response = client.post(_url(review), follow=True)
    body = response.content.decode()
    assert "something required is missing" in body
    assert "A2 is not answered" in body  # A1 is the request's credit code, answered from the start
    assert reverse("questionnaire_section", args=[review.pk, "A"]) + "#q-A2" in body
    assert stage_of(review, StageKind.QUESTIONNAIRE).state == StageState.OPEN


def test_complete_questionnaire_is_submitted(client, requester):
    review = start_review(requester)
    fill_questionnaire(review, requester)
    client.force_login(requester)
    response = client.post(_url(review), follow=True)
    assert "was submitted" in response.content.decode()
    assert stage_of(review, StageKind.QUESTIONNAIRE).state == StageState.SUBMITTED


def test_locked_stage_is_refused_with_the_reason(client, requester):
    review = start_review(requester)
    client.force_login(requester)
    response = client.post(_url(review, "security"), follow=True)
    assert "is Locked and cannot be submitted" in response.content.decode()


def test_reviewer_cannot_submit(client, requester, legal):
    review = start_review(requester)
    fill_questionnaire(review, requester)
    client.force_login(legal)
    response = client.post(_url(review), follow=True)
    assert "Only the requester can submit" in response.content.decode()
    assert stage_of(review, StageKind.QUESTIONNAIRE).state == StageState.OPEN


def test_other_requester_gets_404(client, requester, other_requester):
    review = start_review(requester)
    fill_questionnaire(review, requester)
    client.force_login(other_requester)
    assert client.post(_url(review)).status_code == 404
    assert stage_of(review, StageKind.QUESTIONNAIRE).state == StageState.OPEN


def test_get_is_not_allowed(client, requester):
    review = start_review(requester)
    client.force_login(requester)
    assert client.get(_url(review)).status_code == 405


def test_each_missing_item_links_by_what_it_is_about_not_by_its_wording(requester):
    # The links come from the Detail's question code and document kind: a sentence in Chinese, or one that
    # names no code, links all the same.
    from reviews.errors import Detail
    from reviews.models import EvidenceKind
    from reviews.views.review import missing_links

    review = start_review(requester)
    questionnaire = missing_links(review, StageKind.QUESTIONNAIRE, [Detail("尚未回答", question="A2")])
    data_source = missing_links(
        review, StageKind.DATA_SOURCE, [Detail("请上传文件", evidence_kind=EvidenceKind.PIPIA)]
    )

    assert questionnaire == [("尚未回答", reverse("questionnaire_section", args=[review.pk, "A"]) + "#q-A2")]
    assert data_source == [
        ("请上传文件", reverse("data_source", args=[review.pk]) + f"#kind-{EvidenceKind.PIPIA}")
    ]
