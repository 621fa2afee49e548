"""Exactly one Celery beat (docs/operations.md "Process roles"): the scheduler of the periodic tasks runs on
one host only, and a second one started by mistake refuses to start instead of running every task twice.

The guard is a lock in Redis (the broker every process already shares): a key set only if absent, holding
this beat's identity, with an expiry (VETTED_BEAT_LOCK_SECONDS). A thread renews it a few times per expiry
while beat runs; a beat that dies stops renewing, and its lock expires, so another one may take over. A beat
that finds its lock gone or taken (Redis restarted empty, the host stalled past the expiry and another beat
started) stops rather than run beside the other. Renewal and release check the identity in one step (a Lua
script), so a beat never extends or removes another's lock.

Every periodic task is idempotent as well (the checkpoint only when the log has grown, reminders recorded
once, expired approvals lapsed once, the chain check read-only), so a task run twice across a take-over does
no harm either."""

import logging
import os
import socket
import threading
import uuid

from celery.beat import PersistentScheduler

logger = logging.getLogger(__name__)

LOCK_KEY = "vetted:beat:lock"

_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class BeatLock:
    """A lock with an expiry, held under an identity of its own (host, process, random part)."""

    def __init__(self, client, *, key: str = LOCK_KEY, seconds: int = 60):
        self.client = client
        self.key = key
        self.ttl_ms = int(seconds * 1000)
        self.identity = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._renew = client.register_script(_RENEW)
        self._release = client.register_script(_RELEASE)

    def acquire(self) -> bool:
        return bool(self.client.set(self.key, self.identity, nx=True, px=self.ttl_ms))

    def renew(self) -> bool:
        """Extend the expiry; False when the lock is no longer ours (expired, or taken by another beat)."""
        return bool(self._renew(keys=[self.key], args=[self.identity, self.ttl_ms]))

    def release(self) -> bool:
        return bool(self._release(keys=[self.key], args=[self.identity]))

    def holder(self) -> str:
        value = self.client.get(self.key)
        return value.decode() if isinstance(value, bytes) else (value or "")


def beat_lock() -> BeatLock:
    import redis
    from django.conf import settings

    if not settings.REDIS_URL:
        raise SystemExit("Celery beat needs REDIS_URL: its single-instance lock is kept in Redis.")
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=5, socket_timeout=5)
    return BeatLock(client, seconds=settings.VETTED_BEAT_LOCK_SECONDS)


class SingleBeatScheduler(PersistentScheduler):
    """Celery's own scheduler (the schedule file as before), started only under the lock and stopped when
    the lock is lost. Configured as CELERY_BEAT_SCHEDULER whenever there is a broker."""

    def setup_schedule(self):
        self._lock = beat_lock()
        if not self._lock.acquire():
            raise SystemExit(
                f"Another Celery beat is running (it holds the lock {LOCK_KEY}: {self._lock.holder()}). "
                "Exactly one beat may run: start beat on one host only (make serve ROLE=beat). If that beat "
                "died, its lock expires within VETTED_BEAT_LOCK_SECONDS and this one may be started again."
            )
        logger.info("beat lock %s taken as %s", LOCK_KEY, self._lock.identity)
        self._lost = threading.Event()
        self._stop = threading.Event()
        self._renewer = threading.Thread(target=self._keep_lock, name="beat-lock", daemon=True)
        self._renewer.start()
        super().setup_schedule()

    def _keep_lock(self):
        interval = self._lock.ttl_ms / 1000 / 3
        while not self._stop.wait(interval):
            try:
                if not self._lock.renew():
                    logger.error("beat lock %s lost (now held by %r)", LOCK_KEY, self._lock.holder())
                    self._lost.set()
                    return
            except Exception:  # Redis unreachable for a moment: try again before the lock expires
                logger.warning("beat lock %s could not be renewed; trying again", LOCK_KEY, exc_info=True)

    def tick(self, *args, **kwargs):
        if self._lost.is_set():
            message = f"This beat lost its lock {LOCK_KEY}: stopping, so that only one beat runs."
            logger.error(message)
            raise SystemExit(message)
        return super().tick(*args, **kwargs)

    def close(self):
        super().close()
        lock = getattr(self, "_lock", None)
        if lock is not None and hasattr(self, "_stop"):
            self._stop.set()
            try:
                lock.release()
            except Exception:  # the lock expires by itself
                logger.warning("beat lock %s could not be released", LOCK_KEY, exc_info=True)
