"""API keys in the admin: Legal creates one and sees its token once; the action revokes; others only read."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from reviews.models import ApiKey, AuditEvent
from reviews.models.api_key import api_token_hash

pytestmark = pytest.mark.django_db
ADD = reverse("admin:reviews_apikey_add")
LIST = reverse("admin:reviews_apikey_changelist")


def create(client, name="SMS platform"):
    return client.post(ADD, {"name": name, "scopes": ["vendors:read"]})


def test_legal_creates_a_key_and_sees_its_token_once(client, legal):
    client.force_login(legal)
    response = create(client)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    token = re.search(r'id="api-token"[^>]*value="(vtd_[^"]+)"', response.content.decode()).group(1)
    key = ApiKey.objects.get()
    assert (
        key.token_hash == api_token_hash(token) and key.created_by == legal and key.scopes == ["vendors:read"]
    )
    assert AuditEvent.objects.filter(action="api_key.created", object_id=str(key.pk)).exists()
    for page in (reverse("admin:reviews_apikey_change", args=[key.pk]), LIST):
        html = client.get(page).content.decode()
        assert key.prefix in html and token not in html


def test_the_list_shows_the_last_use(client, legal, api_key, api):
    api.get(reverse("api:vendors"))
    client.force_login(legal)
    html = client.get(LIST).content.decode()
    assert "CDP production" in html and "field-last_used_at" in html
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at is not None


def test_legal_revokes_a_key_with_the_action(client, legal, api_key, api):
    client.force_login(legal)
    response = client.post(LIST, {"action": "revoke_keys", ACTION_CHECKBOX_NAME: [api_key.pk]}, follow=True)
    assert response.status_code == 200
    assert ApiKey.objects.get(pk=api_key.pk).revoked_at is not None
    assert AuditEvent.objects.filter(action="api_key.revoked", actor=legal).count() == 1
    assert api.get(reverse("api:vendors")).status_code == 403


def test_a_key_is_never_edited_or_deleted_in_the_admin(client, legal, api_key):
    client.force_login(legal)
    client.post(reverse("admin:reviews_apikey_change", args=[api_key.pk]), {"name": "renamed"})
    client.post(reverse("admin:reviews_apikey_delete", args=[api_key.pk]), {"post": "yes"})
    assert ApiKey.objects.get(pk=api_key.pk).name == "CDP production"


def test_the_auditor_reads_keys_but_neither_creates_nor_revokes(client, auditor, api_key):
    client.force_login(auditor)
    assert client.get(LIST).status_code == 200
    assert client.get(ADD).status_code == 403
    client.post(LIST, {"action": "revoke_keys", ACTION_CHECKBOX_NAME: [api_key.pk]})
    assert ApiKey.objects.get(pk=api_key.pk).revoked_at is None


def test_a_superuser_without_the_legal_role_creates_no_key(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    client.force_login(admin)
    assert client.get(ADD).status_code == 403
    assert create(client).status_code == 403 and not ApiKey.objects.exists()


def test_security_does_not_see_the_keys(client, security):
    client.force_login(security)
    assert client.get(LIST).status_code == 403


def test_a_key_gets_its_own_rate_or_the_sites(client, legal, settings):
    settings.VETTED_API_RATE = "120/min"
    client.force_login(legal)
    client.post(ADD, {"name": "CDP production", "scopes": ["vendors:read"], "rate": "600/min"})
    create(client, name="Ad tool")

    busy, plain = ApiKey.objects.get(name="CDP production"), ApiKey.objects.get(name="Ad tool")
    assert (busy.rate, plain.rate) == ("600/min", "")
    assert AuditEvent.objects.get(action="api_key.created", object_id=str(busy.pk)).data["rate"] == "600/min"
    assert "600/min" in client.get(reverse("admin:reviews_apikey_change", args=[busy.pk])).content.decode()
    assert (
        "the site&#x27;s rate (120/min)"
        in client.get(reverse("admin:reviews_apikey_change", args=[plain.pk])).content.decode()
    )


@pytest.mark.parametrize("rate", ["fast", "0/min", "10/week", "-5/s", "1.5/min"])
def test_a_rate_the_throttle_cannot_read_is_refused_and_nothing_is_created(client, legal, rate):
    client.force_login(legal)
    response = client.post(ADD, {"name": "SMS platform", "scopes": ["vendors:read"], "rate": rate})
    assert response.status_code == 200
    assert "such as 600/min" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_legal_is_offered_the_activities_scope_and_a_key_with_it_reads_activities(client, legal):
    client.force_login(legal)
    form = client.get(ADD).content.decode()
    assert 'value="vendors:read"' in form and 'value="activities:read"' in form
    assert "Read marketing activities" in form
    client.post(ADD, {"name": "Campaign tool", "scopes": ["vendors:read", "activities:read"]})
    key = ApiKey.objects.get(name="Campaign tool")
    assert key.scopes == ["vendors:read", "activities:read"] and key.allows("activities:read")
    assert "Read marketing activities" in client.get(LIST).content.decode()
