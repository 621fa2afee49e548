"""Appending to and verifying the hash-chained audit log (I5).

Each event's hash is an HMAC-SHA256 under VETTED_AUDIT_KEY over its content and the previous event's hash
(reviews/models/audit.py): changing or removing a row breaks the chain, and somebody holding only the database
cannot recompute it. What the chain cannot show on its own, a missing tail, checkpoints written outside the
database show (reviews/audit_checkpoints.py). audit_verify checks both."""

from __future__ import annotations

import contextlib
import hashlib
import json
import json.encoder
import json.scanner
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

from django.db import OperationalError, connection, transaction

from . import retention  # noqa: F401  (connects the I7 delete guard; imported at start-up through receivers)
from .access import account_of
from .audit_checkpoints import (
    WITNESS_ACTION,
    Checkpoint,
    audit_checkpoint_on_commit,
    checkpoints_read,
    store_short_of,
)
from .models import AuditEvent, ContactLink
from .models.audit import _CANONICAL, GENESIS, AuditScheme, audit_key, keyed_payload, legacy_hash

if TYPE_CHECKING:
    from _json import make_encoder

# Any constant works; it names the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK = 0x7E77ED
# Rows fetched per round trip while verifying: large enough that the database's latency does not count, small
# enough that memory stays flat whatever the length of the log.
VERIFY_CHUNK = 5000
# The decisions and the sign-off: each writes a checkpoint when it commits (reviews.audit_checkpoints), so that
# no decision stays after the last checkpoint, where removing it would show in the chain alone.
ANCHORED_ACTIONS = frozenset(
    {
        "stage.passed",
        "stage.returned",
        "stage.failed",
        "review.signed_off",
        "review.returned_after_correction",
        "activity.approved",
        "activity.refused",
        "extension.security_passed",
        "extension.security_refused",
        "extension.approved",
        "extension.refused",
    }
)


def _actor_label(actor) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    if isinstance(actor, ContactLink):
        return actor.audit_label
    return actor.get_username()


class AuditBusy(OperationalError):
    """The audit chain stayed locked by another transaction for longer than VETTED_AUDIT_LOCK_TIMEOUT_SECONDS.
    Nothing of the change was written (its transaction is rolled back); the user is asked to try again in a
    moment (reviews.middleware.BusyMiddleware answers 503), and a task retries it like any database error."""


def _chain_lock() -> None:
    """Take the chain's lock for the rest of the transaction, waiting at most VETTED_AUDIT_LOCK_TIMEOUT_SECONDS:
    one slow audited transaction must not stall every other audited write indefinitely. The transaction's own
    lock_timeout is put back afterwards, so that the other locks it takes keep theirs."""
    from django.conf import settings
    from psycopg import errors

    timeout_ms = int(settings.VETTED_AUDIT_LOCK_TIMEOUT_SECONDS * 1000)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, true)",
            [f"{timeout_ms}ms"],
        )
        previous = cursor.fetchone()[0]
        try:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        except OperationalError as error:
            if isinstance(error.__cause__, errors.LockNotAvailable):
                raise AuditBusy("the audit chain is locked by another transaction") from error
            raise
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])


def audit_record(
    *,
    action: str,
    obj=None,
    actor=None,
    review=None,
    vendor=None,
    data: dict | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Append one event. Must run inside the transaction of the change it records, so that both commit
    or neither does; the chain head is locked until then."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _chain_lock()
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
        if action in ANCHORED_ACTIONS:
            audit_checkpoint_on_commit(
                reason=f"{action} {review.number if review is not None else event.object_id}"
            )
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None  # the event named; None when the break is in a checkpoint file
    reason: str = ""
    # "link": the previous-hash link is wrong; "content": the event was changed (or rehashed without the key);
    # "downgrade": an unkeyed event after keyed ones; "truncated": events a checkpoint counted are gone;
    # "diverged": the table's event differs from the one a checkpoint recorded; "checkpoint": a checkpoint
    # line was edited; "anchor": the checkpoint store is missing, empty, or shorter than the log announced.
    kind: str = ""
    last_id: int | None = None  # the last event walked

    @property
    def ok(self) -> bool:
        return not self.kind


def _keyed_hasher(key: bytes):
    """keyed_hash(payload, key) (reviews.models.audit) for many payloads under one key: HMAC-SHA256 as RFC 2104
    defines it, with the key's inner and outer blocks hashed once rather than once per event. The same digest,
    in half the time of hmac.digest, which sets the key up again on every call."""
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in key))
    outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in key))

    def digest(payload: bytes) -> str:
        hashed = inner.copy()
        hashed.update(payload)
        result = outer.copy()
        result.update(hashed.digest())
        return result.hexdigest()

    return digest


