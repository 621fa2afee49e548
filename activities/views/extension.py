"""Scope extensions for the requester: ask to widen an approved vendor's scope (what to add, then only the
questions and documents that addition needs, worked out on the server by activities.extension_rules), the
extension's page, withdrawing it, and its documents for those who may read it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reviews.views.downloads import stored_attachment
from vendors.models import Vendor

from .. import extensions
from ..access import can_register_activity, extension_for_user
from ..extension_rules import extension_needs
from ..extension_selectors import document_labels, extendable, extension_page, questions_again
from ..forms import ExtensionNeedsForm, ExtensionScopeForm
from ..models import ExtensionFile
from ..services import ActivityError
from .outcome import step_told

TEMPLATE = "activities/extension_form.html"


@login_required
def extension_new(request, vendor_pk):
    """Step 1 (GET, or POST without step=2): what to add and why, prefilled from an activity's link. Step 2:
    the questions and documents the addition needs, recomputed from step 1's choices carried along; sent, the
    extension is requested."""
    if not can_register_activity(request.user):
        return render(request, TEMPLATE, {"forbidden": True}, status=403)
    vendor = get_object_or_404(Vendor, pk=vendor_pk)
    context = {"vendor": vendor, "scope": vendor.scope.labels(), "scope_confirmed": vendor.scope_confirmed}
    if not extendable(vendor):
        return render(request, TEMPLATE, {**context, "not_extendable": True})
    if request.method != "POST":
        form = ExtensionScopeForm(
            scope=vendor.scope, initial=ExtensionScopeForm.initial_from_query(request.GET)
        )
        return render(request, TEMPLATE, {**context, "step": 1, "form": form})

    form = ExtensionScopeForm(request.POST, scope=vendor.scope)
    if "back" in request.POST or not form.is_valid():
        return render(request, TEMPLATE, {**context, "step": 1, "form": form})
    additions = vendor.scope.beyond(form.additions())
    needs = extension_needs(additions)
    questions = questions_again(vendor, needs.questions)
    context.update(
        step=2,
        form=form,
        adds=additions.labels(),
        needs=needs,
        documents=document_labels(needs.documents),
        carried=_carried(form),
    )
    if request.POST.get("step") != "2":
        context["needs_form"] = ExtensionNeedsForm(questions=questions, documents=needs.documents)
        return render(request, TEMPLATE, context)

    needs_form = ExtensionNeedsForm(
        request.POST, request.FILES, questions=questions, documents=needs.documents
    )
    context["needs_form"] = needs_form
    if needs_form.is_valid():
        try:
            extension = extensions.extension_request(
                vendor=vendor,
                requester=request.user,
                additions=additions,
                reason=form.cleaned_data["reason"],
                answers=needs_form.answers(),
                files=needs_form.uploads(),
            )
        except ActivityError as error:
            needs_form.add_error(error.field if error.field in needs_form.fields else None, error.message)
        except ValidationError as error:  # a file refused as it was stored
            needs_form.add_error(None, error)
        else:
            messages.success(
                request, _("Scope extension %(number)s requested.") % {"number": extension.number}
            )
            return redirect("activities:extension", pk=extension.pk)
    # Browsers never send a file back: whatever was chosen must be chosen again.
    context["choose_files_again"] = bool(needs.documents)
    return render(request, TEMPLATE, context)


def _carried(form: ExtensionScopeForm) -> list[tuple[str, str]]:
    """Step 1's choices as the hidden fields of step 2 (name, value), so that step 2 is checked and its needs
    worked out again from them on the server, never from what the page showed."""
    pairs = []
    for name, value in form.cleaned_data.items():
        if isinstance(value, list):
            pairs += [(name, item) for item in value]
        elif value is True:
            pairs.append((name, "on"))
        elif value:
            pairs.append((name, value))
    return pairs


@login_required
def extension_detail(request, pk):
    extension = extension_for_user(request.user, pk)
    return render(
        request, "activities/extension_detail.html", {"page": extension_page(extension, user=request.user)}
    )


@login_required
@require_POST
def extension_withdraw(request, pk):
    extension = extension_for_user(request.user, pk)
    step_told(
        request,
        lambda: extensions.extension_withdraw(extension=extension, actor=request.user),
        _("Scope extension %(number)s withdrawn.") % {"number": extension.number},
    )
    return redirect("activities:extension", pk=extension.pk)


@login_required
def extension_file(request, pk, file_pk):
    """A document of an extension, for those who may read the extension: as an attachment, never sniffed
    (the same answer as every evidence download)."""
    extension = extension_for_user(request.user, pk)
    file = get_object_or_404(ExtensionFile, pk=file_pk, extension=extension)
    return stored_attachment(file.file.name, name=file.original_name, content_type=file.content_type)
