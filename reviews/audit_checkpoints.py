"""Checkpoints of the audit chain, kept outside the database (I5).

A hash chain shows a changed or removed event in its middle, but not a removed tail: delete the last events and
what remains is a valid, shorter chain. So the chain's head (event count, head id, head hash, time) is written,
keyed with the same HMAC as the chain, to an append-only JSON-lines file under PRIVATE_MEDIA_ROOT/
audit-checkpoints/ (the checkpoint store): when each decision and sign-off commits (reviews.audit), and hourly
by Celery beat (reviews.tasks.audit_checkpoint_write) when the log has grown since. verify_audit holds the
table against every checkpoint. A file, not a second table: whoever can rewrite the database could rewrite a
table beside it; the file lives on another medium with its own backups and permissions (README "Security").
Each line also carries the previous line's HMAC and its own number, so a line removed from the middle or
reordered shows as well.

What the file cannot show on its own is its own tail: cut back (or removed) together with the table's, it
would agree with it. So each checkpoint is also announced in the chain (WITNESS_ACTION: its number and HMAC),
and verify_audit fails when the store is missing, empty or holds fewer checkpoints than the chain announced.
The app's database role cannot remove events (it owns no table, so the append-only trigger is out of its
reach: docs/operations.md "Database roles"), and the table's owner cannot reach the file: to hide a removed
tail one would need both (docs/operations.md "What to keep apart").

Several app hosts share no disk, and an object store cannot append. So VETTED_CHECKPOINT_STORE=objects keeps
each checkpoint as an object of its own, named by its number (audit-checkpoints/000000000042.json, the same
line as in the file), in the private storage or a bucket of its own (docs/operations.md "The checkpoint
store"); every host writes to and reads back the same sequence, in order. A number already taken is never
written again (write-once; a bucket with object lock makes it so for the store as well), and the numbers are
taken under a database lock, so two hosts never write the same one. Reading back, a gap in the numbers (a
checkpoint removed from the middle) is a failure like a line removed from the file; a shortened sequence
shows against the chain's announcements as before. The file remains the embedded default."""

import fcntl
import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .models import AuditEvent
from .models.audit import _CANONICAL, GENESIS, audit_key, keyed_hash

logger = logging.getLogger(__name__)

FILE_NAME = "checkpoints.jsonl"
# The event that announces each checkpoint in the chain: {"number", "mac", "count", "head_id", "reason"}.
WITNESS_ACTION = "audit.checkpointed"


@dataclass(frozen=True)
class Checkpoint:
    count: int
    head_id: int | None
    head_hash: str
    at: str
    reason: str
    prev: str  # the HMAC of the line before, GENESIS for the first
    # The line's place in the file, from 1. Lines written before it was recorded have none, and their HMAC
    # covers the fields above only.
    number: int | None = None

    def mac(self, key: bytes) -> str:
        fields = {
            name: value for name, value in asdict(self).items() if name != "number" or value is not None
        }
        return keyed_hash(_CANONICAL.encode(fields).encode(), key)


@dataclass(frozen=True)
class CheckpointStore:
    """What the checkpoint file holds: its checkpoints and their HMACs, in order."""

    exists: bool
    checkpoints: list[Checkpoint] = field(default_factory=list)
    macs: list[str] = field(default_factory=list)
    problem: str | None = None  # a line edited, unreadable, removed or reordered


OBJECT_PREFIX = "audit-checkpoints"


def checkpoint_path() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "audit-checkpoints" / FILE_NAME


def _in_objects() -> bool:
    return settings.VETTED_CHECKPOINT_STORE == "objects"


def checkpoint_storage():
    """The storage the checkpoint objects are kept in: STORAGES["checkpoints"] when configured (a bucket of
    their own), the private storage otherwise."""
    from django.core.files.storage import InvalidStorageError, storages

    try:
        return storages["checkpoints"]
    except InvalidStorageError:
        return storages["private"]


def object_name(number: int) -> str:
    return f"{OBJECT_PREFIX}/{number:012d}.json"


def checkpoint_store_label() -> str:
    """Where the checkpoints are, as verify_audit and the commands name it."""
    if _in_objects():
        storage = checkpoint_storage()
        where = getattr(storage, "bucket_name", None) or getattr(storage, "location", "")
        return f"{where}/{OBJECT_PREFIX}/ (one object per checkpoint)"
    return str(checkpoint_path())


def _object_numbers(storage) -> list[int]:
    try:
        _folders, names = storage.listdir(OBJECT_PREFIX)
    except FileNotFoundError:
        return []
    numbers = []
    for name in names:
        stem = name.removesuffix(".json")
        if name.endswith(".json") and stem.isdigit():
            numbers.append(int(stem))
    return sorted(numbers)


