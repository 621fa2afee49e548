"""Legal confirms a scope the migration derived from the answers (reviews/admin/scope_confirm.py,
reviews.approval_scope): reachable from the review page and the sign-off's page while unconfirmed, Legal only
and never the requester (I4), audited, and the flags cleared on the sign-off and the vendor."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reviews.approval_scope import sign_off_confirm_scope
from reviews.errors import WorkflowError
from reviews.models import AuditEvent, SignOff
from tests.builders import approved_review, scope_form_data
from tests.factories import make_user
from vendors.models import Vendor
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope, ScopeCondition

pytestmark = pytest.mark.django_db

DERIVED = Scope.build(
    purposes=[Purpose.MEMBER_MARKETING],
    channels=[Channel.SMS, Channel.EDM],
    data_categories=[DataCategory.CONTACT],
    audience_sources=[AudienceSource.OWN_CONSENTED],
    ceiling=Ceiling.FROM_100K_TO_1M,
    conditions=[ScopeCondition.OPTED_IN_ONLY, ScopeCondition.NO_EXTERNAL_LISTS],
)
NARROWED = Scope.build(
    purposes=[Purpose.MEMBER_MARKETING],
    channels=[Channel.EDM],
    data_categories=[DataCategory.CONTACT],
    audience_sources=[AudienceSource.OWN_CONSENTED],
    ceiling=Ceiling.LT_100K,
    conditions=[
        ScopeCondition.OPTED_IN_ONLY,
        ScopeCondition.UNSUBSCRIBE_EVERY_MESSAGE,
        ScopeCondition.NO_EXTERNAL_LISTS,
    ],
)


def derived(review):
    """The review's approval as the migration left it: a scope derived from the answers, unconfirmed."""
    SignOff.objects.filter(review=review).update(scope=DERIVED.as_json(), scope_confirmed=False)
    Vendor.objects.filter(pk=review.vendor_id).update(approved_scope=DERIVED.as_json(), scope_confirmed=False)
    return SignOff.objects.select_related("review").get(review=review)


@pytest.fixture
def signed(requester, legal, security):
    return approved_review(requester, legal=legal, security=security)


@pytest.fixture
def unconfirmed(signed):
    return derived(signed)


