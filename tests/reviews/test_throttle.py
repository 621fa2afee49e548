"""Sign-in throttling (reviews/throttle.py, docs/operations.md "Sign-in throttling"): a user name locks from one
address after AXES_FAILURE_LIMIT failures, for that address only; a good sign-in resets that pair and nothing
else; failures from many places slow down instead of locking; a browser the user signed in with counts apart;
the lockout page says until when and how to reach Legal; Legal unlocks; locks and unlocks are audited."""

import time

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviews import throttle
from reviews.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
LIMIT = settings.AXES_FAILURE_LIMIT
AFTER = settings.VETTED_LOGIN_SLOWDOWN_AFTER


def sign_in(client, username, password, address="10.0.0.1", url=LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, address="10.0.0.1", url=LOGIN):
    return [sign_in(client, username, "wrong-password", address, url) for _ in range(times)][-1]


def retry_time() -> str:
    until = AccessAttempt.objects.latest("attempt_time").attempt_time + settings.AXES_COOLOFF_TIME
    return timezone.localtime(until).strftime("%H:%M")


def signed_in(response) -> bool:
    # Reviewers land on their desk, everyone else on the overview.
    return response.status_code == 302 and response.url in (reverse("dashboard"), reverse("admin:index"))


@pytest.fixture
def later(monkeypatch):
    """Move the clock the counts expire by (the cache's) forward, instead of waiting."""
    offset = [0.0]
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + offset[0])

    def advance(seconds: float) -> None:
        offset[0] += seconds

    return advance


def test_the_default_is_five_failures_fifteen_minutes_and_a_slowdown_after_ten():
    assert (LIMIT, settings.AXES_COOLOFF_TIME.total_seconds(), AFTER) == (5, 15 * 60, 10)


def test_failures_below_the_limit_leave_the_sign_in_form(client, requester):
    response = fail(client, "cmo", LIMIT - 1)

    assert response.status_code == 200
    assert "Sign in to Vetted" in response.content.decode()
    assert signed_in(sign_in(client, "cmo", PASSWORD))


