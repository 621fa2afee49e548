"""Checkpoints of the audit chain, kept outside the database (I5).

A hash chain shows a changed or removed event in its middle, but not a removed tail: delete the last events and
what remains is a valid, shorter chain. So the chain's head (event count, head id, head hash, time) is written,
keyed with the same HMAC as the chain, to an append-only JSON-lines file under PRIVATE_MEDIA_ROOT/
audit-checkpoints/: hourly by Celery beat (reviews.tasks.audit_checkpoint_write) and when each sign-off
commits. verify_audit holds the table against every checkpoint. A file, not a second table: whoever can
rewrite the database could rewrite a table beside it; the file lives on another medium with its own backups
and permissions (README "Security"). Each line also carries the previous line's HMAC, so a line removed from
the middle or reordered shows as well."""

import fcntl
import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .models import AuditEvent
from .models.audit import _CANONICAL, GENESIS, audit_key, keyed_hash

logger = logging.getLogger(__name__)

FILE_NAME = "checkpoints.jsonl"


@dataclass(frozen=True)
class Checkpoint:
    count: int
    head_id: int | None
    head_hash: str
    at: str
    reason: str
    prev: str  # the HMAC of the line before, GENESIS for the first

    def mac(self, key: bytes) -> str:
        return keyed_hash(_CANONICAL.encode(asdict(self)).encode(), key)


def checkpoint_path() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "audit-checkpoints" / FILE_NAME


def _last_mac(handle) -> str:
    """The HMAC of the file's last line: read from the end, so that a long file costs no more than a short."""
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    if size == 0:
        return GENESIS
    handle.seek(max(0, size - 8192))
    last = handle.read().decode().rstrip("\n").rsplit("\n", 1)[-1]
    return json.loads(last)["mac"]


def audit_checkpoint(*, reason: str) -> Checkpoint:
    """Append a checkpoint of the chain's current head. Appends serialise on an exclusive lock of the file, so
    that the lines stay in order and each names the one before it."""
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = audit_key()
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        prev = _last_mac(handle)
        # Appends to the chain are serialised until commit (reviews.audit), so every event up to the head
        # read here is committed and the count below it is final.
        head = AuditEvent.objects.order_by("-pk").values_list("pk", "hash").first()
        count = AuditEvent.objects.filter(pk__lte=head[0]).count() if head else 0
        checkpoint = Checkpoint(count=count, head_id=head[0] if head else None, head_hash=head[1] if head else GENESIS,
                                at=timezone.now().isoformat(timespec="seconds"), reason=reason, prev=prev)
        line = _CANONICAL.encode({**asdict(checkpoint), "mac": checkpoint.mac(key)}) + "\n"
        handle.write(line.encode())
        handle.flush()
        os.fsync(handle.fileno())
    return checkpoint


def audit_checkpoint_on_commit(*, reason: str) -> None:
    """Write a checkpoint once the current transaction commits (at a sign-off). robust: the sign-off has
    committed by then; a checkpoint that cannot be written is logged, and the next hourly one covers it."""
    from django.db import transaction

    transaction.on_commit(lambda: audit_checkpoint(reason=reason), robust=True)


def checkpoints_read() -> tuple[list[Checkpoint], str | None]:
    """Every checkpoint in the file, and what is wrong with the file (None when every line holds)."""
    path = checkpoint_path()
    if not path.exists():
        return [], None
    key = audit_key()
    checkpoints, prev = [], GENESIS
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                fields = json.loads(line)
                mac = fields.pop("mac")
                checkpoint = Checkpoint(**fields)
            except (ValueError, TypeError, KeyError):
                return checkpoints, f"line {number} of the checkpoint file {path} is not a checkpoint"
            if checkpoint.mac(key) != mac:
                return checkpoints, (f"line {number} of the checkpoint file {path} was edited: its HMAC does not "
                                     "match its content")
            if checkpoint.prev != prev:
                return checkpoints, (f"line {number} of the checkpoint file {path} does not follow the line "
                                     "before it: a checkpoint was removed or reordered")
            checkpoints.append(checkpoint)
            prev = mac
    return checkpoints, None
