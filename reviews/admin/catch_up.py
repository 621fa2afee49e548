"""Opening catch-up reviews (补齐审核) in bulk from the vendor register.

The vendor register's admin lives in vendors, which never imports reviews; the action that opens reviews
is added here, by registering the register's admin again with it (reviews -> vendors, docs/architecture.md "Apps and layers")."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vendors.admin import LEGAL_GROUP, VendorAdmin, in_group
from vendors.models import Vendor, VendorStatus

from ..errors import WorkflowError
from ..workflow import review_open_catch_up


def default_due():
    return timezone.localdate() + timedelta(days=settings.VETTED_CATCH_UP_DAYS)


class CatchUpForm(forms.Form):
    due = forms.DateField(
        label=gettext_lazy("Catch-up review due"),
        # A date input reads and shows only YYYY-MM-DD: in the language's own format the default (90 days,
        # VETTED_CATCH_UP_DAYS) would not show and the field would look empty.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy(
            "Each business owner is told at once and reminded before this day; after it, "
            "a vendor still not vetted is flagged overdue."
        ),
    )

    def clean_due(self):
        due = self.cleaned_data["due"]
        if due <= timezone.localdate():
            raise forms.ValidationError(_("The catch-up deadline must be after today."))
        return due


class CatchUpVendorAdmin(VendorAdmin):
    actions = [*VendorAdmin.actions, "open_catch_up_reviews"]

    def has_catch_up_permission(self, request):
        return in_group(request, LEGAL_GROUP)

    @admin.action(
        description=gettext_lazy("Open catch-up reviews (补齐审核) for the selected platforms in use"),
        permissions=["catch_up"],
    )
    def open_catch_up_reviews(self, request, queryset):
        queryset = queryset.select_related("business_owner")
        form = CatchUpForm(request.POST if "apply" in request.POST else None, initial={"due": default_due()})
        if form.is_bound and form.is_valid():
            opened = []
            for vendor in queryset:
                try:
                    review = review_open_catch_up(
                        vendor=vendor,
                        requester=vendor.business_owner,
                        due=form.cleaned_data["due"],
                        actor=request.user,
                    )
                except WorkflowError as error:
                    messages.error(request, f"{vendor.name_zh}: {error}")
                else:
                    opened.append(f"{vendor.name_zh} ({review.number})")
            if opened:
                messages.success(
                    request,
                    _("Catch-up reviews opened, each assigned to its business owner: %(list)s.")
                    % {"list": ", ".join(opened)},
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Open catch-up reviews"),
            "form": form,
            "vendors": queryset,
            "refused": [
                v for v in queryset if v.status != VendorStatus.IN_USE or v.business_owner_id is None
            ],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "open_catch_up_reviews",
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/vendors/vendor/catch_up.html", context)


admin.site.unregister(Vendor)
admin.site.register(Vendor, CatchUpVendorAdmin)
