"""Files are served only here, after reviews.access says the user may read the review; always as an
attachment with nosniff, so a browser never renders an uploaded file inside the site. `attachment` is the one
answer for a stored upload; the documents of a scope extension (activities.views.extension) are served by it
too."""

from django.contrib.auth.decorators import login_required
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from vendors.models import Certification

from ..access import review_for_user
from ..models import Evidence


def attachment(field, *, name: str, content_type: str) -> FileResponse:
    # The same storage vendors.files.store_upload wrote to (looked up now, not when the model was defined).
    try:
        handle = storages["private"].open(field.name, "rb")
    except (FileNotFoundError, ValueError):
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def evidence_download(request, pk, evidence_id):
    review, _access = review_for_user(request.user, pk)
    evidence = get_object_or_404(Evidence, pk=evidence_id, review=review)
    return attachment(evidence.file, name=evidence.original_name, content_type=evidence.content_type)


@login_required
def certificate_download(request, pk, cert_id):
    review, _access = review_for_user(request.user, pk)
    cert = get_object_or_404(Certification.objects.filter(stages__review=review).distinct(), pk=cert_id)
    return attachment(cert.file, name=cert.original_name, content_type=cert.content_type)
