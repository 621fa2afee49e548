import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.models import Answer, Evidence, StageKind
from tests.builders import fill_questionnaire, stage_of, start_review, submit_stage
from tests.factories import pdf_upload

pytestmark = pytest.mark.django_db


def _url(review, section=None):
    if section is None:
        return reverse("questionnaire", args=[review.pk])
    return reverse("questionnaire_section", args=[review.pk, section])


def test_anonymous_is_sent_to_login(client, requester):
    assert client.get(_url(start_review(requester), "A")).status_code == 302


def test_other_requester_gets_404(client, requester, other_requester):
    review = start_review(requester)
    client.force_login(other_requester)
    assert client.get(_url(review)).status_code == 404
    assert client.post(_url(review, "C"), {"q_C1": "yes"}).status_code == 404
    assert not Answer.objects.filter(question__code="C1").exists()


def test_overview_counts_answers(client, requester):
    review = start_review(requester)
    client.force_login(requester)
    response = client.get(_url(review))
    result = response.context["result"]
    # A1 is answered by the request's credit code, A5 by its expected volume; nothing else yet.
    assert f"2 of {result.total} answered" in response.content.decode()


def test_section_shows_both_languages(client, requester):
    client.force_login(requester)
    body = client.get(_url(start_review(requester), "C"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Do you send marketing SMS" in body and "短信、电子邮件、电话等营销信息" in body


def test_saving_a_draft_marks_a_red_flag_with_its_legal_basis(client, requester):
    review = start_review(requester)
    client.force_login(requester)
    response = client.post(_url(review, "C"), {"q_C1": "no", "save": "1"}, follow=True)
    body = response.content.decode()
    assert Answer.objects.get(review=review, question__code="C1").value == "no"
    assert "Red flag" in body and "Ad Law Art. 43" in body


def test_conditional_question_follows_the_saved_answer_without_javascript(client, requester):
    review = start_review(requester)
    client.force_login(requester)
    hidden = {row["question"].code: row["visible"] for row in client.get(_url(review, "F")).context["rows"]}
    assert hidden == {"F1": True, "F2": False, "F3": False}
    response = client.post(_url(review, "F"), {"q_F1": "yes", "save": "1"}, follow=True)
    shown = {row["question"].code: row["visible"] for row in response.context["rows"]}
    assert shown == {"F1": True, "F2": True, "F3": True}


def test_save_and_continue_goes_to_the_next_section(client, requester):
    review = start_review(requester)
    client.force_login(requester)
    response = client.post(_url(review, "A"), {"q_A5": "lt100k", "next": "1"})
    assert response.url == _url(review, "B")


def test_file_question_takes_evidence(client, requester):
    review = start_review(requester)
    client.force_login(requester)
    client.post(_url(review, "A"), {"q_A2": "yes", "f_A2": [pdf_upload("licence.pdf")], "save": "1"})
    evidence = Evidence.objects.get()
    assert evidence.question.code == "A2" and evidence.kind == "business_licence"
    assert evidence.stage == stage_of(review, StageKind.QUESTIONNAIRE)


def test_refused_file_keeps_the_typed_answers(client, requester):
    review = start_review(requester)
    client.force_login(requester)
    bad = SimpleUploadedFile("licence.pdf", b"<html><script>alert(1)</script></html>")
    response = client.post(
        _url(review, "A"), {"q_A2": "yes", "d_A4": "none at all", "f_A2": [bad], "save": "1"}
    )
    assert response.status_code == 200
    assert "HTML and SVG files are not accepted" in response.content.decode()
    assert response.context["form"]["d_A4"].value() == "none at all"
    assert Answer.objects.get(question__code="A2").value == "yes"
    assert not Evidence.objects.exists()


def test_unknown_choice_is_refused(client, requester):
    review = start_review(requester)
    client.force_login(requester)
    response = client.post(_url(review, "A"), {"q_A5": "a billion", "save": "1"})
    assert response.status_code == 200 and response.context["form"].errors
    # The answer the request gave stays as it was.
    assert Answer.objects.get(question__code="A5").value == review.expected_volume


def test_submitted_questionnaire_is_read_only(client, requester):
    review = start_review(requester)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    client.force_login(requester)
    response = client.post(_url(review, "C"), {"q_C1": "no"}, follow=True)
    assert "cannot be changed" in response.content.decode()
    assert Answer.objects.get(review=review, question__code="C1").value == "yes"


def test_reviewer_reads_but_cannot_save(client, requester, legal):
    review = start_review(requester)
    fill_questionnaire(review, requester)
    client.force_login(legal)
    assert client.get(_url(review, "A")).context["editable"] is False
    client.post(_url(review, "C"), {"q_C1": "no"})
    assert Answer.objects.get(review=review, question__code="C1").value == "yes"


def test_submit_stays_disabled_with_a_count_until_the_questionnaire_is_complete(client, requester):
    review = start_review(requester)
    client.force_login(requester)

    response = client.get(_url(review))

    body = response.content.decode()
    missing = len(response.context["result"].missing)
    assert missing > 0
    assert f"{missing} questions are still to answer" in body
    assert 'type="submit" disabled' in body
    assert (
        'class="me-2 missing-section"' in body and "missing-list" not in body
    )  # per section, not per question


def test_a_complete_questionnaire_can_be_submitted(client, requester):
    review = start_review(requester)
    fill_questionnaire(review, requester)
    client.force_login(requester)

    body = client.get(_url(review)).content.decode()

    assert 'type="submit" disabled' not in body and 'id="submit-blocked"' not in body


def test_a_red_flag_tells_the_requester_the_next_step(client, requester):
    review = start_review(requester)
    client.force_login(requester)
    client.post(_url(review, "C"), {"q_C1": "no", "save": "1"})

    body = client.get(_url(review)).content.decode()

    assert "the vendor must change the practice named above" in body
    assert reverse("review_detail", args=[review.pk]) + "#withdraw" in body


def test_a1_is_filled_from_the_request_and_read_only(client, requester):
    review = start_review(requester)
    client.force_login(requester)

    page = client.get(_url(review, "A"))
    client.post(_url(review, "A"), {"d_A1": "91440300192203821X", "q_A2": "yes", "save": "1"})

    assert page.context["form"]["d_A1"].field.disabled
    assert "Filled from the credit code on the request" in page.content.decode()
    assert "check character matches" in page.content.decode()
    assert Answer.objects.get(review=review, question__code="A1").detail == review.vendor.uscc
    assert Answer.objects.get(review=review, question__code="A2").value == "yes"
    assert "A1" in page.context["result"].answered_codes


def test_a_section_is_read_in_a_fixed_number_of_queries(client, requester, django_assert_num_queries):
    """The session and its user; the review, its stages and their decisions; the sections and questions; the
    reader's groups; the review's files (which questions have one, and the section's list); the answers;
    what came through contact links (answers and files in one query). The same with more answers and files: every file of the review is one query."""
    review = start_review(requester)
    client.force_login(requester)
    client.post(
        _url(review, "B"),
        {"q_B1": "identifiable", "f_B3": pdf_upload("consent.pdf"), "save": "1"},
    )
    fill_questionnaire(review, requester)
    assert Evidence.objects.filter(review=review, question__code="B3").exists()

    for code in ("A", "B", "D"):
        with django_assert_num_queries(11):
            assert client.get(_url(review, code)).status_code == 200


def test_the_overview_reads_the_questions_once(client, requester, django_assert_num_queries):
    """The session and its user; the review, its stages and their decisions; the questions (evaluated, then
    counted per section: read once), which questions have a file, the answers; the sections; the reader's
    groups."""
    review = start_review(requester)
    fill_questionnaire(review, requester)
    client.force_login(requester)

    with django_assert_num_queries(10):
        response = client.get(_url(review))

    assert response.status_code == 200
    assert sum(row["total"] for row in response.context["progress"]) == len(
        response.context["result"].visible
    )
