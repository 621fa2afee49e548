"""An anchor that survives the tail (I5): the checkpoint store cannot be removed, emptied or cut back unseen,
because the chain announces every checkpoint (its number and HMAC) and verify_audit holds the store against
the last announcement; checkpoints are written at every decision; and on PostgreSQL the application's role
owns no table, so it cannot remove events or reach the triggers (docs/operations.md "Database roles")."""

import json

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from reviews import workflow
from reviews.audit import audit_record, audit_verify
from reviews.audit_checkpoints import Checkpoint, audit_checkpoint, checkpoint_path, checkpoints_read
from reviews.models import AuditEvent, StageKind
from reviews.models.audit import _CANONICAL, GENESIS, audit_key
from reviews.tasks import audit_chain_check
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(requester):
    for number in range(4):
        audit_record(action="test.event", actor=requester, data={"n": number})
    return list(AuditEvent.objects.order_by("pk"))


@pytest.fixture
def three_checkpoints(logged, requester):
    for reason in ("one", "two", "three"):
        audit_checkpoint(reason=reason)
        audit_record(action="test.more", actor=requester, data={"after": reason})
    return checkpoint_path().read_text().splitlines()


def test_verify_audit_fails_when_the_store_was_never_written(logged):
    report = audit_verify()

    assert (report.ok, report.kind, report.checked) == (False, "anchor", len(logged))
    assert "is missing" in report.reason
    with pytest.raises(
        CommandError, match=r"Audit checkpoints missing or cut back: the checkpoint store .* is missing"
    ):
        call_command("verify_audit")


def test_verify_audit_fails_when_the_store_is_removed(three_checkpoints):
    checkpoint_path().unlink()

    report = audit_verify()

    assert report.kind == "anchor"
    assert "is missing, though the log announced checkpoint 3 of it" in report.reason


def test_verify_audit_fails_when_the_store_is_emptied(three_checkpoints):
    checkpoint_path().write_text("")

    report = audit_verify()

    assert report.kind == "anchor" and "is empty, though the log announced checkpoint 3" in report.reason


@pytest.mark.parametrize("kept", [1, 2])
def test_verify_audit_fails_when_the_store_is_cut_back(three_checkpoints, kept):
    """What remains reads well line by line (each line's HMAC and link hold): only the chain can tell."""
    checkpoint_path().write_text("\n".join(three_checkpoints[:kept]) + "\n")
    assert checkpoints_read().problem is None

    report = audit_verify()

    assert report.kind == "anchor"
    assert f"holds {kept} checkpoints, though the log announced checkpoint 3" in report.reason
    with pytest.raises(CommandError, match="cut back"):
        call_command("verify_audit")


def test_a_lost_store_is_named_until_a_new_one_is_started_and_the_restart_stays_in_the_log(three_checkpoints):
    """The operator's way on after losing the store with its backups: a new checkpoint starts a new store. The
    log it anchors is whole (the app's role cannot remove events), and the chain keeps the old announcements,
    so the restart stays on record: its numbering begins again."""
    checkpoint_path().unlink()
    assert audit_verify().kind == "anchor"

    call_command("audit_checkpoint", reason="store lost with its backups: incident 2026-12-01")

    assert audit_verify().ok
    numbers = [
        e.data["number"] for e in AuditEvent.objects.filter(action="audit.checkpointed").order_by("pk")
    ]
    assert numbers == [1, 2, 3, 1]


def test_verify_audit_passes_with_the_store_whole(three_checkpoints):
    report = audit_verify()

    assert report.ok and report.checked == AuditEvent.objects.count()


def test_a_checkpoint_written_while_the_chain_is_walked_is_no_alarm(three_checkpoints, monkeypatch):
    from reviews import audit

    stale = checkpoints_read()  # read before a fourth checkpoint lands
    audit_checkpoint(reason="four")
    reads = iter([stale])
    monkeypatch.setattr(audit, "checkpoints_read", lambda: next(reads, None) or checkpoints_read())

    assert audit.audit_verify().ok


