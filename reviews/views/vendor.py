from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from vendors import cert_rules
from vendors.models import Vendor

from ..access import reviews_visible_to
from ..models import ReviewState, Stage, StageKind
from ..notifications.renewals import renewal_open
from ..review_view import review_progress
from ..selectors import stages_with_decisions
from .common import requester_stages


@login_required
def vendor_detail(request, pk):
    """A vendor of the register: status, validity, certificates, and the reviews of it that the user may
    read (a requester sees only their own). Served at /vendors/<pk>/."""
    vendor = get_object_or_404(Vendor.objects.select_related("business_owner"), pk=pk)
    today = timezone.localdate()
    found = list(
        reviews_visible_to(request.user)
        .filter(vendor=vendor)
        .select_related("requester")
        .prefetch_related(stages_with_decisions())
        .order_by("-created_at", "-pk")
    )
    for review in found:
        review.vendor = vendor  # already read: not joined
    reviews = [review_progress(review, requester_stages(review, user=request.user)) for review in found]
    approved_review = next((r for r in found if r.state == ReviewState.APPROVED), None)
    if vendor.is_approved_on(today) and approved_review is not None:
        # The certificates the running approval rests on: not one set aside, nor one from an older review.
        security = Stage.objects.get(review=approved_review, kind=StageKind.SECURITY)
        certificates = security.current_certifications()
    else:
        certificates = vendor.certifications.filter(withdrawn_at__isnull=True)
    certificates = list(certificates.order_by("expires_on", "pk"))
    for cert in (
        certificates
    ):  # the date each stops counting under docs/domain.md "Certificates", not only the printed one
        cert.lapse = cert_rules.lapse(cert)
    usable = vendor.is_approved_on(today)
    return render(
        request,
        "vendors/detail.html",
        {
            "vendor": vendor,
            "reviews": reviews,
            "certificates": certificates,
            "today": today,
            "usable": usable,
            "review": approved_review,
            # What the approval in force covers (the sign-off's scope widened by approved extensions): a vendor is
            # approved for a use, not for any (docs/domain.md "Use").
            "scope": vendor.scope.labels() if usable else None,
            "overdue": vendor.is_catch_up_overdue_on(today),
            "renewal_open": renewal_open(vendor, today=today),
            "has_open_review": vendor.reviews.filter(
                state__in=[ReviewState.DRAFT, ReviewState.IN_PROGRESS]
            ).exists(),
        },
    )
