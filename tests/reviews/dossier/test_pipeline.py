"""Generating and storing the dossier: the task, its retries, failures and regeneration."""

import errno
import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError

from reviews.dossier import render as renderer
from reviews.dossier.services import DossierGenerationError, dossier_regenerate
from reviews.dossier.tasks import DOSSIER_MAX_RETRIES, dossier_generate
from reviews.errors import WorkflowError
from reviews.models import AuditEvent, Dossier, DossierStatus
from tests.builders import approved_review, review_ready_for_sign_off
from tests.factories import PASSWORD
from vendors.models import private_storage

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7\n% a stand-in dossier for tests that do not look at the content\n%%EOF\n"


def _fake_render(review, *, generated_at=None, dossier=None):
    return f"{review.number}-dossier-{dossier.pk}.pdf", FAKE_PDF


def _stored(dossier) -> bytes:
    with private_storage().open(dossier.file.name, "rb") as handle:
        return handle.read()


def _files_under(folder: str) -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT) / folder
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def signed_off(requester, legal, security):
    """An approved review whose dossier is queued (on_commit callbacks do not run in these tests)."""
    review = approved_review(requester, legal=legal, security=security)
    return review, Dossier.objects.get(review=review)


def test_sign_off_generates_and_stores_the_dossier_with_its_hash(
    requester, legal, security, django_capture_on_commit_callbacks
):
    from reviews import workflow

    review = review_ready_for_sign_off(requester, legal=legal, security=security)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.review_sign_off(
            review=review, actor=legal, password=PASSWORD, statement="准予入库 / approved"
        )

    dossier = Dossier.objects.get(review=review)
    assert dossier.status == DossierStatus.READY
    data = _stored(dossier)
    assert data.startswith(b"%PDF-")
    assert dossier.sha256 == hashlib.sha256(data).hexdigest()
    assert dossier.size == len(data)
    assert dossier.generated_at is not None and dossier.attempts == 1 and dossier.error == ""
    actions = list(
        AuditEvent.objects.filter(review=review, object_type="dossier").values_list("action", "data")
    )
    assert [a for a, _ in actions] == ["dossier.requested", "dossier.generated"]
    assert actions[1][1]["sha256"] == dossier.sha256


def test_a_queued_dossier_has_no_file(signed_off):
    _, dossier = signed_off

    assert dossier.status == DossierStatus.QUEUED
    assert not dossier.file and dossier.sha256 == "" and dossier.size is None


def test_a_duplicate_delivery_does_not_regenerate_a_ready_dossier(signed_off, monkeypatch):
    _, dossier = signed_off
    monkeypatch.setattr(renderer, "dossier_render", _fake_render)
    dossier_generate.delay(dossier.pk)
    ready = Dossier.objects.get(pk=dossier.pk)

    def must_not_render(*args, **kwargs):
        raise AssertionError("a ready dossier was rendered again")

    monkeypatch.setattr(renderer, "dossier_render", must_not_render)
    dossier_generate.delay(dossier.pk)

    again = Dossier.objects.get(pk=dossier.pk)
    assert (again.status, again.file.name, again.sha256, again.attempts) == (
        DossierStatus.READY,
        ready.file.name,
        ready.sha256,
        1,
    )
    assert len(_files_under("dossiers")) == 1


def test_a_failure_mid_write_leaves_no_file_and_regenerate_produces_it(
    signed_off, legal, monkeypatch, django_capture_on_commit_callbacks
):
    review, dossier = signed_off
    monkeypatch.setattr(renderer, "dossier_render", _fake_render)
    from reviews.dossier import services as service

    def disk_full(path, data):
        with open(path, "xb") as handle:
            handle.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(service, "_write_temp", disk_full)
    with pytest.raises(DossierGenerationError):
        dossier_generate.delay(dossier.pk)  # in-process: no broker to retry on, so it fails at once

    failed = Dossier.objects.get(pk=dossier.pk)
    assert failed.status == DossierStatus.FAILED
    assert "No space left on device" in failed.error
    assert not failed.file and failed.sha256 == "" and failed.size is None
    assert _files_under("dossiers") == []  # neither the partial temporary file nor a final one
    assert AuditEvent.objects.filter(review=review, action="dossier.failed").count() == 1

    monkeypatch.undo()
    monkeypatch.setattr(renderer, "dossier_render", _fake_render)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = dossier_regenerate(review=review, actor=legal)

    fresh.refresh_from_db()
    assert fresh.pk != failed.pk and fresh.status == DossierStatus.READY
    assert _stored(fresh) == FAKE_PDF
    assert fresh.sha256 == hashlib.sha256(FAKE_PDF).hexdigest()
    assert [p.name for p in _files_under("dossiers")] == [Path(fresh.file.name).name]
    assert Dossier.objects.get(pk=failed.pk).status == DossierStatus.FAILED  # kept (I7)


