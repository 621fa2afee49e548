import hashlib
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vendors.fields import user_reference

RATE = re.compile(r"^([1-9][0-9]{0,8})/(s|sec|second|m|min|minute|h|hour|d|day)$")


def validate_rate(value: str) -> None:
    """A rate as the API's throttle reads it: a number of calls per second, minute, hour or day ("600/min")."""
    if value and not RATE.match(value):
        raise ValidationError(
            _("Give a number of calls per s, min, hour or day, such as 600/min."), code="rate"
        )


def api_token_hash(token: str) -> str:
    """What is stored of an API key. The token carries 256 random bits, so a plain SHA-256 cannot be walked
    back to it (no salt or slow hash needed), and a copy of the database calls nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiScope(models.TextChoices):
    """What a key may read. Keys are read-only whatever their scopes: the API has no writing endpoint."""

    VENDORS_READ = "vendors:read", _("Read vendor status")
    # Activities carry the business's campaign plans and Legal's reasons: a system that only asks about
    # vendors (an SMS gateway) does not get them with its key.
    ACTIVITIES_READ = "activities:read", _("Read marketing activities")


class ApiKeyStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")


class ApiKey(models.Model):
    """A marketing system's key to the read-only API (a CDP, an SMS platform, an ad tool asking whether it may
    send data to a vendor). Created and revoked by Legal in the admin through reviews.api_keys; the token
    is shown once, on the page that follows creation, and only its hash is kept. Never deleted (I7): the audit
    log refers to it."""

    name = models.CharField(
        _("name"), max_length=100, help_text=_("The system that uses the key, e.g. “CDP production”.")
    )
    prefix = models.CharField(
        _("prefix"),
        max_length=16,
        editable=False,
        help_text=_("The start of the token, to tell keys apart; it opens nothing."),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    rate = models.CharField(
        _("rate"),
        max_length=20,
        blank=True,
        validators=[validate_rate],
        help_text=_(
            "The calls this key may make, per second, minute, hour or day (such as "
            "600/min); empty for the site's rate (VETTED_API_RATE)."
        ),
    )
    created_by = user_reference(_("created by"), required=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = user_reference(_("revoked by"), editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def status(self) -> ApiKeyStatus:
        return ApiKeyStatus.REVOKED if self.revoked_at is not None else ApiKeyStatus.ACTIVE

    def allows(self, scope: str) -> bool:
        return scope in (self.scopes or [])
