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
