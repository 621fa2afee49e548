"""Who is calling: a marketing system holding a key, sent as `Authorization: Bearer <token>` or
`X-Api-Key: <token>`. No session and no password: a key identifies a system, not a person."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from reviews import counting
from reviews.api_keys import ApiKeyRevoked, api_key_resolve
from reviews.models import ApiKey, ApiScope


@dataclass(frozen=True)
class ApiClient:
    """request.user for a call made with a key: the system named by the key."""

    key: ApiKey
    is_authenticated = True
    is_anonymous = False

    def __str__(self):
        return self.key.name


def _token_from(request) -> str | None:
    header = authentication.get_authorization_header(request).decode("latin-1").strip()
    if header:
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() == "bearer":
            return token.strip()
    return request.META.get("HTTP_X_API_KEY", "").strip() or None


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        token = _token_from(request)
        if token is None:
            return None
        try:
            key = api_key_resolve(token=token)
        except ApiKeyRevoked as error:
            # The holder learns the key is closed (403) rather than guessing at a typo (401).
            raise exceptions.PermissionDenied(error.message, code="key_revoked") from None
        if key is None:
            raise exceptions.AuthenticationFailed(_("This API key is not known."), code="key_unknown")
        return ApiClient(key), key

    def authenticate_header(self, request):
        return 'Bearer realm="vetted"'


class KeyHasScope(permissions.BasePermission):
    """The view names the scope it needs (`required_scope`); a key without it is refused with 403. A call
    with no key at all gets 401 from DRF, since no authenticator succeeded."""

    message = gettext_lazy("This API key may not read this resource.")

    def has_permission(self, request, view):
        key = request.auth
        return isinstance(key, ApiKey) and key.allows(getattr(view, "required_scope", ApiScope.VENDORS_READ))


PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "120/min" -> (120, 60): calls, per so many seconds (the forms ApiKey.rate and VETTED_API_RATE accept)."""
    count, _sep, period = rate.partition("/")
    return int(count), PERIODS[period[0]]


class ApiKeyRateThrottle(throttling.BaseThrottle):
    """One budget per key, at the key's own rate (ApiKey.rate) or else the site's, VETTED_API_RATE (e.g.
    "120/min"), counted in the default cache (Redis when REDIS_URL is set, so every process shares the count).

    Each call is weighed and counted in one atomic step before it is answered (reviews/counting.py), and a
    call past the rate is refused and not counted: 30 calls at once with a rate of 10 get 10 answers, as 30 in
    a row would.
    (Django REST framework's SimpleRateThrottle reads the history, then writes it: every call of a burst read
    the same old history and all passed.) The window slides: the previous period's count weighs as much as is
    left of it, so a burst across the turn of a minute gets no more than the rate either."""

    def allow_request(self, request, view):
        key = request.auth
        if not isinstance(key, ApiKey):
            return True
        # Read at each call, not at import, so that the setting and a key's rate can change without a restart.
        allowed, period = parse_rate(key.rate or settings.VETTED_API_RATE)
        wait = counting.admit(f"api:rate:{key.pk}:{period}", limit=allowed, period=period)
        if wait is None:
            return True
        self._wait = wait
        return False

    def wait(self):
        return max(1.0, getattr(self, "_wait", 1.0))


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A key created by Legal in the admin: `Authorization: Bearer vtd_...` "
            "(or the header `X-Api-Key: vtd_...`).",
        }
