"""The three-host rehearsal (bench/three_hosts.py) as a test: three gunicorn hosts with nothing shared but
PostgreSQL, Redis and the S3-compatible store, one worker, one beat; the whole journey, each request to another
host, must pass. Slow (minutes): it needs the real services, so it runs under `.ci/run`, where a missing one
fails it (VETTED_REQUIRE_SERVICES=1), and is skipped locally without them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests import s3_server

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

BASE_DIR = Path(__file__).resolve().parent.parent


def rehearsal_redis_url() -> str:
    """A Redis database of the rehearsal's own: its worker must not take the tasks other tests queue on the
    suite's broker, nor its beat hold the lock tests/test_beat_guard.py takes."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(settings.REDIS_URL)
    current = int(parts.path.strip("/") or 0)
    own = int(os.environ.get("VETTED_TEST_REHEARSAL_REDIS_DB", "14"))
    if own == current:
        own = (own + 1) % 16
    return urlunsplit(parts._replace(path=f"/{own}"))


def test_three_hosts_serve_one_journey_and_agree(tmp_path):
    from django.db import connection

    admin = connection.settings_dict
    admin_url = f"postgres://{admin['USER']}@{admin['HOST'] or '127.0.0.1'}:{admin['PORT'] or 5432}/postgres"
    database = f"vetted_three_hosts_{os.getpid()}"
    run = subprocess.run(
        [
            sys.executable,
            "bench/three_hosts.py",
            "--pg-admin-url",
            admin_url,
            "--database",
            database,
            "--redis-url",
            rehearsal_redis_url(),
            "--s3-endpoint",
            s3_server.configured_endpoint(),
            "--load-seconds",
            "3",
            "--load-users",
            "2",
        ],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    out = run.stdout
    assert run.returncode == 0, out[-4000:] + run.stderr[-6000:]
    for line in (
        "[A] evidence uploaded",
        "[B] evidence downloaded",
        "[C] evidence downloaded",
        "[B] inventory previewed",
        "[C] inventory confirmed",
        "[A] signed off",
        "[C] dossier downloaded",
        "Journey complete",
    ):
        assert line in out, out
    verdicts = {line.split("verify_audit: ", 1)[1] for line in out.splitlines() if "] verify_audit: " in line}
    assert len(verdicts) == 1 and next(iter(verdicts)).startswith("Audit chain intact"), out
    health = [line for line in out.splitlines() if "] health: " in line]
    assert len(health) == 3 and all('"failing"' not in line for line in health), out
