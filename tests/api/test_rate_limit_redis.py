"""On the real stack the rate limit counts in Redis, so every gunicorn process shares one count per key."""

import pytest
from django.core.cache import caches
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture
def redis_cache(settings, api_key):
    """The default cache on Redis, without the key's count (deleted one by one: the Redis database may be
    the Celery broker's too, so it is never flushed)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": settings.REDIS_URL, "KEY_PREFIX": "vetted-test"}}
    cache, name = caches["default"], f"throttle_api_key_{api_key.pk}"
    cache.delete(name)
    yield cache
    cache.delete(name)


def test_the_count_of_a_key_lives_in_redis_and_refuses_past_the_rate(redis_cache, settings, token, api_key):
    settings.VETTED_API_RATE = "2/min"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert [client.get(reverse("api:vendors")).status_code for _ in range(3)] == [200, 200, 429]
    assert len(redis_cache.get(f"throttle_api_key_{api_key.pk}")) == 2
