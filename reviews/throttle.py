"""Throttling of password guesses: on /accounts/login/ and /admin/login/, at the sign-off and at the password
change. The rules and why are in docs/operations.md "Sign-in throttling"; in short:

- **Locks by pair.** A user name is locked for AXES_COOLOFF_TIME after AXES_FAILURE_LIMIT failures from one
  address, for that address only: failures from elsewhere never lock a user out, and five invented names from
  an office's shared address lock nobody else. A good sign-in resets that pair and nothing else, so signing in
  as oneself between guesses at another name gains nothing.
- **Known browsers count apart.** A browser that signed in as a user before carries a signed cookie
  (TrustedBrowserMiddleware); its failures for that user count on their own, so an attacker at the same address
  cannot lock the user's own browser either.
- **Many places slow down, never lock.** Failures for one name from every address together, and failures from
  one address for every name together, past VETTED_LOGIN_SLOWDOWN_AFTER within an hour, make each further
  attempt wait its turn, the wait doubling up to five minutes. A known browser is not slowed.
- **The session's own count.** The password typed again inside a session (the sign-off, the password change)
  has a count per account, which only that session's holder moves: failures at the sign-in pages never lock
  a signed-in lawyer's sign-off, and guesses there are bounded too.
- **Atomic.** Every attempt is counted before its password is checked (reviews/counting.py), and an attempt
  past the limit is refused without checking it: 30 at once end as 30 in a row would, whichever comes first.

django-axes provides the wiring (its backend asks SignInThrottle.is_allowed before the password is checked,
its signals report failures and sign-ins, its middleware turns a refusal into lockout_response); its
AccessAttempt table holds the locks, which Legal lifts in the admin (reviews/admin/throttle.py). Each lock and
each unlock is an audit event (I5), so that a later reader can tell an attack from a forgotten password."""

import functools
import ipaddress
import logging
import math
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

# axes.conf fills django-axes' defaults into Django's settings (the same object) when it loads, out of sight of
# django-stubs, which reads config/settings only: a setting left to its axes default is read through axes.conf.
from axes.conf import settings as axes_settings
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import counting
from .audit import audit_record

log = logging.getLogger(__name__)

# What locked: a user name from one address, a user name in one known browser, the password typed again in a
# session. Kept with the lock (AccessAttempt.get_data) and in the audit event.
SIGN_IN, BROWSER, SESSION = "sign_in", "browser", "session"
# Why an attempt was refused: a lock, or its turn under a slowdown (of a user name, or of an address).
LOCKED, SLOWED = "locked", "slowed"
NAME, ADDRESS = "name", "address"

# Failures counted towards a slowdown are forgotten an hour after the last one; the wait between attempts
# doubles from one second up to five minutes: a distributed guesser gets about twelve guesses an hour at one
# name, and a person typing their own password waits minutes at most.
SLOWDOWN_WINDOW = timedelta(hours=1)
SLOWDOWN_MAX_WAIT = 300

BROWSER_COOKIE = "vetted_browser"
_BROWSER_SALT = "reviews.throttle.browser"
BROWSER_MAX_AGE = timedelta(days=90)
_BROWSER_NAMES = 5  # user names one browser is trusted for (a shared desk), the latest kept


# --- The client's address -----------------------------------------------------------------------------------


def _ip(value) -> str | None:
    try:
        return str(ipaddress.ip_address(str(value or "").strip()))
    except ValueError:
        return None


@functools.lru_cache(maxsize=8)
def _networks(addresses: tuple) -> tuple:
    return tuple(ipaddress.ip_network(network) for network in addresses)


def trusted_peer(address: str | None) -> bool:
    """Whether the connection comes from one of the operator's proxies (VETTED_TRUSTED_PROXY_ADDRESSES)."""
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in _networks(tuple(settings.VETTED_TRUSTED_PROXY_ADDRESSES)))


def client_address(request) -> str | None:
    """REMOTE_ADDR, or, when the connection comes from one of the operator's proxies and VETTED_TRUSTED_PROXIES
    is N, the N-th X-Forwarded-For entry from the right: what the farthest of those proxies saw. From any other
    peer the header is ignored (a client that reaches the application directly writes it itself); entries left
    of the N-th are the client's own words, and anything that is not an address counts as no header."""
    peer = _ip(request.META.get("REMOTE_ADDR"))
    proxies = settings.VETTED_TRUSTED_PROXIES
    if proxies and trusted_peer(peer):
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            return _ip(forwarded[-proxies]) or peer
    return peer


