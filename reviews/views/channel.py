"""Register one of the brand's own channels and ask for its review, in one page (/channels/new/); or ask for a
new review of a channel already registered (/channels/new/?channel=PK, from its page or a renewal reminder).
The channel's business owner is typed and searched by name (/channels/owners/?q=, the form's combobox)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vendors.models import Vendor, VendorCategory
from vendors.people import OWNER_MATCHES, owner_candidates, people_matching, person_choice
from vendors.services import channel_create

from .. import workflow
from ..channel_forms import ChannelRequestForm
from ..errors import WorkflowError
from ..roles import Role, roles_of
from .request import _add_model_errors

TEMPLATE = "reviews/channel_request.html"


def _existing(raw: str) -> Vendor | None:
    if not raw.isdigit():
        return None
    return (
        Vendor.objects.select_related("channel").filter(pk=raw, category=VendorCategory.OWN_CHANNEL).first()
    )


@login_required
def channel_new(request):
    user = request.user
    if Role.REQUESTER not in roles_of(user):
        return render(request, TEMPLATE, {"forbidden": True}, status=403)
    existing = _existing(request.POST.get("channel") or request.GET.get("channel", ""))
    if request.method != "POST":
        form = ChannelRequestForm(user=user, existing=existing)
        return render(request, TEMPLATE, {"form": form, "existing": existing})
    form = ChannelRequestForm(request.POST, user=user, existing=existing)
    context: dict[str, object] = {"form": form, "existing": existing}
    if not form.is_valid():
        return render(request, TEMPLATE, context)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            entry = existing or channel_create(
                kind=data["kind"],
                name_zh=data["name_zh"],
                name_en=data["name_en"],
                website=data["website"],
                operator=data["operator"],
                operator_vendor=data["operator_uscc"],
                icp_filing=data["icp_filing"],
                app_store_ids=data["app_store_ids"],
                business_owner=data["business_owner"],
                administrators=data["administrators"],
                connected_systems=data["connected_systems"],
                actor=user,
            )
            review = workflow.review_create(
                requester=user,
                vendor=entry,
                purpose=data["purpose"],
                expected_volume=data["expected_volume"],
                personal_data=data["personal_data"],
                data_traits=data["data_traits"],
                language=get_language() or "zh-hans",
            )
    except ValidationError as error:
        _add_model_errors(form, error)
        return render(request, TEMPLATE, context)
    except WorkflowError as error:
        context["workflow_error"] = error
        return render(request, TEMPLATE, context)
    messages.success(
        request,
        _("Channel review %(number)s created. Next: answer the channel questionnaire.")
        % {"number": review.number},
    )
    return redirect("review_detail", pk=review.pk)


def channel_owners(request):
    """GET /channels/owners/?q=: the people a channel's business owner may be (active requesters) whose name
    (either order), user name or e-mail contains q, family name first, at most OWNER_MATCHES, as JSON
    {"results": [{"value", "name", "email"}], "more"} for the request form's combobox. For whoever may
    register a channel (a requester); an anonymous caller gets 401 rather than a redirect (it is called by
    script)."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Sign in first.")}, status=401)
    if request.method != "GET":
        return JsonResponse({"error": _("Only GET is allowed.")}, status=405)
    if Role.REQUESTER not in roles_of(request.user):
        return JsonResponse({"error": _("Only requesters choose a channel's business owner.")}, status=403)
    term = request.GET.get("q", "")[:100]
    people = list(people_matching(owner_candidates(), term)[: OWNER_MATCHES + 1])
    return JsonResponse(
        {
            "results": [person_choice(user) for user in people[:OWNER_MATCHES]],
            "more": len(people) > OWNER_MATCHES,
        }
    )
