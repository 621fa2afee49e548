"""I5 against an attacker who holds the database but not VETTED_AUDIT_KEY: a recomputed chain, a removed tail,
an edited checkpoint file, an unkeyed rewrite. verify_audit names what broke. The same tests run on SQLite
(no trigger at all) and, with DATABASE_URL, on PostgreSQL (the trigger switched off as a superuser would)."""

import json

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython

from reviews.audit import audit_record, audit_verify
from reviews.audit_checkpoints import audit_checkpoint, checkpoint_path
from reviews.models import AuditEvent
from reviews.models.audit import GENESIS, AuditScheme
from reviews.tasks import audit_checkpoint_write
from tests import builders
from tests.reviews.test_audit import tamper

pytestmark = pytest.mark.django_db


def events():
    return list(AuditEvent.objects.order_by("pk"))


def rewrite_from(index: int, *, key: bytes | None, scheme=AuditScheme.HMAC_SHA256, label="forger"):
    """Change the event at `index` and recompute its hash and every later one, as an attacker would: with
    their own key (they do not have the real one), or unkeyed."""
    chain = events()
    prev = chain[index - 1].hash if index else GENESIS
    for position, event in enumerate(chain[index:]):
        if position == 0:
            event.actor_label = label
        event.prev_hash, event.scheme = prev, scheme
        event.hash = event.compute_hash(key=key)
        tamper(
            "UPDATE reviews_auditevent SET actor_label = %s, prev_hash = %s, scheme = %s, hash = %s "
            "WHERE id = %s",
            [event.actor_label, event.prev_hash, event.scheme, event.hash, event.pk],
        )
        prev = event.hash
    return chain[index]


def delete_tail(count: int):
    for event in events()[-count:]:
        tamper("DELETE FROM reviews_auditevent WHERE id = %s", [event.pk])


@pytest.fixture
def logged(requester):
    builders.start_review(requester)
    for number in range(7):
        audit_record(action="test.event", actor=requester, data={"n": number, "on": "2026-11-30"})
    return events()


def test_a_chain_recomputed_without_the_key_is_named_at_the_first_rewritten_event(logged):
    target = rewrite_from(4, key=b"the attacker's guess")

    report = audit_verify()

    assert (report.broken_at, report.kind, report.checked) == (target.pk, "content", 4)
    assert "recomputed without the audit key" in report.reason


def test_a_chain_rewritten_unkeyed_is_a_downgrade(logged):
    target = rewrite_from(4, key=None, scheme=AuditScheme.SHA256)

    report = audit_verify()

    assert (report.broken_at, report.kind) == (target.pk, "downgrade")


def test_a_whole_log_rewritten_unkeyed_from_the_first_event_is_a_downgrade(logged):
    rewrite_from(0, key=None, scheme=AuditScheme.SHA256)

    report = audit_verify()

    assert (report.broken_at, report.kind) == (logged[-1].pk, "downgrade")
    assert "only unkeyed events" in report.reason


def test_a_removed_tail_is_reported_against_the_last_checkpoint(logged):
    checkpoint = audit_checkpoint(reason="test")
    delete_tail(3)  # the checkpoint's announcement and two events it counted

    report = audit_verify()

    assert (report.kind, report.broken_at, report.checked) == (
        "truncated",
        checkpoint.head_id,
        len(logged) - 2,
    )
    assert f"recorded it as event {len(logged)} of the log" in report.reason
    with pytest.raises(CommandError, match=rf"broken at event #{checkpoint.head_id} \(truncated\)"):
        call_command("verify_audit")


def test_a_removed_tail_refilled_by_new_events_is_still_reported(logged, requester):
    checkpoint = audit_checkpoint(reason="test")
    delete_tail(2)
    for number in range(4):
        audit_record(action="test.refill", actor=requester, data={"n": number})

    report = audit_verify()

    assert (report.kind, report.broken_at) == ("truncated", checkpoint.head_id)
    assert AuditEvent.objects.count() > checkpoint.count


def test_a_chain_recomputed_with_a_stolen_key_still_differs_from_its_checkpoint(logged):
    checkpoint = audit_checkpoint(reason="test")
    rewrite_from(2, key=django_settings.VETTED_AUDIT_KEY.encode())

    report = audit_verify()

    assert (report.kind, report.broken_at) == ("diverged", checkpoint.head_id)


@pytest.mark.parametrize("edit", ["count", "head_hash", "drop_middle_line"])
def test_an_edited_checkpoint_file_is_reported(logged, requester, edit):
    audit_checkpoint(reason="first")
    audit_record(action="test.more", actor=requester)
    audit_checkpoint(reason="second")
    audit_checkpoint(reason="third")
    path = checkpoint_path()
    lines = path.read_text().splitlines()
    if edit == "drop_middle_line":
        del lines[1]
    else:
        fields = json.loads(lines[1])
        fields[edit] = 1 if edit == "count" else "0" * 64
        lines[1] = json.dumps(fields)
    path.write_text("\n".join(lines) + "\n")

    report = audit_verify()

    assert report.kind == "checkpoint" and report.broken_at is None
    assert ("does not follow the line before it" if edit == "drop_middle_line" else "line 2") in report.reason
    with pytest.raises(CommandError, match="Audit checkpoints broken: line 2 of the checkpoint file"):
        call_command("verify_audit")


