"""Files are served only here, after reviews.access (or activities.access) says the user may read them; always
with nosniff and a sandbox, never cached, so an uploaded file never runs in the site's origin and no shared
cache keeps a copy. `attachment_response` is the one helper every download goes through: stored uploads (in
the browser and in the admin, its inline previews included), the approval dossier and the records generated
on request (activities.records)."""

import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from vendors.models import Certification
from vendors.storage import private_storage

from ..access import review_for_user
from ..models import Evidence


def attachment_response(content, *, name: str, content_type: str, inline: bool = False) -> FileResponse:
    """`content` (an open binary file, or bytes made on request) sent as the attachment `name`, or `inline`
    for the admin's preview of a PDF or an image, which the browser's own viewer shows in a sandbox (no
    script, an opaque origin of its own)."""
    if isinstance(content, bytes):
        content = io.BytesIO(content)
    response = FileResponse(content, as_attachment=not inline, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox" if inline else "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def stored_attachment(
    name_in_storage: str | None, *, name: str, content_type: str, inline: bool = False
) -> FileResponse:
    """A file of the private storage as an attachment (or `inline`); 404 when it is missing (a record without
    a file included)."""
    if not name_in_storage:
        raise Http404("The file is missing from storage.")
    # The same storage vendors.files.store_upload wrote to (looked up now, not when the model was defined):
    # the local disk or the object store every host shares, streamed from it in chunks either way.
    try:
        handle, size = private_storage().open_stream(name_in_storage)
    except (FileNotFoundError, ValueError):
        raise Http404("The file is missing from storage.") from None
    response = attachment_response(handle, name=name, content_type=content_type, inline=inline)
    response["Content-Length"] = str(size)
    return response


@login_required
def evidence_download(request, pk, evidence_id):
    review, _access = review_for_user(request.user, pk)
    evidence = get_object_or_404(Evidence, pk=evidence_id, review=review)
    return stored_attachment(
        evidence.file.name, name=evidence.original_name, content_type=evidence.content_type
    )


@login_required
def certificate_download(request, pk, cert_id):
    review, _access = review_for_user(request.user, pk)
    cert = get_object_or_404(Certification.objects.filter(stages__review=review).distinct(), pk=cert_id)
    return stored_attachment(cert.file.name, name=cert.original_name, content_type=cert.content_type)
