"""Personas and the service gate.

Tests marked `postgres` or `redis` need the real services. Locally, without DATABASE_URL or REDIS_URL, they
are skipped with the reason; under CI (VETTED_REQUIRE_SERVICES=1, set by .ci/run) they fail instead, so a
missing service can never pass silently."""

import os

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import UserFactory, make_user

REQUIRE_SERVICES = os.environ.get("VETTED_REQUIRE_SERVICES") == "1"


def _service_problem(item) -> str | None:
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if item.get_closest_marker("redis"):
        if not settings.REDIS_URL:
            return "needs Redis: set REDIS_URL=redis://..."
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        except redis.RedisError as exc:
            return f"cannot reach Redis at {settings.REDIS_URL}: {exc}"
    return None


def pytest_runtest_setup(item):
    problem = _service_problem(item)
    if problem:
        if REQUIRE_SERVICES:
            pytest.fail(f"service test cannot run: {problem}", pytrace=False)
        pytest.skip(problem)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Each test writes uploads under its own temporary folder (vendors.storage.PrivateStorage follows
    the setting)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def requester(db):
    return make_user("cmo", "Requester")


@pytest.fixture
def other_requester(db):
    return make_user("cmo2", "Requester")


@pytest.fixture
def legal(db):
    return make_user("legal", "Legal", is_staff=True)


@pytest.fixture
def other_legal(db):
    return make_user("legal2", "Legal", is_staff=True)


@pytest.fixture
def security(db):
    return make_user("security", "Security", is_staff=True)


@pytest.fixture
def auditor(db):
    return make_user("auditor", "Auditor", is_staff=True)


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")
