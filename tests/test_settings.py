"""Settings: production refuses to start half-configured and passes Django's deployment checks; the broker
configured from REDIS_URL really carries messages."""

import json
import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import SIGNING_PASSPHRASE

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "vetted.example.com",
    "SITE_URL": "https://vetted.example.com",
    "VETTED_AUDIT_KEY": secrets.token_urlsafe(48),
}


def run(args, **env):
    """Run Python in a clean environment: nothing from this process (DATABASE_URL, SECRET_KEY...) leaks in."""
    clean = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        **env,
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def production(signing_files):
    """A complete production environment, the dossier signing key included."""
    return {
        **PRODUCTION,
        "VETTED_SIGNING_PKCS12": str(signing_files[0]),
        "VETTED_SIGNING_PASSPHRASE": SIGNING_PASSPHRASE,
    }


def setup_django(module, **env):
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return run(["-c", code], DJANGO_SETTINGS_MODULE=module, **env)


def test_production_passes_the_deployment_checks_without_a_warning(production):
    result = run(["manage.py", "check", "--deploy", "--settings=config.settings.production"], **production)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_the_deployment_checks_would_catch_a_weak_secret_key(production):
    result = run(
        ["manage.py", "check", "--deploy", "--settings=config.settings.production"],
        **{**production, "SECRET_KEY": "short"},
    )

    assert "security.W009" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = setup_django("config.settings.production", ALLOWED_HOSTS="vetted.example.com")

    assert result.returncode != 0
    assert "SECRET_KEY is not set. Production refuses to start without it" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = setup_django("config.settings.production", SECRET_KEY=PRODUCTION["SECRET_KEY"])

    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_production_refuses_to_start_without_a_site_url(production):
    result = setup_django(
        "config.settings.production", **{k: v for k, v in production.items() if k != "SITE_URL"}
    )

    assert result.returncode != 0
    assert "SITE_URL is not set" in result.stderr


@pytest.mark.parametrize("audit_key", [None, "vetted-dev-audit-key-not-secret-5f1c9a7e", "short", "same"])
def test_production_refuses_to_start_without_its_own_audit_key(audit_key):
    env = {k: v for k, v in PRODUCTION.items() if k != "VETTED_AUDIT_KEY"}
    if audit_key is not None:
        env["VETTED_AUDIT_KEY"] = env["SECRET_KEY"] if audit_key == "same" else audit_key

    result = setup_django("config.settings.production", **env)

    assert result.returncode != 0
    assert "VETTED_AUDIT_KEY is not set, or is the development default, SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "value",
    [
        "vetted.example.com",
        "ftp://vetted.example.com",
        "https://",
        "https://vetted.example.com/vetted/",
        "https://vetted.example.com/?a=1",
        "https://admin:pw@vetted.example.com",
    ],
)
def test_a_malformed_site_url_stops_start_up(value):
    result = setup_django("config.settings.dev", SITE_URL=value)

    assert result.returncode != 0
    assert "SITE_URL must be" in result.stderr and repr(value) in result.stderr


def test_the_site_url_is_kept_without_its_trailing_slash():
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    result = run(
        ["-c", code],
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        SITE_URL="https://vetted.example.com:8443/",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://vetted.example.com:8443"


def test_production_never_runs_in_debug_mode(production):
    result = setup_django("config.settings.production", DEBUG="true", **production)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_a_malformed_value_stops_start_up_naming_the_variable(production):
    result = setup_django("config.settings.production", UPLOAD_MAX_MB="lots", **production)

    assert result.returncode != 0
    assert "UPLOAD_MAX_MB must be a whole number, got 'lots'" in result.stderr


@pytest.mark.parametrize("value", ["many", "120/fortnight", "0/min", "120"])
def test_a_malformed_api_rate_stops_start_up(value, production):
    result = setup_django("config.settings.production", VETTED_API_RATE=value, **production)

    assert result.returncode != 0
    assert (
        f"VETTED_API_RATE must be a number of calls per s, min, hour or day, such as 120/min, got {value!r}"
        in result.stderr
    )


def test_the_cache_is_redis_when_redis_url_is_set_and_memory_otherwise():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'])"
    )
    on_redis = run(
        ["-c", code], DJANGO_SETTINGS_MODULE="config.settings.dev", REDIS_URL="redis://127.0.0.1:6379/9"
    )
    alone = run(["-c", code], DJANGO_SETTINGS_MODULE="config.settings.dev")
    assert on_redis.stdout.strip() == "django.core.cache.backends.redis.RedisCache", on_redis.stderr
    assert alone.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache", alone.stderr


def test_production_refuses_to_start_without_a_dossier_signing_key():
    result = setup_django("config.settings.production", **PRODUCTION)

    assert result.returncode != 0
    assert "SigningKeyError: No dossier signing key is configured: set VETTED_SIGNING_PKCS12" in result.stderr


