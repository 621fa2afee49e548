"""Sessions end after VETTED_SESSION_IDLE_HOURS (8) without a request and when the browser closes
(config/settings/base.py, config/sessions.py): a request pushes the end further (saving the session at most
once per VETTED_SESSION_REFRESH_SECONDS), a session idle past it is signed out."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from config.sessions import REFRESHED
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    response = client.post(reverse("login"), {"username": user.get_username(), "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_the_defaults_are_eight_idle_hours_and_browser_close():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.VETTED_SESSION_REFRESH_SECONDS == 60


def test_the_session_cookie_ends_with_the_browser(client, legal):
    cookie = signed_in(client, legal).cookies[settings.SESSION_COOKIE_NAME]

    assert cookie["expires"] == "" and cookie["max-age"] == ""


def age_last_refresh(client, seconds: int) -> None:
    session = client.session
    session[REFRESHED] -= seconds
    session.save()
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=5))


def test_a_request_after_the_refresh_interval_pushes_the_idle_end_further(client, legal):
    signed_in(client, legal)
    age_last_refresh(client, settings.VETTED_SESSION_REFRESH_SECONDS)

    assert client.get(reverse("dashboard")).status_code == 200

    assert Session.objects.get().expire_date > timezone.now() + timedelta(hours=7, minutes=59)


def test_requests_within_the_refresh_interval_write_nothing(client, legal):
    signed_in(client, legal)
    age_last_refresh(client, 0)

    client.get(reverse("dashboard"))

    assert Session.objects.get().expire_date < timezone.now() + timedelta(minutes=6)


def test_a_session_idle_past_the_limit_is_signed_out(client, legal):
    signed_in(client, legal)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get(reverse("dashboard"))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_idle_limit_follows_the_setting(client, legal, settings):
    settings.SESSION_COOKIE_AGE = 3600
    signed_in(client, legal)

    expire = Session.objects.get().expire_date
    assert timezone.now() + timedelta(minutes=59) < expire <= timezone.now() + timedelta(hours=1)