def _last_line(handle) -> dict | None:
    """The file's last line, parsed: read from the end, so that a long file costs no more than a short."""
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    if size == 0:
        return None
    handle.seek(max(0, size - 8192))
    return json.loads(handle.read().decode().rstrip("\n").rsplit("\n", 1)[-1])


def _lines_in(handle) -> int:
    handle.seek(0)
    return sum(1 for _line in handle)


def _next(last: dict | None, *, reason: str, only_if_grown: bool, lines_before) -> Checkpoint | None:
    """The checkpoint of the chain's current head that follows `last` (the store's last checkpoint, parsed), or
    None when `only_if_grown` and the log has not grown since but for its announcement."""
    # Appends to the chain are serialised until commit (reviews.audit), so every event up to the head read
    # here is committed and the count below it is final.
    head = AuditEvent.objects.order_by("-pk").values_list("pk", "hash", "action").first()
    if (
        only_if_grown
        and last is not None
        and head is not None
        and head[2] == WITNESS_ACTION
        and last.get("head_id") is not None
        and head[0] <= last["head_id"] + 1
    ):
        return None
    number = (last.get("number") or lines_before()) + 1 if last is not None else 1
    count = AuditEvent.objects.filter(pk__lte=head[0]).count() if head else 0
    return Checkpoint(
        count=count,
        head_id=head[0] if head else None,
        head_hash=head[1] if head else GENESIS,
        at=timezone.now().isoformat(timespec="seconds"),
        reason=reason,
        prev=last["mac"] if last is not None else GENESIS,
        number=number,
    )


def _announce(checkpoint: Checkpoint, mac: str) -> None:
    from .audit import audit_record

    audit_record(
        action=WITNESS_ACTION,
        object_type="checkpoint",
        object_id=str(checkpoint.number),
        data={
            "number": checkpoint.number,
            "mac": mac,
            "count": checkpoint.count,
            "head_id": checkpoint.head_id,
            "reason": checkpoint.reason,
        },
    )


def _line(checkpoint: Checkpoint, mac: str) -> str:
    return _CANONICAL.encode({**asdict(checkpoint), "mac": mac}) + "\n"


def audit_checkpoint(*, reason: str, only_if_grown: bool = False) -> Checkpoint | None:
    """Write a checkpoint of the chain's current head to the store, and announce it in the chain
    (WITNESS_ACTION). Writes serialise (a lock of the file, or of the database for the object store), so that
    the checkpoints stay in order, each names the one before it, and the announcements follow the same order.
    `only_if_grown`: write nothing (and return None) when the log has not grown since the last checkpoint but
    for its announcement (the hourly run of an idle site)."""
    if _in_objects():
        return _checkpoint_object(reason=reason, only_if_grown=only_if_grown)
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = audit_key()
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        checkpoint = _next(
            _last_line(handle),
            reason=reason,
            only_if_grown=only_if_grown,
            lines_before=lambda: _lines_in(handle),
        )
        if checkpoint is None:
            return None
        mac = checkpoint.mac(key)
        handle.seek(0, os.SEEK_END)
        handle.write(_line(checkpoint, mac).encode())
        handle.flush()
        os.fsync(handle.fileno())
        _announce(checkpoint, mac)
    return checkpoint


# Any constant works; it names the PostgreSQL advisory lock under which a checkpoint's number is taken.
_CHECKPOINT_LOCK = 0x7E77EE


class CheckpointTaken(Exception):
    """The checkpoint's number is already in the store: never overwritten."""


def _checkpoint_object(*, reason: str, only_if_grown: bool) -> Checkpoint | None:
    """One object per checkpoint, named by its number; the number taken under a database lock that every
    host shares (an advisory lock on PostgreSQL, the write lock of the file on SQLite), held until the
    announcement commits."""
    from django.core.files.base import ContentFile
    from django.db import connection, transaction

    storage = checkpoint_storage()
    key = audit_key()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHECKPOINT_LOCK])
        numbers = _object_numbers(storage)
        last = None
        if numbers:
            with storage.open(object_name(numbers[-1]), "rb") as handle:
                last = json.loads(handle.read().decode())
        checkpoint = _next(
            last, reason=reason, only_if_grown=only_if_grown, lines_before=lambda: len(numbers)
        )
        if checkpoint is None:
            return None
        assert checkpoint.number is not None  # _next numbers every checkpoint it makes
        name = object_name(checkpoint.number)
        if storage.exists(name):
            raise CheckpointTaken(
                f"checkpoint {checkpoint.number} is already in the store; it is never rewritten"
            )
        mac = checkpoint.mac(key)
        saved = storage.save(name, ContentFile(_line(checkpoint, mac).encode()))
        if saved != name:  # the store renamed it: another writer got there first
            raise CheckpointTaken(
                f"checkpoint {checkpoint.number} was written by another host at the same time"
            )
        _announce(checkpoint, mac)
    return checkpoint


