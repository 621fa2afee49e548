from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vendors.models import Vendor
from vendors.selectors import vendor_by_uscc
from vendors.services import vendor_create

from .. import workflow
from ..access import reviews_visible_to
from ..errors import WorkflowError
from ..forms import ReviewRequestForm
from ..models import ReviewState
from ..notifications.renewals import renewal_open, renewal_opens_on
from ..roles import Role, roles_of
from ..use_fit import use_fit


def _known_vendor_context(user, vendor, form=None) -> dict:
    """What the requester sees instead of creating a duplicate: the registered vendor, its status, the
    reviews of it they may read, and whether a new request is possible. An approved vendor is shown with
    what it is approved for, and the use the form names (purpose, channels) is checked against that."""
    visible = list(
        reviews_visible_to(user).filter(vendor=vendor).select_related("requester").order_by("-created_at")
    )
    open_review = vendor.reviews.filter(state__in=[ReviewState.DRAFT, ReviewState.IN_PROGRESS]).first()
    today = timezone.localdate()
    approved, renewal = vendor.is_approved_on(today), renewal_open(vendor, today=today)
    scope = {}
    if approved:
        use = form.cleaned_data if form is not None and hasattr(form, "cleaned_data") else {}
        scope = {
            "known_scope": vendor.scope.labels(),
            "known_use": use_fit(
                scope=vendor.scope,
                purpose=use.get("use_purpose") or "",
                channels=use.get("use_channels") or (),
            ),
        }
    return {
        **scope,
        "known_vendor": vendor,
        "known_reviews": visible,
        "known_approved": approved,
        "known_renewal": approved and renewal,
        "known_renewal_opens_on": renewal_opens_on(vendor),
        "known_open_review": open_review,
        "known_open_review_is_mine": open_review is not None and open_review.requester_id == user.pk,
        "known_can_request": open_review is None and (not approved or renewal),
    }


def _request_for(user, vendor_id: str) -> tuple[ReviewRequestForm, dict]:
    """The form for a vendor of the register (/reviews/new/?vendor=PK, from the vendor page or a renewal
    reminder): its registered details, and the purpose, data and volume of the user's latest review of it
    as a starting point."""
    vendor = Vendor.objects.filter(pk=vendor_id).first() if vendor_id.isdigit() else None
    if vendor is None:
        return ReviewRequestForm(), {}
    initial = {
        "uscc": vendor.uscc,
        "name_zh": vendor.name_zh,
        "name_en": vendor.name_en,
        "category": vendor.category,
        "website": vendor.website,
        "services": vendor.services,
    }
    latest = reviews_visible_to(user).filter(vendor=vendor, requester=user).order_by("-created_at").first()
    if latest is not None:
        initial.update(
            purpose=latest.purpose,
            personal_data=latest.personal_data,
            expected_volume=latest.expected_volume,
            data_traits=latest.data_traits,
        )
    return ReviewRequestForm(initial=initial), _known_vendor_context(user, vendor)


def _add_model_errors(form, error: ValidationError) -> None:
    fields = set(form.fields)
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def review_new(request):
    """Ask for a vendor to be vetted. A vendor already in the register (same USCC) is shown with its status
    and history instead of being created twice; an approved one needs no request at all."""
    user = request.user
    if Role.REQUESTER not in roles_of(user):
        return render(request, "reviews/request.html", {"forbidden": True}, status=403)
    context: dict = {}
    if request.method != "POST":
        form, context = _request_for(user, request.GET.get("vendor", ""))
        return render(request, "reviews/request.html", {"form": form, **context})

    form = ReviewRequestForm(request.POST)
    known = None
    raw_uscc = request.POST.get("uscc", "")
    try:
        from vendors.uscc import check_uscc

        known = vendor_by_uscc(check_uscc(raw_uscc).code)
    except ValidationError:
        pass
    if known is not None:
        today = timezone.localdate()
        request_possible = not known.is_approved_on(today) or renewal_open(known, today=today)
        form = ReviewRequestForm(request.POST, known_vendor=known, request_possible=request_possible)
    context["form"] = form
    if not form.is_valid():
        if known is not None:
            context.update(_known_vendor_context(user, known, form))
        return render(request, "reviews/request.html", context)

    data = form.cleaned_data
    # "Check this use" asks about the scope only: nothing is requested, even within the renewal window.
    if known is not None and (
        request.POST.get("use_existing") != str(known.pk) or "check_use" in request.POST
    ):
        context.update(_known_vendor_context(user, known, form))
        return render(request, "reviews/request.html", context)
    if known is None and form.uscc_warning and not request.POST.get("uscc_confirmed"):
        context["uscc_warning"] = form.uscc_warning
        context["ask_uscc_confirmation"] = True
        return render(request, "reviews/request.html", context)

    fields = {
        "purpose": data["purpose"],
        "expected_volume": data["expected_volume"],
        "personal_data": data["personal_data"],
        "data_traits": data["data_traits"],
        "language": get_language() or "zh-hans",
    }
    try:
        with transaction.atomic():
            vendor = known or vendor_create(
                name_zh=data["name_zh"],
                name_en=data["name_en"],
                uscc=data["uscc"],
                category=data["category"],
                website=data["website"],
                services=data["services"],
            )
            review = workflow.review_create(requester=user, vendor=vendor, **fields)
    except ValidationError as error:
        _add_model_errors(form, error)
        return render(request, "reviews/request.html", context)
    except WorkflowError as error:
        context["workflow_error"] = error
        if known is not None:
            context.update(_known_vendor_context(user, known, form))
        return render(request, "reviews/request.html", context)
    if form.uscc_warning:
        messages.warning(request, form.uscc_warning)
    messages.success(
        request, _("Request %(number)s created. Next: answer the questionnaire.") % {"number": review.number}
    )
    return redirect("review_detail", pk=review.pk)
