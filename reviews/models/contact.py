import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import AuditEvent
from .review import Review


def token_hash(token: str) -> str:
    """What is stored of a link's token. The token is 256 random bits, so a plain SHA-256 cannot be walked
    back to it, and a copy of the database opens no review."""
    return hashlib.sha256(token.encode()).hexdigest()


class ContactLinkStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    CLOSED = "closed", _("Review closed")


class ContactLinkQuerySet(models.QuerySet):
    def live(self, *, now=None):
        """Links that still open their review: neither revoked nor expired (the review's state is checked
        by reviews.access)."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ContactLink(models.Model):
    """The vendor contact's way in (docs/architecture.md "People"): a signed, expiring, revocable link to answer the
    questionnaire and upload evidence of one review, without an account. Only the hash of its token is
    kept; the link itself is shown once, to the requester who created it. Never deleted (I7)."""

    review = models.ForeignKey(
        Review, on_delete=models.PROTECT, related_name="contact_links", verbose_name=_("review")
    )
    contact_name = models.CharField(_("contact name"), max_length=100)
    contact_email = models.EmailField(_("contact e-mail"))
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"), editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("revoked by"),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    # The invitation form's one-time key: the same form sent twice (a refreshed page) creates one link.
    request_key = models.CharField(_("request key"), max_length=64, blank=True, editable=False)

    objects = ContactLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("vendor contact link")
        verbose_name_plural = _("vendor contact links")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "request_key"],
                condition=~models.Q(request_key=""),
                name="contact_link_request_once",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.contact_name} <{self.contact_email}>"

    @property
    def audit_label(self) -> str:
        """How the audit log names whoever acted through this link. Kept in one language on purpose: the
        log is a record, not a page. A long name or address is cut in the middle so the link's number stays."""
        head, tail = f"Vendor contact {self.contact_name} <{self.contact_email}", f"> (link #{self.pk})"
        max_length = AuditEvent._meta.get_field("actor_label").max_length
        assert max_length is not None  # a CharField's, set in the model
        room = max_length - len(tail)
        return (head if len(head) <= room else head[: room - 1] + "…") + tail

    def status(self, *, now=None) -> ContactLinkStatus:
        if self.revoked_at is not None:
            return ContactLinkStatus.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return ContactLinkStatus.EXPIRED
        if not self.review.is_open:
            return ContactLinkStatus.CLOSED
        return ContactLinkStatus.ACTIVE
