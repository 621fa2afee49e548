"""Saving an inventory: upload (stored privately, nothing in the register changes), then confirmation.

A vendor new to the register is created "in use, not vetted" (VendorStatus.IN_USE): never on the approved
list until a catch-up review passes (I1). A vendor already in the register is matched by its credit code and
only its inventory fields are written, so importing the same file twice leaves the same state."""

import hashlib
import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import InventoryImport, Vendor, VendorStatus
from ..services import VendorError
from ..signals import inventory_imported
from .reading import (
    CREATE,
    INVENTORY_FIELDS,
    UNCHANGED,
    UPDATE,
    InventoryPreview,
    InventoryRefused,
    inventory_read,
)

_BATCH = 500


def _read_upload(upload) -> bytes:
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise InventoryRefused(_("The file is %(size)s; the limit is %(limit)s.")
                               % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)})
    upload.seek(0)
    return b"".join(upload.chunks())


def inventory_upload(*, upload, actor) -> tuple[InventoryImport, InventoryPreview]:
    """Read and check an uploaded file; keep it for the preview and the confirmation. A refused file
    (InventoryRefused) leaves nothing behind: neither the file nor a record of it."""
    data = _read_upload(upload)
    name = PurePath(upload.name or "inventory").name[:255]
    preview = inventory_read(data, name)
    suffix = ".xlsx" if data.startswith(b"PK") else ".csv"
    stored = storages["private"].save(f"inventory/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{suffix}",
                                      ContentFile(data))
    record = InventoryImport.objects.create(
        file=stored, original_name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        rows=len(preview.rows), error_rows=len(preview.error_rows), uploaded_by=actor,
    )
    return record, preview


def _stored_bytes(record: InventoryImport) -> bytes:
    with record.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != record.sha256:
        raise VendorError(_("The stored file no longer matches the one uploaded; upload it again."))
    return data


def inventory_preview(*, inventory_import: InventoryImport) -> InventoryPreview:
    """The stored file read again against the register as it is now."""
    try:
        return inventory_read(_stored_bytes(inventory_import), inventory_import.original_name)
    except InventoryRefused as refusal:
        raise VendorError(str(refusal)) from None


@transaction.atomic
def inventory_confirm(*, inventory_import: InventoryImport, actor) -> InventoryImport:
    """Save the rows without errors of a previewed file; rows with errors are left out and reported."""
    record = InventoryImport.objects.select_for_update().get(pk=inventory_import.pk)
    if record.confirmed_at is not None:
        raise VendorError(_("This file was already imported on %(time)s.")
                          % {"time": timezone.localtime(record.confirmed_at).strftime("%Y-%m-%d %H:%M")})
    preview = inventory_preview(inventory_import=record)
    rows = [row for row in preview.rows if row.ok]
    if not rows:
        raise VendorError(_("No row of this file can be imported."))
    # Locked so that a review admitting one of these vendors meanwhile waits, and reads our write after.
    locked = {v.uscc: v for v in Vendor.objects.select_for_update().filter(
        pk__in=[row.vendor.pk for row in rows if row.vendor is not None])}
    created, updated = [], []
    for row in rows:
        values = {name: row.values[name] for name in INVENTORY_FIELDS}
        if row.action == CREATE:
            created.append(Vendor(name_zh=row.values["name_zh"], uscc=row.values["uscc"],
                                  uscc_checksum_ok=row.values["uscc_checksum_ok"], category=row.values["category"],
                                  status=VendorStatus.IN_USE, **values))
        elif row.action == UPDATE:
            vendor = locked[row.values["uscc"]]
            for name, value in values.items():
                setattr(vendor, name, value)
            vendor.updated_at = timezone.now()
            updated.append(vendor)
    try:
        with transaction.atomic():
            Vendor.objects.bulk_create(created, batch_size=_BATCH)
    except IntegrityError:
        # Another import or a new request added one of these credit codes since the preview was read.
        raise VendorError(_("Some of these vendors were added to the register meanwhile; nothing was saved. "
                            "Open the preview again and confirm.")) from None
    Vendor.objects.bulk_update(updated, [*INVENTORY_FIELDS, "updated_at"], batch_size=_BATCH)
    record.confirmed_by, record.confirmed_at = actor, timezone.now()
    record.created_count, record.updated_count = len(created), len(updated)
    record.unchanged_count = sum(1 for row in rows if row.action == UNCHANGED)
    record.rows, record.error_rows = len(preview.rows), len(preview.error_rows)
    record.save()
    inventory_imported.send(sender=InventoryImport, inventory_import=record, actor=actor,
                            created=[v.uscc for v in created], updated=[v.uscc for v in updated])
    return record
