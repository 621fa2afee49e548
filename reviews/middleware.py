"""Who is acting, for changes recorded by signal receivers that get no request (reviews.role_changes).

A user's groups, superuser and staff flags can change from the admin's user page, the group page, a
command or a shell. Admin save hooks would see only the first of these, and the groups of a user are saved
after save_model, in save_related; a signal sees them all. What a signal lacks is the request, so this
middleware keeps the signed-in user in a context variable for the request's duration. Outside a request
(commands, the shell, tasks) there is none and the audit log names the system."""

from contextvars import ContextVar

_actor: ContextVar = ContextVar("vetted_request_actor", default=None)


def current_actor():
    """The signed-in user of the request being served, or None."""
    return _actor.get()


class RequestActorMiddleware:
    """Place after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        token = _actor.set(user if getattr(user, "is_authenticated", False) else None)
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


# The session key that says its user must change a password someone else set (reviews.role_changes).
PASSWORD_CHANGE_REQUIRED = "_vetted_password_change_required"


class PasswordChangeRequiredMiddleware:
    """A password set by someone else (an administrator, a command) forces its owner to set their own at the
    next sign-in: every page but the password change, signing out and the language switch sends them there.
    The session is marked at sign-in (reviews.role_changes); only a marked session costs a query, to see
    whether the hold is gone. Deciding is refused by reviews.access.decider_check in any case: this only
    takes the owner to the page that lifts it. Place after AuthenticationMiddleware."""

    EXEMPT = (
        "password_change",
        "password_change_done",
        "logout",
        "admin:logout",
        "admin:password_change",
        "admin:password_change_done",
        "set_language",
    )

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt = None

    def _exempt_paths(self) -> set[str]:
        if self._exempt is None:
            from django.urls import reverse

            self._exempt = {reverse(name) for name in self.EXEMPT}
        return self._exempt

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(PASSWORD_CHANGE_REQUIRED):
            response = self._required(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _required(self, request):
        from django.conf import settings
        from django.shortcuts import redirect

        from .models import AccountChange, DeciderHold

        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or not DeciderHold.objects.filter(user=user, change=AccountChange.PASSWORD_SET).exists()
        ):
            del request.session[PASSWORD_CHANGE_REQUIRED]
            return None
        if request.path in self._exempt_paths() or request.path.startswith(settings.STATIC_URL):
            return None
        return redirect("password_change")


def is_busy(exception) -> bool:
    """A write that gave up waiting for a lock: the audit chain's (reviews.audit.AuditBusy, PostgreSQL) or the
    database file's (SQLite's "database is locked" after its busy timeout). Nothing of it was written."""
    from django.db import OperationalError

    from .audit import AuditBusy

    if isinstance(exception, AuditBusy):
        return True
    return isinstance(exception, OperationalError) and "database is locked" in str(exception)


class BusyMiddleware:
    """Answers a write that gave up waiting for a lock with 503 and a page that says so in the user's language:
    the site is busy, nothing was saved, try again in a moment. Never a hang, never a bare 500."""

    RETRY_AFTER_SECONDS = 5

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_busy(exception):
            return None
        import logging

        from django.shortcuts import render

        logging.getLogger(__name__).warning("busy: %s %s: %s", request.method, request.path, exception)
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response
