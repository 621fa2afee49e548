"""The marketing system, the API's persona: a key Legal created, and a client that sends it."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from reviews.api_keys import api_key_create


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    """The rate limit counts in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def issued(legal):
    """A key for the CDP with the scope vendors:read: (key, token)."""
    return api_key_create(actor=legal, name="CDP production")


@pytest.fixture
def api_key(issued):
    return issued[0]


@pytest.fixture
def token(issued):
    return issued[1]


@pytest.fixture
def api(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client
