import pytest
from django.urls import reverse

from reviews import workflow
from reviews.models import Review, ReviewState, SignOff, StageKind
from reviews.questionnaire.answers import review_rescore
from tests.builders import approved_review, stage_of, start_review, submit_stage
from vendors.models import Vendor
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope, ScopeCondition

pytestmark = pytest.mark.django_db


def _url(review):
    return reverse("review_detail", args=[review.pk])


def test_anonymous_is_sent_to_login(client, requester):
    assert client.get(_url(start_review(requester))).status_code == 302


def test_owner_sees_the_four_stages_with_whose_turn(client, requester):
    review = start_review(requester)
    client.force_login(requester)
    response = client.get(_url(review))
    body = response.content.decode()
    assert [s.kind for s in response.context["stages"]] == [k.value for k in StageKind]
    assert "Your turn" in body and "Withdraw this request" in body
    assert reverse("questionnaire", args=[review.pk]) in body


def test_other_requester_gets_404_for_a_foreign_review(client, requester, other_requester):
    review = start_review(requester)
    client.force_login(other_requester)
    assert client.get(_url(review)).status_code == 404


def test_reviewer_reads_without_withdraw(client, requester, legal):
    review = start_review(requester)
    client.force_login(legal)
    body = client.get(_url(review)).content.decode()
    assert review.number in body and "Withdraw this request" not in body


def test_returned_stage_shows_the_reviewers_comment(client, requester, legal):
    review = start_review(requester)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    workflow.stage_return(
        stage=stage_of(review, StageKind.QUESTIONNAIRE), actor=legal, comment="Explain B2 better"
    )
    client.force_login(requester)
    assert "Explain B2 better" in client.get(_url(review)).content.decode()


def test_owner_withdraws(client, requester):
    review = start_review(requester)
    client.force_login(requester)
    response = client.post(
        reverse("review_withdraw", args=[review.pk]), {"reason": "budget cut"}, follow=True
    )
    review.refresh_from_db()
    assert review.state == ReviewState.WITHDRAWN
    assert "was withdrawn" in response.content.decode()


def test_reviewer_cannot_withdraw(client, requester, legal):
    review = start_review(requester)
    client.force_login(legal)
    response = client.post(reverse("review_withdraw", args=[review.pk]), follow=True)
    review.refresh_from_db()
    assert review.state == ReviewState.DRAFT
    assert "Only the requester can withdraw a request." in response.content.decode()


def test_other_requester_cannot_withdraw_a_foreign_review(client, requester, other_requester):
    review = start_review(requester)
    client.force_login(other_requester)
    assert client.post(reverse("review_withdraw", args=[review.pk])).status_code == 404
    review.refresh_from_db()
    assert review.state == ReviewState.DRAFT


def test_approved_review_shows_the_sign_off_and_the_dossier_panel(client, requester, legal, security):
    from tests.builders import approved_review

    review = approved_review(requester, legal=legal, security=security)
    client.force_login(requester)
    body = client.get(_url(review)).content.decode()
    assert review.sign_off.number in body
    assert "dossier-panel" in body


def test_a_fresh_draft_is_not_assessed_yet_never_low_0(client, requester):
    review = start_review(requester)
    client.force_login(requester)

    body = client.get(_url(review)).content.decode()

    assert 'data-tier="not-assessed"' in body and "not assessed yet" in body
    assert 'data-tier="low"' not in body


def test_the_request_sets_the_floor_and_the_page_explains_it_with_the_article(client, requester):
    """PIPL Art. 38-40 and Art. 31 from the request alone: at least High before any answer."""
    review = start_review(requester, data_traits=["cross_border", "minors"])
    client.force_login(requester)

    body = client.get(_url(review)).content.decode()

    assert "at least High from the request" in body
    assert 'data-article="PIPL Art. 38-40"' in body and 'data-article="PIPL Art. 31"' in body
    review.refresh_from_db()
    assert review.risk_tier == "high"


def test_the_tier_shown_on_the_review_page_lists_why(client, requester):
    review = start_review(requester)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    Review.objects.filter(pk=review.pk).update(expected_volume="1m_10m")
    review.refresh_from_db()
    review_rescore(review)
    client.force_login(requester)

    body = client.get(_url(review)).content.decode()

    assert 'data-tier="high"' in body and 'data-article="PIPL Art. 52"' in body
    assert "An approval runs at most 12 months." in body


# -- what the approval covers ------------------------------------------------------------------------------

EDM_ONLY = Scope.build(
    purposes=[Purpose.MEMBER_MARKETING],
    channels=[Channel.EDM],
    data_categories=[DataCategory.CONTACT],
    audience_sources=[AudienceSource.OWN_CONSENTED],
    ceiling=Ceiling.FROM_100K_TO_1M,
    conditions=[ScopeCondition.OPTED_IN_ONLY],
)


def _scope_section(html: str) -> str:
    start = html.index('id="approval-scope-title"')
    return html[start : html.index("</section>", start)]


def test_the_approved_review_shows_the_scope_its_sign_off_approved(client, requester, legal, security):
    review = approved_review(requester, legal=legal, security=security, scope=EDM_ONLY)
    client.force_login(requester)

    html = client.get(_url(review)).content.decode()

    section = _scope_section(html)
    for text in (
        "Scope of approval",
        "Member marketing",
        "E-mail (EDM)",
        "Contact details",
        "Only recipients who opted in (Advertising Law Art. 43)",
        "Up to 1 million individuals",
    ):
        assert text in section, text
    assert "to be confirmed by Legal" not in section
    assert 'id="scope-extended"' not in html


def test_a_derived_scope_is_marked_and_a_later_extension_is_pointed_to_in_chinese(
    client, requester, legal, security
):
    review = approved_review(requester, legal=legal, security=security, scope=EDM_ONLY)
    SignOff.objects.filter(review=review).update(scope_confirmed=False)
    widened = EDM_ONLY.widened_by(Scope.build(channels=[Channel.SMS]))
    Vendor.objects.filter(pk=review.vendor_id).update(approved_scope=widened.as_json())
    client.force_login(requester)

    html = client.get(_url(review), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    section = _scope_section(html)
    assert "适用范围" in section and "由回答推定，待法务确认" in section
    assert "电子邮件（EDM）" in section and "短信" not in section.split("</dl>")[0]
    assert "此后该审批的适用范围已扩展" in section
    assert reverse("vendor_detail", args=[review.vendor_id]) + "#approval-scope" in section


def test_an_open_review_shows_no_scope(client, requester):
    review = start_review(requester)
    client.force_login(requester)

    response = client.get(_url(review))

    assert response.context["scope"] is None
    assert 'id="approval-scope-title"' not in response.content.decode()
