"""A returned security stage: the certificates of the earlier round stay on record and count again unless
the requester sets them aside; an expired one no longer blocks the next submission (I6, I7)."""

from datetime import timedelta

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from reviews import workflow
from reviews.errors import Detail, WorkflowError
from reviews.evidence import certificate_add, certificate_withdraw
from reviews.models import AuditEvent, StageCertification, StageKind, StageState
from reviews.submission import missing_content, sign_off_validity_cap
from tests import builders
from tests.factories import cert_fields, pdf_upload

pytestmark = pytest.mark.django_db

SEC = StageKind.SECURITY


@pytest.fixture
def returned(requester, legal, security):
    """A review whose security stage was submitted with one ISO 27001 certificate, then returned."""
    review = builders.start_review(requester)
    for kind in (StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE):
        builders.pass_stage(review, kind, requester, legal=legal, security=security)
    builders.submit_stage(review, SEC, requester)
    workflow.stage_return(
        stage=builders.stage_of(review, SEC),
        actor=security,
        comment="证书即将到期，请补充新证书 / the certificate is about to expire",
    )
    return review


def _first_certificate(review):
    return builders.stage_of(review, SEC).certificate_links.get().certification


def _expire(certification):
    # The certificate ran out while the stage was back with the requester.
    type(certification).objects.filter(pk=certification.pk).update(
        expires_on=builders.today() - timedelta(days=1)
    )
    certification.refresh_from_db()


def test_a_valid_certificate_of_the_earlier_round_counts_again(returned, requester):
    stage = builders.stage_of(returned, SEC)

    assert stage.round == 2
    assert missing_content(stage) == []
    workflow.stage_submit(stage=stage, actor=requester)
    assert builders.stage_of(returned, SEC).state == StageState.SUBMITTED


def test_an_expired_certificate_of_the_earlier_round_blocks_until_it_is_set_aside(returned, requester):
    stage = builders.stage_of(returned, SEC)
    old = _first_certificate(returned)
    _expire(old)
    assert any("lapsed on" in problem.message for problem in missing_content(stage))

    link = certificate_withdraw(stage=stage, certification=old, actor=requester)
    certificate_add(
        stage=stage,
        actor=requester,
        upload=pdf_upload("iso-2026.pdf", text="renewed"),
        **cert_fields(number="ISMS-2026-0001"),
    )
    workflow.stage_submit(stage=builders.stage_of(returned, SEC), actor=requester)

    old.refresh_from_db()
    assert (link.round, link.dropped_in_round) == (1, 2)
    assert old.frozen and old.withdrawn_at is None  # still the record of round 1
    assert [c.number for c in builders.stage_of(returned, SEC).current_certifications()] == ["ISMS-2026-0001"]
    event = AuditEvent.objects.get(action="stage.certificate_set_aside")
    assert (event.review_id, event.data["number"], event.data["round"]) == (returned.pk, old.number, 2)


def test_setting_aside_the_only_certificate_leaves_the_stage_incomplete(returned, requester):
    stage = builders.stage_of(returned, SEC)

    certificate_withdraw(stage=stage, certification=_first_certificate(returned), actor=requester)

    assert missing_content(stage) == [Detail("Add at least one security certificate with its file.")]


def test_a_certificate_set_aside_cannot_be_set_aside_twice(returned, requester):
    stage = builders.stage_of(returned, SEC)
    old = _first_certificate(returned)
    certificate_withdraw(stage=stage, certification=old, actor=requester)

    with pytest.raises(WorkflowError) as refused:
        certificate_withdraw(stage=stage, certification=old, actor=requester)

    assert refused.value.code == "state"


def test_a_certificate_of_this_round_is_withdrawn_and_stays_listed(returned, requester):
    stage = builders.stage_of(returned, SEC)
    new = certificate_add(
        stage=stage,
        actor=requester,
        upload=pdf_upload("wrong.pdf", text="wrong"),
        **cert_fields(number="WRONG-1"),
    )

    link = certificate_withdraw(stage=stage, certification=new, actor=requester)

    new.refresh_from_db()
    assert new.withdrawn_at is not None
    assert (link.round, link.dropped_in_round) == (2, 2)
    assert StageCertification.objects.filter(stage=stage).count() == 2


