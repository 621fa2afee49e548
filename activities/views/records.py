"""The PDF records: an activity's compliance confirmation and an extension's addendum, generated on request for
whoever may read the activity or extension (activities.access: 404 for anyone else), served through the one
download helper. A record that cannot be issued yet (an activity not decided, an extension not approved)
answers a page that says why."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from reviews.dossier.signing import TimestampUnavailable
from reviews.views.downloads import attachment_response

from ..access import activity_for_user, extension_for_user
from ..records.base import RecordNotAvailable
from ..records.render import activity_record_render, extension_addendum_render


def _pdf(request, make, *, back: str):
    try:
        rendered = make()
    except RecordNotAvailable as exc:
        return render(
            request, "activities/records/unavailable.html", {"message": exc.message, "back": back}, status=409
        )
    except TimestampUnavailable:
        return render(
            request,
            "activities/records/unavailable.html",
            {
                "message": _(
                    "The time-stamping authority did not answer, so the record could not be signed. Try "
                    "again in a moment."
                ),
                "back": back,
            },
            status=503,
        )
    return attachment_response(rendered.pdf, name=rendered.filename, content_type="application/pdf")


@login_required
def activity_record(request, pk):
    activity = activity_for_user(request.user, pk)
    return _pdf(
        request,
        lambda: activity_record_render(activity),
        back=reverse("activities:detail", args=[activity.pk]),
    )


@login_required
def extension_addendum(request, pk):
    extension = extension_for_user(request.user, pk)
    return _pdf(
        request,
        lambda: extension_addendum_render(extension),
        back=reverse("activities:extension", args=[extension.pk]),
    )