def audit_checkpoint_on_commit(*, reason: str) -> None:
    """Write a checkpoint once the current transaction commits (at each decision and sign-off, reviews.audit).
    robust: the change has committed by then; a checkpoint that cannot be written is logged, and the next one
    covers it."""
    from django.db import transaction

    transaction.on_commit(lambda: audit_checkpoint(reason=reason), robust=True)


def _parse(
    line: str, key: bytes, prev: str, number: int, where: str, *, before: str = "checkpoint"
) -> tuple[Checkpoint, str] | str:
    """One stored checkpoint checked: (checkpoint, mac), or what is wrong with it."""
    try:
        fields = json.loads(line)
        mac = fields.pop("mac")
        checkpoint = Checkpoint(**fields)
    except (ValueError, TypeError, KeyError):
        return f"{where} is not a checkpoint"
    if checkpoint.mac(key) != mac:
        return f"{where} was edited: its HMAC does not match its content"
    if checkpoint.prev != prev or checkpoint.number not in (None, number):
        return f"{where} does not follow the {before} before it: a checkpoint was removed or reordered"
    return checkpoint, mac


def _objects_read() -> CheckpointStore:
    """Every checkpoint object in order of its number; a gap in the numbers is a checkpoint removed."""
    storage = checkpoint_storage()
    numbers = _object_numbers(storage)
    if not numbers:
        return CheckpointStore(exists=False)
    key = audit_key()
    checkpoints: list[Checkpoint] = []
    macs: list[str] = []
    prev = GENESIS
    for expected, number in enumerate(numbers, start=1):
        where = f"checkpoint object {object_name(number)}"
        if number != expected:
            return CheckpointStore(
                exists=True,
                checkpoints=checkpoints,
                macs=macs,
                problem=f"checkpoint {expected} is missing from the store {checkpoint_store_label()} "
                f"(the next is {number}): a checkpoint was removed",
            )
        with storage.open(object_name(number), "rb") as handle:
            line = handle.read().decode()
        parsed = _parse(line, key, prev, number, where)
        if isinstance(parsed, str):
            return CheckpointStore(exists=True, checkpoints=checkpoints, macs=macs, problem=parsed)
        checkpoint, mac = parsed
        checkpoints.append(checkpoint)
        macs.append(mac)
        prev = mac
    return CheckpointStore(exists=True, checkpoints=checkpoints, macs=macs)


def checkpoints_read() -> CheckpointStore:
    """Every checkpoint in the store, with what is wrong with it (problem is None when every one holds)."""
    if _in_objects():
        return _objects_read()
    path = checkpoint_path()
    if not path.exists():
        return CheckpointStore(exists=False)
    key = audit_key()
    checkpoints: list[Checkpoint] = []
    macs: list[str] = []
    prev = GENESIS

    def broken(problem: str) -> CheckpointStore:
        return CheckpointStore(exists=True, checkpoints=checkpoints, macs=macs, problem=problem)

    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            parsed = _parse(
                line, key, prev, number, f"line {number} of the checkpoint file {path}", before="line"
            )
            if isinstance(parsed, str):
                return broken(parsed)
            checkpoint, mac = parsed
            checkpoints.append(checkpoint)
            macs.append(mac)
            prev = mac
    return CheckpointStore(exists=True, checkpoints=checkpoints, macs=macs)


def store_short_of(store: CheckpointStore, witness: dict | None) -> str | None:
    """What is wrong with a store that reads well line by line: missing, empty, or shorter than (or different
    from) the last checkpoint the chain announced (`witness`, the data of its last WITNESS_ACTION event)."""
    path = checkpoint_path()
    if not store.exists:
        return f"the checkpoint store {path} is missing" + (
            f", though the log announced checkpoint {witness['number']} of it" if witness else ""
        )
    if not store.macs:
        return f"the checkpoint store {path} is empty" + (
            f", though the log announced checkpoint {witness['number']} of it" if witness else ""
        )
    if witness is None:
        return None
    number = witness["number"]
    if len(store.macs) < number:
        return (
            f"the checkpoint store {path} holds {len(store.macs)} checkpoints, though the log announced "
            f"checkpoint {number} (written for “{witness.get('reason', '')}”): it was cut back"
        )
    if store.macs[number - 1] != witness["mac"]:
        return (
            f"checkpoint {number} of the store {path} is not the one the log announced: the file was replaced"
        )
    return None
