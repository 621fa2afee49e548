"""Legal opens catch-up reviews in bulk from the vendor register's admin action."""

from datetime import timedelta

import pytest
from django.contrib.admin import helpers
from django.contrib.messages import get_messages
from django.urls import reverse

from reviews.models import Review
from tests.builders import today
from tests.factories import VendorFactory
from vendors.models import VendorStatus

pytestmark = pytest.mark.django_db
VENDORS = reverse("admin:vendors_vendor_changelist")


def act(client, vendors, **extra):
    return client.post(
        VENDORS,
        {"action": "open_catch_up_reviews", helpers.ACTION_CHECKBOX_NAME: [v.pk for v in vendors], **extra},
    )


@pytest.fixture
def platforms(requester):
    return [VendorFactory(status=VendorStatus.IN_USE, business_owner=requester) for _ in range(3)]


def test_the_action_first_asks_for_the_deadline_defaulting_to_90_days(client, legal, platforms, settings):
    settings.VETTED_CATCH_UP_DAYS = 90
    client.force_login(legal)

    response = act(client, platforms)

    assert response.templates[0].name == "admin/vendors/vendor/catch_up.html"
    assert response.context["form"].initial["due"] == today() + timedelta(days=90)
    assert not Review.objects.exists()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_default_deadline_shows_in_the_date_field_in_either_language(client, legal, platforms, language):
    # A date input shows only YYYY-MM-DD: in the language's own format the field would look empty.
    client.force_login(legal)
    client.cookies["django_language"] = language

    page = act(client, platforms).content.decode()

    assert f'value="{(today() + timedelta(days=90)).isoformat()}"' in page


def test_legal_opens_them_in_bulk_and_the_others_are_refused_by_name(client, legal, platforms):
    approved_elsewhere = VendorFactory(name_zh="候选公司")
    client.force_login(legal)
    due = today() + timedelta(days=60)

    response = act(client, [*platforms, approved_elsewhere], apply="1", due=due.isoformat())

    assert Review.objects.filter(catch_up=True).count() == 3
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("候选公司" in m for m in messages)
    assert {v.catch_up_due for v in type(platforms[0]).objects.filter(status=VendorStatus.IN_USE)} == {due}


def test_a_deadline_in_the_past_opens_nothing(client, legal, platforms):
    client.force_login(legal)

    act(client, platforms, apply="1", due=today().isoformat())

    assert not Review.objects.exists()


@pytest.mark.parametrize("persona", ["security", "auditor"])
def test_others_do_not_get_the_action(client, request, platforms, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(VENDORS)

    if response.status_code == 200:
        assert "open_catch_up_reviews" not in response.content.decode()
    act(client, platforms, apply="1", due=(today() + timedelta(days=9)).isoformat())
    assert not Review.objects.exists()
