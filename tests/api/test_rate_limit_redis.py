"""On the real stack the rate limit counts in Redis, so every gunicorn process shares one count per key, and a
burst at once is counted as one in a row."""

import time
from collections import Counter
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.urls import reverse
from rest_framework.test import APIClient

from api.authentication import ApiKeyRateThrottle
from reviews.models import ApiKey
from tests.reviews.test_invariants_i8_concurrent_decisions import race

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture
def redis_cache(settings, api_key):
    """The default cache on Redis, without the key's counts (deleted one by one: the Redis database may be the
    Celery broker's too, so it is never flushed)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": "vetted-test",
        }
    }
    cache = caches["default"]
    name = cache.make_and_validate_key(f"api:rate:{api_key.pk}:*")
    client = cache._cache.get_client(name, write=True)

    def forget():
        for found in client.scan_iter(match=name):
            client.delete(found)

    forget()
    yield cache
    forget()


def test_the_count_of_a_key_lives_in_redis_and_refuses_past_the_rate(redis_cache, settings, token, api_key):
    settings.VETTED_API_RATE = "2/min"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert [client.get(reverse("api:vendors")).status_code for _ in range(3)] == [200, 200, 429]
    client_keys = list(
        redis_cache._cache.get_client(None).scan_iter(
            match=redis_cache.make_and_validate_key(f"api:rate:{api_key.pk}:*")
        )
    )
    assert [redis_cache._cache.get_client(None).get(k) for k in client_keys] == [b"2"]


def test_thirty_checks_at_once_on_redis_let_ten_through(redis_cache, api_key):
    api_key.rate = "10/min"

    answered = race(*[lambda: ApiKeyRateThrottle().allow_request(SimpleNamespace(auth=api_key), None)] * 30)

    assert Counter(answered) == Counter({True: 10, False: 20})


def test_a_burst_across_the_turn_of_a_second_on_redis_gets_no_more_than_the_rate(redis_cache, api_key):
    """The window is read from Redis's own clock in the same step as the counts (reviews/counting.py), so the
    calls just after the turn weigh those just before it. Each key (a new one per try) bursts 5 calls at 5/s
    at 0.6 s into a second, then 5 more just after the turn; a try whose second burst was held up past the
    next second (a loaded machine) says nothing of the turn and is made again."""
    client = redis_cache._cache.get_client(None)

    def clock():
        seconds, micro = client.time()
        return seconds, micro / 1_000_000

    def burst(key):
        return [ApiKeyRateThrottle().allow_request(SimpleNamespace(auth=key), None) for _ in range(5)]

    for attempt in range(5):
        key = ApiKey(pk=api_key.pk * 1000 + attempt, rate="5/s")
        while not 0.6 <= clock()[1] < 0.7:
            time.sleep(0.01)
        turn = clock()[0] + 1
        before = burst(key)
        while clock()[0] < turn:
            time.sleep(0.01)
        after = burst(key)
        second, elapsed = clock()
        redis_cache.delete_many([f"api:rate:{key.pk}:1:{window}" for window in range(turn - 2, second + 1)])
        if second == turn:
            break
    else:
        pytest.fail("five tries, and each time the second burst ended past the next second")

    assert before == [True] * 5
    # The five before the turn still weigh 5 x (1 - elapsed): no more than 5 x elapsed calls fit after it.
    assert sum(after) <= 5 * elapsed
    assert sum(after) < 5
