"""On the real stack the rate limit counts in Redis, so every gunicorn process shares one count per key, and a
burst at once is counted as one in a row."""

from collections import Counter
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.urls import reverse
from rest_framework.test import APIClient

from api.authentication import ApiKeyRateThrottle
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