# --- Attempts and refusals ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    reason: str  # LOCKED or SLOWED
    scope: str  # what is locked (SIGN_IN, BROWSER, SESSION) or slowed (NAME, ADDRESS)
    until: datetime

    @property
    def seconds(self) -> int:
        return max(1, math.ceil(self.until.timestamp() - time.time()))


@dataclass
class Attempt:
    """One password about to be checked, counted before it is."""

    scope: str  # SIGN_IN, BROWSER or SESSION
    username: str
    address: str | None
    counter: str  # the count that locks
    count: int = 0
    slowdown_counts: list = field(
        default_factory=list
    )  # counted towards slowdowns, taken back if not a failure
    refusal: Refusal | None = None

    @property
    def allowed(self) -> bool:
        return self.refusal is None


def _limit() -> int:
    return settings.AXES_FAILURE_LIMIT


def _cool_off() -> timedelta:
    return settings.AXES_COOLOFF_TIME


def _name(username) -> str:
    return str(username or "").strip().casefold()[:255]


def _tag(text: str) -> str:
    """A user name as it appears in a cache key or a cookie: keyed, so that neither shows whom it is about."""
    return salted_hmac("reviews.throttle.name", text).hexdigest()[:32]


def locked_until(counter: str) -> datetime | None:
    """When the lock recorded for this count lifts, or None."""
    since = timezone.now() - _cool_off()
    locked_at = (
        AccessAttempt.objects.filter(post_data=counter, attempt_time__gt=since)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    return locked_at + _cool_off() if locked_at else None


def _count(attempt: Attempt) -> Attempt:
    """Count the attempt on its lock's count; refuse it while locked or past the limit."""
    until = locked_until(attempt.counter)
    if until is None:
        attempt.count = counting.hit(attempt.counter, ttl=_cool_off().total_seconds())
        if attempt.count <= _limit():
            return attempt
        # Attempts in flight have already taken every try the limit allows; the last of them locks if wrong.
        counting.undo(attempt.counter)
        until = locked_until(attempt.counter) or timezone.now() + _cool_off()
    attempt.refusal = Refusal(LOCKED, attempt.scope, until)
    return attempt


def _release(attempt: Attempt) -> None:
    """Take back what an attempt counted: its password was never checked."""
    counting.undo(attempt.counter)
    for counter in attempt.slowdown_counts:
        counting.undo(counter)


def _slow_down(attempt: Attempt, scope: str, ident: str) -> bool:
    counter = f"signin:{scope}:{ident}"
    count = counting.hit(counter, ttl=SLOWDOWN_WINDOW.total_seconds(), sliding=True)
    attempt.slowdown_counts.append(counter)
    past = count - settings.VETTED_LOGIN_SLOWDOWN_AFTER
    if past <= 0:
        return True
    wait = min(SLOWDOWN_MAX_WAIT, 2 ** min(past - 1, 16))
    held_until = counting.reserve(f"{counter}:turn", seconds=wait)
    if held_until is None:
        if past == 1:
            log.warning("Sign-in attempts slowed down for a %s after %d failures", scope, count - 1)
        return True
    _release(attempt)
    attempt.refusal = Refusal(SLOWED, scope, datetime.fromtimestamp(held_until, tz=UTC))
    return False


# --- Known browsers -------------------------------------------------------------------------------------------


def _browser(request) -> dict | None:
    raw = request.COOKIES.get(BROWSER_COOKIE)
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=_BROWSER_SALT, max_age=BROWSER_MAX_AGE)
    except signing.BadSignature:
        return None
    if not (
        isinstance(data, dict)
        and isinstance(data.get("b"), str)
        and data["b"].isalnum()
        and isinstance(data.get("u"), list)
    ):
        return None
    return data


def known_browser(request, username) -> str | None:
    """The id of this browser if it has signed in as this user name before, else None."""
    data = _browser(request)
    name = _name(username)
    if data is None or not name or _tag(name) not in data["u"]:
        return None
    return data["b"]


