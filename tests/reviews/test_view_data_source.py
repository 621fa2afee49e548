import pytest
from django.urls import reverse

from reviews import workflow
from reviews.models import Evidence, StageKind
from tests.builders import fill_data_source, pass_stage, stage_of, start_review
from tests.factories import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(requester, legal, security):
    review = start_review(requester)
    pass_stage(review, StageKind.QUESTIONNAIRE, requester, legal=legal, security=security)
    return review


def _url(review):
    return reverse("data_source", args=[review.pk])


def test_anonymous_is_sent_to_login(client, review):
    assert client.get(_url(review)).status_code == 302


def test_other_requester_gets_404(client, review, other_requester):
    client.force_login(other_requester)
    assert client.get(_url(review)).status_code == 404
    assert client.post(_url(review), {"kind": "pipia", "files": [pdf_upload()]}).status_code == 404
    assert not Evidence.objects.filter(stage__kind=StageKind.DATA_SOURCE).exists()


def test_required_kinds_get_a_slot_each(client, review, requester):
    client.force_login(requester)
    slots = client.get(_url(review)).context["slots"]
    required = [slot["kind"] for slot in slots if slot["required"]]
    assert required[:2] == ["pipia", "privacy_policy"] and slots[-1]["kind"] == "other"


def test_several_files_per_kind(client, review, requester):
    client.force_login(requester)
    files = [pdf_upload("a.pdf", "a"), pdf_upload("b.pdf", "b")]
    response = client.post(_url(review), {"kind": "pipia", "files": files}, follow=True)
    assert "2 files added." in response.content.decode()
    assert Evidence.objects.filter(kind="pipia", stage__kind=StageKind.DATA_SOURCE).count() == 2


def test_identical_file_is_flagged(client, review, requester):
    client.force_login(requester)
    client.post(_url(review), {"kind": "pipia", "files": [pdf_upload("a.pdf", "same")]})
    response = client.post(
        _url(review), {"kind": "other", "files": [pdf_upload("copy.pdf", "same")]}, follow=True
    )
    assert "“copy.pdf” is identical to “a.pdf”" in response.content.decode()


def test_kind_outside_the_stage_is_refused(client, review, requester):
    client.force_login(requester)
    response = client.post(_url(review), {"kind": "telecom_licence", "files": [pdf_upload()]}, follow=True)
    assert "does not belong to this stage" in response.content.decode()
    assert not Evidence.objects.filter(stage__kind=StageKind.DATA_SOURCE).exists()


def test_returned_stage_keeps_earlier_files_counted_and_frozen(client, review, requester, legal):
    fill_data_source(review, requester)
    workflow.stage_submit(stage=stage_of(review, StageKind.DATA_SOURCE), actor=requester)
    workflow.stage_return(
        stage=stage_of(review, StageKind.DATA_SOURCE), actor=legal, comment="sign the PIPIA"
    )
    client.force_login(requester)
    client.post(_url(review), {"kind": "pipia", "files": [pdf_upload("pipia-v2.pdf", "v2")]})
    response = client.get(_url(review))
    pipia = next(slot for slot in response.context["slots"] if slot["kind"] == "pipia")
    assert next((e.original_name, e.round) for e in pipia["current"]) == ("pipia-v2.pdf", 2)
    assert [(e.round, e.frozen) for e in pipia["current"][1:]] == [(1, True)]
    assert pipia["older"] == []
    assert "round 1 · frozen" in response.content.decode() and "sign the PIPIA" in response.content.decode()


def test_a_return_naming_documents_reopens_only_those(client, review, requester, legal):
    fill_data_source(review, requester)
    stage = stage_of(review, StageKind.DATA_SOURCE)
    workflow.stage_submit(stage=stage, actor=requester)
    workflow.stage_return(stage=stage, actor=legal, comment="sign the PIPIA", reopen=["pipia"])
    client.force_login(requester)

    refused = client.post(
        _url(review), {"kind": "privacy_policy", "files": [pdf_upload("pp.pdf", "pp")]}, follow=True
    )
    client.post(_url(review), {"kind": "pipia", "files": [pdf_upload("pipia-v2.pdf", "v2")]})
    page = client.get(_url(review))

    assert "Only what Legal reopened can change" in refused.content.decode()
    assert not Evidence.objects.filter(kind="privacy_policy", round=2).exists()
    assert Evidence.objects.filter(kind="pipia", round=2).exists()
    slots = {slot["kind"]: slot for slot in page.context["slots"]}
    assert slots["pipia"]["reopened"] and slots["pipia"]["may_change"]
    assert not slots["privacy_policy"]["may_change"]
    assert "reopened by Legal" in page.content.decode()


def test_reviewer_cannot_upload(client, review, legal):
    client.force_login(legal)
    response = client.post(_url(review), {"kind": "pipia", "files": [pdf_upload()]}, follow=True)
    assert "Only the requester can add documents" in response.content.decode()
    assert not Evidence.objects.filter(stage__kind=StageKind.DATA_SOURCE).exists()


def test_owner_withdraws_a_current_file(client, review, requester):
    client.force_login(requester)
    client.post(_url(review), {"kind": "pipia", "files": [pdf_upload()]})
    evidence = Evidence.objects.get(kind="pipia", stage__kind=StageKind.DATA_SOURCE)
    client.post(reverse("evidence_withdraw", args=[review.pk, evidence.pk]))
    evidence.refresh_from_db()
    assert evidence.withdrawn_at is not None


def test_a_document_given_with_an_answer_fills_its_slot(client, review, requester):
    client.force_login(requester)

    response = client.get(_url(review))

    slots = {slot["kind"]: slot for slot in response.context["slots"]}
    assert [e.question.code for e in slots["pipia"]["from_answers"]] == ["B6"]
    assert slots["processing_agreement"]["from_answers"] == []
    page = response.content.decode()
    pipia = page[page.index('id="kind-pipia"') : page.index('id="kind-privacy_policy"')]
    assert "✓ provided" in pipia and "Given with the questionnaire answers" in pipia and "answer B6" in pipia


def test_the_page_runs_the_same_queries_for_one_file_or_many(
    client, review, requester, django_assert_num_queries
):
    # Session, user, groups; the review, its stages with their decisions; the review's files, read once
    # for the questions with a file, the documents given with the answers and both stages' lists; the
    # answers and questions for what is required; what came through a contact's links.
    client.force_login(requester)
    with django_assert_num_queries(10):
        few = client.get(_url(review))
    fill_data_source(review, requester)
    fill_data_source(review, requester)  # a second version of each

    with django_assert_num_queries(10):
        many = client.get(_url(review))

    def listed(response):
        return sum(len(slot["current"]) for slot in response.context["slots"])

    given = Evidence.objects.filter(stage__review=review, stage__kind=StageKind.DATA_SOURCE).count()
    assert (listed(few), listed(many)) == (0, given) and given >= 4
