"""Legal confirms the scope the migration derived for an approval signed before scopes existed
(reviews.approval_scope): the same fields as the sign-off, prefilled with the derived scope, to confirm as
they are or narrowed."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from reviews.approval_scope import scope_confirm_refusal, sign_off_confirm_scope
from reviews.errors import WorkflowError
from reviews.models import SignOff
from reviews.scope_proposal import scope_proposal_notes
from vendors.scope import Scope

from .review_file import review_file, review_page_context, review_queryset
from .scope_form import ScopeFields, scope_dimensions


def scope_confirm_view(model_admin, request, object_id):
    review, _access = model_admin._review(request, object_id, queryset=review_queryset())
    sign_off = SignOff.objects.select_related("review", "signed_by").filter(review=review).first()
    if sign_off is None:
        raise Http404("This review has no sign-off.")
    change_url = redirect("admin:reviews_review_change", review.pk)
    if request.method == "POST":
        # The service checks again, and records a refused attempt even when no button led here.
        form = ScopeFields(request.POST)
        if form.is_valid():
            try:
                sign_off_confirm_scope(
                    sign_off=sign_off, actor=request.user, scope=form.cleaned_data["scope"]
                )
            except WorkflowError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "The scope of approval %(number)s is confirmed; the approved list "
                        "and the vendor page show it as Legal's."
                    )
                    % {"number": sign_off.number},
                )
                return change_url
    else:
        refusal = scope_confirm_refusal(request.user, sign_off)
        if refusal is not None:
            messages.error(request, refusal)
            return change_url
        form = ScopeFields(initial=ScopeFields.initial_for(Scope.from_json(sign_off.scope)))
    context = {
        **review_page_context(
            model_admin, request, review, _("Confirm the scope of %(number)s") % {"number": sign_off.number}
        ),
        "file": review_file(review, user=request.user, with_audit=False),
        "sign_off": sign_off,
        "form": form,
        # The derived scope is the sign-off form's proposal for these answers: the same notes say why.
        "scope_dimensions": scope_dimensions(form, scope_proposal_notes(review), review=review),
        "has_view_permission": True,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/reviews/review/confirm_scope.html", context)
