"""Sign-in throttling (reviews/throttle.py, django-axes): both sign-in pages and the sign-off password lock
after AXES_FAILURE_LIMIT failures per user name and per address, say until when, and Legal unlocks from the
admin; lockouts and unlocks are in the audit log."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reviews.models import AuditEvent, SignOff
from reviews.scope_proposal import scope_proposed
from reviews.submission import sign_off_validity_cap
from tests.builders import review_ready_for_sign_off, scope_form_data
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
LIMIT = settings.AXES_FAILURE_LIMIT


def sign_in(client, url, username, password, address="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, url, username, times, address="10.0.0.1"):
    return [sign_in(client, url, username, "wrong-password", address) for _ in range(times)][-1]


def expected_retry_time(**match) -> str:
    last = AccessAttempt.objects.filter(**match).latest("attempt_time").attempt_time
    return timezone.localtime(last + settings.AXES_COOLOFF_TIME).strftime("%H:%M")


def test_the_default_is_five_failures_and_fifteen_minutes():
    assert (LIMIT, settings.AXES_COOLOFF_TIME.total_seconds()) == (5, 15 * 60)


def test_failures_below_the_limit_leave_the_sign_in_form(client, requester):
    response = fail(client, LOGIN, "cmo", LIMIT - 1)

    assert response.status_code == 200
    assert "Sign in to Vetted" in response.content.decode()
    assert sign_in(client, LOGIN, "cmo", PASSWORD).status_code == 302


def test_the_limit_locks_the_user_out_and_says_when_to_retry(client, requester):
    response = fail(client, LOGIN, "cmo", LIMIT)

    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many failed sign-ins" in body
    assert f"Try again after {expected_retry_time(username='cmo')}" in body
    # The right password does not help while locked.
    response = sign_in(client, LOGIN, "cmo", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_user_name_is_locked_from_every_address(client, requester):
    fail(client, LOGIN, "cmo", LIMIT, address="10.0.0.1")

    assert sign_in(client, LOGIN, "cmo", PASSWORD, address="10.9.9.9").status_code == 429


def test_one_address_trying_many_names_is_locked(client, requester):
    for name in ("a", "b", "c", "d", "e")[:LIMIT]:
        sign_in(client, LOGIN, name, "guess", address="10.6.6.6")

    assert sign_in(client, LOGIN, "cmo", PASSWORD, address="10.6.6.6").status_code == 429
    assert sign_in(client, LOGIN, "cmo", PASSWORD, address="10.0.0.2").status_code == 302


def test_the_admin_sign_in_is_throttled_the_same_way(client, legal):
    response = fail(client, ADMIN_LOGIN, "legal", LIMIT)

    assert response.status_code == 429
    assert f"Try again after {expected_retry_time(username='legal')}" in response.content.decode()
    assert sign_in(client, LOGIN, "legal", PASSWORD, address="10.1.1.1").status_code == 429


def test_the_lockout_is_audited_once_with_name_and_address(client, requester):
    fail(client, LOGIN, "cmo", LIMIT + 2)

    [event] = AuditEvent.objects.filter(action="login.locked_out")
    assert event.data["username"] == "cmo"
    assert event.data["ip_address"] == "10.0.0.1"
    assert event.data["failures"] == LIMIT


def test_the_lockout_page_is_translated(client, requester):
    client.cookies["django_language"] = "zh-hans"
    body = fail(client, LOGIN, "cmo", LIMIT).content.decode()

    assert "登录失败次数过多" in body


def test_the_limit_and_cool_off_follow_the_settings(client, requester, settings):
    settings.AXES_FAILURE_LIMIT = 2
    assert fail(client, LOGIN, "cmo", 2).status_code == 429


def test_a_lock_lifts_after_the_cool_off(client, requester):
    fail(client, LOGIN, "cmo", LIMIT)
    # Move the failures back past the cool-off instead of waiting for it.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)

    assert sign_in(client, LOGIN, "cmo", PASSWORD).status_code == 302


# --- Legal unlocks in the admin ---------------------------------------------------------------------------

CHANGELIST = reverse("admin:axes_accessattempt_changelist")


def test_legal_unlocks_a_user_from_the_admin_and_it_is_audited(client, requester, legal):
    fail(client, LOGIN, "cmo", LIMIT)
    attempt = AccessAttempt.objects.get(username="cmo")
    admin = client.__class__()
    admin.force_login(legal)

    assert admin.get(CHANGELIST).status_code == 200
    response = admin.post(CHANGELIST, {"action": "unlock", "_selected_action": [attempt.pk]}, follow=True)

    assert "Unlocked 1 record(s)" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    [event] = AuditEvent.objects.filter(action="login.unlocked")
    assert (event.actor, event.data["username"], event.data["failures"]) == (legal, "cmo", LIMIT)
    assert sign_in(client, LOGIN, "cmo", PASSWORD).status_code == 302


def test_deleting_an_attempt_in_the_admin_is_an_audited_unlock_too(client, requester, legal):
    fail(client, LOGIN, "cmo", LIMIT)
    attempt = AccessAttempt.objects.get(username="cmo")
    admin = client.__class__()
    admin.force_login(legal)

    admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})

    assert not AccessAttempt.objects.exists()
    assert AuditEvent.objects.filter(action="login.unlocked", actor=legal).count() == 1


@pytest.mark.parametrize("persona", ["security", "auditor", "requester"])
def test_only_legal_unlocks(client, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(CHANGELIST)

    assert response.status_code in (302, 403)


# --- The sign-off password counts as a sign-in --------------------------------------------------------------

def sign_off(client, review, password):
    data = {"statement": "准予入库 / admitted", "conditions": "",
            "valid_until": sign_off_validity_cap(review, today=timezone.localdate()).date.isoformat(),
            "password": password, **scope_form_data(scope_proposed(review))}
    return client.post(reverse("admin:reviews_review_sign_off", args=[review.pk]), data, REMOTE_ADDR="10.2.2.2")


def test_wrong_sign_off_passwords_lock_the_signer(client, requester, legal, security):
    review = review_ready_for_sign_off(requester, legal=legal, security=security)
    client.force_login(legal)

    for _ in range(LIMIT - 1):
        assert sign_off(client, review, "wrong-password").status_code == 200
    response = sign_off(client, review, "wrong-password")

    assert response.status_code == 429
    assert f"Try again after {expected_retry_time(username='legal')}" in response.content.decode()
    assert AuditEvent.objects.filter(action="login.locked_out", data__username="legal").count() == 1
    # Locked: even the right password signs nothing, and the sign-in pages are closed to the user too.
    response = sign_off(client, review, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert not SignOff.objects.filter(review=review).exists()
    assert sign_in(client.__class__(), LOGIN, "legal", PASSWORD, address="10.3.3.3").status_code == 429


def test_a_right_sign_off_password_is_not_counted(client, requester, legal, security):
    review = review_ready_for_sign_off(requester, legal=legal, security=security)
    client.force_login(legal)

    sign_off(client, review, "wrong-password")
    response = sign_off(client, review, PASSWORD)

    assert response.status_code == 302
    assert SignOff.objects.filter(review=review).exists()
    assert AccessAttempt.objects.get(username="legal").failures_since_start == 1


# --- Tests do not lock each other out -------------------------------------------------------------------------
# The attempts live in the database, so each test's failures go with its transaction (or, for the tests that
# commit, with the flush after them); these two, run in this order, show it.

def test_a_lockout_made_here(client, requester):
    assert fail(client, LOGIN, "cmo", LIMIT).status_code == 429


def test_is_gone_in_the_next_test(client, requester):
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, LOGIN, "cmo", PASSWORD).status_code == 302
