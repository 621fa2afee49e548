"""The vendor register in the admin. Status and approval fields are read-only: they change only through
vendors.services (I1). Legal suspends approved vendors here, with a reason, through vendor_suspend. Once a
vendor has a review its identity (credit code, legal names, category) is read-only too; Legal corrects it on
its own page, with a reason, through vendor_correct_identity. Every save goes through a service, which audits
each changed field with its old and new value."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections
from django.db.models import QuerySet
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import cert_rules
from .admin_lists import ESTIMATE_FROM, AdminMixin, EstimatedCountPaginator, LargeListMixin, vendor_column
from .inventory import admin_views as inventory_views
from .inventory.columns import COLUMNS, IGNORE, normalize_heading
from .models import (
    Certification,
    InventoryImport,
    InventoryWord,
    InventoryWordKind,
    Vendor,
    VendorCategory,
    VendorStatus,
)
from .people import (
    OWNER_MATCHES,
    OwnerField,
    PersonFieldsMixin,
    owner_candidates,
    people_matching,
    person_choice,
    person_column,
)
from .selectors import approval_ends_within, catch_up_overdue, vendor_search
from .services import (
    IDENTITY_FIELDS,
    VendorError,
    identity_locked,
    is_legal,
    vendor_correct_identity,
    vendor_create,
    vendor_suspend,
    vendor_update,
)
from .text import ControlCharactersRefused, field_label

# The role that suspends vendors (docs/architecture.md "People"). vendors does not import reviews, so the group name is
# spelled here; it is the name reviews.roles.Role.LEGAL gives the Django group.
LEGAL_GROUP = "Legal"
AUDITOR_GROUP = "Auditor"


def in_group(request, *names: str) -> bool:
    """Whether the signed-in staff member belongs to one of the groups. The admin asks many times per page
    (actions, buttons, the sidebar); the groups are read once per request."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    groups = getattr(user, "_vetted_roles", None)
    if groups is None:
        # The same per-request cache of group names that reviews.roles.roles_of keeps, so that the admin's
        # pages read the groups once whichever app asks first.
        groups = user._vetted_roles = frozenset(user.groups.values_list("name", flat=True))
    return bool(groups & set(names))


class VendorAdminForm(ControlCharactersRefused, forms.ModelForm):
    # A website typed without a scheme means https (Django 6's default, chosen now).
    website = forms.URLField(
        label=Vendor._meta.get_field("website").verbose_name, required=False, assume_scheme="https"
    )

    class Meta:
        model = Vendor
        fields = "__all__"  # noqa: DJ007 (the ModelAdmin chooses the fields and which are read-only; this form adds checks)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields.get("business_owner")
        if isinstance(owner, OwnerField):
            # The owner already recorded may stay, even if no longer a requester (an inventory import names
            # anyone active); a new one is chosen among the requesters.
            owner.also = self.instance.business_owner_id


class CorrectIdentityForm(ControlCharactersRefused, forms.Form):
    uscc = forms.CharField(label=gettext_lazy("Unified Social Credit Code"), max_length=30)
    name_zh = forms.CharField(label=gettext_lazy("legal name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=gettext_lazy("English name"), max_length=200, required=False)
    category = forms.ChoiceField(label=gettext_lazy("category"), choices=VendorCategory.choices)
    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=gettext_lazy(
            "Recorded in the audit log with the old and new values. A new credit code or "
            "legal name suspends the approval and opens a new review."
        ),
    )


class SuspendForm(ControlCharactersRefused, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for suspending"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=gettext_lazy(
            "Recorded in the audit log and shown on the vendor. The vendor leaves the "
            "approved list at once; a new review is needed to admit it again."
        ),
    )


