"""The audit chain's lock has a timeout (reviews/audit.py, VETTED_AUDIT_LOCK_TIMEOUT_SECONDS): while another
connection holds it, an audited change gives up after the timeout instead of waiting for ever, nothing of it
is written, and the user reads a translated "busy, try again" (503), never a hang. On the real PostgreSQL,
with the lock held by another connection."""

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from reviews.audit import _CHAIN_LOCK, AuditBusy, audit_record
from reviews.models import AuditEvent, Review, ReviewState
from tests.builders import start_review

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chain_held():
    """Another connection holds the chain's lock in an open transaction, as a slow audited write would."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    other = psycopg.connect(**params)
    other.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    yield other
    other.rollback()
    other.close()


def test_an_audited_write_gives_up_after_the_timeout_and_writes_nothing(settings, chain_held):
    settings.VETTED_AUDIT_LOCK_TIMEOUT_SECONDS = 1
    before = AuditEvent.objects.count()

    with pytest.raises(AuditBusy):
        audit_record(action="test.busy", object_type="test", object_id="1")

    assert AuditEvent.objects.count() == before


def test_the_lock_timeout_is_the_audit_lock_only(settings, chain_held):
    """After the lock is taken, the transaction's own lock_timeout is back to what it was."""
    chain_held.rollback()  # released: the write goes through
    settings.VETTED_AUDIT_LOCK_TIMEOUT_SECONDS = 1
    from django.db import transaction

    with transaction.atomic():
        audit_record(action="test.free", object_type="test", object_id="1")
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone()[0] == "0"
    assert AuditEvent.objects.filter(action="test.free").exists()


def test_the_user_is_told_the_site_is_busy_and_nothing_is_saved(client, requester, settings, chain_held):
    chain_held.rollback()
    review = start_review(requester)
    chain_held.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    settings.VETTED_AUDIT_LOCK_TIMEOUT_SECONDS = 1
    client.force_login(requester)

    response = client.post(
        reverse("review_withdraw", args=[review.pk]), {"reason": "不再需要"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert 'data-status="503"' in body
    assert Review.objects.get(pk=review.pk).state != ReviewState.WITHDRAWN
    english = client.post(
        reverse("review_withdraw", args=[review.pk]), {"reason": "x"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Busy: try again in a moment" in english.content.decode()
    assert "nothing of yours was saved" in english.content.decode()