class TrustedBrowserMiddleware:
    """After a good sign-in, the browser gets (or keeps) a signed cookie naming, by keyed tags, the user names
    it signed in as: its failures for those names count apart from everyone else's (SignInThrottle)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        name = getattr(request, "vetted_signed_in_as", None)
        if name:
            data = _browser(request) or {"b": secrets.token_hex(16), "u": []}
            tag = _tag(name)
            data["u"] = [*[t for t in data["u"] if t != tag][-(_BROWSER_NAMES - 1) :], tag]
            response.set_cookie(
                BROWSER_COOKIE,
                signing.dumps(data, salt=_BROWSER_SALT),
                max_age=int(BROWSER_MAX_AGE.total_seconds()),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


# --- Sign-in (django-axes' handler) --------------------------------------------------------------------------


def sign_in_attempt(request, username) -> Attempt:
    """Count an attempt to sign in as `username` from this request, before its password is checked."""
    name, address = _name(username), client_address(request)
    browser = known_browser(request, name)
    if browser is not None:
        attempt = Attempt(
            BROWSER, str(username or ""), address, counter=f"signin:browser:{browser}:{_tag(name)}"
        )
    else:
        attempt = Attempt(
            SIGN_IN, str(username or ""), address, counter=f"signin:pair:{_tag(name)}:{address or '-'}"
        )
    if not _count(attempt).allowed or browser is not None:
        return attempt
    for scope, ident in ((NAME, _tag(name) if name else None), (ADDRESS, address)):
        if ident and not _slow_down(attempt, scope, ident):
            break
    return attempt


class SignInThrottle(AxesDatabaseHandler):
    """django-axes' handler (AXES_HANDLER): its backend calls is_allowed before any password is checked, its
    signals call user_login_failed and user_logged_in after. What django-axes' own handler did with a failure
    (a row per user name, address and browser, read back before the next attempt, every one of them deleted by
    a good sign-in from the address) is replaced; its log of sign-ins and sign-outs (AccessLog) is kept."""

    def is_allowed(self, request, credentials=None) -> bool:
        attempt = sign_in_attempt(request, (credentials or {}).get(axes_settings.AXES_USERNAME_FORM_FIELD))
        request.vetted_attempt = attempt
        return attempt.allowed

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        attempt = getattr(request, "vetted_attempt", None)
        if attempt is None or not attempt.allowed:
            return  # refused before its password was checked: not a failure
        if attempt.count >= _limit():
            _lock(attempt, request)
            request.axes_locked_out = True  # AxesMiddleware shows the lockout page for this very attempt

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(
            sender, request, user, **kwargs
        )  # the access log (AXES_RESET_ON_SUCCESS is off)
        attempt = getattr(request, "vetted_attempt", None) if request is not None else None
        if attempt is None or not attempt.allowed:
            return  # a session opened without a password (tests' force_login, an impersonation)
        counting.clear(attempt.counter)  # the pair starts again; nothing else does
        for counter in attempt.slowdown_counts:
            counting.undo(counter)  # a right password is no failure
        request.vetted_signed_in_as = _name(user.get_username())

    def get_failures(self, request, credentials=None) -> int:
        attempt = getattr(request, "vetted_attempt", None)
        return attempt.count if attempt is not None else 0

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False) -> int:
        """`manage.py axes_reset`: lift the locks, audited as an unlock by the system."""
        locks = AccessAttempt.objects.all()
        if ip_address:
            locks = locks.filter(ip_address=ip_address)
        if username:
            locks = locks.filter(username=username)
        return login_unlock(attempts=locks, actor="system")


# --- The password typed again in a session -------------------------------------------------------------------


def session_attempt(request) -> Attempt:
    """Count a password typed again by the signed-in user (the sign-off, the password change), on the account's
    own count: nothing done at the sign-in pages moves it. The caller reports the outcome with
    session_password_wrong, session_password_right or session_password_unchecked."""
    user = request.user
    attempt = _count(
        Attempt(SESSION, user.get_username(), client_address(request), counter=f"signin:session:{user.pk}")
    )
    request.vetted_attempt = attempt
    return attempt


def session_password_wrong(request, attempt: Attempt) -> bool:
    """A wrong password: True when it locked the session's password entry."""
    if attempt.allowed and attempt.count >= _limit():
        _lock(attempt, request)
        return True
    return False


def session_password_right(attempt: Attempt) -> None:
    if attempt.allowed:
        counting.clear(attempt.counter)


def session_password_unchecked(attempt: Attempt) -> None:
    """Refused before the password was looked at (another guard): it did not count."""
    if attempt.allowed:
        counting.undo(attempt.counter)


# --- Locks -----------------------------------------------------------------------------------------------------


