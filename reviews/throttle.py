"""Sign-in throttling (django-axes): the lockout page, the sign-off password counted as a sign-in, and the
audit of lockouts and unlocks.

A reviewer's password is the last guard before a vendor reaches the approved list (the sign-off re-enters
it), so guessing it is throttled wherever it is typed: /accounts/login/, /admin/login/ and the sign-off form.
Each lockout and each unlock by Legal is an audit event (I5), so that a later reader can tell an attack from
a forgotten password."""

from datetime import datetime

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import Max, Q
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .audit import audit_record


def client_address(request) -> str | None:
    """REMOTE_ADDR, or the address the nearest of the operator's VETTED_TRUSTED_PROXIES proxies saw: with N
    proxies, the N-th X-Forwarded-For entry from the right. Entries left of it are the client's own words."""
    proxies = settings.VETTED_TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                     if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def _credentials(username: str | None) -> dict:
    return {settings.AXES_USERNAME_FORM_FIELD: username} if username else {}


def locked_until(request, username: str | None) -> datetime | None:
    """When the lock on this user name or this address lifts, or None when neither is locked."""
    AxesProxyHandler.update_request(request)
    match = Q(ip_address=request.axes_ip_address)
    if username:
        match |= Q(username=username)
    last = (AccessAttempt.objects.filter(match, failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
            .aggregate(last=Max("attempt_time"))["last"])
    if last is None:
        return None
    until = last + settings.AXES_COOLOFF_TIME
    return until if until > timezone.now() else None


def lockout_message(until: datetime | None) -> str:
    minutes = settings.AXES_COOLOFF_TIME.total_seconds() // 60
    if until is None:
        return _("Too many failed sign-ins. Try again in %(minutes)d minutes, or ask Legal to unlock your "
                 "account.") % {"minutes": minutes}
    local = timezone.localtime(until)
    return _("Too many failed sign-ins from this account or this address. Try again after %(time)s "
             "(%(date)s), or ask Legal to unlock your account.") % {
        "time": local.strftime("%H:%M"), "date": date_format(local, "Y-m-d")}


def lockout_response(request, original_response=None, credentials=None):
    """The page shown instead of the sign-in form (and of the sign-off) while locked (AXES_LOCKOUT_CALLABLE).
    429 tells scripts to slow down; people read the message."""
    username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if not username and getattr(request, "user", None) is not None and request.user.is_authenticated:
        username = request.user.get_username()
    message = lockout_message(locked_until(request, username))
    return render(request, "registration/locked_out.html", {"message": message}, status=429)


def sign_off_locked(request) -> bool:
    """Whether the signed-in user may not try their password at the sign-off now."""
    return AxesProxyHandler.is_locked(request, _credentials(request.user.get_username()))


def sign_off_password_failed(request) -> None:
    """Count a wrong password at the sign-off as a failed sign-in of that user, from that address. When it
    reaches the limit, AxesMiddleware answers with the lockout page."""
    user_login_failed.send(sender=__name__, credentials=_credentials(request.user.get_username()),
                           request=request)


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs):
    # Axes signals again for every refused attempt while locked; only the attempt that locked has counted
    # failures on the request, so the lockout is recorded once.
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    audit_record(action="login.locked_out", actor="system", object_type="login", object_id=username or "",
                 data={"username": username or "", "ip_address": ip_address or "",
                       "path": getattr(request, "axes_path_info", ""),
                       "failures": request.axes_failures_since_start,
                       "until": (timezone.now() + settings.AXES_COOLOFF_TIME).isoformat()})


def login_unlock(*, attempts, actor) -> int:
    """Lift the locks of these failed-attempt records (Legal, from the admin) and audit each."""
    with transaction.atomic():
        records = list(AccessAttempt.objects.select_for_update().filter(pk__in=[a.pk for a in attempts]))
        for record in records:
            audit_record(action="login.unlocked", actor=actor, object_type="login",
                         object_id=record.username or "",
                         data={"username": record.username or "", "ip_address": record.ip_address or "",
                               "failures": record.failures_since_start})
            record.delete()
    return len(records)
