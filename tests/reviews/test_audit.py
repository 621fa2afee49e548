"""I5: every transition appends an audit event; the log is append-only and hash-chained; verify_audit
names the first broken link."""

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from reviews import workflow
from reviews.audit import audit_record, audit_verify
from reviews.audit_checkpoints import audit_checkpoint
from reviews.models import AppendOnlyError, AuditEvent, StageKind
from reviews.models.audit import GENESIS, AuditScheme
from tests import builders

pytestmark = pytest.mark.django_db


def actions_since(pk):
    return list(AuditEvent.objects.filter(pk__gt=pk or 0).values_list("action", flat=True))


def last_pk():
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_every_transition_of_an_approval_appends_an_event(requester, legal, security):
    review = builders.approved_review(requester, legal=legal, security=security)
    actions = list(AuditEvent.objects.filter(review=review).values_list("action", flat=True))

    assert actions[0] == "review.created"
    assert actions.count("stage.submitted") == 3
    assert actions.count("stage.passed") == 3
    assert "review.signed_off" in actions and "dossier.requested" in actions
    assert actions.index("review.signed_off") < actions.index("dossier.requested")
    assert AuditEvent.objects.filter(vendor=review.vendor, action="vendor.approved").exists()


def test_returning_failing_and_withdrawing_are_each_audited(requester, legal):
    review = builders.start_review(requester)
    stage = builders.submit_stage(review, StageKind.QUESTIONNAIRE, requester)

    before = last_pk()
    workflow.stage_return(stage=stage, actor=legal, comment="请补充 / complete B3")
    assert actions_since(before) == ["stage.returned"]

    stage = builders.submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    before = last_pk()
    workflow.stage_fail(stage=stage, actor=legal, reason="拒绝 / refused")
    assert actions_since(before) == ["stage.failed", "vendor.rejected"]

    other = builders.start_review(requester)
    before = last_pk()
    workflow.review_withdraw(review=other, actor=requester, reason="不再需要 / no longer needed")
    assert actions_since(before) == ["review.withdrawn"]


def test_events_are_chained_from_genesis_and_keyed(requester):
    builders.start_review(requester)
    events = list(AuditEvent.objects.order_by("pk"))

    assert events[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert all(event.scheme == AuditScheme.HMAC_SHA256 for event in events)
    assert all(event.compute_hash() == event.hash for event in events)
    # The hash is an HMAC under VETTED_AUDIT_KEY: another key, or none, gives another hash.
    assert all(event.compute_hash(key=b"another key") != event.hash for event in events)


def test_the_chain_does_not_verify_under_another_key(requester, settings):
    builders.start_review(requester)
    first = AuditEvent.objects.order_by("pk").first()

    settings.VETTED_AUDIT_KEY = "a-different-key-than-the-one-that-wrote-the-log"

    report = audit_verify()
    assert (report.broken_at, report.kind) == (first.pk, "content")


def test_an_audit_event_cannot_be_changed_or_deleted(requester):
    builders.start_review(requester)
    event = AuditEvent.objects.get(action="review.created")

    event.action = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["action"])
    assert AuditEvent.objects.get(pk=event.pk).action == "review.created"


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE reviews_auditevent SET action = 'rewritten' WHERE id = %s",
        "DELETE FROM reviews_auditevent WHERE id = %s",
    ],
)
def test_postgresql_refuses_raw_sql_changes_to_the_audit_log(sql, requester):
    builders.start_review(requester)
    event = AuditEvent.objects.get(action="review.created")

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "review.created"


def test_verify_audit_succeeds_on_an_intact_chain(requester, legal, security, capsys):
    builders.approved_review(requester, legal=legal, security=security)
    audit_checkpoint(reason="test")

    call_command("verify_audit")

    count = AuditEvent.objects.count()
    assert f"Audit chain intact: {count} events verified" in capsys.readouterr().out
    assert audit_verify().checked == count


def tamper(sql, params):
    """Change a row behind the application's back. On PostgreSQL the trigger would refuse, so it is switched
    off for the statement; the test transaction rolls the whole thing back afterwards."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Run the deferred foreign-key checks now: ALTER TABLE refuses while trigger events are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE reviews_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE reviews_auditevent ENABLE TRIGGER USER")


def test_verify_audit_names_the_first_event_changed_by_raw_sql(requester, legal, security):
    builders.approved_review(requester, legal=legal, security=security)
    events = list(AuditEvent.objects.order_by("pk"))
    target = events[len(events) // 2]
    tamper("UPDATE reviews_auditevent SET data = %s WHERE id = %s", ['{"reason": "forged"}', target.pk])

    broken = rf"broken at event #{target.pk} \(content\): its HMAC does not match its content"
    with pytest.raises(CommandError, match=broken) as failed:
        call_command("verify_audit")
    assert failed.value.returncode != 0


def test_verify_audit_names_the_event_after_a_deleted_one(requester, legal, security):
    builders.approved_review(requester, legal=legal, security=security)
    events = list(AuditEvent.objects.order_by("pk"))
    tamper("DELETE FROM reviews_auditevent WHERE id = %s", [events[3].pk])

    with pytest.raises(
        CommandError, match=rf"broken at event #{events[4].pk} \(link\): its previous-hash link"
    ):
        call_command("verify_audit")


def test_verify_audit_detects_a_rehashed_forgery(requester):
    """Recomputing the forged row's own hash does not help: the next event still points at the old hash."""
    builders.start_review(requester)
    builders.start_review(requester)
    events = list(AuditEvent.objects.order_by("pk"))
    forged = events[0]
    forged.actor_label = "someone-else"
    tamper(
        "UPDATE reviews_auditevent SET actor_label = %s, hash = %s WHERE id = %s",
        [forged.actor_label, forged.compute_hash(), forged.pk],
    )

    report = audit_verify()
    assert report.broken_at == events[1].pk
    assert report.checked == 1


def test_audit_record_outside_a_transition_still_chains(requester):
    first = audit_record(action="test.one", actor=requester)
    second = audit_record(action="test.two", actor=None)

    assert second.prev_hash == first.hash
    assert second.actor_label == "system"
    audit_checkpoint(reason="test")
    assert audit_verify().ok


def test_the_daily_check_stays_quiet_on_an_intact_chain(requester, legal, security):
    from django.core import mail

    from reviews.tasks import audit_chain_check

    builders.approved_review(requester, legal=legal, security=security)
    audit_checkpoint(reason="test")
    mail.outbox.clear()

    assert audit_chain_check.apply().get() is True
    assert mail.outbox == []


def test_the_daily_check_alarms_legal_and_the_administrators(requester, legal, security, admin_user):
    from django.core import mail

    from reviews.tasks import audit_chain_check

    builders.approved_review(requester, legal=legal, security=security)
    target = AuditEvent.objects.order_by("pk")[3]
    tamper("UPDATE reviews_auditevent SET data = %s WHERE id = %s", ['{"reason": "forged"}', target.pk])
    mail.outbox.clear()

    assert audit_chain_check.apply().get() is False

    assert sorted(m.to[0] for m in mail.outbox) == sorted([legal.email, admin_user.email])
    message = mail.outbox[0]
    assert (
        message.subject == f"审计日志在第 #{target.pk} 条事件处断裂 / Audit log broken at event #{target.pk}"
    )
    assert f"event #{target.pk} does not match its hash" in message.body
    assert "与其哈希值不符" in message.body
