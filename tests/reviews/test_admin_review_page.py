"""The review page of the reviewers' desk: the whole file, read-only, with the buttons the user may use."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from reviews import workflow
from reviews.evidence import certificate_add
from reviews.models import AuditEvent, Review, ReviewState, StageKind, StageState
from tests.builders import (
    approved_review,
    fill_questionnaire,
    pass_stage,
    review_ready_for_sign_off,
    stage_of,
    start_review,
    submit_stage,
)
from tests.factories import cert_fields, make_user, pdf_upload
from vendors.models import Certification

pytestmark = pytest.mark.django_db


@pytest.fixture
def requester_legal(db):
    """A Legal member who also requests vendors: the segregation-of-duties case (I4)."""
    return make_user("cmo_legal", "Requester", "Legal", is_staff=True)


def page_url(review) -> str:
    return reverse("admin:reviews_review_change", args=[review.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def decision_urls(review, stage_kind) -> list[str]:
    stage = review.stages.get(kind=stage_kind)
    return [
        reverse("admin:reviews_review_decide", args=[review.pk, stage.pk, outcome])
        for outcome in ("pass", "return", "fail")
    ]


def test_legal_sees_the_whole_file_with_red_flags_first(client, requester, legal):
    review = start_review(requester)
    fill_questionnaire(review, requester, overrides={"C1": ("no", "")})
    workflow.stage_submit(stage=stage_of(review, StageKind.QUESTIONNAIRE), actor=requester)
    client.force_login(legal)

    response = client.get(page_url(review))

    assert response.status_code == 200
    html = response.content.decode()
    assert review.vendor.uscc in html and review.vendor.name_zh in html
    assert "Ad Law Art. 43" in html  # the legal basis of the red flag
    rows = response.context["file"].answers
    assert rows[0].question.code == "C1" and rows[0].red_flags
    assert [row.severity for row in rows] == sorted(row.severity for row in rows)
    evidence = response.context["file"].evidence
    assert evidence, "the questionnaire attachments are listed"
    first = evidence[0]
    assert first.sha256 in html
    assert reverse("admin:reviews_review_evidence_download", args=[review.pk, first.pk]) in html
    assert "stage.submitted" in html  # the audit trail
    assert "1 red flag blocks passing this stage" in html


def test_certificates_are_coloured_by_expiry(client, requester, legal, security, settings):
    settings.VETTED_CERT_EXPIRY_WARNING_DAYS = 30
    review = start_review(requester)
    for kind in (StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE):
        pass_stage(review, kind, requester, legal=legal, security=security)
    today = timezone.localdate()
    stage = stage_of(review, StageKind.SECURITY)
    certificate_add(
        stage=stage,
        actor=requester,
        upload=pdf_upload("soon.pdf", "soon"),
        **cert_fields(number="SOON-1", expires_on=today + timedelta(days=10)),
    )
    certificate_add(
        stage=stage,
        actor=requester,
        upload=pdf_upload("late.pdf", "late"),
        **cert_fields(number="LATE-1", expires_on=today + timedelta(days=400)),
    )
    gone = certificate_add(
        stage=stage, actor=requester, upload=pdf_upload("gone.pdf", "gone"), **cert_fields(number="GONE-1")
    )
    # Expired since it was added (an expired one is refused at upload).
    Certification.objects.filter(pk=gone.pk).update(expires_on=today - timedelta(days=1))
    client.force_login(legal)

    response = client.get(page_url(review))

    expiry = {row.certification.number: row.expiry for row in response.context["file"].certificates}
    assert expiry == {"SOON-1": "expiring", "LATE-1": "valid", "GONE-1": "expired"}
    html = response.content.decode()
    assert html.count('data-expiry="expired"') == 1 and html.count('data-expiry="expiring"') == 1


def test_legal_gets_decision_buttons_on_a_submitted_legal_stage(client, requester, legal):
    review = start_review(requester)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    client.force_login(legal)

    html = client.get(page_url(review)).content.decode()

    for url in decision_urls(review, StageKind.QUESTIONNAIRE):
        assert url in html


def test_security_gets_no_buttons_on_a_legal_stage(client, requester, security):
    review = start_review(requester)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    client.force_login(security)

    response = client.get(page_url(review))

    html = response.content.decode()
    assert not any(url in html for url in decision_urls(review, StageKind.QUESTIONNAIRE))
    assert "Only Legal decides" in html


def test_security_gets_buttons_on_the_security_stage_and_legal_does_not(client, requester, legal, security):
    review = start_review(requester)
    pass_stage(review, StageKind.QUESTIONNAIRE, requester, legal=legal, security=security)
    pass_stage(review, StageKind.DATA_SOURCE, requester, legal=legal, security=security)
    submit_stage(review, StageKind.SECURITY, requester)
    urls = decision_urls(review, StageKind.SECURITY)

    client.force_login(security)
    assert all(url in client.get(page_url(review)).content.decode() for url in urls)
    client.force_login(legal)
    assert not any(url in client.get(page_url(review)).content.decode() for url in urls)


def test_a_legal_requester_gets_no_buttons_on_their_own_review(client, requester_legal, legal, security):
    review = review_ready_for_sign_off(requester_legal, legal=legal, security=security)
    client.force_login(requester_legal)

    html = client.get(page_url(review)).content.decode()

    assert reverse("admin:reviews_review_sign_off", args=[review.pk]) not in html
    assert not any(url in html for url in decision_urls(review, StageKind.SIGN_OFF))
    assert "segregation of duties" in html


def test_an_approved_review_shows_its_sign_off_and_dossier_and_no_buttons(client, requester, legal, security):
    review = approved_review(requester, legal=legal, security=security)
    client.force_login(legal)

    response = client.get(page_url(review))

    html = response.content.decode()
    assert review.sign_off.number in html and review.sign_off.valid_until.isoformat() in html
    assert reverse("dossier_list", args=[review.pk]) in html
    assert response.context["decision"] is None
    assert reverse("admin:reviews_review_sign_off", args=[review.pk]) not in html


def test_a_post_that_tampers_state_fields_changes_nothing(client, requester, legal):
    review = start_review(requester)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    events = AuditEvent.objects.count()
    client.force_login(legal)

    response = client.post(
        page_url(review),
        {"state": ReviewState.APPROVED, "risk_tier": "low", "red_flag_count": "0", "requester": legal.pk},
    )

    assert response.status_code == 302
    assert any("read-only" in m for m in messages_of(response))
    after = Review.objects.get(pk=review.pk)
    assert (after.state, after.requester_id) == (ReviewState.IN_PROGRESS, requester.pk)
    assert after.stages.get(kind=StageKind.QUESTIONNAIRE).state == StageState.SUBMITTED
    assert AuditEvent.objects.count() == events


def test_nobody_deletes_or_adds_a_review_not_even_a_superuser(client, requester, admin_user):
    review = start_review(requester)
    client.force_login(admin_user)

    delete = client.post(reverse("admin:reviews_review_delete", args=[review.pk]), {"post": "yes"})
    add = client.get(reverse("admin:reviews_review_add"))

    assert delete.status_code == 302 and any("kept" in m for m in messages_of(delete))
    assert add.status_code == 403
    assert Review.objects.filter(pk=review.pk).exists()


def test_an_outsider_on_the_staff_cannot_see_a_review(client, requester):
    review = start_review(requester)
    staff = make_user("intern", is_staff=True)
    client.force_login(staff)

    assert client.get(page_url(review)).status_code in (403, 404)


def _reviews(requester, n):
    for _ in range(n):
        start_review(requester)


@pytest.mark.parametrize("count", [10, 200])
def test_the_review_page_runs_a_constant_number_of_queries(
    client, requester, legal, security, count, django_assert_max_num_queries
):
    review = approved_review(requester, legal=legal, security=security)  # every section of the page filled
    _reviews(requester, count - 1)
    client.force_login(legal)

    # The sign-off, and whether any contact link exists, come with the review; which answers have files, and
    # the files given with the answers, are read from the page's list of files; the dossiers are read once
    # signed, the certificates once the security stage has been open (this one: both). A review with
    # contact links takes two more: the links, and who acted through them.
    with django_assert_max_num_queries(14):
        response = client.get(page_url(review))

    assert response.status_code == 200


def test_the_page_names_the_vendor_contact_for_their_answers_and_files(client, requester, legal):
    from reviews.evidence import evidence_add
    from reviews.models import EvidenceKind
    from reviews.questionnaire.answers import answers_save
    from tests.builders import answers_for, invite_contact

    review = start_review(requester)
    link, _token = invite_contact(review, requester, name="王五")
    answers_save(review=review, actor=link, answers={"A4": answers_for(review)["A4"]})
    evidence_add(
        stage=stage_of(review, StageKind.QUESTIONNAIRE),
        actor=link,
        kind=EvidenceKind.OTHER,
        upload=pdf_upload("from-vendor.pdf", "vendor"),
    )
    client.force_login(legal)

    page = client.get(page_url(review)).content.decode()

    answers = page[page.index('id="answers"') : page.index('id="evidence"')]
    evidence = page[page.index('id="evidence"') :]
    badge = f"vendor contact 王五 (link #{link.pk})"
    assert answers.count(badge) == 1 and badge in evidence


def test_the_page_lists_the_data_source_documents_required_and_what_provides_them(
    client, requester, legal, security
):
    review = start_review(requester)
    pass_stage(review, StageKind.QUESTIONNAIRE, requester, legal=legal, security=security)
    client.force_login(legal)

    page = client.get(page_url(review)).content.decode()

    table = page[page.index('id="requirements"') : page.index('id="evidence"')]
    rows = dict(re.findall(r'data-kind="(\w+)">(.*?)</tr>', table, re.DOTALL))
    assert "PIPL Art. 55-56" in rows["pipia"] and "with answer B6" in rows["pipia"]
    assert "PIPL Art. 21" in rows["processing_agreement"] and "missing" in rows["processing_agreement"]
    assert "missing" not in rows["pipia"]


def test_the_requirements_wait_until_the_data_source_stage_opens(client, requester, legal):
    review = start_review(requester)
    client.force_login(legal)

    assert 'id="requirements"' not in client.get(page_url(review)).content.decode()


def test_security_sees_the_edition_beside_the_file_and_why_it_lapses(client, requester, legal, security):
    review = start_review(requester)
    for kind in (StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE):
        pass_stage(review, kind, requester, legal=legal, security=security)
    stage = stage_of(review, StageKind.SECURITY)
    certificate_add(
        stage=stage,
        actor=requester,
        upload=pdf_upload("report.pdf", "mlps"),
        **cert_fields(kind="mlps_report", edition="mlps_l3", number="MLPS-1", expires_on=None),
    )
    client.force_login(security)

    html = client.get(page_url(review)).content.decode()

    row = html[html.index("MLPS-1") - 400 : html.index("MLPS-1") + 900]
    assert "MLPS level 3" in row and "Download" in row
    assert "a level-3 assessment report is valid for 12 months" in row


def test_the_admin_review_page_explains_the_tier_with_each_article(client, requester, legal):
    review = start_review(requester, data_traits=["sensitive"])
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    client.force_login(legal)

    html = client.get(page_url(review)).content.decode()

    assert 'data-tier="high"' in html
    assert 'data-article="PIPL Art. 28"' in html and "Sensitive personal information is processed" in html
    assert "A PIPIA report is required" in html and "An approval runs at most 12 months." in html
