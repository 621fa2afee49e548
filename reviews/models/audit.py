import datetime as dt
import hashlib
import hmac
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vendors.fields import user_reference

GENESIS = "0" * 64
UTC = dt.UTC


class AuditScheme(models.IntegerChoices):
    """How an event's hash is computed. Events written before the chain was keyed keep their plain SHA-256
    and are verified with it; every later event carries an HMAC-SHA256 under VETTED_AUDIT_KEY, which an
    attacker with only the database cannot recompute. A plain event after a keyed one is a forgery: the
    chain never goes back (reviews.audit.audit_verify)."""

    SHA256 = 1, _("SHA-256 (before keying)")
    HMAC_SHA256 = 2, _("HMAC-SHA256")


# One encoder, built once: json.dumps with options builds a new one per call, and verification calls it for
# every event. Compact, sorted and unescaped, so that the same content always gives the same bytes.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def audit_key() -> bytes:
    return settings.VETTED_AUDIT_KEY.encode()


def keyed_payload(
    at, actor_id, actor_label, action, review_id, vendor_id, object_type, object_id, data, prev_hash
) -> bytes:
    """The bytes the HMAC covers: every column of the event except its own hash, `data` as JSON values (as
    they come back from the database). A list, not an object: cheaper to encode and just as unambiguous."""
    return _CANONICAL.encode(
        [
            at.astimezone(UTC).isoformat(timespec="microseconds"),
            actor_id,
            actor_label,
            action,
            review_id,
            vendor_id,
            object_type,
            str(object_id),
            data,
            prev_hash,
        ]
    ).encode()


def keyed_hash(payload: bytes, key: bytes) -> str:
    return hmac.digest(key, payload, "sha256").hex()


def legacy_hash(
    at, actor_id, actor_label, action, review_id, vendor_id, object_type, object_id, data, prev_hash
) -> str:
    """The unkeyed SHA-256 of the events written before the chain was keyed (AuditScheme.SHA256), exactly as
    it was computed then."""
    content = {
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor_id,
        "actor_label": actor_label,
        "action": action,
        "review": review_id,
        "vendor": vendor_id,
        "object_type": object_type,
        "object_id": str(object_id),
        "data": data,
        "prev": prev_hash,
    }
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
    payload = json.dumps(json.loads(payload), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only.")

    def _raw_delete(self, using):
        raise AppendOnlyError("The audit log is append-only.")


class AuditEvent(models.Model):
    """Append-only, hash-chained record of every transition (I5). Each hash covers the event's content and
    the previous event's hash, so changing or removing any row breaks the chain from there on."""

    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = user_reference(_("actor"))
    actor_label = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=64)
    review = models.ForeignKey(
        "reviews.Review",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("review"),
    )
    vendor = models.ForeignKey(
        "vendors.Vendor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vendor"),
    )
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=40)
    data = models.JSONField(_("details"), default=dict, encoder=DjangoJSONEncoder)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    scheme = models.PositiveSmallIntegerField(
        _("hash scheme"), choices=AuditScheme.choices, default=AuditScheme.HMAC_SHA256
    )
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["pk"]
        indexes = [
            # The trail of one object that has no review of its own (a marketing activity, a scope extension):
            # its events by type and id, in order, without reading every event of the log.
            models.Index(fields=["object_type", "object_id", "id"], name="audit_object_idx"),
        ]

    def __str__(self):
        # audit_sentences reads the models: imported when an event is named, not when the models load.
        from reviews.audit_sentences import action_name

        return f"#{self.pk} {action_name(self.action)}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")

    def compute_hash(self, key: bytes | None = None) -> str:
        # `data` as it will come back from the database (dates as strings), so that the hash is the same
        # before saving and after loading.
        data = json.loads(json.dumps(self.data, cls=DjangoJSONEncoder))
        columns = (
            self.at,
            self.actor_id,
            self.actor_label,
            self.action,
            self.review_id,
            self.vendor_id,
            self.object_type,
            self.object_id,
            data,
            self.prev_hash,
        )
        if self.scheme == AuditScheme.HMAC_SHA256:
            return keyed_hash(keyed_payload(*columns), key or audit_key())
        return legacy_hash(*columns)