def test_the_limit_locks_the_pair_and_says_when_to_retry_and_how_to_reach_legal(client, requester, settings):
    settings.VETTED_LEGAL_CONTACT = "legal@example.com"
    response = fail(client, "cmo", LIMIT)

    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many failed sign-ins for this user name from this address" in body
    assert f"Try again after {retry_time()}" in body
    assert "contact Legal (法务): legal@example.com" in body
    assert 0 < int(response["Retry-After"]) <= settings.AXES_COOLOFF_TIME.total_seconds()
    # The right password does not help while locked, and is not even checked.
    response = sign_in(client, "cmo", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_without_a_contact_the_page_says_who_lifts_the_lock(client, requester):
    body = fail(client, "cmo", LIMIT).content.decode()

    assert "ask a member of Legal (法务) to lift the lock" in body


def test_failures_from_one_address_never_lock_the_user_out_elsewhere(client, legal):
    """Five wrong passwords for legal from anywhere used to lock her out everywhere."""
    fail(Client(), "legal", LIMIT, address="198.51.100.7")

    assert signed_in(sign_in(client, "legal", PASSWORD, address="10.0.0.2"))


def test_invented_names_from_a_shared_address_lock_nobody_else(client, requester):
    """An office behind one NAT: failures with invented names lock only those names."""
    for name in ("a", "b", "c", "d", "e"):
        fail(Client(), name, 1, address="10.6.6.6")

    assert signed_in(sign_in(client, "cmo", PASSWORD, address="10.6.6.6"))


def test_signing_in_as_oneself_between_guesses_does_not_reset_them(client, requester, legal):
    """The reset-on-success bypass: 4 guesses at legal, one good sign-in as oneself, repeat."""
    attacker = Client()
    for _cycle in range(6):
        responses = [sign_in(attacker, "legal", f"guess-{n}", "10.4.4.4") for n in range(LIMIT - 1)]
        assert signed_in(sign_in(attacker, "cmo", PASSWORD, "10.4.4.4"))
        if any(r.status_code == 429 for r in responses):
            break
    else:
        pytest.fail("24 wrong passwords for legal and never locked")

    assert AuditEvent.objects.filter(action="login.locked_out", data__username="legal").count() == 1
    assert sign_in(attacker, "legal", PASSWORD, "10.4.4.4").status_code == 429


def test_a_good_sign_in_resets_only_its_own_pair(requester, legal):
    cmo, other = Client(), Client()
    fail(cmo, "cmo", LIMIT - 1, address="10.5.5.5")
    fail(other, "legal", LIMIT - 1, address="10.5.5.5")

    assert signed_in(sign_in(other, "legal", PASSWORD, address="10.5.5.5"))

    assert fail(cmo, "cmo", 1, address="10.5.5.5").status_code == 429
    assert fail(other, "legal", LIMIT - 1, address="10.5.5.5").status_code == 200


def test_the_admin_sign_in_counts_on_the_same_pair(client, legal):
    response = fail(client, "legal", LIMIT, url=ADMIN_LOGIN)

    assert response.status_code == 429
    assert f"Try again after {retry_time()}" in response.content.decode()
    assert sign_in(Client(), "legal", PASSWORD).status_code == 429
    assert signed_in(sign_in(Client(), "legal", PASSWORD, address="10.1.1.1"))


def test_the_lockout_is_audited_once_with_name_address_and_what_locked(client, requester):
    fail(client, "cmo", LIMIT + 2)

    [event] = AuditEvent.objects.filter(action="login.locked_out")
    assert (event.data["username"], event.data["ip_address"], event.data["lock"]) == (
        "cmo",
        "10.0.0.1",
        throttle.SIGN_IN,
    )
    assert event.data["failures"] == LIMIT


def test_the_lockout_page_is_translated(client, requester):
    client.cookies["django_language"] = "zh-hans"
    body = fail(client, "cmo", LIMIT).content.decode()

    assert "登录已锁定" in body


def test_the_limit_follows_the_settings(client, requester, settings):
    settings.AXES_FAILURE_LIMIT = 2
    assert fail(client, "cmo", 2).status_code == 429


def test_a_lock_lifts_after_the_cool_off(client, requester, later):
    fail(client, "cmo", LIMIT)
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    later(settings.AXES_COOLOFF_TIME.total_seconds() + 1)

    assert signed_in(sign_in(client, "cmo", PASSWORD))


def test_attempts_while_locked_do_not_push_the_end_of_the_lock(client, requester):
    fail(client, "cmo", LIMIT)
    until = retry_time()

    fail(client, "cmo", 3)

    assert AccessAttempt.objects.count() == 1
    assert retry_time() == until


# --- Many places: slowed down, never locked ------------------------------------------------------------------


def test_a_name_guessed_from_many_addresses_is_slowed_down_not_locked(legal, later):
    for n in range(AFTER):
        fail(Client(), "legal", 1, address=f"203.0.113.{n + 1}")

    first = sign_in(Client(), "legal", "guess", address="203.0.113.100")  # takes the next turn
    response = sign_in(Client(), "legal", PASSWORD, address="203.0.113.101")

    assert first.status_code == 200
    assert response.status_code == 429
    assert "slowed down, not locked" in response.content.decode()
    assert int(response["Retry-After"]) >= 1
    assert not AuditEvent.objects.filter(action="login.locked_out").exists()
    later(2)  # the turn has passed: the right password gets in from anywhere
    assert signed_in(sign_in(Client(), "legal", PASSWORD, address="203.0.113.101"))


def test_the_wait_doubles_with_each_further_failure(legal, later):
    for n in range(AFTER):
        fail(Client(), "legal", 1, address=f"203.0.113.{n + 1}")
    waits = []
    for n in range(4):
        assert sign_in(Client(), "legal", "guess", address=f"198.51.100.{n + 1}").status_code == 200
        waits.append(int(sign_in(Client(), "legal", "guess", address="198.51.100.200")["Retry-After"]))
        later(waits[-1] + 0.1)

    assert waits == [1, 2, 4, 8]


def test_a_browser_that_signed_in_before_is_not_slowed_down(legal):
    desk = Client()
    assert signed_in(sign_in(desk, "legal", PASSWORD, address="10.7.7.7"))
    assert throttle.BROWSER_COOKIE in desk.cookies
    for n in range(AFTER + 3):
        fail(Client(), "legal", 1, address=f"203.0.113.{n + 1}")

    assert sign_in(Client(), "legal", PASSWORD, address="203.0.113.200").status_code == 429
    assert signed_in(sign_in(desk, "legal", PASSWORD, address="10.7.7.8"))


def test_an_address_trying_many_names_is_slowed_down_not_locked(requester, later):
    for n in range(AFTER):
        fail(Client(), f"invented{n}", 1, address="10.6.6.6")

    assert sign_in(Client(), "someone", "guess", address="10.6.6.6").status_code == 200  # takes the turn
    response = sign_in(Client(), "cmo", PASSWORD, address="10.6.6.6")
    assert response.status_code == 429
    assert "sign-ins from it are slowed down" in response.content.decode()
    later(2)
    assert signed_in(sign_in(Client(), "cmo", PASSWORD, address="10.6.6.6"))


# --- A known browser counts apart ------------------------------------------------------------------------------


def test_an_attacker_at_the_same_address_cannot_lock_the_users_own_browser(legal):
    desk = Client()
    assert signed_in(sign_in(desk, "legal", PASSWORD, address="10.8.8.8"))

    assert fail(Client(), "legal", LIMIT, address="10.8.8.8").status_code == 429
    assert signed_in(sign_in(desk, "legal", PASSWORD, address="10.8.8.8"))


def test_a_known_browser_locks_itself_only(legal):
    desk = Client()
    assert signed_in(sign_in(desk, "legal", PASSWORD, address="10.8.8.8"))

    response = fail(desk, "legal", LIMIT, address="10.8.8.8")

    assert response.status_code == 429
    assert "from this browser" in response.content.decode()
    assert AuditEvent.objects.get(action="login.locked_out").data["lock"] == throttle.BROWSER
    assert signed_in(sign_in(Client(), "legal", PASSWORD, address="10.8.8.8"))


def test_a_forged_browser_cookie_counts_as_none(legal):
    attacker = Client()
    attacker.cookies[throttle.BROWSER_COOKIE] = "eyJiIjoiYWJjIiwidSI6W119:forged:signature"

    assert fail(attacker, "legal", LIMIT).status_code == 429
    assert AuditEvent.objects.get(action="login.locked_out").data["lock"] == throttle.SIGN_IN


# --- Legal unlocks in the admin ---------------------------------------------------------------------------------

CHANGELIST = reverse("admin:axes_accessattempt_changelist")


def test_legal_reads_the_locks_in_force_and_unlocks_and_it_is_audited(client, requester, legal):
    fail(client, "cmo", LIMIT)
    admin = Client()
    admin.force_login(legal)

    page = admin.get(CHANGELIST)
    assert page.status_code == 200
    assert "sign-in from this address" in page.content.decode()
    attempt = AccessAttempt.objects.get(username="cmo")
    response = admin.post(CHANGELIST, {"action": "unlock", "_selected_action": [attempt.pk]}, follow=True)

    assert "Unlocked 1 record(s)" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    [event] = AuditEvent.objects.filter(action="login.unlocked")
    assert (event.actor, event.data["username"], event.data["failures"]) == (legal, "cmo", LIMIT)
    assert signed_in(sign_in(client, "cmo", PASSWORD))


def test_a_lock_over_is_not_listed(client, requester, legal):
    fail(client, "cmo", LIMIT)
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    admin = Client()
    admin.force_login(legal)

    assert "cmo" not in admin.get(CHANGELIST).content.decode()


def test_deleting_a_lock_in_the_admin_is_an_audited_unlock_too(client, requester, legal):
    fail(client, "cmo", LIMIT)
    attempt = AccessAttempt.objects.get(username="cmo")
    admin = Client()
    admin.force_login(legal)

    admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})

    assert not AccessAttempt.objects.exists()
    assert AuditEvent.objects.filter(action="login.unlocked", actor=legal).count() == 1
    assert signed_in(sign_in(client, "cmo", PASSWORD))


@pytest.mark.parametrize("persona", ["security", "auditor", "requester"])
def test_only_legal_unlocks(client, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(CHANGELIST).status_code in (302, 403)


# --- Tests do not lock each other out ----------------------------------------------------------------------------
# The counts live in the cache (emptied before each test, tests/conftest.py) and the locks in the database; these
# two, run in this order, show it.


def test_a_lockout_made_here(client, requester):
    assert fail(client, "cmo", LIMIT).status_code == 429


def test_is_gone_in_the_next_test(client, requester):
    assert not AccessAttempt.objects.exists()
    assert signed_in(sign_in(client, "cmo", PASSWORD))


def test_sign_ins_and_sign_outs_stay_in_the_access_log(client, requester):
    assert signed_in(sign_in(client, "cmo", PASSWORD, address="10.0.0.3"))
    client.post(reverse("logout"))

    [entry] = AccessLog.objects.all()
    assert (entry.username, entry.ip_address) == ("cmo", "10.0.0.3")
    assert entry.logout_time is not None
