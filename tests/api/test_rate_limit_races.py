"""The API's rate per key under concurrency (api.authentication.ApiKeyRateThrottle): each call is counted in one
atomic step before it is answered, so 30 calls at once with a rate of 10 get 10 answers, as 30 in a row would;
a refused call does not use up the budget; the window slides, so a burst across the turn of a period gets no
more than the rate either. The throttle is raced on its own (any database) and through the web (PostgreSQL)."""

import time
from collections import Counter
from types import SimpleNamespace

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.authentication import ApiKeyRateThrottle, parse_rate
from reviews.api_keys import api_key_create
from reviews.models import ApiKey
from tests.reviews.test_invariants_i8_concurrent_decisions import race


def call(key):
    return ApiKeyRateThrottle().allow_request(SimpleNamespace(auth=key), view=None)


@pytest.fixture
def later(monkeypatch):
    offset = [0.0]
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + offset[0])
    return lambda seconds: offset.__setitem__(0, offset[0] + seconds)


def test_rates_read_as_calls_per_period():
    assert [parse_rate(r) for r in ("120/min", "10/s", "600/minute", "5/hour", "1000/day")] == [
        (120, 60),
        (10, 1),
        (600, 60),
        (5, 3600),
        (1000, 86400),
    ]


def test_thirty_calls_at_once_with_a_rate_of_ten_get_ten_answers():
    key = ApiKey(pk=901, rate="10/min")

    answered = race(*[lambda: call(key)] * 30)

    assert Counter(answered) == Counter({True: 10, False: 20})
    assert call(key) is False


def test_a_refused_call_does_not_use_up_the_budget(later):
    key = ApiKey(pk=902, rate="3/min")
    assert [call(key) for _ in range(5)] == [True, True, True, False, False]

    later(120)  # two periods on: the previous one weighs nothing

    assert [call(key) for _ in range(4)] == [True, True, True, False]


def test_a_burst_across_the_turn_of_a_period_gets_no_more_than_the_rate(later):
    key = ApiKey(pk=903, rate="10/min")
    later(60 - time.time() % 60 - 1)  # one second before the turn of a minute
    assert sum(call(key) for _ in range(10)) == 10

    later(2)  # just past the turn: the ten calls a second ago still weigh almost fully

    assert sum(call(key) for _ in range(10)) == 0
    throttle = ApiKeyRateThrottle()
    throttle.allow_request(SimpleNamespace(auth=key), view=None)
    assert 1 <= throttle.wait() <= 60


def test_keys_have_budgets_of_their_own():
    busy, quiet = ApiKey(pk=904, rate="2/min"), ApiKey(pk=905, rate="2/min")

    assert [call(busy) for _ in range(3)] == [True, True, False]
    assert [call(quiet) for _ in range(2)] == [True, True]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_calls_at_once_through_the_web_get_ten_answers_and_twenty_429(legal):
    _key, token = api_key_create(actor=legal, name="CDP", rate="10/min")

    def get():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client.get(reverse("api:vendors")).status_code

    assert Counter(race(*[get] * 30)) == Counter({200: 10, 429: 20})
