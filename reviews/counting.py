"""Counts that every process shares and increments atomically: the sign-in throttle (reviews/throttle.py) and the
API's rate per key (api/authentication.py).

A count lives in the default cache: Redis on the real stack, so every gunicorn process on every host counts
together; the process's memory in the embedded default. Each increment is one atomic step that returns the new
value (a Lua script on Redis, which also sets the expiry in the same step; the memory cache's own lock
otherwise). A decision taken on the value returned cannot be raced: 30 requests at once are counted 1 to 30,
as 30 in a row would be, and the ones past a limit are refused however they interleave. A read followed by
a write (what django-axes and Django REST framework's throttles do) lets every request of a burst read the
same old value.

A rate over a sliding window (`admit`) is decided in one step as well: the clock, both periods' counts and the
increment are read and written together, in Redis by one script on Redis's own clock, so a caller whose clock
(or whose thread) lags cannot count in a period that another caller has already weighed."""

import threading
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

# INCR, then the expiry: on a new key, on a key left without one, or on every hit for a sliding window.
_HIT = """
local n = redis.call('INCR', KEYS[1])
if ARGV[2] == '1' or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return n
"""
# DECR only a key that exists, never below zero: a missing key stays missing (DECR would create it with no
# expiry, a count that never ends).
_UNDO = """
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then return redis.call('DECR', KEYS[1]) end
return 0
"""

# A sliding window of `period` seconds: the current period's count plus the previous one's, weighed by how much
# of it is still inside the window. Admitted calls are counted; refused ones are not. Returns -1 when admitted,
# else the seconds until the current period ends (by then its calls weigh less, or the next period starts).
_ADMIT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local period = tonumber(ARGV[2])
local window = math.floor(now / period)
local elapsed = now - window * period
local current = KEYS[1] .. ':' .. window
local count = tonumber(redis.call('GET', current) or '0')
local earlier = tonumber(redis.call('GET', KEYS[1] .. ':' .. (window - 1)) or '0')
if count + 1 + earlier * (1 - elapsed / period) <= tonumber(ARGV[1]) then
  redis.call('INCR', current)
  redis.call('PEXPIRE', current, period * 2000)
  return '-1'
end
return tostring(period - elapsed)
"""
_admitting = threading.Lock()  # the memory cache is this process's alone, and so is this lock


def _backend():
    # Looked up at each call: tests switch CACHES, and Django rebuilds the handler when they do.
    return caches["default"]


def _redis(backend, key: str):
    name = backend.make_and_validate_key(key)
    return backend._cache.get_client(name, write=True), name


def hit(key: str, *, ttl: float, sliding: bool = False) -> int:
    """Add one to the count `key` and return the new value. A new count ends `ttl` seconds after its first
    hit (a fixed window), or after its latest with `sliding`."""
    backend = _backend()
    if isinstance(backend, RedisCache):
        client, name = _redis(backend, key)
        return int(client.eval(_HIT, 1, name, max(1, int(ttl * 1000)), "1" if sliding else "0"))
    for _attempt in range(5):
        backend.add(key, 0, timeout=ttl)
        try:
            value = backend.incr(key)
        except ValueError:  # expired between the two steps: start it again
            continue
        if sliding:
            backend.touch(key, ttl)
        return value
    raise RuntimeError(f"the count {key} could not be incremented")


def undo(key: str) -> None:
    """Take back one hit: the attempt it counted was not what the count is about (its password was never
    checked, or it was right)."""
    backend = _backend()
    if isinstance(backend, RedisCache):
        client, name = _redis(backend, key)
        client.eval(_UNDO, 1, name)
        return
    try:
        if backend.get(key, 0) > 0:
            backend.decr(key)
    except ValueError:
        pass  # expired meanwhile: nothing left to take back


def admit(key: str, *, limit: int, period: int) -> float | None:
    """One call under the rate `limit` per `period` seconds, counted as `key`: None when it is admitted (and
    counted), else the seconds to wait. Many callers at once get `limit` admissions between them, at the turn
    of a period too."""
    backend = _backend()
    if isinstance(backend, RedisCache):
        client, name = _redis(backend, key)
        wait = float(client.eval(_ADMIT, 1, name, limit, period))
        return None if wait < 0 else wait
    with _admitting:
        now = time.time()
        window, elapsed = divmod(now, period)
        current = f"{key}:{int(window)}"
        count = backend.get(current, 0)
        earlier = backend.get(f"{key}:{int(window) - 1}", 0)
        if count + 1 + earlier * (1 - elapsed / period) > limit:
            return period - elapsed
        backend.set(current, count + 1, timeout=2 * period)
        return None


def value(key: str) -> int:
    return int(_backend().get(key, 0) or 0)


def clear(key: str) -> None:
    _backend().delete(key)


def extend(key: str, *, ttl: float) -> None:
    """The count now ends `ttl` seconds from now (a lock keeps its count as long as it lasts)."""
    _backend().touch(key, ttl)


def reserve(key: str, *, seconds: float) -> float | None:
    """Take the turn `key` for `seconds`: None when it was free (now taken by the caller), else the time (epoch
    seconds) at which the current holder's turn ends. Atomic: of any number of callers, one gets the turn."""
    until = time.time() + seconds
    backend = _backend()
    if backend.add(key, until, timeout=seconds):
        return None
    held = backend.get(key)
    return float(held) if held is not None else until
