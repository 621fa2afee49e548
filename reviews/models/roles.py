from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RoleGrant(models.Model):
    """When a user was last given one of the four roles (reviews.roles.Role), kept while they hold it.

    The workflow refuses a decision by someone granted the deciding role too recently (reviews.workflow,
    VETTED_ROLE_GRANT_WAIT_HOURS): an administrator who gives themselves Legal cannot sign off the same
    afternoon, and Legal, mailed about every grant, has the time to object (I4). Written by
    reviews.role_changes on every grant; the audit log keeps the history, this row only the latest grant.
    Members from before the rule have no row and are not held back."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=32)
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_grant_once_per_role")]

    def __str__(self):
        return f"{self.role} → {self.user_id} ({self.granted_at:%Y-%m-%d %H:%M})"
