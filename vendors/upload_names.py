"""File names that cannot be kept as given are refused with a clear form error, not altered or crashed on.

Django's multipart parser quietly strips control and invisible characters from a file name (so "a\\u202egpj.exe"
would be stored as "agpj.exe") and cuts names past 255 characters; a long extension on a file large enough
to be spooled to disk even stops the request, because the temporary file's name becomes too long for the
file system (OSError, answered as an error page). The name is part of the evidence record: what the lawyer
reads in the dossier must be what the requester sent. So such a file is not received at all; it reaches the
form as a RefusedUpload, and vendors.files.check_upload turns its reason into the field's error like any
other refused file, keeping the rest of what was typed.

Two pieces: UploadNameMiddleware gives each request a parser that notes a name it had to clean, and
FileNameCheckHandler (first in FILE_UPLOAD_HANDLERS) refuses the file before any byte is kept."""

import io
import types
import unicodedata
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.http.multipartparser import MultiPartParser
from django.utils.datastructures import ImmutableList
from django.utils.translation import gettext as _

MAX_NAME_LENGTH = 255  # the evidence and certificate records' file-name column; most file systems' limit
MAX_SUFFIX_LENGTH = 16


def _hidden(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


class _CleanedName(str):
    """A file name from which the parser removed control or invisible characters."""


class _NoteCleanedNames(MultiPartParser):
    def sanitize_file_name(self, file_name):
        cleaned = super().sanitize_file_name(file_name)
        if cleaned and any(_hidden(char) for char in file_name):
            return _CleanedName(cleaned)
        return cleaned


def _parse_file_upload(request, META, post_data):
    # As django.http.HttpRequest.parse_file_upload, with the parser above.
    request.upload_handlers = ImmutableList(
        request.upload_handlers,
        warning="You cannot alter upload handlers after the upload has been processed.",
    )
    return _NoteCleanedNames(META, post_data, request.upload_handlers, request.encoding).parse()


class UploadNameMiddleware:
    """Before anything reads request.POST (the CSRF check does), use the parser that notes cleaned names."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.parse_file_upload = types.MethodType(_parse_file_upload, request)
        return self.get_response(request)


def name_refusal(file_name: str) -> str | None:
    if isinstance(file_name, _CleanedName):
        return _(
            "The file name contains control or invisible characters (such as a line break, a tab or a "
            "text-direction mark). Rename the file and upload it again."
        )
    if len(file_name) > MAX_NAME_LENGTH:
        return _(
            "The file name is %(length)d characters long; at most %(limit)d are accepted. Rename the "
            "file and upload it again."
        ) % {"length": len(file_name), "limit": MAX_NAME_LENGTH}
    if len(PurePath(file_name).suffix) > MAX_SUFFIX_LENGTH:
        # No accepted type has such an extension, and spooling a large file to disk under it fails.
        return _(
            "The file name does not end in the extension of its type (.pdf, .png, .jpg, .docx or "
            ".xlsx). Rename the file and upload it again."
        )
    return None


def _display_name(file_name: str) -> str:
    name = "".join("\ufffd" if _hidden(char) else char for char in file_name)
    if len(name) <= 60:
        return name
    suffix = PurePath(name).suffix[:10]
    return name[:40] + "…" + suffix


class RefusedUpload(UploadedFile):
    """A file that was not received: its reason and a short, printable name to show in the error."""

    def __init__(self, *, name: str | None, size: int, content_type: str | None, refusal: str):
        super().__init__(io.BytesIO(), _display_name(name or ""), content_type, size)
        self.refusal = refusal


class FileNameCheckHandler(FileUploadHandler):
    """First upload handler: a file whose name is refused is read and dropped, never handed to the others."""

    def new_file(
        self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None
    ):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.refusal = name_refusal(file_name)
        if self.refusal:
            raise StopFutureHandlers

    def receive_data_chunk(self, raw_data, start):
        return None if self.refusal else raw_data

    def file_complete(self, file_size):
        if not self.refusal:
            return None
        return RefusedUpload(
            name=self.file_name, size=file_size, content_type=self.content_type, refusal=self.refusal
        )
