"""Checking and storing uploaded files (evidence, certificates).

The type is decided by the bytes, never by the name: an evidence file is read by lawyers on their own
machines years later, so only inert document formats are kept. Executables, archives, HTML and SVG (which
can carry script) are refused, and so is any file whose name claims another type than its content."""

import hashlib
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from .storage import private_storage

PDF, PNG, JPEG, DOCX, XLSX = "pdf", "png", "jpeg", "docx", "xlsx"
CONTENT_TYPES = {
    PDF: "application/pdf",
    PNG: "image/png",
    JPEG: "image/jpeg",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {PDF: {".pdf"}, PNG: {".png"}, JPEG: {".jpg", ".jpeg"}, DOCX: {".docx"}, XLSX: {".xlsx"}}
ACCEPT_ATTR = ",".join(sorted(ext for exts in EXTENSIONS.values() for ext in exts))

_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
_ARCHIVE_MAGIC = (b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd")
_MARKUP_MARKERS = (b"<html", b"<!doctype", b"<svg", b"<script", b"<?xml", b"<body", b"<head", b"<iframe")


@dataclass(frozen=True)
class StoredFile:
    name: str
    original_name: str
    size: int
    content_type: str
    sha256: str

    @classmethod
    def of(cls, record) -> "StoredFile":
        """The file a stored record holds (an Evidence, a Certification, an ExtensionFile)."""
        return cls(record.file.name, record.original_name, record.size, record.content_type, record.sha256)

    def columns(self) -> dict:
        """The columns such a record keeps of its file, filled with this one."""
        return {
            "file": self.name,
            "original_name": self.original_name,
            "size": self.size,
            "content_type": self.content_type,
            "sha256": self.sha256,
        }


def _refuse(message: str, code: str) -> NoReturn:
    raise ValidationError(message, code=code)


def _office_kind(head_file) -> str | None:
    try:
        with zipfile.ZipFile(head_file) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        _refuse(_("Documents with macros are not accepted. Save it as a plain .docx or .xlsx."), "macro")
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sniff(upload) -> str:
    """Return the kind of an uploaded file from its content, or raise ValidationError saying why not."""
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if not head:
        _refuse(_("The file is empty."), "empty")
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        kind = _office_kind(upload)
        upload.seek(0)
        if kind:
            return kind
        _refuse(
            _("Archives (ZIP, RAR, 7z, ...) are not accepted. Upload the documents one by one."), "archive"
        )
    if head.startswith(_EXECUTABLE_MAGIC):
        _refuse(_("Programs and scripts are not accepted."), "executable")
    if head.startswith(_ARCHIVE_MAGIC) or head[257:262] == b"ustar":
        _refuse(
            _("Archives (ZIP, RAR, 7z, ...) are not accepted. Upload the documents one by one."), "archive"
        )
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if any(marker in lowered for marker in _MARKUP_MARKERS):
        _refuse(
            _("HTML and SVG files are not accepted: they can carry scripts. Upload a PDF instead."), "markup"
        )
    _refuse(_("This file type is not accepted. Upload a PDF, PNG, JPEG, DOCX or XLSX file."), "type")


def check_upload(upload) -> str:
    """Validate size, content type and name of an upload; return its kind. Nothing is stored."""
    refusal = getattr(upload, "refusal", None)  # a name refused on arrival (vendors/upload_names.py)
    if refusal:
        _refuse(refusal, "name")
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        _refuse(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            "too_large",
        )
    if upload.size == 0:
        _refuse(_("The file is empty."), "empty")
    kind = sniff(upload)
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in EXTENSIONS[kind]:
        _refuse(
            _("The file name ends in “%(suffix)s” but the content is %(kind)s. Rename or re-export it.")
            % {"suffix": suffix or _("(no extension)"), "kind": kind.upper()},
            "mismatch",
        )
    return kind


def store_upload(upload, *, folder: str) -> StoredFile:
    """Check an upload and store it under a random name in private storage, hashing while streaming."""
    kind = check_upload(upload)
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    today = timezone.now()
    name = f"{folder}/{today:%Y/%m}/{secrets.token_hex(16)}{min(EXTENSIONS[kind])}"
    saved = private_storage().save(name, upload)
    return StoredFile(
        name=saved,
        original_name=PurePath(upload.name).name[:255],
        size=size,
        content_type=CONTENT_TYPES[kind],
        sha256=digest.hexdigest(),
    )


def bytes_upload(data: bytes, name: str):
    """An in-memory upload, for commands, demo data and tests."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


__all__ = ["ACCEPT_ATTR", "StoredFile", "bytes_upload", "check_upload", "sniff", "store_upload"]
