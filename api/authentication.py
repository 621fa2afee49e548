"""Who is calling: a marketing system holding a key, sent as `Authorization: Bearer <token>` or
`X-Api-Key: <token>`. No session and no password: a key identifies a system, not a person."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from reviews.models import ApiKey, ApiScope

from reviews.api_keys import ApiKeyRevoked, api_key_resolve


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


class ApiKeyRateThrottle(throttling.SimpleRateThrottle):
    """One bucket per key, at the key's own rate (ApiKey.rate) or else the site's, VETTED_API_RATE (e.g.
    "120/min"), counted in the default cache (Redis when REDIS_URL is set, so every process shares the
    count)."""

    scope = "api_key"

    def get_rate(self):
        # Read at each call, not at import, so that the setting can be changed without a new class.
        return settings.VETTED_API_RATE

    def allow_request(self, request, view):
        if isinstance(request.auth, ApiKey) and request.auth.rate:
            self.rate = request.auth.rate
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "A key created by Legal in the admin: `Authorization: Bearer vtd_...` "
                               "(or the header `X-Api-Key: vtd_...`)."}
