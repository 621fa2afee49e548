"""Throttles under concurrency (reviews/counting.py): every attempt is counted in one atomic step before its
password is checked, so 30 attempts at once end as 30 in a row would, and no password is ever checked past the
limit. The counting itself is raced on the memory cache here and on Redis (marked redis); whole sign-ins and
sign-offs are raced through the web on PostgreSQL (marked postgres), whose connections serve threads."""

import threading
from collections import Counter

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviews import counting
from reviews.models import AuditEvent, SignOff
from reviews.scope_proposal import scope_proposed
from reviews.submission import sign_off_validity_cap
from tests.builders import review_ready_for_sign_off, scope_form_data
from tests.factories import PASSWORD
from tests.reviews.test_invariants_i8_concurrent_decisions import race

LIMIT = settings.AXES_FAILURE_LIMIT


def at_once(count, call):
    return race(*[call] * count)


def test_thirty_hits_at_once_are_counted_one_to_thirty():
    results = at_once(30, lambda: counting.hit("race:memory", ttl=60))

    assert sorted(results) == list(range(1, 31))
    assert counting.value("race:memory") == 30


@pytest.fixture
def redis_cache(settings):
    """The default cache on Redis; the keys used are deleted one by one (the Redis database may be the broker's
    too, so it is never flushed)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": "vetted-test-races",
        }
    }
    keys = ["race:redis", "race:sliding", "race:missing", "race:turn"]
    for key in keys:
        caches["default"].delete(key)
    yield caches["default"]
    for key in keys:
        caches["default"].delete(key)


def _ttl(cache, key) -> int:
    name = cache.make_and_validate_key(key)
    return cache._cache.get_client(name).pttl(name)


@pytest.mark.redis
def test_on_redis_thirty_hits_at_once_are_counted_one_to_thirty_and_the_count_expires(redis_cache):
    results = at_once(30, lambda: counting.hit("race:redis", ttl=60))

    assert sorted(results) == list(range(1, 31))
    assert redis_cache.get("race:redis") == 30
    assert 0 < _ttl(redis_cache, "race:redis") <= 60_000


@pytest.mark.redis
def test_on_redis_a_fixed_window_keeps_its_end_and_a_sliding_one_moves(redis_cache):
    counting.hit("race:redis", ttl=60)
    counting.hit("race:sliding", ttl=60, sliding=True)
    name = redis_cache.make_and_validate_key("race:redis")
    redis_cache._cache.get_client(name).pexpire(name, 5_000)
    sliding = redis_cache.make_and_validate_key("race:sliding")
    redis_cache._cache.get_client(sliding).pexpire(sliding, 5_000)

    counting.hit("race:redis", ttl=60)
    counting.hit("race:sliding", ttl=60, sliding=True)

    assert _ttl(redis_cache, "race:redis") <= 5_000
    assert _ttl(redis_cache, "race:sliding") > 5_000


@pytest.mark.redis
def test_on_redis_taking_back_a_hit_never_creates_a_count_without_an_end(redis_cache):
    counting.undo("race:missing")

    assert redis_cache.get("race:missing") is None
    counting.hit("race:redis", ttl=60)
    counting.undo("race:redis")
    counting.undo("race:redis")
    assert redis_cache.get("race:redis") == 0


@pytest.mark.redis
def test_on_redis_one_caller_of_thirty_gets_the_turn(redis_cache):
    results = at_once(30, lambda: counting.reserve("race:turn", seconds=30))

    assert results.count(None) == 1


# --- Through the web, on PostgreSQL -----------------------------------------------------------------------------


@pytest.fixture
def checked_passwords(monkeypatch):
    """Each password the sign-in pages check, with the rank its attempt was counted at."""
    checked, lock = [], threading.Lock()
    authenticate = ModelBackend.authenticate

    def recording(self, request, username=None, password=None, **kwargs):
        with lock:
            checked.append((request.vetted_attempt.count, password == PASSWORD))
        return authenticate(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", recording)
    return checked


def sign_in(password, address):
    return Client().post(reverse("login"), {"username": "legal", "password": password}, REMOTE_ADDR=address)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_wrong_passwords_at_once_end_as_thirty_in_a_row(legal, checked_passwords):
    at_once_statuses = Counter(r.status_code for r in at_once(30, lambda: sign_in("wrong", "10.9.0.1")))
    at_once_checked = len(checked_passwords)
    checked_passwords.clear()
    in_a_row_statuses = Counter(sign_in("wrong", "10.9.0.2").status_code for _ in range(30))

    assert at_once_statuses == in_a_row_statuses == Counter({200: LIMIT - 1, 429: 30 - LIMIT + 1})
    assert at_once_checked == len(checked_passwords) == LIMIT
    assert AuditEvent.objects.filter(action="login.locked_out").count() == 2
    assert AccessAttempt.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("run", [1, 2, 3])
def test_the_right_password_among_eleven_wrong_at_once_is_never_checked_past_the_limit(
    legal, checked_passwords, run
):
    calls = [lambda: sign_in("wrong", f"10.9.1.{run}")] * 11 + [lambda: sign_in(PASSWORD, f"10.9.1.{run}")]

    responses = race(*calls)

    assert not [r for r in responses if isinstance(r, Exception) or r.status_code >= 500]
    assert {r.status_code for r in responses} <= {200, 302, 429}
    assert all(rank <= LIMIT for rank, _right in checked_passwords)
    got_in = any(r.status_code == 302 for r in responses)
    assert got_in == any(right for _rank, right in checked_passwords)
    if not got_in:
        assert AccessAttempt.objects.filter(ip_address=f"10.9.1.{run}").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_wrong_sign_off_passwords_at_once_check_five(requester, legal, security, monkeypatch):
    review = review_ready_for_sign_off(requester, legal=legal, security=security)
    checked, lock = [], threading.Lock()
    check_password = AbstractBaseUser.check_password

    def recording(self, raw_password):
        with lock:
            checked.append(raw_password)
        return check_password(self, raw_password)

    monkeypatch.setattr(AbstractBaseUser, "check_password", recording)
    data = {
        "statement": "准予入库 / admitted",
        "conditions": "",
        "password": "wrong",
        "valid_until": sign_off_validity_cap(review, today=timezone.localdate()).date.isoformat(),
        **scope_form_data(scope_proposed(review)),
    }

    def attempt():
        client = Client()
        client.force_login(legal)
        return client.post(reverse("admin:reviews_review_sign_off", args=[review.pk]), data)

    responses = at_once(30, attempt)

    assert Counter(r.status_code for r in responses) == Counter({200: LIMIT - 1, 429: 30 - LIMIT + 1})
    assert checked.count("wrong") == LIMIT
    assert not SignOff.objects.exists()


@pytest.fixture
def signin_counts_on_redis(settings):
    """The sign-in counts on Redis, as on the real stack; this test's keys deleted one by one."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": "vetted-test-signin",
        }
    }
    cache = caches["default"]
    pattern = cache.make_and_validate_key("signin:*")
    client = cache._cache.get_client(pattern, write=True)

    def forget():
        for key in client.scan_iter(match=pattern):
            client.delete(key)

    forget()
    yield
    forget()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_on_the_real_stack_thirty_wrong_passwords_at_once_check_five(
    legal, checked_passwords, signin_counts_on_redis
):
    statuses = Counter(r.status_code for r in at_once(30, lambda: sign_in("wrong", "10.9.2.1")))

    assert statuses == Counter({200: LIMIT - 1, 429: 30 - LIMIT + 1})
    assert len(checked_passwords) == LIMIT
    assert AuditEvent.objects.filter(action="login.locked_out").count() == 1
