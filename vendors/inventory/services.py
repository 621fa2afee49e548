"""Saving an inventory: upload (read within the limits, stored privately with the rows read; nothing in the
register changes), then confirmation.

A vendor new to the register is created "in use, not vetted" (VendorStatus.IN_USE): never on the approved
list until a catch-up review passes (I1). A vendor already in the register is matched by its credit code and
only its inventory fields are written, each change audited with its old and new value; an approved vendor is
left as vetted. Importing the same file twice leaves the same state. Before confirming, Legal answers what the
preview asks (inventory_choose: the columns not recognised, the owners' names several people answer to) or
discards the upload (inventory_discard)."""

import hashlib
import secrets
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import InventoryImport, Vendor, VendorStatus
from ..services import VendorError
from ..signals import inventory_discarded, inventory_imported, vendor_changed
from ..storage import private_storage
from .channels import channel_rows_created
from .columns import COLUMNS
from .reading import (
    CREATE,
    IGNORE,
    INVENTORY_FIELDS,
    OLE2_MAGIC,
    UNCHANGED,
    Choices,
    InventoryPreview,
    InventoryRefused,
    ParsedFile,
    inventory_check,
    inventory_parse,
    person_key,
)

_BATCH = 500


def _read_upload(upload) -> bytes:
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise InventoryRefused(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    return b"".join(upload.chunks())


def inventory_upload(*, upload, actor) -> tuple[InventoryImport, InventoryPreview]:
    """Read and check an uploaded file; keep it, and the rows read, for the preview and the confirmation. A
    refused file (InventoryRefused) leaves nothing behind: neither the file nor a record of it."""
    data = _read_upload(upload)
    name = PurePath(upload.name or "inventory").name[:255]
    parsed = inventory_parse(data, name)
    preview = inventory_check(parsed)
    suffix = ".xlsx" if data.startswith(b"PK") else ".xls" if data.startswith(OLE2_MAGIC) else ".csv"
    stored = private_storage().save(
        f"inventory/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{suffix}", ContentFile(data)
    )
    record = InventoryImport.objects.create(
        file=stored,
        original_name=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        rows=len(preview.rows),
        error_rows=len(preview.error_rows),
        uploaded_by=actor,
        parsed=parsed.as_json(),
    )
    return record, preview


def _stored_bytes(record: InventoryImport) -> bytes:
    with record.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != record.sha256:
        raise VendorError(_("The stored file no longer matches the one uploaded; upload it again."))
    return data


def _parsed(record: InventoryImport) -> ParsedFile:
    """The rows read at upload; a file uploaded before they were kept is read once more, within the limits."""
    if record.parsed:
        return ParsedFile.from_json(record.parsed)
    try:
        return inventory_parse(_stored_bytes(record), record.original_name)
    except InventoryRefused as refusal:
        raise VendorError(str(refusal)) from None


def inventory_preview(*, inventory_import: InventoryImport) -> InventoryPreview:
    """The rows read at upload, checked against the register as it is now, with Legal's choices."""
    if inventory_import.discarded_at is not None:
        raise VendorError(_("This upload was discarded."))
    return inventory_check(_parsed(inventory_import), Choices.from_json(inventory_import.choices))


def _refuse_if_closed(record: InventoryImport) -> None:
    if record.confirmed_at is not None:
        raise VendorError(
            _("This file was already imported on %(time)s.")
            % {"time": timezone.localtime(record.confirmed_at).strftime("%Y-%m-%d %H:%M")}
        )
    if record.discarded_at is not None:
        raise VendorError(_("This upload was discarded."))


@transaction.atomic
def inventory_choose(
    *, inventory_import: InventoryImport, columns: dict, owners: dict, actor
) -> InventoryImport:
    """Record what Legal chose in the preview: for a column not recognised (by its position), the column it is
    read as or IGNORE; for an owner's name several people answer to, the user meant. A column may be chosen
    once; a recognised column keeps its reading."""
    record = InventoryImport.objects.select_for_update().get(pk=inventory_import.pk)
    _refuse_if_closed(record)
    parsed = _parsed(record)
    keys = {c.key for c in COLUMNS}
    taken = {key for key in parsed.keys if key not in (None, IGNORE)}
    chosen = {}
    for position, key in columns.items():
        if not (0 <= position < len(parsed.keys)) or parsed.keys[position] is not None or not key:
            continue
        if key != IGNORE and (key not in keys or key in taken):
            raise VendorError(
                _("Each column can be read from one column of the file only: “%(name)s” is taken twice.")
                % {"name": next(str(c.label) for c in COLUMNS if c.key == key)}
                if key in keys
                else _("Choose a column from the list.")
            )
        if key != IGNORE:
            taken.add(key)
        chosen[position] = key
    record.choices = Choices(
        columns=chosen, owners={person_key(name): int(pk) for name, pk in owners.items() if pk}
    ).as_json()
    record.save(update_fields=["choices"])
    return record


@transaction.atomic
def inventory_discard(*, inventory_import: InventoryImport, actor) -> InventoryImport:
    """Discard an upload Legal does not confirm: its file is deleted and its rows forgotten, the record of the
    upload kept (and audited) with who discarded it."""
    record = InventoryImport.objects.select_for_update().get(pk=inventory_import.pk)
    _refuse_if_closed(record)
    record.discarded_by, record.discarded_at = actor, timezone.now()
    record.parsed, record.choices = {}, {}
    record.save(update_fields=["discarded_by", "discarded_at", "parsed", "choices"])
    name = record.file.name
    # The record keeps the file's name and digest as history of what was uploaded; the file itself, never
    # imported, goes (the one file a record names that is deleted, on Legal's audited decision).
    transaction.on_commit(lambda: private_storage().delete_unrecorded(name))
    inventory_discarded.send(sender=InventoryImport, inventory_import=record, actor=actor)
    return record


def _stored_file_matches(record: InventoryImport) -> None:
    """The file kept is still the one the rows were read from (read in chunks, not held whole)."""
    digest = hashlib.sha256()
    with record.file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    if digest.hexdigest() != record.sha256:
        raise VendorError(_("The stored file no longer matches the one uploaded; upload it again."))


@transaction.atomic
def inventory_confirm(*, inventory_import: InventoryImport, actor) -> InventoryImport:
    """Save the rows without errors of a previewed file; rows with errors are left out and reported. Each
    vendor updated gets an audit event with the old and new value of each field changed."""
    record = InventoryImport.objects.select_for_update().get(pk=inventory_import.pk)
    _refuse_if_closed(record)
    _stored_file_matches(record)
    preview = inventory_preview(inventory_import=record)
    if preview.open_choices:
        raise VendorError(
            _("The preview asks about columns or owners the file leaves open: answer above the rows first.")
        )
    rows = [row for row in preview.rows if row.saved]
    if not rows:
        raise VendorError(_("No row of this file can be imported."))
    # Locked so that a review admitting one of these vendors meanwhile waits, and reads our write after.
    locked = {
        v.pk: v
        for v in Vendor.objects.select_for_update().filter(
            pk__in=[row.vendor.pk for row in rows if row.vendor is not None]
        )
    }
    created, updated, unchanged = [], [], 0
    for row in rows:
        values = {name: row.values[name] for name in INVENTORY_FIELDS}
        if row.action == CREATE:
            created.append(
                Vendor(
                    name_zh=row.values["name_zh"],
                    uscc=row.values["uscc"],  # empty for an own channel
                    uscc_checksum_ok=row.values["uscc_checksum_ok"],
                    category=row.values["category"],
                    status=VendorStatus.IN_USE,
                    **values,
                )
            )
            continue
        vendor = locked[row.vendor.pk]
        changes = {
            name: [getattr(vendor, name), value]
            for name, value in values.items()
            if getattr(vendor, name) != value
        }
        # Read again under the lock: a vendor approved since the preview is left as vetted.
        if row.action == UNCHANGED or not changes or vendor.status == VendorStatus.APPROVED:
            unchanged += 1
            continue
        for name, (_old, value) in changes.items():
            setattr(vendor, name, value)
        vendor.updated_at = timezone.now()
        updated.append((vendor, changes))
    try:
        with transaction.atomic():
            Vendor.objects.bulk_create(created, batch_size=_BATCH)
            channel_rows_created(
                (entry, row.values["channel_kind"])
                for entry, row in zip(created, [r for r in rows if r.action == CREATE], strict=True)
                if entry.is_own_channel
            )
    except IntegrityError:
        # Another import or a new request added one of these credit codes since the preview was read.
        raise VendorError(
            _(
                "Some of these vendors were added to the register meanwhile; nothing was saved. "
                "Open the preview again and confirm."
            )
        ) from None
    Vendor.objects.bulk_update(
        [vendor for vendor, _changes in updated], [*INVENTORY_FIELDS, "updated_at"], batch_size=_BATCH
    )
    record.confirmed_by, record.confirmed_at = actor, timezone.now()
    record.created_count, record.updated_count, record.unchanged_count = len(created), len(updated), unchanged
    record.rows, record.error_rows = len(preview.rows), len(preview.error_rows)
    record.save()
    _audit_updates(updated, actor=actor, record=record)
    inventory_imported.send(
        sender=InventoryImport,
        inventory_import=record,
        actor=actor,
        created=[v.uscc or v.name_zh for v in created],
        updated=[v.uscc or v.name_zh for v, _changes in updated],
    )
    return record


def _audit_updates(updated: list, *, actor, record: InventoryImport) -> None:
    """One vendor_changed per vendor updated, as a change by hand sends it (vendors.services.vendor_update):
    {field: [old, new]}, a person by user name; the import it came from is named."""
    owner_ids = {
        value for _vendor, changes in updated for value in changes.get("business_owner_id", ()) if value
    }
    usernames = dict(get_user_model().objects.filter(pk__in=owner_ids).values_list("pk", "username"))
    for vendor, changes in updated:
        recorded = {}
        for name, (old, new) in changes.items():
            if name == "business_owner_id":
                recorded["business_owner"] = [usernames.get(old), usernames.get(new)]
            else:
                recorded[name] = [old, new]
        vendor_changed.send(
            sender=Vendor,
            vendor=vendor,
            actor=actor,
            action="updated",
            changes=recorded,
            reason="",
            inventory_import=record,
        )
