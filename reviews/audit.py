"""Appending to and verifying the hash-chained audit log (I5)."""

from dataclasses import dataclass

from django.db import connection, transaction

from . import retention  # noqa: F401  (connects the I7 delete guard; imported at start-up through receivers)
from .access import account_of
from .models import AuditEvent, ContactLink
from .models.audit import GENESIS

# Any constant works; it names the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK = 0x7E77ED


def _actor_label(actor) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    if isinstance(actor, ContactLink):
        return actor.audit_label
    return actor.get_username()


def audit_record(*, action: str, obj=None, actor=None, review=None, vendor=None, data: dict | None = None,
                 object_type: str = "", object_id: str = "") -> AuditEvent:
    """Append one event. Must run inside the transaction of the change it records, so that both commit
    or neither does; the chain head is locked until then."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        last = AuditEvent.objects.order_by("-pk").values_list("hash", flat=True).first()
        if review is not None and vendor is None:
            vendor = review.vendor
        if isinstance(actor, ContactLink):
            # No account acted: the label names the contact, the link's id ties the event to the link.
            data = {**(data or {}), "contact_link": actor.pk}
        event = AuditEvent(
            actor=account_of(actor),
            actor_label=_actor_label(actor),
            action=action,
            review=review,
            vendor=vendor,
            object_type=object_type or (obj._meta.model_name if obj is not None else ""),
            object_id=object_id or (str(obj.pk) if obj is not None else ""),
            data=data or {},
            prev_hash=last or GENESIS,
        )
        event.hash = event.compute_hash()
        event.save()
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None
    reason: str = ""
    kind: str = ""  # "link" (the previous-hash link is wrong) or "content" (the event was changed)

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_verify() -> ChainReport:
    """Walk the chain in order; report the first event whose hash or link does not hold."""
    prev = GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        if event.prev_hash != prev:
            return ChainReport(checked, event.pk, "its previous-hash link does not match the event before it",
                               "link")
        if event.compute_hash() != event.hash:
            return ChainReport(checked, event.pk, "its content does not match its hash", "content")
        prev = event.hash
        checked += 1
    return ChainReport(checked)