@pytest.mark.parametrize("role", ["worker", "all"])
def test_a_signing_process_refuses_to_start_without_the_key(role):
    result = setup_django(
        "config.settings.production", **PRODUCTION, VETTED_ROLE=role, REDIS_URL="redis://x/0"
    )

    assert result.returncode != 0
    assert "No dossier signing key is configured" in result.stderr


def test_web_and_beat_processes_start_without_the_signing_key():
    for role in ("web", "beat"):
        result = setup_django(
            "config.settings.production", **PRODUCTION, VETTED_ROLE=role, REDIS_URL="redis://127.0.0.1:6379/9"
        )
        assert result.returncode == 0, result.stderr


def test_a_web_process_needs_the_broker_and_a_known_role():
    no_broker = setup_django("config.settings.production", **PRODUCTION, VETTED_ROLE="web")
    unknown = setup_django("config.settings.production", **PRODUCTION, VETTED_ROLE="webserver")

    assert "VETTED_ROLE is web but REDIS_URL is not set" in no_broker.stderr
    assert "VETTED_ROLE must be web, worker, beat or all, got 'webserver'" in unknown.stderr


HEALTH_OF_A_WEB_HOST = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
response = Client().get("/health/?format=json", HTTP_HOST="vetted.example.com", secure=True)
print(json.dumps([response.status_code, json.loads(response.content)]))
"""


@pytest.mark.redis
def test_the_health_check_of_a_web_host_is_green_without_the_signing_key(tmp_path):
    result = run(
        ["-c", HEALTH_OF_A_WEB_HOST],
        DJANGO_SETTINGS_MODULE="config.settings.production",
        **PRODUCTION,
        VETTED_ROLE="web",
        REDIS_URL=settings.REDIS_URL,
        DATABASE_URL=f"sqlite:///{tmp_path / 'web.sqlite3'}",
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
    )

    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 200, (body, result.stderr[-2000:])
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "storage": "ok", "migrations": "ok", "broker": "ok"},
    }


def test_production_refuses_to_start_with_a_signing_key_file_that_is_not_there(production, tmp_path):
    missing = tmp_path / "nowhere.p12"
    result = setup_django(
        "config.settings.production", **{**production, "VETTED_SIGNING_PKCS12": str(missing)}
    )

    assert result.returncode != 0
    assert f"VETTED_SIGNING_PKCS12 points to {missing}, which does not exist." in result.stderr


def test_a_wrong_signing_passphrase_stops_production_without_showing_any_passphrase(production):
    wrong = "not-the-passphrase-4471"
    result = setup_django("config.settings.production", **{**production, "VETTED_SIGNING_PASSPHRASE": wrong})

    assert result.returncode != 0
    assert "the passphrase (VETTED_SIGNING_PASSPHRASE) is wrong" in result.stderr
    assert wrong not in result.stderr + result.stdout
    assert SIGNING_PASSPHRASE not in result.stderr + result.stdout


def test_development_starts_with_no_environment_at_all():
    result = setup_django("config.settings.dev")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


@pytest.mark.redis
def test_the_celery_broker_on_redis_carries_a_message():
    from config.celery_app import app

    assert app.conf.broker_url == settings.REDIS_URL
    import redis

    name = f"vetted-test-{uuid.uuid4().hex}"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=2)
            assert conn.transport.driver_type == "redis"
            with conn.SimpleQueue(name) as queue:
                queue.put({"review": "VR-2026-00001", "text": "法务签批"})
                message = queue.get(timeout=5)
                message.ack()
                assert message.payload == {"review": "VR-2026-00001", "text": "法务签批"}
                with pytest.raises(queue.Empty):
                    queue.get(timeout=0.2)  # delivered once, acknowledged, gone
    finally:
        keys = [name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}"]
        redis.Redis.from_url(settings.REDIS_URL).delete(*keys)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("VETTED_SESSION_IDLE_HOURS", "eight", "VETTED_SESSION_IDLE_HOURS must be a whole number"),
        ("VETTED_LOGIN_FAILURE_LIMIT", "0", "VETTED_LOGIN_FAILURE_LIMIT must be at least 1"),
        ("VETTED_LOGIN_COOLOFF_MINUTES", "15m", "VETTED_LOGIN_COOLOFF_MINUTES must be a whole number"),
        ("VETTED_SESSION_EXPIRE_AT_BROWSER_CLOSE", "maybe", "must be true or false"),
    ],
)
def test_a_malformed_throttle_or_session_setting_stops_start_up(variable, value, message):
    result = setup_django("config.settings.dev", **{variable: value})

    assert result.returncode != 0
    assert message in result.stderr


def test_the_throttle_and_session_settings_are_read_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds()), s.SESSION_COOKIE_AGE, "
        "s.SESSION_EXPIRE_AT_BROWSER_CLOSE)"
    )
    result = run(
        ["-c", code],
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        VETTED_LOGIN_FAILURE_LIMIT="3",
        VETTED_LOGIN_COOLOFF_MINUTES="30",
        VETTED_SESSION_IDLE_HOURS="2",
        VETTED_SESSION_EXPIRE_AT_BROWSER_CLOSE="false",
    )

    assert result.stdout.split() == ["3", "1800", "7200", "False"], result.stderr


def test_production_keeps_the_throttling_the_policy_and_the_session_rules(production):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.AUTHENTICATION_BACKENDS[0], s.AXES_HANDLER, 'csp.middleware.CSPMiddleware' in s.MIDDLEWARE, "
        "s.MIDDLEWARE[-1], "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'], s.SESSION_COOKIE_AGE, "
        "s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.SESSION_COOKIE_SECURE)"
    )
    result = run(["-c", code], DJANGO_SETTINGS_MODULE="config.settings.production", **production)

    assert result.stdout.split() == [
        "axes.backends.AxesStandaloneBackend",
        "reviews.throttle.SignInThrottle",
        "True",
        "axes.middleware.AxesMiddleware",
        "[\"'self'\"]",
        "28800",
        "True",
        "True",
    ], result.stderr


DATABASE_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings; "
    "d = settings.DATABASES['default']; print(json.dumps([d.get('OPTIONS', {}), d['CONN_MAX_AGE'], "
    "d['CONN_HEALTH_CHECKS']]))"
)


def test_postgresql_connections_live_on_and_prepare_what_they_run_again():
    on_postgres = run(
        ["-c", DATABASE_SETTINGS],
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/vetted",
    )
    options, max_age, health_checks = json.loads(on_postgres.stdout)
    assert options == {"server_side_binding": True, "prepare_threshold": 5}, on_postgres.stderr
    assert (max_age, health_checks) == (60, True)
    tuned = run(
        ["-c", DATABASE_SETTINGS],
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/vetted",
        VETTED_DB_PREPARE_THRESHOLD="off",
        VETTED_DB_CONN_MAX_AGE="0",
    )
    options, max_age, _checks = json.loads(tuned.stdout)
    assert "server_side_binding" not in options and "prepare_threshold" not in options and max_age == 0
    on_sqlite = run(["-c", DATABASE_SETTINGS], DJANGO_SETTINGS_MODULE="config.settings.dev")
    options, max_age, _checks = json.loads(on_sqlite.stdout)
    assert "server_side_binding" not in options and max_age == 60


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_query_run_again_on_a_connection_is_prepared_by_postgresql():
    from django.db import connection

    from vendors.models import Vendor

    for _ in range(settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"] + 1):
        list(Vendor.objects.filter(uscc="91310000MA1FL0XXXX").values_list("pk"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "vendors_vendor" WHERE "vendors_vendor"."uscc" = $1%'],
        )
        assert cursor.fetchall(), "the repeated query was not prepared"


STORAGE_BACKEND = (
    "import django; django.setup(); from django.core.files.storage import storages; "
    "s = storages['private']; print(type(s).__name__, s.bucket_name, s.endpoint_url, s.addressing_style)"
)


def test_object_storage_is_configured_from_the_environment_and_a_gap_is_named():
    bucket = {
        "VETTED_STORAGE": "s3",
        "VETTED_S3_ENDPOINT_URL": "https://oss-cn-shanghai.aliyuncs.com",
        "VETTED_S3_BUCKET": "vetted-private",
        "VETTED_S3_ACCESS_KEY": "id",
        "VETTED_S3_SECRET_KEY": "secret",
    }
    configured = run(["-c", STORAGE_BACKEND], DJANGO_SETTINGS_MODULE="config.settings.dev", **bucket)
    local = run(
        [
            "-c",
            (
                "import django; django.setup(); from django.core.files.storage import storages; "
                "print(type(storages['private']).__name__)"
            ),
        ],
        DJANGO_SETTINGS_MODULE="config.settings.dev",
    )
    incomplete = run(
        ["-c", STORAGE_BACKEND],
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        **{**bucket, "VETTED_S3_SECRET_KEY": "", "VETTED_S3_ADDRESSING_STYLE": "virtual"},
    )
    wrong_style = run(
        ["-c", STORAGE_BACKEND],
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        **{**bucket, "VETTED_S3_ADDRESSING_STYLE": "dns"},
    )

    assert configured.stdout.split() == [
        "PrivateObjectStorage",
        "vetted-private",
        "https://oss-cn-shanghai.aliyuncs.com",
        "virtual",
    ], configured.stderr
    assert local.stdout.strip() == "PrivateStorage", local.stderr
    assert "VETTED_STORAGE is s3 but VETTED_S3_SECRET_KEY not set" in incomplete.stderr
    assert "VETTED_S3_ADDRESSING_STYLE must be virtual or path, got 'dns'" in wrong_style.stderr