def test_only_the_requester_sets_a_certificate_aside(returned, security):
    stage = builders.stage_of(returned, SEC)

    with pytest.raises(WorkflowError) as refused:
        certificate_withdraw(stage=stage, certification=_first_certificate(returned), actor=security)

    assert refused.value.code == "forbidden"
    assert StageCertification.objects.get(stage=stage).dropped_in_round is None


def test_the_validity_cap_ignores_a_certificate_set_aside(returned, requester):
    stage = builders.stage_of(returned, SEC)
    old = _first_certificate(returned)
    type(old).objects.filter(pk=old.pk).update(expires_on=builders.today() + timedelta(days=40))
    certificate_withdraw(stage=stage, certification=old, actor=requester)
    certificate_add(
        stage=stage,
        actor=requester,
        upload=pdf_upload("iso-2026.pdf", text="renewed"),
        **cert_fields(number="ISMS-2026-0001", expires_on=builders.today() + timedelta(days=200)),
    )

    cap = sign_off_validity_cap(returned, today=builders.today())

    assert cap.date == builders.today() + timedelta(days=200)


def test_a_stage_certificate_link_is_never_deleted(returned):
    with pytest.raises(ProtectedError):
        StageCertification.objects.filter(stage__review=returned).delete()


def test_the_security_page_offers_to_set_aside_and_shows_what_was(client, returned, requester):
    stage = builders.stage_of(returned, SEC)
    old = _first_certificate(returned)
    client.force_login(requester)
    page = client.get(reverse("security", args=[returned.pk])).content.decode()
    assert "Set aside" in page and 'id="set-aside-note"' in page

    response = client.post(reverse("certificate_withdraw", args=[returned.pk, old.pk]), follow=True)

    page = response.content.decode()
    assert f"Certificate {old} was set aside for this round." in page
    assert "set aside in round 2" in page
    assert f'id="withdraw-cert-{old.pk}"' not in page  # nothing more to do with it
    assert StageCertification.objects.get(stage=stage, certification=old).dropped_in_round == 2


def test_the_admin_review_page_greys_a_certificate_set_aside(client, returned, requester, security):
    old = _first_certificate(returned)
    certificate_withdraw(stage=builders.stage_of(returned, SEC), certification=old, actor=requester)
    client.force_login(security)

    page = client.get(reverse("admin:reviews_review_change", args=[returned.pk])).content.decode()

    assert 'data-set-aside="2"' in page


def _approve_with_a_new_certificate(review, requester, legal, security):
    """Set the round-1 certificate aside, add ISMS-2026-0001, and take the review to its sign-off."""
    from reviews.models import Review
    from tests.factories import PASSWORD

    stage = builders.stage_of(review, SEC)
    old = _first_certificate(review)
    certificate_withdraw(stage=stage, certification=old, actor=requester)
    certificate_add(
        stage=stage,
        actor=requester,
        upload=pdf_upload("iso-2026.pdf", text="renewed"),
        **cert_fields(number="ISMS-2026-0001"),
    )
    workflow.stage_submit(stage=builders.stage_of(review, SEC), actor=requester)
    workflow.stage_pass(stage=builders.stage_of(review, SEC), actor=security)
    workflow.review_sign_off(
        review=Review.objects.get(pk=review.pk),
        actor=legal,
        password=PASSWORD,
        statement="准予入库 / approved",
    )
    return old


def test_the_dossier_lists_a_certificate_set_aside_with_its_round(returned, requester, legal, security):
    from reviews.dossier.render import dossier_html
    from reviews.models import Review

    old = _approve_with_a_new_certificate(returned, requester, legal, security)

    html = dossier_html(Review.objects.get(pk=returned.pk))

    table = html[html.index('id="certificates"') : html.index('id="decisions"')]
    assert "ISMS-2026-0001" in table and old.number in table
    assert table.count("Set aside in round 2") == 1


def test_the_vendor_page_lists_the_certificates_the_approval_rests_on(
    client, returned, requester, legal, security
):
    _approve_with_a_new_certificate(returned, requester, legal, security)
    client.force_login(requester)

    response = client.get(reverse("vendor_detail", args=[returned.vendor_id]))

    assert [c.number for c in response.context["certificates"]] == ["ISMS-2026-0001"]
