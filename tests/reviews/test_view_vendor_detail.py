import pytest
from django.urls import reverse

from tests.builders import approved_review, start_review
from tests.factories import VendorFactory
from vendors.models import Vendor
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope, ScopeCondition

pytestmark = pytest.mark.django_db


def _url(vendor):
    return reverse("vendor_detail", args=[vendor.pk])


def test_anonymous_is_sent_to_login(client):
    assert client.get(_url(VendorFactory())).status_code == 302


def test_unknown_vendor_is_404(client, requester):
    client.force_login(requester)
    assert client.get(reverse("vendor_detail", args=[999999])).status_code == 404


def test_approved_vendor_shows_validity_and_the_owners_history(client, requester, legal, security):
    review = approved_review(requester, legal=legal, security=security)
    client.force_login(requester)
    response = client.get(_url(review.vendor))
    body = response.content.decode()
    assert response.context["usable"] is True
    assert review.sign_off.number in body and review.number in body
    assert "dossier-panel" in body


def test_other_requester_sees_the_vendor_but_not_foreign_reviews(client, requester, other_requester):
    review = start_review(requester)
    client.force_login(other_requester)
    response = client.get(_url(review.vendor))
    assert response.status_code == 200
    assert response.context["reviews"] == [] and review.number not in response.content.decode()
    assert "Not on the approved list" in response.content.decode()


def test_reviewer_sees_every_review_of_the_vendor(client, requester, legal):
    review = start_review(requester)
    client.force_login(legal)
    assert client.get(_url(review.vendor)).context["reviews"] == [review]


# -- what the approval covers ------------------------------------------------------------------------------

EDM_ONLY = Scope.build(
    purposes=[Purpose.MEMBER_MARKETING],
    channels=[Channel.EDM],
    data_categories=[DataCategory.CONTACT],
    audience_sources=[AudienceSource.OWN_CONSENTED],
    ceiling=Ceiling.FROM_100K_TO_1M,
    conditions=[ScopeCondition.OPTED_IN_ONLY, ScopeCondition.UNSUBSCRIBE_EVERY_MESSAGE],
    other_conditions="仅限EDM渠道，不得用于短信",
)


def _scope_block(html: str) -> str:
    start = html.index('id="approval-scope"')
    return html[start : html.index("</dl>", start)]


def test_the_vendor_page_says_what_the_approval_covers_and_offers_the_extension(
    client, requester, legal, security
):
    review = approved_review(requester, legal=legal, security=security, scope=EDM_ONLY)
    client.force_login(requester)

    html = client.get(_url(review.vendor)).content.decode()

    assert "for the uses in its scope only" in html
    block = _scope_block(html)
    for text in (
        "Member marketing",
        "E-mail (EDM)",
        "Contact details",
        "Own customers or members who consented",
        "Not covered",
        "Up to 1 million individuals",
        "Only recipients who opted in",
        "An unsubscribe in every message",
        "仅限EDM渠道，不得用于短信",
    ):
        assert text in block, text
    assert "SMS" not in block
    assert "to be confirmed by Legal" not in html
    assert reverse("activities:extension_new", args=[review.vendor.pk]) in html


def test_a_reader_who_requests_nothing_is_not_offered_the_extension(client, requester, legal, security):
    review = approved_review(requester, legal=legal, security=security, scope=EDM_ONLY)
    client.force_login(security)

    html = client.get(_url(review.vendor)).content.decode()

    assert "E-mail (EDM)" in _scope_block(html)
    assert reverse("activities:extension_new", args=[review.vendor.pk]) not in html


def test_a_derived_scope_is_marked_on_the_vendor_page_in_chinese(client, requester, legal, security):
    review = approved_review(requester, legal=legal, security=security, scope=EDM_ONLY)
    Vendor.objects.filter(pk=review.vendor_id).update(scope_confirmed=False)
    client.force_login(requester)

    html = client.get(_url(review.vendor), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "由回答推定，待法务确认" in html
    assert "适用范围" in html
    block = _scope_block(html)
    assert "会员营销" in block and "电子邮件（EDM）" in block and "仅限已同意的接收者" in block
    assert "申请扩展适用范围" in html


def test_a_vendor_not_approved_shows_no_scope(client, requester):
    review = start_review(requester)
    client.force_login(requester)

    response = client.get(_url(review.vendor))

    assert response.context["scope"] is None
    assert 'id="approval-scope"' not in response.content.decode()