def _lock(attempt: Attempt, request) -> None:
    now = timezone.now()
    until = now + _cool_off()
    attempt.refusal = Refusal(LOCKED, attempt.scope, until)
    # The count lasts as long as the lock: the attempts that race the lock's row are refused by it.
    counting.extend(attempt.counter, ttl=_cool_off().total_seconds())
    # One lock per count at a time: after a good sign-in in the middle of a burst, two attempts may each
    # reach the limit again; the first to take this turn records the lock, the other finds it taken.
    if counting.reserve(f"{attempt.counter}:locked", seconds=_cool_off().total_seconds()) is not None:
        return
    try:
        with transaction.atomic():
            # Locks already over go (their story is in the audit log).
            AccessAttempt.objects.filter(attempt_time__lte=now - _cool_off()).delete()
            AccessAttempt.objects.create(
                username=attempt.username[:255],
                # A lock by pair is for that address; a browser's or a session's holds wherever it goes.
                ip_address=attempt.address if attempt.scope == SIGN_IN else None,
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
                http_accept=request.META.get("HTTP_ACCEPT", "")[:1025],
                path_info=request.path[:255],
                get_data=attempt.scope,
                post_data=attempt.counter,
                failures_since_start=attempt.count,
            )
            audit_record(
                action="login.locked_out",
                actor="system",
                object_type="login",
                object_id=attempt.username,
                data={
                    "username": attempt.username,
                    "ip_address": attempt.address or "",
                    "lock": attempt.scope,
                    "path": request.path,
                    "failures": attempt.count,
                    "until": until.isoformat(),
                },
            )
    except IntegrityError:
        pass  # the same lock, recorded by a process whose turn the cache lost meanwhile


def login_unlock(*, attempts, actor) -> int:
    """Lift these locks (Legal, from the admin) and audit each: the lock's row goes, and its count with it."""
    with transaction.atomic():
        records = list(AccessAttempt.objects.select_for_update().filter(pk__in=[a.pk for a in attempts]))
        for record in records:
            audit_record(
                action="login.unlocked",
                actor=actor,
                object_type="login",
                object_id=record.username or "",
                data={
                    "username": record.username or "",
                    "ip_address": record.ip_address or "",
                    "lock": record.get_data,
                    "failures": record.failures_since_start,
                },
            )
            record.delete()
    for record in records:
        if record.post_data.startswith("signin:"):
            counting.clear(record.post_data)
            counting.clear(f"{record.post_data}:locked")
    return len(records)


# --- What the locked-out person reads -------------------------------------------------------------------------


def lockout_message(refusal: Refusal) -> str:
    local = timezone.localtime(refusal.until)
    when = {"time": local.strftime("%H:%M"), "date": date_format(local, "Y-m-d"), "seconds": refusal.seconds}
    if refusal.reason == SLOWED:
        if refusal.scope == NAME:
            return (
                _(
                    "Many failed sign-ins for this user name from several places: its sign-in is slowed down, "
                    "not locked. Try again in %(seconds)d seconds."
                )
                % when
            )
        return (
            _(
                "Many failed sign-ins from this network: sign-ins from it are slowed down, not locked. Try "
                "again in %(seconds)d seconds."
            )
            % when
        )
    if refusal.scope == SESSION:
        return (
            _(
                "Your password was entered wrongly too many times in this session (at the sign-off or the "
                "password change). Try again after %(time)s (%(date)s)."
            )
            % when
        )
    if refusal.scope == BROWSER:
        return (
            _(
                "Too many failed sign-ins for this user name from this browser. Try again after %(time)s "
                "(%(date)s)."
            )
            % when
        )
    return (
        _(
            "Too many failed sign-ins for this user name from this address. Try again after %(time)s "
            "(%(date)s)."
        )
        % when
    )


def lockout_response(request, original_response=None, credentials=None):
    """The page shown instead of the sign-in form, the sign-off or the password change while refused
    (AXES_LOCKOUT_CALLABLE). 429 with Retry-After tells scripts to slow down; people read when to retry and
    how to reach Legal."""
    attempt = getattr(request, "vetted_attempt", None)
    refusal = (
        attempt.refusal
        if attempt is not None and attempt.refusal is not None
        else Refusal(LOCKED, SIGN_IN, timezone.now() + _cool_off())
    )
    response = render(
        request,
        "registration/locked_out.html",
        {
            "message": lockout_message(refusal),
            "slowed": refusal.reason == SLOWED,
            "legal_contact": settings.VETTED_LEGAL_CONTACT,
        },
        status=429,
    )
    response["Retry-After"] = str(refusal.seconds)
    return response