def test_the_daily_check_alarms_legal_when_the_store_is_cut_back(three_checkpoints, legal, admin_user):
    checkpoint_path().write_text(three_checkpoints[0] + "\n")
    mail.outbox.clear()

    assert audit_chain_check.apply().get() is False

    assert sorted(m.to[0] for m in mail.outbox) == sorted([legal.email, admin_user.email])
    assert "Audit checkpoints missing or cut back" in mail.outbox[0].subject
    assert "holds 1 checkpoints" in mail.outbox[0].body


def test_lines_written_before_they_were_numbered_still_verify_and_are_counted(logged):
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    head = AuditEvent.objects.order_by("-pk").first()
    old = Checkpoint(
        count=len(logged),
        head_id=head.pk,
        head_hash=head.hash,
        at="2026-11-30T10:00:00+08:00",
        reason="hourly",
        prev=GENESIS,
    )
    fields = {key: value for key, value in old.__dict__.items() if key != "number"}
    path.write_text(_CANONICAL.encode({**fields, "mac": old.mac(audit_key())}) + "\n")

    second = audit_checkpoint(reason="numbered")

    assert second.number == 2 and second.prev == json.loads(path.read_text().splitlines()[0])["mac"]
    assert audit_verify().ok


def test_every_decision_writes_a_checkpoint_when_it_commits(
    requester, legal, django_capture_on_commit_callbacks
):
    review = builders.start_review(requester)
    stage = builders.submit_stage(review, StageKind.QUESTIONNAIRE, requester)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.stage_return(stage=stage, actor=legal, comment="请补充 / complete")

    (line,) = [json.loads(text) for text in checkpoint_path().read_text().splitlines()]
    returned = AuditEvent.objects.get(action="stage.returned")
    assert (line["reason"], line["head_id"]) == (f"stage.returned {review.number}", returned.pk)
    assert AuditEvent.objects.latest("pk").action == "audit.checkpointed"
    assert audit_verify().ok


def test_a_refused_decision_writes_no_checkpoint(requester, django_capture_on_commit_callbacks):
    review = builders.start_review(requester)
    stage = builders.submit_stage(review, StageKind.QUESTIONNAIRE, requester)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(workflow.WorkflowError):
        workflow.stage_pass(stage=stage, actor=requester)

    assert not checkpoint_path().exists()


# -- the application's role on PostgreSQL -----------------------------------------------------------------

APP_ROLE = "vetted_test_app"


def as_app_role(statement: str, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


@pytest.mark.postgres
def test_postgresql_the_apps_role_cannot_reach_the_audit_logs_trigger_or_remove_events(logged):
    with connection.cursor() as cursor:
        cursor.execute(
            "SET CONSTRAINTS ALL IMMEDIATE"
        )  # ALTER TABLE refuses while trigger events are pending
        cursor.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN")  # undone with the test's transaction
    call_command("db_app_role", APP_ROLE)
    target = logged[-1].pk

    # It serves: it reads and appends ...
    assert as_app_role("SELECT count(*) FROM reviews_auditevent") == [(len(logged),)]
    as_app_role("UPDATE reviews_review SET updated_at = updated_at")
    # ... but cannot switch the guard off, drop it, empty the table or remove a row.
    for statement in (
        "ALTER TABLE reviews_auditevent DISABLE TRIGGER USER",
        "ALTER TABLE reviews_auditevent DISABLE TRIGGER reviews_auditevent_no_update_delete",
        "DROP TRIGGER reviews_auditevent_no_update_delete ON reviews_auditevent",
        "ALTER TABLE auth_group DISABLE TRIGGER reviews_role_group_fixed",
        "ALTER TABLE reviews_auditevent OWNER TO " + APP_ROLE,
    ):
        with pytest.raises(DatabaseError, match="must be owner"):
            as_app_role(statement)
    for statement in (
        "DELETE FROM reviews_auditevent WHERE id = %s",
        "TRUNCATE reviews_auditevent",
        "UPDATE reviews_auditevent SET action = 'x' WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="permission denied"):
            as_app_role(statement, [target] if "%s" in statement else ())

    assert AuditEvent.objects.count() == len(logged)


@pytest.mark.postgres
def test_postgresql_db_app_role_refuses_a_superuser_or_an_owner():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()

    with pytest.raises(CommandError, match=r"superuser|the tables' owner"):
        call_command("db_app_role", owner)
