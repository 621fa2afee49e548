"""Personas and the service gate.

Tests marked `postgres` or `redis` need the real services. Locally, without DATABASE_URL or REDIS_URL, they
are skipped with the reason; under CI (VETTED_REQUIRE_SERVICES=1, set by .ci/run) they fail instead, so a
missing service can never pass silently."""

import os

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

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


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    by_marker = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    return by_marker or bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def restore_reference_data() -> None:
    """Recreate what the data migrations made (the role groups, questionnaire v1) from the tables and the data
    the migrations themselves use, when a transactional test's flush has emptied the database."""
    from django.apps import apps

    from activities.grants import ACTIVITY_READERS_AND_DECIDERS
    from reviews.grants import REFERENCE_GRANTS, permissions_grant
    from reviews.questionnaire.template_v1 import template_v1_publish
    from reviews.role_changes import provisioning

    with provisioning():  # the migrations' own grants: no change to record
        for grants in (*REFERENCE_GRANTS, ACTIVITY_READERS_AND_DECIDERS):
            permissions_grant(apps, grants)
    template_v1_publish(apps)
    from reviews.questionnaire import template_channel_v1
    from reviews.questionnaire.publish import publish_template

    publish_template(apps, template_channel_v1)


def _truncate_guard(config, *, enabled: bool) -> None:
    from pytest_django.plugin import blocking_manager_key

    with config.stash[blocking_manager_key].unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "ALTER TABLE reviews_auditevent "
                    f"{'ENABLE' if enabled else 'DISABLE'} TRIGGER reviews_auditevent_no_truncate"
                )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (live server, worker threads, races) ends with a flush that TRUNCATEs every
    table. On PostgreSQL the audit log's append-only trigger refuses that, so only its TRUNCATE guard is lifted
    for the flush of the throw-away test database and put back at once; then the migrations' reference data
    is restored for the tests that follow."""
    transactional = _transactional(item)
    if transactional:
        _truncate_guard(item.config, enabled=False)
    try:
        yield
    finally:
        # After the session's last test the test database is already gone, and the trigger with it.
        if transactional and nextitem is not None:
            from pytest_django.plugin import blocking_manager_key

            _truncate_guard(item.config, enabled=True)
            with item.config.stash[blocking_manager_key].unblock():
                restore_reference_data()


@pytest.fixture(scope="session")
def stray_sessions_closed(django_db_setup, django_db_blocker):
    """Threads that served a test (the live server's keep-alive request handlers, a Celery worker) may still
    hold a database connection when the session ends, and PostgreSQL refuses to drop a database in use. So
    that the test database is dropped cleanly, those sessions are ended first: this fixture is set up after
    the test database, hence torn down before it."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


def pytest_runtest_setup(item):
    problem = _service_problem(item)
    if problem:
        if REQUIRE_SERVICES:
            pytest.fail(f"service test cannot run: {problem}", pytrace=False)
        pytest.skip(problem)


@pytest.fixture(autouse=True)
def _language_of_the_test():
    """Each test starts in the settings' language. A request through the test client activates the language of
    its cookie for the thread and nothing deactivates it, so without this a test's messages would depend on
    which test ran before it in the same process (and the parallel runs order them differently)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Each test writes uploads under its own temporary folder (vendors.storage.PrivateStorage follows
    the setting)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


SIGNING_PASSPHRASE = "test-signing-passphrase-Zq7#"  # never to appear in logs, errors or the audit log


@pytest.fixture(scope="session")
def signing_files(tmp_path_factory):
    """A self-signed signing certificate, made once: (PKCS#12 path, certificate PEM path)."""
    from reviews.dossier.signing import self_signed_pkcs12

    folder = tmp_path_factory.mktemp("signing")
    archive, pem = self_signed_pkcs12(
        common_name="Vetted test signing",
        organisation="Vetted tests",
        passphrase=SIGNING_PASSPHRASE.encode(),
        days=30,
    )
    (folder / "signing.p12").write_bytes(archive)
    (folder / "signing.crt").write_bytes(pem)
    return folder / "signing.p12", folder / "signing.crt"


@pytest.fixture
def signing(settings, signing_files):
    """Dossiers are signed with the test certificate; returns the certificate's PEM path."""
    settings.VETTED_SIGNING_PKCS12 = str(signing_files[0])
    settings.VETTED_SIGNING_PASSPHRASE = SIGNING_PASSPHRASE
    return signing_files[1]


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory):
    """A CA, an RFC 3161 TSA, OCSP and CRLs served over HTTP on loopback for the whole session (tests/pki.py)."""
    import logging

    from tests.pki import pki_start

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    pki = pki_start(tmp_path_factory.mktemp("pki"), passphrase=SIGNING_PASSPHRASE)
    yield pki
    pki.stop()


@pytest.fixture
def pki_signing(settings, test_pki):
    """Dossiers are signed with a certificate the test CA issued and timestamped by the loopback TSA."""
    settings.VETTED_SIGNING_PKCS12 = str(test_pki.pkcs12)
    settings.VETTED_SIGNING_PASSPHRASE = SIGNING_PASSPHRASE
    settings.VETTED_TSA_URL = test_pki.tsa_url
    return test_pki


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


@pytest.fixture(autouse=True)
def _counts_start_empty():
    """The sign-in throttle and the API's rate count in the default cache; in tests it is the process's memory
    (config/settings/test.py), emptied before each test so that no test inherits another's counts. The Redis
    tests use a cache of their own and delete their keys one by one."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()