# The canonical encoder of reviews.models.audit (_CANONICAL) and the parser of `data`, called without the
# Python layers of json.dumps and json.loads around them: the same C functions, the same bytes. The json module
# holds them as c_make_encoder and c_make_scanner, None on a Python built without its C accelerator.
c_make_encoder: type[make_encoder] | None = getattr(json.encoder, "c_make_encoder", None)
c_make_scanner: Callable[[json.JSONDecoder], Callable[[str, int], tuple[Any, int]]] | None = getattr(
    json.scanner, "c_make_scanner", None
)
_encode_canonical = (
    c_make_encoder(
        None,
        _CANONICAL.default,
        encode_basestring,
        None,
        _CANONICAL.key_separator,
        _CANONICAL.item_separator,
        True,
        False,
        True,
    )
    if c_make_encoder
    else None
)
_parse = c_make_scanner(json.JSONDecoder()) if c_make_scanner else None


def _canonical(value) -> str:
    if _encode_canonical is None:
        return _CANONICAL.encode(value)
    return "".join(_encode_canonical(value, 0))


def _loads(text: str):
    return _parse(text, 0)[0] if _parse is not None else json.loads(text)


_FIELDS = (
    "id",
    "scheme",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "review_id",
    "vendor_id",
    "object_type",
    "object_id",
    "data",
    "prev_hash",
    "hash",
)


def _rows():
    """(pk, scheme, prev_hash, hash, payload, columns) for every event in pk order, VERIFY_CHUNK at a time:
    `payload` the bytes the HMAC of a keyed event covers (keyed_payload), `columns` the content of an unkeyed
    one (legacy_hash), the other None."""
    if connection.vendor == "postgresql":
        yield from _rows_postgresql()
        return
    for pk, scheme, *columns, digest in (
        AuditEvent.objects.order_by("pk").values_list(*_FIELDS).iterator(chunk_size=VERIFY_CHUNK)
    ):
        if scheme == AuditScheme.HMAC_SHA256:
            yield pk, scheme, columns[-1], digest, keyed_payload(*columns), None
        else:
            yield pk, scheme, columns[-1], digest, None, columns


def _rows_postgresql():
    """The same rows from a server-side cursor, with PostgreSQL writing the parts of each keyed payload that cost
    Python most: the time in UTC as datetime.isoformat(timespec="microseconds") writes it, and the ids as JSON
    numbers or null. Python escapes the texts (the canonical encoder's own function), puts `data` in canonical
    form (sorted keys; jsonb keeps an order of its own) and joins them. Verification reads every row of the
    largest table: parsing timestamps and encoding whole rows in Python was most of its time."""
    quote = connection.ops.quote_name
    # By name and by attname ("actor" and "actor_id"), as Options.get_field finds them.
    columns = {
        key: field.column
        for field in AuditEvent._meta.concrete_fields
        if field.column
        for key in (field.name, field.attname)
    }

    def column(name: str) -> str:
        return quote(columns[name])

    def number(name):
        return f"coalesce({column(name)}::text, 'null')"

    keyed = f"{column('scheme')} = {int(AuditScheme.HMAC_SHA256)}"
    at = f"""to_char({column("at")} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')"""
    sql = (
        f"SELECT {column('id')}, {column('scheme')}, {column('prev_hash')}, {column('hash')}, "
        f"{column('data')}::text, {column('actor_label')}, {column('action')}, {column('object_type')}, "
        f"{column('object_id')}, "
        f"""CASE WHEN {keyed} THEN concat('["', {at}, '+00:00",', {number("actor_id")}) END, """
        f"""CASE WHEN {keyed} THEN concat(',', {number("review_id")}, ',', {number("vendor_id")}, ',') END, """
        f"CASE WHEN NOT {keyed} THEN {column('at')} END, "
        f"CASE WHEN NOT {keyed} THEN json_build_array({column('actor_id')}, {column('review_id')}, "
        f"{column('vendor_id')})::text END "
        f"FROM {quote(AuditEvent._meta.db_table)} ORDER BY {column('id')}"
    )
    from psycopg.types.datetime import TimestamptzLoader

    canonical, loads, text = _canonical, _loads, encode_basestring
    with connection.chunked_cursor() as cursor:
        # Django parses timestamps in Python; psycopg's own loader does it in C.
        cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        cursor.execute(sql)
        raw = cursor.cursor
        for chunk in _prefetched(lambda: raw.fetchmany(VERIFY_CHUNK)):
            for (
                pk,
                scheme,
                prev_hash,
                digest,
                data,
                label,
                action,
                otype,
                oid,
                start,
                ids,
                at,
                unkeyed,
            ) in chunk:
                if start is not None:
                    payload = (
                        f"{start},{text(label)},{text(action)}{ids}{text(otype)},{text(oid)},"
                        f"{canonical(loads(data))},{text(prev_hash)}]"
                    ).encode()
                    yield pk, scheme, prev_hash, digest, payload, None
                else:
                    actor, review, vendor = json.loads(unkeyed)
                    yield (
                        pk,
                        scheme,
                        prev_hash,
                        digest,
                        None,
                        (at, actor, label, action, review, vendor, otype, oid, loads(data), prev_hash),
                    )


