"""verify_audit reads the log as a stream of plain rows and hashes them without model instances: the bytes it
hashes are exactly those AuditEvent.compute_hash covers, whatever the content, on SQLite and on PostgreSQL
(where the database writes part of each payload)."""

import datetime as dt

import pytest
from django.db import connection

from reviews import audit
from reviews.audit import audit_record, audit_verify
from reviews.audit_checkpoints import audit_checkpoint
from reviews.models import AuditEvent
from reviews.models.audit import keyed_hash, keyed_payload
from tests.reviews.test_audit import tamper

pytestmark = pytest.mark.django_db

AWKWARD = "".join(chr(code) for code in range(1, 32)) + '"\\/\x7f\u2028\u2029 华为 é 😀 </script>'


def _payload(event: AuditEvent) -> bytes:
    return keyed_payload(
        event.at,
        event.actor_id,
        event.actor_label,
        event.action,
        event.review_id,
        event.vendor_id,
        event.object_type,
        event.object_id,
        event.data,
        event.prev_hash,
    )


@pytest.fixture
def awkward_log(requester):
    audit_record(action="test.plain", actor=requester, data={})
    audit_record(
        action="test.awkward" + AWKWARD[:20],
        actor="contact " + AWKWARD,
        object_type=AWKWARD[:40],
        object_id=AWKWARD[-40:],
        data={
            "z": AWKWARD,
            "a": [1, 2.5, 1e-7, 0.1 + 0.2, -0, 10**30, None, True],
            "m": {"y": {"b": "", "a": False}, "é": "x", "E": 1, "": AWKWARD},
            "on": dt.date(2026, 11, 30),
            "at": dt.datetime(2026, 1, 2, 3, 4, 5),
        },
    )
    audit_record(action="test.empty", actor=None, object_type="", object_id="", data={"list": [], "obj": {}})
    # A time on the second exactly and one far from UTC: the payload writes both in UTC with microseconds.
    for at in (
        dt.datetime(2026, 11, 30, 12, 0, 0, tzinfo=dt.UTC),
        dt.datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    ):
        event = AuditEvent(
            at=at,
            actor_label="clock",
            action="test.at",
            object_type="t",
            object_id="1",
            data={},
            prev_hash=AuditEvent.objects.order_by("-pk").values_list("hash", flat=True).first(),
        )
        event.hash = event.compute_hash()
        event.save()
    return list(AuditEvent.objects.order_by("pk"))


def test_the_streamed_payloads_are_the_ones_the_model_hashes(awkward_log):
    streamed = {pk: payload for pk, _scheme, _prev, _hash, payload, _columns in audit._rows()}
    assert set(streamed) == {event.pk for event in awkward_log}
    for event in awkward_log:
        assert streamed[event.pk] == _payload(event), event.action


def test_a_log_with_every_awkward_character_verifies(awkward_log):
    audit_checkpoint(reason="test")
    report = audit_verify()
    assert report.ok and report.checked == len(awkward_log) + 1  # and the checkpoint's announcement


def test_an_awkward_event_changed_is_named(awkward_log):
    [target] = [event for event in awkward_log if event.action.startswith("test.awkward")]
    tamper("UPDATE reviews_auditevent SET object_id = %s WHERE id = %s", [target.object_id[:-1], target.pk])
    report = audit_verify()
    assert (report.kind, report.broken_at, report.checked) == (
        "content",
        target.pk,
        awkward_log.index(target),
    )


@pytest.mark.parametrize("length", [1, 16, 32, 63, 64, 65, 100, 200])
def test_the_hasher_is_hmac_sha256_for_keys_of_any_length(length):
    key = bytes(range(256))[:length] if length <= 256 else b"k" * length
    hasher = audit._keyed_hasher(key)
    for payload in (b"", b"[]", AWKWARD.encode() * 50):
        assert hasher(payload) == keyed_hash(payload, key)


@pytest.mark.postgres
def test_postgresql_streams_through_a_server_side_cursor(awkward_log, django_assert_num_queries):
    assert connection.vendor == "postgresql"
    audit_checkpoint(reason="test")
    # One cursor, read in chunks; then the last checkpoint the chain announced.
    with django_assert_num_queries(2):
        assert audit_verify().ok


def test_prefetching_yields_every_chunk_in_order_and_stops_its_thread_when_the_caller_stops():
    import threading

    from reviews.audit import _prefetched

    source = iter([[1, 2], [3], [4, 5], []])
    assert list(_prefetched(lambda: next(source))) == [[1, 2], [3], [4, 5]]

    endless = iter(range(10**9))
    chunks = _prefetched(lambda: [next(endless)])
    assert next(chunks) == [0]
    chunks.close()  # a broken link: the walk stops reading
    assert not [t for t in threading.enumerate() if t.name == "verify-audit-fetch"]


def test_prefetching_raises_the_fetch_error_in_the_caller():
    from reviews.audit import _prefetched

    def fetch():
        raise ConnectionError("the server went away")

    with pytest.raises(ConnectionError, match="went away"):
        list(_prefetched(fetch))
