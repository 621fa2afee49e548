"""The requester's side of the vendor contact's links: create one (its URL is shown once, on the page the
creation answers with) and revoke one. The list is part of the review page (reviews.views.review)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..errors import WorkflowError
from ..models import ContactLink
from ..views.common import load_review
from ..views.review import review_page
from . import services as contact
from .forms import ContactLinkForm


def _to_panel(review):
    return redirect(reverse("review_detail", args=[review.pk]) + "#contact-links")


@login_required
@require_POST
def contact_link_create(request, pk):
    review, access, stages = load_review(request, pk)
    form = ContactLinkForm(request.POST)
    if form.is_valid():
        try:
            link, token = contact.contact_link_create(
                review=review,
                actor=request.user,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                days=form.cleaned_data["days"],
                send=form.cleaned_data["send"],
                request_key=form.cleaned_data["request_key"],
            )
        except WorkflowError as error:
            if error.code != "invalid":
                messages.error(request, error.message)
                return _to_panel(review)
            form.add_error(None, error.message)
        else:
            # The token exists only in this response: not in a redirect, the session or any log.
            response = render(
                request,
                "reviews/contact_link_created.html",
                {
                    "review": review,
                    "access": access,
                    "link": link,
                    "emailed": form.cleaned_data["send"],
                    "url": request.build_absolute_uri(reverse("contact_home", args=[token])),
                },
            )
            response["Cache-Control"] = "private, no-store"
            return response
    return review_page(request, review, access, stages, contact_form=form)


@login_required
@require_POST
def contact_link_revoke(request, pk, link_id):
    review, _access, _stages = load_review(request, pk)
    link = get_object_or_404(ContactLink, pk=link_id, review=review)
    try:
        contact.contact_link_revoke(link=link, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The link of %(name)s was revoked: it no longer opens anything.") % {"name": link.contact_name},
        )
    return _to_panel(review)
