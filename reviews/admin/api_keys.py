"""API keys in the admin: Legal creates them (the token is shown once, on the page that follows) and revokes
them with an action; everyone who may view them sees who created each and when it was last used. Every change
goes through the API wing's services (reviews.api_keys), which audit it; nothing is edited or deleted
here (I7)."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reviews.api_keys import api_key_create, api_key_revoke
from reviews.errors import WorkflowError
from reviews.models import ApiKey, ApiScope
from reviews.roles import Role, has_role


class ApiKeyCreateForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("scopes"),
        choices=ApiScope.choices,
        initial=[ApiScope.VENDORS_READ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy(
            "Vendor status: the vendor endpoints and the use check. Marketing activities: "
            "an activity looked up by its reference (plans, conditions, Legal's reasons). "
            "A key without a scope is refused by every endpoint."
        ),
    )

    class Meta:
        model = ApiKey
        fields = ["name", "rate"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Name the system that will use the key."))
        return name


# What the change page shows of a key, all of it read-only (a key is created on its own form, never edited).
SHOWN = (
    "name",
    "prefix",
    "scopes_label",
    "rate_label",
    "created_by",
    "created_at",
    "last_used_at",
    "status_label",
    "revoked_at",
    "revoked_by",
)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = list(
        SHOWN[: SHOWN.index("status_label") + 1]
    )  # the list leaves out who revoked it, and when
    list_select_related = ["created_by"]
    search_fields = ["name", "prefix"]
    fields = SHOWN
    readonly_fields = SHOWN
    actions = ["revoke_keys"]

    def has_add_permission(self, request):
        return has_role(request.user, Role.LEGAL) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        return has_role(request.user, Role.LEGAL)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiKeyCreateForm
            kwargs["fields"] = ["name", "scopes", "rate"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ["name", "scopes", "rate"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    @admin.display(description=gettext_lazy("scopes"))
    def scopes_label(self, obj):
        labels = dict(ApiScope.choices)
        return ", ".join(str(labels.get(scope, scope)) for scope in obj.scopes) or "—"

    @admin.display(description=gettext_lazy("rate"))
    def rate_label(self, obj):
        return obj.rate or _("the site's rate (%(rate)s)") % {"rate": settings.VETTED_API_RATE}

    @admin.display(description=gettext_lazy("status"))
    def status_label(self, obj):
        return obj.status.label

    def add_view(self, request, form_url="", extra_context=None):
        # One button: whichever is pressed, the next page is the one that shows the token.
        extra_context = {
            **(extra_context or {}),
            "show_save_and_add_another": False,
            "show_save_and_continue": False,
        }
        return super().add_view(request, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        key, token = api_key_create(
            actor=request.user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            rate=form.cleaned_data.get("rate", ""),
        )
        # The admin logs the addition on `obj`; it becomes the key the service created.
        for field in ApiKey._meta.concrete_fields:
            setattr(obj, field.attname, getattr(key, field.attname))
        obj._state.adding = False
        request._api_key_token = token

    def save_related(self, request, form, formsets, change):
        """The key has no relation a form could set; the service created all of it."""

    def response_add(self, request, obj, post_url_continue=None):
        """The one page that shows the token. It is not stored, so it is never shown again."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "key": obj,
            "token": request._api_key_token,
            "title": _("API key created"),
        }
        request.current_app = self.admin_site.name
        response = TemplateResponse(request, "admin/reviews/apikey/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=gettext_lazy("Revoke the selected API keys"), permissions=["revoke"])
    def revoke_keys(self, request, queryset):
        revoked = []
        for key in queryset:
            try:
                api_key_revoke(actor=request.user, key=key)
            except WorkflowError as error:
                messages.error(request, error.message)
            else:
                revoked.append(key.name)
        if revoked:
            messages.success(
                request,
                _("Revoked; calls with these keys are refused from now on: %(names)s.")
                % {"names": ", ".join(revoked)},
            )
