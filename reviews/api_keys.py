"""API keys: created and revoked by Legal, resolved on every call. One function per transition, in the order
of reviews.workflow: guard, lock and change, audit.

The token is returned once, to the admin page that shows it; only its SHA-256 is kept (ApiKey.token_hash).
Every call reads the key from the database, so a revocation counts from the moment it commits."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.audit import audit_record
from reviews.errors import WorkflowError
from reviews.models import ApiKey, ApiScope
from reviews.models.api_key import api_token_hash, validate_rate
from reviews.roles import Role, has_role

# Tells a Vetted key apart in a secret scanner or a log ("vtd_" + 43 URL-safe characters, 256 bits).
TOKEN_PREFIX = "vtd_"
PREFIX_LENGTH = 12
# Writing last_used_at on every call would be a write per call; the admin list needs minutes, not seconds.
LAST_USED_PRECISION = timedelta(minutes=1)


class ApiKeyRevoked(WorkflowError):
    """A key that existed and was revoked: its holder is told so (403), unlike an unknown token (401)."""


def _require_legal(actor) -> None:
    if not has_role(actor, Role.LEGAL):
        raise WorkflowError(_("Only Legal creates and revokes API keys."), code="forbidden")


def api_key_create(
    *, actor, name: str, scopes: list[str] | None = None, rate: str = ""
) -> tuple[ApiKey, str]:
    """A new key for a marketing system, at its own rate or (empty) the site's. Returns the key and its token:
    the token exists nowhere else, so the caller shows it once and forgets it."""
    _require_legal(actor)
    name = (name or "").strip()
    if not name:
        raise WorkflowError(_("Name the system that will use the key."), code="invalid")
    rate = "".join((rate or "").split())
    try:
        validate_rate(rate)
    except ValidationError as error:
        raise WorkflowError(error.messages[0], code="invalid") from None
    scopes = [ApiScope.VENDORS_READ.value] if scopes is None else list(scopes)
    unknown = set(scopes) - set(ApiScope.values)
    if unknown:
        raise WorkflowError(
            _("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(sorted(unknown))}, code="invalid"
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        key = ApiKey.objects.create(
            name=name,
            prefix=token[:PREFIX_LENGTH],
            token_hash=api_token_hash(token),
            scopes=scopes,
            rate=rate,
            created_by=actor,
        )
        audit_record(
            action="api_key.created",
            actor=actor,
            obj=key,
            data={"name": key.name, "prefix": key.prefix, "scopes": key.scopes, "rate": key.rate},
        )
    return key, token


def api_key_revoke(*, actor, key: ApiKey) -> ApiKey:
    """Close a key at once: the next call with it is refused."""
    _require_legal(actor)
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked_at is not None:
            raise WorkflowError(
                _("The key “%(name)s” was already revoked.") % {"name": key.name}, code="state"
            )
        key.revoked_at, key.revoked_by = timezone.now(), actor
        key.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            action="api_key.revoked", actor=actor, obj=key, data={"name": key.name, "prefix": key.prefix}
        )
    return key


def api_key_resolve(*, token: str) -> ApiKey | None:
    """The live key this token opens, with its last use recorded; None for an unknown token. A revoked key
    raises ApiKeyRevoked."""
    if not token:
        return None
    key = ApiKey.objects.filter(token_hash=api_token_hash(token)).first()
    if key is None:
        return None
    if key.revoked_at is not None:
        raise ApiKeyRevoked(_("This API key was revoked."), code="revoked")
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
