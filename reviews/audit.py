"""Appending to and verifying the hash-chained audit log (I5).

Each event's hash is an HMAC-SHA256 under VETTED_AUDIT_KEY over its content and the previous event's hash
(reviews/models/audit.py): changing or removing a row breaks the chain, and somebody holding only the database
cannot recompute it. What the chain cannot show on its own, a missing tail, checkpoints written outside the
database show (reviews/audit_checkpoints.py). audit_verify checks both."""

import json
from dataclasses import dataclass

from django.db import connection, transaction

from . import retention  # noqa: F401  (connects the I7 delete guard; imported at start-up through receivers)
from .access import account_of
from .audit_checkpoints import Checkpoint, checkpoints_read
from .models import AuditEvent, ContactLink
from .models.audit import GENESIS, AuditScheme, audit_key, keyed_hash, keyed_payload, legacy_hash

# Any constant works; it names the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK = 0x7E77ED
# Rows fetched per round trip while verifying: large enough that the database's latency does not count, small
# enough that memory stays flat whatever the length of the log.
VERIFY_CHUNK = 5000


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
            scheme=AuditScheme.HMAC_SHA256,
        )
        event.hash = event.compute_hash()
        event.save()
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None  # the event named; None when the break is in a checkpoint file
    reason: str = ""
    # "link": the previous-hash link is wrong; "content": the event was changed (or rehashed without the key);
    # "downgrade": an unkeyed event after keyed ones; "truncated": events a checkpoint counted are gone;
    # "diverged": the table's event differs from the one a checkpoint recorded; "checkpoint": a checkpoint
    # line was edited.
    kind: str = ""

    @property
    def ok(self) -> bool:
        return not self.kind


_FIELDS = ("id", "scheme", "at", "actor_id", "actor_label", "action", "review_id", "vendor_id", "object_type",
           "object_id", "data", "prev_hash", "hash")


def _rows():
    """The events as tuples of _FIELDS, in pk order, fetched VERIFY_CHUNK at a time."""
    if connection.vendor != "postgresql":
        yield from AuditEvent.objects.order_by("pk").values_list(*_FIELDS).iterator(chunk_size=VERIFY_CHUNK)
        return
    # On PostgreSQL, a server-side cursor read without the ORM's per-row converters: Django parses timestamps
    # in Python (three regular expressions a row), psycopg's own loader does it in C. Verification is the
    # one place that reads every row of the largest table, so its speed is worth the few lines.
    from psycopg.types.datetime import TimestamptzLoader

    meta = AuditEvent._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(name).column) for name in _FIELDS)
    loads = json.loads
    with connection.chunked_cursor() as cursor:
        cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        cursor.execute(f"SELECT {columns} FROM {connection.ops.quote_name(meta.db_table)} ORDER BY "
                       f"{connection.ops.quote_name(meta.pk.column)}")
        while chunk := cursor.fetchmany(VERIFY_CHUNK):
            for row in chunk:
                yield (*row[:10], loads(row[10]), row[11], row[12])


def _walk(checkpoints: list[Checkpoint]) -> ChainReport:
    """Stream the chain once, in pk order, as plain tuples (no model instances, flat memory): the first broken
    link, or the count checked. Every checkpoint's head must be met, with the hash and count it recorded."""
    key = audit_key()
    heads = {c.head_id: c for c in checkpoints if c.head_id is not None}
    prev, checked, keyed = GENESIS, 0, False
    for pk, scheme, at, actor, label, action, review, vendor, otype, oid, data, prev_hash, digest in _rows():
        if prev_hash != prev:
            return ChainReport(checked, pk, "its previous-hash link does not match the event before it", "link")
        columns = (at, actor, label, action, review, vendor, otype, oid, data, prev_hash)
        if scheme == AuditScheme.HMAC_SHA256:
            if keyed_hash(keyed_payload(*columns), key) != digest:
                return ChainReport(checked, pk, "its HMAC does not match its content: it was changed, or its "
                                   "hash recomputed without the audit key", "content")
            if not keyed and checked and not _anchors(action, data, checked, prev):
                return ChainReport(checked, pk, "it is the first keyed event but does not anchor the unkeyed ones "
                                   "before it: the chain was rewritten", "downgrade")
            keyed = True
        elif keyed:
            return ChainReport(checked, pk, "it is unkeyed but follows keyed events: the chain was rewritten",
                               "downgrade")
        elif legacy_hash(*columns) != digest:
            return ChainReport(checked, pk, "its content does not match its hash", "content")
        prev = digest
        checked += 1
        anchored = heads.pop(pk, None)
        if anchored is not None and (anchored.head_hash != digest or anchored.count != checked):
            return ChainReport(checked, pk, f"it is not the event the checkpoint of {anchored.at} recorded (event "
                               f"{anchored.count} of the log, hash {anchored.head_hash[:16]}…)", "diverged")
    if checked and not keyed:
        return ChainReport(checked, pk, "the log holds only unkeyed events, with no keyed event anchoring them: "
                           "the chain was rewritten", "downgrade")
    if heads:
        missing = min(heads.values(), key=lambda c: c.count)
        return ChainReport(checked, missing.head_id, f"it is missing, though the checkpoint of {missing.at} "
                           f"recorded it as event {missing.count} of the log: the log's tail was removed",
                           "truncated")
    return ChainReport(checked)


def _anchors(action: str, data: dict, checked: int, prev: str) -> bool:
    """Whether the first keyed event is the one migration 0007 wrote after the unkeyed history, naming it. An
    attacker who rewrites the whole log unkeyed, from the first event, is caught here: there is no such event
    they could forge."""
    return (action == "audit.keyed" and data.get("unkeyed_events") == checked
            and data.get("unkeyed_head_hash") == prev)


def audit_verify() -> ChainReport:
    """Check the checkpoint file, then walk the chain in order against it; report the first thing broken."""
    checkpoints, problem = checkpoints_read()
    if problem is not None:
        return ChainReport(0, None, problem, "checkpoint")
    return _walk(checkpoints)
