"""Sliding idle expiry of sessions without a database write on every request.

A session ends SESSION_COOKIE_AGE seconds after its last save. Saving it on every request
(SESSION_SAVE_EVERY_REQUEST) would make that "after the last request", at the cost of an UPDATE on every page
view. Here the session is saved again only when its last refresh is older than VETTED_SESSION_REFRESH_SECONDS,
so the idle limit holds to within that margin (a minute by default, against eight hours) for one write a
minute at most per user."""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

REFRESHED = "_vetted_refreshed"


def _mark(session) -> None:
    session[REFRESHED] = int(time.time())


@receiver(user_logged_in)
def _refreshed_at_sign_in(sender, request, user, **kwargs):
    if getattr(request, "session", None) is not None:
        _mark(request.session)


class SessionRefreshMiddleware:
    """Inside SessionMiddleware: marks a signed-in session modified when its refresh is due, so that
    SessionMiddleware saves it with a new expiry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        # Only a session that exists is refreshed. A call to the API authenticates a key, not a session
        # (request.user is then the key's system): marking its empty session would store a new session and
        # send a cookie on every call of every cookie-less client.
        if (
            session is not None
            and session.session_key is not None
            and user is not None
            and user.is_authenticated
            and not session.modified
        ):
            last = session.get(REFRESHED, 0)
            if time.time() - last >= settings.VETTED_SESSION_REFRESH_SECONDS:
                _mark(session)
        return response
