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
tail one would need both (docs/operations.md "What to keep apart")."""

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


def checkpoint_path() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "audit-checkpoints" / FILE_NAME


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


def audit_checkpoint(*, reason: str, only_if_grown: bool = False) -> Checkpoint | None:
    """Append a checkpoint of the chain's current head, and announce it in the chain (WITNESS_ACTION). Appends
    serialise on an exclusive lock of the file, so that the lines stay in order, each names the one before it,
    and the announcements follow the same order. `only_if_grown`: write nothing (and return None) when the
    log has not grown since the last checkpoint but for its announcement (the hourly run of an idle site)."""
    from .audit import audit_record

    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = audit_key()
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        last = _last_line(handle)
        # Appends to the chain are serialised until commit (reviews.audit), so every event up to the head
        # read here is committed and the count below it is final.
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
        number = (last.get("number") or _lines_in(handle)) + 1 if last is not None else 1
        count = AuditEvent.objects.filter(pk__lte=head[0]).count() if head else 0
        checkpoint = Checkpoint(
            count=count,
            head_id=head[0] if head else None,
            head_hash=head[1] if head else GENESIS,
            at=timezone.now().isoformat(timespec="seconds"),
            reason=reason,
            prev=last["mac"] if last is not None else GENESIS,
            number=number,
        )
        mac = checkpoint.mac(key)
        line = _CANONICAL.encode({**asdict(checkpoint), "mac": mac}) + "\n"
        handle.seek(0, os.SEEK_END)
        handle.write(line.encode())
        handle.flush()
        os.fsync(handle.fileno())
        audit_record(
            action=WITNESS_ACTION,
            object_type="checkpoint",
            object_id=str(number),
            data={
                "number": number,
                "mac": mac,
                "count": count,
                "head_id": checkpoint.head_id,
                "reason": reason,
            },
        )
    return checkpoint


def audit_checkpoint_on_commit(*, reason: str) -> None:
    """Write a checkpoint once the current transaction commits (at each decision and sign-off, reviews.audit).
    robust: the change has committed by then; a checkpoint that cannot be written is logged, and the next one
    covers it."""
    from django.db import transaction

    transaction.on_commit(lambda: audit_checkpoint(reason=reason), robust=True)


def checkpoints_read() -> CheckpointStore:
    """Every checkpoint in the file, with what is wrong with the file (problem is None when every line holds)."""
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
            try:
                fields = json.loads(line)
                mac = fields.pop("mac")
                checkpoint = Checkpoint(**fields)
            except (ValueError, TypeError, KeyError):
                return broken(f"line {number} of the checkpoint file {path} is not a checkpoint")
            if checkpoint.mac(key) != mac:
                return broken(
                    f"line {number} of the checkpoint file {path} was edited: its HMAC does not match "
                    "its content"
                )
            if checkpoint.prev != prev or checkpoint.number not in (None, number):
                return broken(
                    f"line {number} of the checkpoint file {path} does not follow the line before it: "
                    "a checkpoint was removed or reordered"
                )
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
