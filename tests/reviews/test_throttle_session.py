"""The password typed again in a session (reviews/throttle.py "The password typed again in a session"): the
sign-off and the admin's password change count wrong passwords on the account's own count, which failures at the
sign-in pages never move: nobody outside locks a signed-in lawyer's sign-off, and a session left open is no
unlimited password oracle."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviews import throttle
from reviews.audit_sentences import audit_sentence
from reviews.models import AuditEvent, SignOff
from reviews.scope_proposal import scope_proposed
from reviews.submission import sign_off_validity_cap
from tests.builders import review_ready_for_sign_off, scope_form_data
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT
PASSWORD_CHANGE = reverse("admin:password_change")


def sign_off(client, review, password, address="10.2.2.2"):
    data = {
        "statement": "准予入库 / admitted",
        "conditions": "",
        "valid_until": sign_off_validity_cap(review, today=timezone.localdate()).date.isoformat(),
        "password": password,
        **scope_form_data(scope_proposed(review)),
    }
    return client.post(reverse("admin:reviews_review_sign_off", args=[review.pk]), data, REMOTE_ADDR=address)


def change_password(client, old, new="a new and long passphrase 42"):
    return client.post(
        PASSWORD_CHANGE,
        {"old_password": old, "new_password1": new, "new_password2": new},
        REMOTE_ADDR="10.2.2.2",
    )


@pytest.fixture
def review(requester, legal, security):
    return review_ready_for_sign_off(requester, legal=legal, security=security)


@pytest.fixture
def desk(legal):
    client = Client()
    client.force_login(legal)
    return client


def test_wrong_sign_off_passwords_lock_the_sign_off_and_say_until_when(desk, review):
    for _ in range(LIMIT - 1):
        assert sign_off(desk, review, "wrong-password").status_code == 200
    response = sign_off(desk, review, "wrong-password")

    assert response.status_code == 429
    body = response.content.decode()
    assert "entered wrongly too many times in this session" in body
    until = timezone.localtime(AccessAttempt.objects.get().attempt_time + settings.AXES_COOLOFF_TIME)
    assert f"Try again after {until:%H:%M}" in body
    [event] = AuditEvent.objects.filter(action="login.locked_out")
    assert (event.data["username"], event.data["lock"]) == ("legal", throttle.SESSION)
    # Locked: even the right password signs nothing.
    assert sign_off(desk, review, PASSWORD).status_code == 429
    assert not SignOff.objects.filter(review=review).exists()


def test_a_session_lock_does_not_close_the_sign_in_pages(desk, review):
    for _ in range(LIMIT):
        sign_off(desk, review, "wrong-password")

    response = Client().post(
        reverse("login"), {"username": "legal", "password": PASSWORD}, REMOTE_ADDR="10.3.3.3"
    )

    assert response.status_code == 302


def test_failures_at_the_sign_in_pages_never_lock_the_sign_off(desk, review):
    """Five wrong passwords for legal from outside, from her own address even: her open session still signs."""
    outside = Client()
    for url in (reverse("login"), reverse("admin:login")):
        for _ in range(LIMIT):
            outside.post(url, {"username": "legal", "password": "wrong"}, REMOTE_ADDR="10.2.2.2")
    assert AuditEvent.objects.filter(action="login.locked_out").count() == 1

    response = sign_off(desk, review, PASSWORD)

    assert response.status_code == 302
    assert SignOff.objects.filter(review=review).exists()


def test_a_right_password_starts_the_count_again(desk, review, requester, legal, security):
    for _ in range(LIMIT - 1):
        sign_off(desk, review, "wrong-password")
    assert sign_off(desk, review, PASSWORD).status_code == 302

    other = review_ready_for_sign_off(requester, legal=legal, security=security)
    for _ in range(LIMIT - 1):
        assert sign_off(desk, other, "wrong-password").status_code == 200
    assert not AccessAttempt.objects.exists()


def test_a_refusal_before_the_password_is_looked_at_does_not_count(client, review):
    """A lawyer whose role is too fresh is refused before the password is checked (I4): those tries never
    count, and never reset the count either."""
    client.force_login(make_user("fresh", "Legal", is_staff=True, granted_days_ago=0))
    for _ in range(LIMIT + 2):
        response = sign_off(client, review, "wrong-password")
        assert response.status_code == 200

    assert AuditEvent.objects.filter(action="signoff.refused").count() == LIMIT + 2
    assert not AccessAttempt.objects.exists()


# --- The admin's password change ---------------------------------------------------------------------------------


def test_the_password_change_is_throttled(desk, legal):
    for _ in range(LIMIT - 1):
        response = change_password(desk, "wrong-password")
        assert response.status_code == 200
        assert "old password was entered incorrectly" in response.content.decode()

    response = change_password(desk, "wrong-password")

    assert response.status_code == 429
    # The right old password is not even checked now.
    assert change_password(desk, PASSWORD).status_code == 429
    legal.refresh_from_db()
    assert legal.check_password(PASSWORD)


def test_the_password_change_and_the_sign_off_share_the_sessions_count(desk, review):
    for _ in range(LIMIT - 1):
        change_password(desk, "wrong-password")

    assert sign_off(desk, review, "wrong-password").status_code == 429


def test_a_right_old_password_changes_the_password_and_resets_the_count(desk, legal):
    for _ in range(LIMIT - 1):
        change_password(desk, "wrong-password")

    assert change_password(desk, PASSWORD).status_code == 302
    legal.refresh_from_db()
    assert legal.check_password("a new and long passphrase 42")
    for _ in range(LIMIT - 1):
        assert change_password(desk, "wrong-password").status_code == 200


def test_the_audit_trail_tells_a_session_lock_from_a_sign_in_lock(desk, review, legal):
    for _ in range(LIMIT):
        sign_off(desk, review, "wrong-password")
    lock = AuditEvent.objects.get(action="login.locked_out")
    admin = Client()
    admin.force_login(legal)
    admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "unlock", "_selected_action": [AccessAttempt.objects.get().pk]},
    )
    unlock = AuditEvent.objects.get(action="login.unlocked")

    assert audit_sentence(lock) == (
        "Password entry in the session of legal locked after 5 wrong passwords (sign-off or password change)"
    )
    assert audit_sentence(unlock).endswith("unlocked the sign-in of legal")
    assert sign_off(desk, review, PASSWORD).status_code == 302
