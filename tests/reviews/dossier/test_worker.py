"""The dossier through the real stack: sign-off queues the task on Redis, a Celery worker renders, stores it.

Run with REDIS_URL set (e.g. REDIS_URL=redis://127.0.0.1:6379/14), preferably on PostgreSQL too: the worker
runs in a thread with its own database connection, so the test data must be committed (transaction=True)."""

import hashlib
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connections

from config.celery_app import app
from reviews import workflow
from reviews.dossier import render as renderer
from reviews.models import AuditEvent, Dossier, DossierStatus
from tests.builders import review_ready_for_sign_off
from tests.factories import PASSWORD
from vendors.models import private_storage

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

# A generous bound for a busy CI machine; the test waits only as long as the worker needs.
WAIT_SECONDS = 120


def _forget_broker_connections():
    # Celery keeps a connection pool and a producer pool per app; _after_fork() is its own way of dropping
    # both, so that the next message goes to the broker configured now.
    app._after_fork()


@pytest.fixture
def worker(stray_sessions_closed):
    """A real worker thread consuming from the Redis broker; the app is restored to eager mode after."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_eager_propagates")}
    app.conf.update(broker_url=settings.REDIS_URL, task_always_eager=False, task_eager_propagates=False)
    _forget_broker_connections()
    app.control.purge()  # messages left behind by an earlier, interrupted run
    try:
        with start_worker(
            app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
        ):
            yield
    finally:
        app.conf.update(saved)
        _forget_broker_connections()
        connections.close_all()


def _wait_for(dossier_filter) -> Dossier:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        dossier = Dossier.objects.filter(**dossier_filter).first()
        if dossier is not None and dossier.status in (DossierStatus.READY, DossierStatus.FAILED):
            return dossier
        if time.monotonic() > deadline:
            pytest.fail(f"the worker did not finish the dossier: {dossier and dossier.status}")
        time.sleep(0.2)


def _sign_off(review, legal):
    workflow.review_sign_off(
        review=review,
        actor=legal,
        password=PASSWORD,
        statement="准予入库 / approved",
        conditions="每季度提供同意日志抽样 / quarterly consent-log samples",
    )


def test_sign_off_queues_the_dossier_and_the_worker_stores_it_with_a_matching_hash(
    requester, legal, security, worker
):
    review = review_ready_for_sign_off(requester, legal=legal, security=security)

    _sign_off(review, legal)
    dossier = _wait_for({"review": review})

    assert dossier.status == DossierStatus.READY, dossier.error
    with private_storage().open(dossier.file.name, "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == dossier.sha256 and len(data) == dossier.size
    assert AuditEvent.objects.filter(review=review, action="dossier.generated").count() == 1


def test_the_worker_retries_a_transient_error_and_then_stores_the_dossier(
    requester, legal, security, worker, monkeypatch
):
    review = review_ready_for_sign_off(requester, legal=legal, security=security)
    calls = []

    def flaky(review, **kwargs):
        calls.append(kwargs["dossier"].pk)
        if len(calls) == 1:
            raise OSError("the storage volume was briefly unavailable")
        return f"{review.number}-dossier.pdf", b"%PDF-1.7\n% after a retry\n%%EOF\n"

    monkeypatch.setattr(renderer, "dossier_render", flaky)  # the worker thread shares this process
    _sign_off(review, legal)
    dossier = _wait_for({"review": review})

    assert dossier.status == DossierStatus.READY, dossier.error
    assert dossier.attempts == 2 and len(calls) == 2
