"""API keys: created and revoked by Legal only, hashed at rest, their last use recorded, both changes audited."""

import hashlib

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from reviews.api_keys import ApiKeyRevoked, api_key_create, api_key_resolve, api_key_revoke
from reviews.errors import WorkflowError
from reviews.models import ApiKey, AuditEvent

pytestmark = pytest.mark.django_db


def test_only_the_hash_of_the_token_is_stored(api_key, token):
    stored = ApiKey.objects.filter(pk=api_key.pk).values().get()
    assert token not in repr(stored)
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(stored["prefix"]) and len(token) > 40


def test_two_keys_never_share_a_token(legal):
    tokens = {api_key_create(actor=legal, name=f"system {n}")[1] for n in range(5)}
    assert len(tokens) == 5


def test_creation_is_audited_without_the_token(api_key, token, legal):
    event = AuditEvent.objects.get(action="api_key.created")
    assert event.actor == legal and event.object_id == str(api_key.pk)
    assert event.data["name"] == "CDP production" and event.data["prefix"] == api_key.prefix
    assert token not in repr(event.data)


def test_revocation_is_audited(api_key, other_legal):
    api_key_revoke(actor=other_legal, key=api_key)
    event = AuditEvent.objects.get(action="api_key.revoked")
    assert event.actor == other_legal and event.object_id == str(api_key.pk)
    api_key.refresh_from_db()
    assert api_key.revoked_by == other_legal and api_key.revoked_at is not None


@pytest.mark.parametrize("persona", ["security", "auditor", "requester", "outsider"])
def test_only_legal_creates_keys(persona, request):
    with pytest.raises(WorkflowError):
        api_key_create(actor=request.getfixturevalue(persona), name="CDP")
    assert not ApiKey.objects.exists() and not AuditEvent.objects.filter(action="api_key.created").exists()


def test_only_legal_revokes_keys(api_key, security):
    with pytest.raises(WorkflowError):
        api_key_revoke(actor=security, key=api_key)
    assert ApiKey.objects.get(pk=api_key.pk).revoked_at is None


def test_a_key_is_revoked_once(api_key, legal):
    api_key_revoke(actor=legal, key=api_key)
    with pytest.raises(WorkflowError):
        api_key_revoke(actor=legal, key=api_key)
    assert AuditEvent.objects.filter(action="api_key.revoked").count() == 1


def test_a_key_needs_a_name(legal):
    with pytest.raises(WorkflowError):
        api_key_create(actor=legal, name="  ")


def test_a_call_records_the_last_use(api_key, api):
    assert api_key.last_used_at is None
    api.get(reverse("api:vendors"))
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at is not None


def test_revoked_token_no_longer_resolves(api_key, token, legal):
    assert api_key_resolve(token=token) == api_key
    api_key_revoke(actor=legal, key=api_key)
    with pytest.raises(ApiKeyRevoked):
        api_key_resolve(token=token)


def test_a_revoked_key_refuses_even_a_client_that_already_called(api_key, token, legal):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get(reverse("api:vendors")).status_code == 200
    api_key_revoke(actor=legal, key=api_key)
    assert client.get(reverse("api:vendors")).status_code == 403