def test_checkpoints_chain_to_each_other_and_verify(logged, requester):
    first = audit_checkpoint(reason="one")
    audit_record(action="test.more", actor=requester)
    second = audit_checkpoint(reason="two")

    lines = [json.loads(line) for line in checkpoint_path().read_text().splitlines()]

    assert (first.prev, second.prev) == (GENESIS, lines[0]["mac"])
    # Each checkpoint is announced in the chain: the second counts the first's announcement and test.more.
    assert (second.count, second.head_id) == (len(logged) + 2, AuditEvent.objects.order_by("-pk")[1].pk)
    assert (first.number, second.number) == (1, 2)
    assert audit_verify().ok and audit_verify().checked == len(logged) + 3


def test_the_hourly_beat_task_writes_a_checkpoint(logged):
    schedule = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}

    assert "reviews.tasks.audit_checkpoint_write" in schedule
    assert audit_checkpoint_write.apply().get() == len(logged)
    assert json.loads(checkpoint_path().read_text())["reason"] == "hourly"
    # An idle hour: nothing but the last announcement since, nothing written.
    assert audit_checkpoint_write.apply().get() is None
    assert len(checkpoint_path().read_text().splitlines()) == 1


def test_each_decision_and_sign_off_writes_a_checkpoint_when_it_commits(
    requester, legal, security, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review = builders.approved_review(requester, legal=legal, security=security)

    lines = [json.loads(line) for line in checkpoint_path().read_text().splitlines()]
    assert [line["reason"] for line in lines] == [f"stage.passed {review.number}"] * 3 + [
        f"review.signed_off {review.number}"
    ]
    signed = AuditEvent.objects.get(action="review.signed_off")
    assert lines[-1]["head_id"] >= signed.pk
    announced = AuditEvent.objects.filter(action="audit.checkpointed").order_by("pk")
    assert [(e.data["number"], e.data["mac"]) for e in announced] == [
        (n, line["mac"]) for n, line in enumerate(lines, start=1)
    ]
    assert audit_verify().ok


def unkeyed(requester, count):
    """Events as written before the chain was keyed: plain SHA-256."""
    prev = AuditEvent.objects.order_by("-pk").values_list("hash", flat=True).first() or GENESIS
    for number in range(count):
        event = AuditEvent(
            actor=requester,
            actor_label=requester.username,
            action="legacy.event",
            object_type="user",
            object_id=str(requester.pk),
            data={"n": number},
            prev_hash=prev,
            scheme=AuditScheme.SHA256,
        )
        event.hash = event.compute_hash()
        event.save()
        prev = event.hash


def run_keying_migration():
    """The RunPython of reviews 0010, through the migration loader, with the application's models as before."""
    from django.apps import apps

    [anchor] = [
        op
        for op in MigrationLoader(connection).get_migration("reviews", "0010_audit_chain_keyed").operations
        if isinstance(op, RunPython)
    ]

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    anchor.code(apps, editor)


def test_history_from_before_keying_verifies_and_is_anchored_by_the_migration(outsider):
    # outsider, a user without a role: the role fixtures' grants would be keyed events before the history.
    unkeyed(outsider, 5)
    run_keying_migration()
    audit_record(action="test.after", actor=outsider)

    anchor = AuditEvent.objects.get(action="audit.keyed")
    assert anchor.scheme == AuditScheme.HMAC_SHA256 and anchor.data["unkeyed_events"] == 5
    audit_checkpoint(reason="test")
    report = audit_verify()
    assert report.ok and report.checked == 8


def test_unkeyed_history_rewritten_and_rehashed_breaks_at_the_keyed_anchor(outsider):
    unkeyed(outsider, 5)
    run_keying_migration()
    anchor = AuditEvent.objects.get(action="audit.keyed")
    # Plain SHA-256 is public: the attacker rewrites event 2 and recomputes the unkeyed events after it...
    chain = events()
    prev = chain[1].hash
    for event in chain[2:5]:
        event.data = {"n": "forged"}
        event.prev_hash = prev
        event.hash = event.compute_hash()
        tamper(
            "UPDATE reviews_auditevent SET data = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [json.dumps(event.data), event.prev_hash, event.hash, event.pk],
        )
        prev = event.hash

    report = audit_verify()

    # ... but cannot recompute the keyed anchor, which still names the old head.
    assert (report.broken_at, report.kind) == (anchor.pk, "link")


@pytest.mark.postgres
def test_postgresql_a_superuser_who_truncates_the_tail_is_still_caught(logged):
    checkpoint = audit_checkpoint(reason="test")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser')")
        assert cursor.fetchone()[0] == "on"  # the trigger of 0002 stops everyone else
    delete_tail(2)  # the checkpoint's announcement and the event it recorded as the head

    assert audit_verify().kind == "truncated"
    assert audit_verify().broken_at == checkpoint.head_id


def test_the_daily_check_alarms_legal_about_a_removed_tail_and_an_edited_checkpoint(logged, legal):
    from django.core import mail

    from reviews.tasks import audit_chain_check

    checkpoint = audit_checkpoint(reason="test")
    delete_tail(2)  # the checkpoint's announcement and the event it recorded as the head
    assert audit_chain_check.apply().get() is False
    truncated = mail.outbox[-1]
    assert truncated.subject == (
        f"审计日志在第 #{checkpoint.head_id} 条事件处断裂 / Audit log broken at event #{checkpoint.head_id}"
    )
    assert "is missing although a checkpoint recorded it" in truncated.body
    assert "日志末尾被删除" in truncated.body

    checkpoint_path().write_text(checkpoint_path().read_text().replace('"count":', '"count": 1, "x":', 1))
    assert audit_chain_check.apply().get() is False
    edited = mail.outbox[-1]
    assert edited.subject == "审计检查点文件被篡改 / Audit checkpoint file edited"
    assert "line 1 of the checkpoint file" in edited.body
