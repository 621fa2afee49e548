"""Exactly one Celery beat (config/beat.py): the lock in the real Redis, and real beat processes, a second of
which refuses to start, and one that loses its lock stops."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings

from config.beat import LOCK_KEY, BeatLock

pytestmark = pytest.mark.redis

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def client():
    connection = redis.Redis.from_url(settings.REDIS_URL)
    connection.delete(LOCK_KEY)
    yield connection
    connection.delete(LOCK_KEY)


def test_one_holder_at_a_time_renewed_while_alive_and_free_once_expired(client):
    first = BeatLock(client, seconds=1)
    second = BeatLock(client, seconds=1)

    assert first.acquire()
    assert not second.acquire()
    assert second.holder() == first.identity
    time.sleep(0.6)
    assert first.renew()  # renewed before it expired: still held
    time.sleep(0.6)
    assert not second.acquire()
    time.sleep(1.2)  # no renewal: it expires
    assert second.acquire()
    # The first can neither extend nor release the lock another now holds.
    assert not first.renew()
    assert not first.release()
    assert second.holder() == second.identity
    assert second.release()
    assert client.get(LOCK_KEY) is None


def beat(tmp_path, name, **env):
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "REDIS_URL": settings.REDIS_URL,
        "VETTED_BEAT_LOCK_SECONDS": "6",
        **env,
    }
    log = open(tmp_path / f"{name}.log", "w+")  # noqa: SIM115  (read back by the test)
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "config",
            "beat",
            "--loglevel=INFO",
            "--schedule",
            str(tmp_path / f"{name}-schedule"),
        ],
        cwd=BASE_DIR,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, log


def read(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()


def wait_for(predicate, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_second_beat_refuses_to_start_and_a_beat_that_lost_its_lock_stops(client, tmp_path):
    first, first_log = beat(tmp_path, "first")
    try:
        assert wait_for(lambda: client.get(LOCK_KEY) is not None), read(first_log)
        holder = client.get(LOCK_KEY).decode()
        assert holder.endswith(tuple("0123456789abcdef")) and f":{first.pid}:" in holder

        second, second_log = beat(tmp_path, "second")
        assert second.wait(timeout=120) != 0
        assert "Another Celery beat is running" in read(second_log)
        assert first.poll() is None  # the first goes on
        assert client.get(LOCK_KEY).decode() == holder

        # Its lock taken over (as when it stalled past the expiry and another beat started): it stops.
        client.set(LOCK_KEY, f"elsewhere:{uuid.uuid4().hex}")
        first.wait(timeout=60)
        assert "This beat lost its lock vetted:beat:lock: stopping" in read(first_log)
    finally:
        if first.poll() is None:
            first.terminate()
            first.wait(timeout=30)