def url_of(review) -> str:
    return reverse("admin:reviews_review_confirm_scope", args=[review.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_legal_reaches_the_page_from_the_review_and_the_sign_off_page(client, legal, unconfirmed):
    client.force_login(legal)

    review_page = client.get(
        reverse("admin:reviews_review_change", args=[unconfirmed.review_id])
    ).content.decode()
    sign_off_page = client.get(
        reverse("admin:reviews_signoff_change", args=[unconfirmed.pk])
    ).content.decode()

    for html in (review_page, sign_off_page):
        assert url_of(unconfirmed.review) in html
        assert "Derived from the answers, to be confirmed by Legal" in html
        assert "E-mail (EDM)" in html  # the derived scope, in words


def test_no_link_once_the_scope_is_confirmed(client, legal, signed):
    client.force_login(legal)

    html = client.get(reverse("admin:reviews_review_change", args=[signed.pk])).content.decode()

    assert url_of(signed) not in html
    assert "Derived from the answers" not in html
    assert 'id="approval-scope"' in html  # the scope itself is shown


def test_the_page_is_prefilled_with_the_derived_scope(client, legal, unconfirmed):
    client.force_login(legal)

    response = client.get(url_of(unconfirmed.review))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["channels"] == [Channel.SMS, Channel.EDM]
    assert form.initial["ceiling"] == Ceiling.FROM_100K_TO_1M
    assert 'value="purchased"' not in response.content.decode()


def test_legal_confirms_a_narrowed_scope_and_both_flags_are_cleared(client, legal, unconfirmed):
    client.force_login(legal)

    response = client.post(url_of(unconfirmed.review), scope_form_data(NARROWED))

    assert response.status_code == 302
    assert any("is confirmed" in m for m in messages_of(response))
    sign_off = SignOff.objects.get(pk=unconfirmed.pk)
    assert (Scope.from_json(sign_off.scope), sign_off.scope_confirmed) == (NARROWED, True)
    vendor = Vendor.objects.get(pk=unconfirmed.review.vendor_id)
    assert (vendor.scope, vendor.scope_confirmed) == (NARROWED, True)
    event = AuditEvent.objects.get(action="scope.confirmed")
    assert (event.actor, event.review_id) == (legal, unconfirmed.review_id)
    assert event.data["old"] == DERIVED.as_json() and event.data["new"] == NARROWED.as_json()


def test_an_incomplete_scope_is_refused_and_kept_on_the_page(client, legal, unconfirmed):
    client.force_login(legal)
    data = scope_form_data(NARROWED)
    data["channels"] = []

    response = client.post(url_of(unconfirmed.review), data)

    assert response.status_code == 200
    assert response.context["form"].errors["channels"] == [
        "Tick at least one channel the vendor is approved for."
    ]
    assert response.context["form"]["other_conditions"].value() == ""
    assert SignOff.objects.get(pk=unconfirmed.pk).scope_confirmed is False


@pytest.mark.parametrize("persona", ["security", "auditor"])
def test_other_reviewers_are_sent_back_and_a_forced_post_is_refused_and_audited(
    client, persona, request, unconfirmed
):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    page = client.get(url_of(unconfirmed.review))
    forced = client.post(url_of(unconfirmed.review), scope_form_data(NARROWED))

    assert page.status_code == 302 and any("Only Legal confirms" in m for m in messages_of(page))
    assert forced.status_code == 200
    assert "Only Legal confirms an approval's scope." in forced.context["form"].non_field_errors()
    assert SignOff.objects.get(pk=unconfirmed.pk).scope_confirmed is False
    assert Vendor.objects.get(pk=unconfirmed.review.vendor_id).scope == DERIVED
    assert AuditEvent.objects.filter(action="scope.confirm_refused", actor=user).exists()


def test_a_legal_member_cannot_confirm_the_scope_of_a_review_they_requested(client, legal, security):
    legal_requester = make_user("cmo_legal", "Requester", "Legal", is_staff=True)
    review = approved_review(legal_requester, legal=legal, security=security)
    sign_off = derived(review)
    client.force_login(legal_requester)

    page = client.get(url_of(review))
    forced = client.post(url_of(review), scope_form_data(NARROWED))

    assert page.status_code == 302 and any("segregation of duties" in m for m in messages_of(page))
    assert any("segregation of duties" in e for e in forced.context["form"].non_field_errors())
    assert SignOff.objects.get(pk=sign_off.pk).scope_confirmed is False
    assert AuditEvent.objects.filter(action="scope.confirm_refused", actor=legal_requester).exists()


def test_the_service_refuses_the_requester_even_without_the_page(requester, unconfirmed):
    with pytest.raises(WorkflowError) as refused:
        sign_off_confirm_scope(sign_off=unconfirmed, actor=requester, scope=NARROWED)

    assert refused.value.code == "forbidden"
    assert SignOff.objects.get(pk=unconfirmed.pk).scope_confirmed is False


def test_a_confirmed_scope_is_not_confirmed_twice(client, legal, signed):
    client.force_login(legal)

    page = client.get(url_of(signed))

    assert page.status_code == 302 and any("already confirmed" in m for m in messages_of(page))


def test_a_requester_is_sent_to_the_admin_sign_in(client, requester, unconfirmed):
    client.force_login(requester)

    response = client.get(url_of(unconfirmed.review))

    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_the_confirmation_reads_as_a_sentence_in_the_audit_log(client, legal, unconfirmed):
    from reviews.audit_sentences import audit_sentence

    client.force_login(legal)
    client.post(url_of(unconfirmed.review), scope_form_data(NARROWED))

    sentence = audit_sentence(AuditEvent.objects.get(action="scope.confirmed"))
    assert sentence.startswith(f"legal confirmed the scope of {unconfirmed.number}, changed from")
    assert "SMS" in sentence and "E-mail (EDM)" in sentence
