"""The embedded default holds a small team (docs/operations.md "The embedded default"): on a SQLite file in WAL
mode, with transactions that take the write lock when they begin and a busy timeout, three requesters saving
drafts and submitting at the same moment all succeed. Run against a real file in a process of its own: an
in-memory database would test nothing of SQLite's locking."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent


def test_the_sqlite_settings_are_wal_immediate_with_a_busy_timeout():
    options = (
        settings.DATABASES["default"]["OPTIONS"]
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
        else None
    )
    if options is None:  # the suite runs on PostgreSQL: read what the embedded default would use
        code = (
            "import json, django; django.setup(); from django.conf import settings; "
            "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
        )
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True
        )
        options = json.loads(out.stdout)
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_three_users_saving_drafts_and_submitting_at_once_get_no_error(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'team.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    run = subprocess.run(
        [sys.executable, "-m", "tests.sqlite_team", str(tmp_path / "private")],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["journal_mode"] == "wal"
    # Each save answers with a redirect back to the section; each submission with one to the review.
    assert result["outcomes"] == {"save 302": 36, "submit 302": 3}, result
    assert result["submitted"] == 3
