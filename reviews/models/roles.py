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

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=32)
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_grant_once_per_role")]

    def __str__(self):
        return f"{self.role} → {self.user_id} ({self.granted_at:%Y-%m-%d %H:%M})"


class AccountChange(models.TextChoices):
    """Changes to an account, other than a role, that affect who may decide (docs/architecture.md "People")."""

    PASSWORD_SET = "password_set", _("password set by someone else")
    EMAIL = "email", _("e-mail address changed")
    FLAGS = "flags", _("superuser, staff or active flag changed")


class DeciderHold(models.Model):
    """A change to an account that holds back its decisions (I4), written by reviews.role_changes.

    A password set by someone else holds until its owner sets one of their own (whoever set it could sign in
    as them); the row is then deleted. Any other change (the e-mail address the notices go to; the superuser,
    staff or active flag) holds for VETTED_ROLE_GRANT_WAIT_HOURS from `since`, like a new role, so that Legal
    and the superusers, mailed about each, have the time to object. reviews.access.decider_refusal reads it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    change = models.CharField(_("change"), max_length=16, choices=AccountChange.choices)
    since = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("decider hold")
        verbose_name_plural = _("decider holds")
        constraints = [
            models.UniqueConstraint(fields=["user", "change"], name="decider_hold_once_per_change")
        ]

    def __str__(self):
        return f"{self.change} → {self.user_id} ({self.since:%Y-%m-%d %H:%M})"