class NoDeleteMixin(AdminMixin):
    """Nothing in the register is deleted (I7): a forced delete gets a message and changes nothing."""

    def has_delete_permission(self, request, obj=None):
        return False

    def delete_view(self, request, object_id, extra_context=None):
        messages.error(
            request,
            _(
                "Nothing is deleted from the vendor register; records are kept "
                "(PIPL Art. 56). Suspend an approved vendor instead."
            ),
        )
        opts = self.opts
        return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id]))


class ApprovalEndsFilter(admin.SimpleListFilter):
    """Approved vendors by how soon their approval ends, so that Legal sees the renewals coming."""

    title = gettext_lazy("approval ends")
    parameter_name = "ends"
    WINDOWS = {"30": 30, "60": 60, "90": 90}

    def lookups(self, request, model_admin):
        return [(key, _("within %(days)s days") % {"days": days}) for key, days in self.WINDOWS.items()]

    def queryset(self, request, queryset):
        days = self.WINDOWS.get(self.value() or "")
        if days is None:
            return queryset
        return queryset.filter(approval_ends_within(timezone.localdate(), days))


class InUseFilter(admin.SimpleListFilter):
    """The platforms in use and not vetted, those past their catch-up deadline, those to stop using."""

    title = gettext_lazy("platforms in use")
    parameter_name = "in_use"

    def lookups(self, request, model_admin):
        return [
            ("unvetted", _("In use, not vetted")),
            ("overdue", _("Catch-up review overdue")),
            ("stop", _("Stop using")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "unvetted":
            return queryset.filter(status=VendorStatus.IN_USE)
        if self.value() == "overdue":
            return catch_up_overdue(queryset)
        if self.value() == "stop":
            return queryset.filter(stop_using=True)
        return queryset


class RegisterPaginator(EstimatedCountPaginator):
    """The register's count in one query, at every size: on PostgreSQL the whole register's row count is the
    planner's estimate from ESTIMATE_FROM rows on and an exact count below, chosen by the database in the same
    statement (the count's subquery runs only when the estimate is small), so that the list asks as many
    queries of a demo's register as of a large one. A filtered list counts its rows, as any list does."""

    @cached_property
    def count(self):
        queryset = self.object_list
        if not isinstance(queryset, QuerySet) or queryset.query.where or queryset.query.distinct:
            return super().count
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return super().count
        table = queryset.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.n, CASE WHEN e.n IS NULL OR e.n < %s "
                f"THEN (SELECT COUNT(*) FROM {connection.ops.quote_name(table)}) END "
                "FROM (SELECT (SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)) AS n) e",
                [ESTIMATE_FROM, table],
            )
            estimate, exact = cursor.fetchone()
        if exact is not None:
            return exact
        self.estimated = True
        return estimate


@admin.register(Vendor)
class VendorAdmin(LargeListMixin, NoDeleteMixin, admin.ModelAdmin):
    form = VendorAdminForm
    paginator = RegisterPaginator
    # The latest entries first, by the primary key's index: the model's order (by Chinese name) would sort the
    # whole register for each page, the sort growing with it. Sorting by name is a click on its column away.
    ordering = ["-pk"]
    change_form_template = "admin/vendors/vendor/change_form.html"
    list_display = [
        "name_zh",
        "uscc",
        "category",
        "status_shown",
        "deadline",
        "risk_tier",
        "owner",
    ]
    # scope_confirmed: the approvals whose derived scope Legal has not confirmed yet (the desk links here).
    list_filter = ["status", InUseFilter, ApprovalEndsFilter, "category", "risk_tier", "scope_confirmed"]
    list_select_related = ["business_owner"]
    search_fields = ["name_zh", "name_en", "uscc"]
    readonly_fields = [
        "status",
        "status_reason",
        "approved_until",
        "approval_reference",
        "risk_tier",
        "uscc_checksum_ok",
        "identity_frozen_at",
        "catch_up_due",
        "stop_using",
        "created_at",
        "updated_at",
    ]
    actions = ["suspend_vendors"]
    empty_value_display = "—"
    owner = person_column("business_owner", Vendor._meta.get_field("business_owner").verbose_name)

    # The status says "stop using" under it and one column holds the date that matters (the approval's end,
    # or the catch-up deadline of a platform in use), so that the list fits a 1366 px screen beside the
    # sidebar and the filters.
    @admin.display(description=Vendor._meta.get_field("status").verbose_name, ordering="status")
    def status_shown(self, obj):
        if obj.stop_using:
            return format_html(
                '<span class="nowrap">{}</span><br><small class="vetted-overdue">{}</small>',
                obj.get_status_display(),
                Vendor._meta.get_field("stop_using").verbose_name,
            )
        return format_html('<span class="nowrap">{}</span>', obj.get_status_display())

    @admin.display(description=gettext_lazy("deadline"), ordering="approved_until")
    def deadline(self, obj):
        for name in ("approved_until", "catch_up_due"):
            day = getattr(obj, name)
            if day is not None:
                return format_html(
                    '<span class="nowrap">{}</span><br><small>{}</small>',
                    day.isoformat(),
                    field_label(Vendor, name),
                )
        return "—"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "business_owner":
            # Typed, with a search of people by name (vendors.people.OwnerInput): a drop-down would list every
            # requester on each change page. Checked on the server among the requesters.
            return OwnerField(
                queryset=owner_candidates(),
                search_url=reverse("admin:vendors_vendor_owners"),
                required=False,
                label=db_field.verbose_name,
                help_text=_("Type a name, user name or e-mail and choose the requester from the list."),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def owners_view(self, request):
        """GET ?q=: the requesters who may be a vendor's business owner whose name, user name or e-mail
        contains q, family name first, at most OWNER_MATCHES (JSON, for the owner's search on the change page).
        For whoever may change a vendor: the admin's own autocomplete would need the permission to view
        accounts, which reviewers do not have."""
        if request.method != "GET":
            return JsonResponse({"error": _("Only GET is allowed.")}, status=405)
        if not self.has_change_permission(request):
            raise PermissionDenied
        term = request.GET.get("q", "")[:100]
        people = list(people_matching(owner_candidates(), term)[: OWNER_MATCHES + 1])
        return JsonResponse(
            {
                "results": [person_choice(user) for user in people[:OWNER_MATCHES]],
                "more": len(people) > OWNER_MATCHES,
            }
        )

    def get_search_results(self, request, queryset, search_term):
        # The search of /vendors/ (vendors.selectors.vendor_search): the stored upper-cased names and the
        # code's prefix, both indexed, instead of the admin's case-insensitive match over three columns.
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(vendor_search(term)), False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and identity_locked(obj):
            # Read-only fields are not taken from the POST: a forged form changes nothing of the identity.
            fields = [*IDENTITY_FIELDS, *fields]
        return fields

    def save_model(self, request, obj, form, change):
        """Through the services, never obj.save(): each changed field is audited with its old and new value."""
        data = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        if change:
            vendor_update(vendor=obj, actor=request.user, **data)
            return
        fields = {
            name: form.cleaned_data.get(name, "")
            for name in ("name_zh", "name_en", "uscc", "category", "website", "services")
        }
        created = vendor_create(**fields, actor=request.user)
        obj.pk, obj._state.adding, obj._state.db = created.pk, False, created._state.db

    def _identity_urls(self):
        return [
            path(
                "<int:object_id>/correct-identity/",
                self.admin_site.admin_view(self.correct_identity_view),
                name="vendors_vendor_correct_identity",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["may_correct_identity"] = bool(obj and identity_locked(obj) and is_legal(request.user))
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def correct_identity_view(self, request, object_id):
        vendor = get_object_or_404(Vendor, pk=object_id)
        if not is_legal(request.user):
            raise PermissionDenied
        initial = {name: getattr(vendor, name) for name in IDENTITY_FIELDS}
        form = CorrectIdentityForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                vendor_correct_identity(vendor=vendor, actor=request.user, **form.cleaned_data)
            except (VendorError, ValidationError) as error:
                form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
            else:
                messages.success(
                    request,
                    _("The identity of %(vendor)s was corrected and recorded in the audit log.")
                    % {"vendor": vendor.name_zh},
                )
                return redirect(reverse("admin:vendors_vendor_change", args=[vendor.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "vendor": vendor,
            "title": _("Correct the identity of %(vendor)s") % {"vendor": vendor.name_zh},
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/vendors/vendor/correct_identity.html", context)

    def has_suspend_permission(self, request):
        return in_group(request, LEGAL_GROUP)

    def may_import(self, request) -> bool:
        return in_group(request, LEGAL_GROUP)

    def get_urls(self):  # the inventory import's pages, then the identity correction (above)
        def view(function):
            return self.admin_site.admin_view(
                lambda request, *args, **kwargs: function(self, request, *args, **kwargs)
            )

        return [
            path("owners/", self.admin_site.admin_view(self.owners_view), name="vendors_vendor_owners"),
            path("import/", view(inventory_views.import_start), name="vendors_vendor_import"),
            path(
                "import/<int:pk>/", view(inventory_views.import_preview), name="vendors_vendor_import_preview"
            ),
            path(
                "import/template.<str:file_format>",
                view(inventory_views.import_template),
                name="vendors_vendor_import_template",
            ),
            *self._identity_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_import": self.may_import(request)}
        return super().changelist_view(request, extra_context)

    @admin.action(
        description=gettext_lazy("Suspend the selected vendors (Legal, with a reason)"),
        permissions=["suspend"],
    )
    def suspend_vendors(self, request, queryset):
        form = SuspendForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            suspended = []
            for vendor in queryset:
                try:
                    vendor_suspend(vendor=vendor, actor=request.user, reason=form.cleaned_data["reason"])
                except VendorError as error:
                    messages.error(request, f"{vendor.name_zh}: {error}")
                else:
                    suspended.append(vendor.name_zh)
            if suspended:
                messages.success(
                    request,
                    _("Suspended and removed from the approved list: %(names)s.")
                    % {"names": ", ".join(suspended)},
                )
            return None
        if form.is_bound:
            messages.error(request, _("Give the reason for suspending; nothing was changed."))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Suspend vendors"),
            "form": form,
            "vendors": queryset,
            "not_approved": [v for v in queryset if v.status != VendorStatus.APPROVED],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "suspend_vendors",
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/vendors/vendor/suspend.html", context)


@admin.register(Certification)
class CertificationAdmin(LargeListMixin, NoDeleteMixin, admin.ModelAdmin):
    # The vendor by name (its credit code is on its page) and no issue date (on the certificate's page): with
    # both, the list ran past a 1366-pixel screen and hid when each certificate lapses.
    list_display = ["vendor_name", "kind", "edition", "number", "issuer", "expires_on", "lapses_on", "frozen"]
    list_filter = ["kind", "edition"]
    # The latest certificates first, by the primary key's index; sorting the whole table by expiry is a click
    # on that column away.
    ordering = ["-pk"]
    search_fields = ["vendor__name_zh", "vendor__uscc", "number"]
    list_select_related = ["vendor"]
    # The file is private: it is downloaded from the review page, which checks access.
    exclude = ["file"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    vendor_name = vendor_column()

    @admin.display(description=gettext_lazy("lapses on"))
    def lapses_on(self, obj):
        """The date the certificate stops counting under docs/domain.md "Certificates", with the rule when it is not the
        printed expiry (an ISO/IEC 27001:2013 certificate, a stale MLPS or SOC 2 report)."""
        found = cert_rules.lapse(obj)
        if found is None:
            return "—"
        if found.date == obj.expires_on:
            return found.date.isoformat()
        return f"{found.date.isoformat()} ({found.why})"


@admin.register(InventoryImport)
class InventoryImportAdmin(PersonFieldsMixin, NoDeleteMixin, admin.ModelAdmin):
    """The record of each inventory file: read by Legal and the Auditor, changed by nobody."""

    list_display = [
        "original_name",
        "uploader",
        "uploaded_at",
        "rows",
        "error_rows",
        "confirmed_at",
        "created_count",
        "updated_count",
        "unchanged_count",
    ]
    list_select_related = ["uploaded_by", "confirmed_by"]
    uploader = person_column("uploaded_by", gettext_lazy("uploaded by"))
    exclude = ["file"]
    readonly_fields = [
        "original_name",
        "size",
        "sha256",
        "rows",
        "error_rows",
        "uploaded_by",
        "uploaded_at",
        "confirmed_by",
        "confirmed_at",
        "discarded_by",
        "discarded_at",
        "created_count",
        "updated_count",
        "unchanged_count",
    ]

    def has_module_permission(self, request):
        return in_group(request, LEGAL_GROUP, AUDITOR_GROUP)

    def has_view_permission(self, request, obj=None):
        return in_group(request, LEGAL_GROUP, AUDITOR_GROUP)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InventoryWordForm(ControlCharactersRefused, forms.ModelForm):
    means = forms.ChoiceField(
        label=gettext_lazy("means"),
        choices=[
            (
                gettext_lazy("Column heading"),
                [
                    *((c.key, c.label) for c in COLUMNS),
                    (IGNORE, gettext_lazy("A column left out of the import")),
                ],
            ),
            (gettext_lazy("Category"), VendorCategory.choices),
        ],
    )

    class Meta:
        model = InventoryWord
        fields = ["kind", "word", "means"]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        kind, means, word = cleaned.get("kind"), cleaned.get("means"), cleaned.get("word")
        keys = {c.key for c in COLUMNS}
        if kind == InventoryWordKind.HEADING and means not in {*keys, IGNORE}:
            self.add_error("means", _("A column heading means a column: choose one under “Column heading”."))
        if kind == InventoryWordKind.CATEGORY and means not in VendorCategory.values:
            self.add_error("means", _("A category word means a category: choose one under “Category”."))
        if word and not normalize_heading(word):
            self.add_error("word", _("Write the word as the ledger has it."))
        elif word and kind:
            same = InventoryWord.objects.filter(kind=kind).exclude(pk=self.instance.pk)
            if any(
                normalize_heading(w) == normalize_heading(word) for w in same.values_list("word", flat=True)
            ):
                self.add_error("word", _("This word is already in the list."))
        return cleaned


@admin.register(InventoryWord)
class InventoryWordAdmin(admin.ModelAdmin):
    """The words of the company's own ledgers (台账用语) the inventory import reads, beside the ones it knows
    (vendors.inventory.columns WORDS): Legal adds, corrects and removes them; the Auditor reads them."""

    form = InventoryWordForm
    list_display = ["word", "kind", "means_label", "added_by", "added_at"]
    list_filter = ["kind"]
    search_fields = ["word"]
    list_select_related = ["added_by"]

    def has_module_permission(self, request):
        return in_group(request, LEGAL_GROUP, AUDITOR_GROUP)

    def has_view_permission(self, request, obj=None):
        return in_group(request, LEGAL_GROUP, AUDITOR_GROUP)

    def has_add_permission(self, request):
        return in_group(request, LEGAL_GROUP)

    def has_change_permission(self, request, obj=None):
        return in_group(request, LEGAL_GROUP)

    def has_delete_permission(self, request, obj=None):
        return in_group(request, LEGAL_GROUP)

    @admin.display(description=gettext_lazy("means"))
    def means_label(self, obj):
        labels = {c.key: str(c.label) for c in COLUMNS} | dict(VendorCategory.choices)
        labels[IGNORE] = _("A column left out of the import")
        return labels.get(obj.means, obj.means)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
