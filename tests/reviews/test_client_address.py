"""The address the throttle counts (reviews.throttle.client_address): X-Forwarded-For is read only from the
operator's proxies (VETTED_TRUSTED_PROXY_ADDRESSES), only as many entries as VETTED_TRUSTED_PROXIES says, and
never from anyone else; production trusts the documented TLS proxy on this machine by default and refuses to
start trusting proxies without knowing where they connect from."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from reviews.throttle import client_address
from tests.factories import PASSWORD
from tests.test_settings import run

LIMIT = 5


def request(peer, forwarded=None):
    meta = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.fixture
def behind_one_proxy(settings):
    settings.VETTED_TRUSTED_PROXIES = 1
    settings.VETTED_TRUSTED_PROXY_ADDRESSES = ["127.0.0.1/32", "::1/128"]


def test_without_proxies_the_connection_is_the_client(settings):
    settings.VETTED_TRUSTED_PROXIES = 0

    assert client_address(request("192.0.2.9", "203.0.113.1")) == "192.0.2.9"


def test_behind_the_proxy_the_client_is_what_the_proxy_saw(behind_one_proxy):
    # The client wrote "198.51.100.66" itself; the proxy appended the address it saw.
    assert client_address(request("127.0.0.1", "198.51.100.66, 203.0.113.1")) == "203.0.113.1"


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(behind_one_proxy):
    assert client_address(request("192.0.2.9", "203.0.113.1")) == "192.0.2.9"


def test_two_proxies_read_the_second_entry_from_the_right(settings):
    settings.VETTED_TRUSTED_PROXIES = 2
    settings.VETTED_TRUSTED_PROXY_ADDRESSES = ["10.0.0.0/8"]

    assert client_address(request("10.1.2.3", "198.51.100.66, 203.0.113.1, 10.9.9.9")) == "203.0.113.1"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "203.0.113.1:4431"])
def test_a_missing_or_malformed_entry_counts_the_connection(behind_one_proxy, forwarded):
    assert client_address(request("127.0.0.1", forwarded)) == "127.0.0.1"


@pytest.mark.django_db
def test_behind_the_proxy_one_client_cannot_lock_out_the_others(behind_one_proxy, legal):
    """With the proxy's address counted for everyone, five failures locked every user coming through it."""
    for _ in range(LIMIT):
        Client().post(
            reverse("login"),
            {"username": "legal", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )

    response = Client().post(
        reverse("login"),
        {"username": "legal", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )

    assert response.status_code == 302


@pytest.mark.django_db
def test_a_client_reaching_the_application_directly_cannot_pick_its_address(behind_one_proxy, legal):
    for n in range(LIMIT):
        Client().post(
            reverse("login"),
            {"username": "legal", "password": "wrong"},
            REMOTE_ADDR="192.0.2.9",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )

    response = Client().post(
        reverse("login"),
        {"username": "legal", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.9",
        HTTP_X_FORWARDED_FOR="203.0.113.200",
    )

    assert response.status_code == 429


# --- Settings: strict, and checked at start-up ---------------------------------------------------------------


def show(setting, module="config.settings.production", **env):
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{setting})"
    return run(["-c", code], DJANGO_SETTINGS_MODULE=module, **env)


def test_production_trusts_the_documented_proxy_by_default(production):
    result = show("VETTED_TRUSTED_PROXIES, settings.VETTED_TRUSTED_PROXY_ADDRESSES", **production)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1 ['127.0.0.1/32', '::1/128']"


def test_production_refuses_to_trust_proxies_from_nowhere(production):
    result = show("VETTED_TRUSTED_PROXIES", **production, VETTED_TRUSTED_PROXY_ADDRESSES="")

    assert result.returncode != 0
    assert "VETTED_TRUSTED_PROXY_ADDRESSES is empty" in result.stderr


def test_a_malformed_proxy_address_stops_start_up(production):
    result = show(
        "VETTED_TRUSTED_PROXIES", **production, VETTED_TRUSTED_PROXY_ADDRESSES="10.0.0.0/8,proxy.lan"
    )

    assert result.returncode != 0
    assert "VETTED_TRUSTED_PROXY_ADDRESSES must list IP addresses or networks" in result.stderr


@pytest.fixture
def production(signing_files):
    from tests.conftest import SIGNING_PASSPHRASE
    from tests.test_settings import PRODUCTION

    return {
        **PRODUCTION,
        "VETTED_SIGNING_PKCS12": str(signing_files[0]),
        "VETTED_SIGNING_PASSPHRASE": SIGNING_PASSPHRASE,
    }
