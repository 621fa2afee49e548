"""Scope extensions in the reviewers' desk: the list for Legal, Security and the Auditor, and a read-only page
per extension with its decision (docs/domain.md "Use").

The page shows what the decision rests on (the scope in force, what is added, the rules that apply with their
articles, the answers given again beside the approved ones, the documents, the audit trail). A decision is a
POST here that calls activities.extensions; nothing here sets a state field. Which form shows is asked of
extension_decide_refusal; the services check again, so a forced POST is refused (and audited there). Nothing
is added, changed or deleted (I7). Imported by activities.apps, which registers it on the desk's site."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reviews.admin.readonly import KeptRecordMixin
from reviews.admin.review import PREVIEWABLE
from reviews.roles import Role, roles_of
from reviews.views.downloads import stored_attachment
from vendors.admin_lists import vendor_column
from vendors.forms import choice_field
from vendors.people import person_column
from vendors.scope import Scope, ScopeInvalid
from vendors.text import ControlCharactersRefused

from .access import extension_for_user, extensions_visible_to
from .extension_reading import additions_summary, extension_page, scope_from_items, scope_items
from .extensions import extension_decide_refusal, extension_legal_decide, extension_security_decide
from .forms import QUICK_WIDGETS
from .models import ExtensionStatus, ScopeExtension
from .services import ActivityError

COMMENT_MAX_LENGTH = 5000

LIST_COLUMNS = (
    "number",
    "vendor__name_zh",
    "requester__username",
    "requester__first_name",
    "requester__last_name",
    "additions",
    "status",
    "needs_security",
    "created_at",
)


class SecurityDecisionForm(ControlCharactersRefused, forms.Form):
    # Its inputs written as Django's templates write them, without the templates (activities.widgets).
    default_renderer = QUICK_WIDGETS

    outcome = forms.ChoiceField(
        choices=[("pass", gettext_lazy("Pass to Legal")), ("refuse", gettext_lazy("Refuse"))]
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment (required to refuse)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("outcome") == "refuse" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say why the extension is refused."))
        return data


class LegalDecisionForm(ControlCharactersRefused, forms.Form):
    """Approve all or part of what was asked (every item ticked at first), or refuse; a reason either way."""

    default_renderer = QUICK_WIDGETS

    outcome = forms.ChoiceField(
        choices=[("approve", gettext_lazy("Approve what is ticked")), ("refuse", gettext_lazy("Refuse"))]
    )
    grant = forms.MultipleChoiceField(
        label=gettext_lazy("Grant"), required=False, widget=forms.CheckboxSelectMultiple
    )
    comment = forms.CharField(
        label=gettext_lazy("Reason (required)"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, asked: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        items = scope_items(asked)
        choice_field(self, "grant").choices = items
        self.fields["grant"].initial = [value for value, _label in items]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("outcome") == "approve" and not data.get("grant"):
            self.add_error(
                "grant", _("Tick at least one of the additions asked for, or refuse the extension.")
            )
        return data

    def granted(self) -> Scope:
        try:
            return scope_from_items(self.cleaned_data["grant"])
        except ScopeInvalid:  # the choices hold only what was asked: a tampered value
            raise ActivityError(_("Only what was asked can be granted."), field="grant") from None


class ExtensionWaitingFilter(admin.SimpleListFilter):
    """Security and Legal open the list on what waits for them (their own requests aside, I4), unless they
    search; the Auditor on everything."""

    title = gettext_lazy("waiting on")
    parameter_name = "waiting"
    ME, OPEN, EVERYTHING = "me", "open", "all"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        decides = bool(self.steps(request.user))
        self.default = self.ME if decides and not request.GET.get("q") else self.EVERYTHING

    @staticmethod
    def steps(user) -> list[str]:
        roles = roles_of(user)
        return [
            status
            for status, role in (
                (ExtensionStatus.AWAITING_SECURITY, Role.SECURITY),
                (ExtensionStatus.AWAITING_LEGAL, Role.LEGAL),
            )
            if role in roles
        ]

    def lookups(self, request, model_admin):
        return [
            (self.ME, _("Waiting on me")),
            (self.OPEN, _("Waiting for a decision")),
            (self.EVERYTHING, _("Everything")),
        ]

    def value(self):
        value = super().value()
        return value if value in (self.ME, self.OPEN, self.EVERYTHING) else self.default

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "display": title,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
            }

    def queryset(self, request, queryset):
        if self.value() == self.ME:
            return queryset.filter(status__in=self.steps(request.user)).exclude(requester_id=request.user.pk)
        if self.value() == self.OPEN:
            return queryset.filter(
                Q(status=ExtensionStatus.AWAITING_SECURITY) | Q(status=ExtensionStatus.AWAITING_LEGAL)
            )
        return queryset


@admin.register(ScopeExtension)
class ScopeExtensionAdmin(KeptRecordMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "vendor_name",
        "requester_name",
        "adds",
        "status",
        "needs_security",
        "created_at",
    ]
    list_display_links = ["number", "vendor_name"]
    list_filter = [ExtensionWaitingFilter, "status", "needs_security"]
    search_fields = ["number", "vendor__name_zh", "vendor__name_en", "vendor__uscc"]
    list_select_related = ["vendor", "requester"]
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 25
    ordering = ["-created_at", "-pk"]
    page_template = "admin/activities/scopeextension/extension.html"

    def get_queryset(self, request):
        # The list's columns alone: the answers given again (JSON decoded row by row), the reasons and comments
        # and the vendor's own record are the extension's page's, which reads its extension itself.
        return extensions_visible_to(request.user).select_related("vendor", "requester").only(*LIST_COLUMNS)

    vendor_name = vendor_column()

    requester_name = person_column("requester", gettext_lazy("requester"))

    @admin.display(description=gettext_lazy("what it adds"))
    def adds(self, obj):
        return additions_summary(obj)

    # -- the page ----------------------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/decide/<str:step>/",
                view(self.decide_view),
                name="activities_scopeextension_decide",
            ),
            path(
                "<path:object_id>/files/<int:file_id>/download/",
                view(self.file_download_view),
                name="activities_scopeextension_file_download",
            ),
            path(
                "<path:object_id>/files/<int:file_id>/preview/",
                view(self.file_preview_view),
                name="activities_scopeextension_file_preview",
            ),
            *super().get_urls(),
        ]

    def _extension(self, request, object_id) -> ScopeExtension:
        if not self.has_view_permission(request):
            raise Http404("No such scope extension.")
        try:
            pk = int(object_id)
        except (TypeError, ValueError):
            raise Http404("No such scope extension.") from None
        return extension_for_user(request.user, pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            messages.error(
                request, _("The extension page is read-only; nothing was changed. Use the decision buttons.")
            )
            return redirect(request.path)
        return self._page(request, self._extension(request, object_id))

    def _page(self, request, extension: ScopeExtension, *, form=None, status: int = 200):
        page = extension_page(extension)
        step = None
        if extension.status in (ExtensionStatus.AWAITING_SECURITY, ExtensionStatus.AWAITING_LEGAL):
            step = "security" if extension.status == ExtensionStatus.AWAITING_SECURITY else "legal"
        refusal = extension_decide_refusal(request.user, extension) if step else None
        if step and refusal is None and form is None:
            form = (
                SecurityDecisionForm()
                if step == "security"
                else LegalDecisionForm(asked=Scope.from_json(extension.additions))
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Scope extension %(number)s") % {"number": extension.number},
            "subtitle": extension.vendor.name_zh,
            "original": extension,
            "extension": extension,
            "page": page,
            "step": step,
            "refusal": refusal,
            "form": form if step and refusal is None else None,
            "previewable": PREVIEWABLE,
            "has_view_permission": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.page_template, context, status=status)

    # -- decisions -----------------------------------------------------------------------------------------

    def decide_view(self, request, object_id, step):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        extension = self._extension(request, object_id)
        form: SecurityDecisionForm | LegalDecisionForm
        if step == "security":
            form = SecurityDecisionForm(request.POST)
        elif step == "legal":
            form = LegalDecisionForm(request.POST, asked=Scope.from_json(extension.additions))
        else:
            raise Http404("No such decision.")
        if not form.is_valid():
            # Bad input loses nothing: the page comes back with what was typed and what is wrong.
            return self._page(request, extension, form=form, status=400)
        approve = form.cleaned_data["outcome"] in ("pass", "approve")
        comment = form.cleaned_data["comment"]
        try:
            if isinstance(form, SecurityDecisionForm):
                done = extension_security_decide(
                    extension=extension, actor=request.user, approve=approve, comment=comment
                )
            else:
                done = extension_legal_decide(
                    extension=extension,
                    actor=request.user,
                    approve=approve,
                    comment=comment,
                    granted=form.granted() if approve else None,
                )
        except ActivityError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                messages.error(request, error.message)
            if error.code in ("already_decided", "forbidden", "state"):
                # Nothing is left to decide here (someone decided first, or the step is not theirs).
                return redirect("admin:activities_scopeextension_change", extension.pk)
            return self._page(request, extension, form=form, status=400)
        messages.success(
            request,
            _("Extension %(number)s: %(status)s.")
            % {"number": done.number, "status": done.get_status_display()},
        )
        return redirect("admin:activities_scopeextension_change", extension.pk)

    # -- files: served as the review's evidence is (reviews.admin.review) ------------------------------------

    def _file(self, request, object_id, file_id):
        extension = self._extension(request, object_id)
        item = extension.files.filter(pk=file_id).first()
        if item is None:
            raise Http404("No such file.")
        return item

    def file_download_view(self, request, object_id, file_id):
        item = self._file(request, object_id, file_id)
        return stored_attachment(item.file.name, name=item.original_name, content_type=item.content_type)

    def file_preview_view(self, request, object_id, file_id):
        item = self._file(request, object_id, file_id)
        if item.content_type not in PREVIEWABLE:
            raise Http404("No preview of this file.")
        response = stored_attachment(
            item.file.name, name=item.original_name, content_type=item.content_type, inline=True
        )
        # The extension page frames it; no other site may.
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response