def _prefetched(fetch):
    """fetch()'s chunks until an empty one, each fetched in a thread of its own while the caller hashes the one
    before: the database then produces rows while Python works, instead of each waiting for the other (the
    thread waits on the socket without the GIL). At most two chunks wait, so memory stays flat. When the caller
    stops early (a broken link), the thread is stopped and joined before the cursor is closed."""
    chunks: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def produce():
        try:
            while not stop.is_set():
                chunk = fetch()
                chunks.put(chunk)
                if not chunk:
                    return
        except BaseException as exc:  # noqa: BLE001 (handed to the caller, raised there)
            chunks.put(exc)

    worker = threading.Thread(target=produce, name="verify-audit-fetch", daemon=True)
    worker.start()
    try:
        while True:
            chunk = chunks.get()
            if isinstance(chunk, BaseException):
                raise chunk
            if not chunk:
                return
            yield chunk
    finally:
        stop.set()
        while worker.is_alive():  # unblock a producer waiting on a full queue
            with contextlib.suppress(queue.Empty):
                chunks.get(timeout=0.05)
        worker.join()


def _walk(checkpoints: list[Checkpoint]) -> ChainReport:
    """Stream the chain once, in pk order, as plain tuples (no model instances, flat memory): the first broken
    link, or the count checked. Every checkpoint's head must be met, with the hash and count it recorded."""
    hasher = _keyed_hasher(audit_key())
    heads = {c.head_id: c for c in checkpoints if c.head_id is not None}
    prev, checked, keyed = GENESIS, 0, False
    for pk, scheme, prev_hash, digest, payload, columns in _rows():
        if prev_hash != prev:
            return ChainReport(
                checked, pk, "its previous-hash link does not match the event before it", "link"
            )
        if scheme == AuditScheme.HMAC_SHA256:
            if hasher(payload) != digest:
                return ChainReport(
                    checked,
                    pk,
                    "its HMAC does not match its content: it was changed, or its "
                    "hash recomputed without the audit key",
                    "content",
                )
            if not keyed and checked:
                _at, _actor, _label, action, _review, _vendor, _type, _id, data, _prev = json.loads(payload)
                if not _anchors(action, data, checked, prev):
                    return ChainReport(
                        checked,
                        pk,
                        "it is the first keyed event but does not anchor the unkeyed "
                        "ones before it: the chain was rewritten",
                        "downgrade",
                    )
            keyed = True
        elif keyed:
            return ChainReport(
                checked, pk, "it is unkeyed but follows keyed events: the chain was rewritten", "downgrade"
            )
        elif legacy_hash(*columns) != digest:
            return ChainReport(checked, pk, "its content does not match its hash", "content")
        prev = digest
        checked += 1
        if heads:
            anchored = heads.pop(pk, None)
            if anchored is not None and (anchored.head_hash != digest or anchored.count != checked):
                return ChainReport(
                    checked,
                    pk,
                    f"it is not the event the checkpoint of {anchored.at} recorded "
                    f"(event {anchored.count} of the log, hash {anchored.head_hash[:16]}…)",
                    "diverged",
                )
    if checked and not keyed:
        return ChainReport(
            checked,
            pk,
            "the log holds only unkeyed events, with no keyed event anchoring them: the chain was rewritten",
            "downgrade",
        )
    last_id = pk if checked else None
    if heads:
        missing = min(heads.values(), key=lambda c: c.count)
        return ChainReport(
            checked,
            missing.head_id,
            f"it is missing, though the checkpoint of {missing.at} "
            f"recorded it as event {missing.count} of the log: the log's tail was removed",
            "truncated",
        )
    return ChainReport(checked, last_id=last_id)


def _anchors(action: str, data: dict, checked: int, prev: str) -> bool:
    """Whether the first keyed event is the one migration 0007 wrote after the unkeyed history, naming it. An
    attacker who rewrites the whole log unkeyed, from the first event, is caught here: there is no such event
    they could forge."""
    return (
        action == "audit.keyed"
        and data.get("unkeyed_events") == checked
        and data.get("unkeyed_head_hash") == prev
    )


def audit_verify() -> ChainReport:
    """Check the checkpoint store line by line, walk the chain in order against it, then hold the store
    against the last checkpoint the chain announced; report the first thing broken."""
    store = checkpoints_read()
    if store.problem is not None:
        return ChainReport(0, None, store.problem, "checkpoint")
    report = _walk(store.checkpoints)
    if not report.ok:
        return report
    # The last announcement among the events just verified: its content is vouched for by the walk.
    witness = (
        AuditEvent.objects.filter(action=WITNESS_ACTION, pk__lte=report.last_id)
        .order_by("-pk")
        .values_list("data", flat=True)
        .first()
        if report.last_id is not None
        else None
    )
    problem = store_short_of(store, witness)
    if problem is not None and store.exists and witness is not None and len(store.macs) < witness["number"]:
        # A checkpoint written while the chain was walked: the file is read again, and only grows.
        store = checkpoints_read()
        problem = store.problem or store_short_of(store, witness)
    if problem is not None:
        return ChainReport(report.checked, None, problem, "anchor", last_id=report.last_id)
    return report
