"""Dossier pages: the list of a review's dossiers, the download, and Legal's "regenerate".

Object access goes through reviews.access.review_for_user: whoever may not read the review gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..access import review_for_user
from ..errors import WorkflowError
from ..models import Dossier, DossierStatus
from ..views.downloads import stored_attachment
from .services import dossier_regenerate


@login_required
def dossier_list(request, pk):
    review, access = review_for_user(request.user, pk)
    dossiers = review.dossiers.select_related("requested_by").order_by("-created_at", "-pk")
    return render(request, "dossier/list.html", {"review": review, "access": access, "dossiers": dossiers})


@login_required
def dossier_download(request, pk, dossier_pk):
    review, _access = review_for_user(request.user, pk)
    dossier = get_object_or_404(Dossier, pk=dossier_pk, review=review, status=DossierStatus.READY)
    name = dossier.file.name if dossier.file else None
    if not name:
        raise Http404("The dossier has no file.")
    return stored_attachment(name, name=name.rsplit("/", 1)[-1], content_type="application/pdf")


@login_required
@require_POST
def dossier_regenerate_view(request, pk):
    review, _access = review_for_user(request.user, pk)
    try:
        dossier_regenerate(review=review, actor=request.user)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("A new dossier was requested; it will be ready in a moment."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("dossier_list", args=[review.pk])
    return redirect(target)