def test_a_renderer_error_fails_at_once_with_the_reason(signed_off, monkeypatch):
    _, dossier = signed_off

    def broken(*args, **kwargs):
        raise ValueError("template variable missing")

    monkeypatch.setattr(renderer, "dossier_render", broken)
    with pytest.raises(ValueError):
        dossier_generate.delay(dossier.pk)

    failed = Dossier.objects.get(pk=dossier.pk)
    assert failed.status == DossierStatus.FAILED and failed.attempts == 1
    assert failed.error == "ValueError: template variable missing"
    assert _files_under("dossiers") == []


def test_the_task_retries_only_transient_errors_with_backoff_and_acks_late():
    assert dossier_generate.acks_late is True
    assert set(dossier_generate.autoretry_for) == {OSError, OperationalError}
    assert dossier_generate.max_retries == DOSSIER_MAX_RETRIES
    assert dossier_generate.retry_backoff and dossier_generate.retry_jitter


def test_a_dossier_still_running_when_retries_run_out_is_marked_failed(signed_off):
    _, dossier = signed_off
    error = OperationalError("could not connect to server")

    dossier_generate.on_failure(error, "task-id", (dossier.pk,), {}, None)

    failed = Dossier.objects.get(pk=dossier.pk)
    assert failed.status == DossierStatus.FAILED
    assert failed.error == "OperationalError: could not connect to server"


def test_giving_up_never_touches_a_ready_dossier(signed_off, monkeypatch):
    _, dossier = signed_off
    monkeypatch.setattr(renderer, "dossier_render", _fake_render)
    dossier_generate.delay(dossier.pk)

    dossier_generate.on_failure(OSError("late duplicate failed"), "task-id", (dossier.pk,), {}, None)

    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.READY


@pytest.mark.parametrize("persona", ["requester", "security", "auditor"])
def test_only_legal_can_regenerate_the_dossier(signed_off, persona, request):
    review, _ = signed_off
    actor = request.getfixturevalue(persona)

    with pytest.raises(WorkflowError) as refused:
        dossier_regenerate(review=review, actor=actor)

    assert refused.value.code == "forbidden"
    assert Dossier.objects.filter(review=review).count() == 1


def test_regenerate_is_refused_while_a_dossier_is_being_generated(signed_off, legal):
    review, _ = signed_off

    with pytest.raises(WorkflowError) as refused:
        dossier_regenerate(review=review, actor=legal)

    assert refused.value.code == "in_progress"


def test_regenerate_is_refused_for_a_review_not_signed_off(requester, legal, security):
    review = review_ready_for_sign_off(requester, legal=legal, security=security)

    with pytest.raises(WorkflowError) as refused:
        dossier_regenerate(review=review, actor=legal)

    assert refused.value.code == "state"
    assert not Dossier.objects.filter(review=review).exists()


def test_regenerate_creates_a_new_audited_row_and_keeps_the_old_one(
    signed_off, legal, monkeypatch, django_capture_on_commit_callbacks
):
    review, first = signed_off
    monkeypatch.setattr(renderer, "dossier_render", _fake_render)
    dossier_generate.delay(first.pk)

    with django_capture_on_commit_callbacks(execute=True):
        second = dossier_regenerate(review=review, actor=legal)

    assert list(Dossier.objects.filter(review=review).values_list("pk", "status")) == [
        (second.pk, DossierStatus.READY),
        (first.pk, DossierStatus.READY),
    ]
    requested = AuditEvent.objects.filter(review=review, action="dossier.requested").order_by("pk").last()
    assert requested.object_id == str(second.pk) and requested.actor == legal
