"""/health/ (config/health.py): open to load balancers, and saying nothing beyond "ok" or "failing" per check."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from health_check.checks import Database
from health_check.exceptions import ServiceUnavailable

ROOT = Path(__file__).resolve().parent.parent
SECRET = "postgres://vetted:hunter2@10.1.2.3:5432/vetted (PostgreSQL 16.4)"


def _fail(self):
    raise ServiceUnavailable(SECRET)


@pytest.fixture(autouse=True)
def _tasks_in_process(settings):
    """Without a broker (the embedded default) there is no broker check; the tests that want one set it."""
    settings.CELERY_BROKER_URL = "memory://"


@pytest.mark.django_db
def test_it_answers_ok_for_every_check_without_signing_in(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "storage": "ok", "migrations": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_answers_plain_text_when_asked(client):
    response = client.get("/health/", HTTP_ACCEPT="text/plain")
    assert response.status_code == 200
    assert response.content.decode() == "database: ok\nstorage: ok\nmigrations: ok\n"
    assert client.get("/health/?format=text").content == response.content


@pytest.mark.django_db
def test_it_answers_500_naming_only_the_failing_database(client, monkeypatch):
    monkeypatch.setattr(Database, "run", _fail)
    for url in ("/health/", "/health/?format=text"):
        response = client.get(url)
        assert response.status_code == 500
        body = response.content.decode()
        assert "database" in body and "failing" in body
        for leak in ("hunter2", "10.1.2.3", "5432", "PostgreSQL", "16.4", "Traceback", "ServiceUnavailable"):
            assert leak not in body
    assert json.loads(client.get("/health/").content) == {
        "status": "failing",
        "checks": {"database": "failing", "storage": "ok", "migrations": "ok"},
    }


@pytest.mark.django_db
def test_it_checks_the_broker_when_celery_has_one_and_hides_its_address(client, settings):
    # Nothing listens on port 1: the broker check fails at once, with a connection refused.
    settings.CELERY_BROKER_URL = "redis://:s3cret@127.0.0.1:1/7"
    response = client.get("/health/")
    assert response.status_code == 500
    assert json.loads(response.content) == {
        "status": "failing",
        "checks": {"database": "ok", "storage": "ok", "migrations": "ok", "broker": "failing"},
    }
    body = response.content.decode()
    for leak in ("s3cret", "127.0.0.1", "refused", "Redis"):
        assert leak not in body


@pytest.mark.redis
@pytest.mark.django_db
def test_it_checks_the_real_broker_as_ok(client, settings):
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    response = client.get("/health/")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "storage": "ok", "migrations": "ok", "broker": "ok"},
    }


@pytest.mark.django_db
def test_it_fails_while_migrations_are_pending(client, monkeypatch):
    from config import health

    # The code holds a migration the database has not applied: a process started on a newer release.
    nodes, replacements = health.code_migrations()
    monkeypatch.setattr(health, "code_migrations", lambda: (nodes | {("reviews", "9999_next")}, replacements))
    response = client.get("/health/?format=json")
    assert response.status_code == 500
    assert json.loads(response.content)["checks"] == {
        "database": "ok",
        "storage": "ok",
        "migrations": "failing",
    }


def test_a_squashed_migration_counts_as_applied_when_what_it_replaces_is(monkeypatch):
    from config import health

    squash, first, second = ("reviews", "0001_squashed_0002"), ("reviews", "0001_a"), ("reviews", "0002_b")
    monkeypatch.setattr(health, "code_migrations", lambda: (frozenset({squash}), {squash: (first, second)}))

    assert health.pending_migrations({squash}) == []
    assert health.pending_migrations({first, second}) == []
    assert health.pending_migrations({first}) == [squash]


@pytest.mark.django_db
def test_production_does_not_redirect_it_to_https(client, settings):
    # A load balancer probes over plain HTTP; the exemption is read from production.py itself.
    env = {
        **os.environ,
        "SECRET_KEY": "k" * 60,
        "ALLOWED_HOSTS": "vetted.example.com",
        "SITE_URL": "https://vetted.example.com",
        "VETTED_AUDIT_KEY": "a" * 48,
    }
    read = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, config.settings.production as p; print(json.dumps(p.SECURE_REDIRECT_EXEMPT))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = json.loads(read.stdout)
    assert client.get("/health/").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
