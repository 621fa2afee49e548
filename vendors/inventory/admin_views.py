"""The inventory import in the admin, on the vendor register: upload, preview with the errors of each row,
confirmation. Legal only (docs/architecture.md "People"): the import writes to the register."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ..models import InventoryImport, VendorStatus
from ..people import person_name
from ..services import VendorError
from .columns import COLUMNS
from .reading import CREATE, IGNORE, UNCHANGED, UPDATE, InventoryRefused
from .services import (
    inventory_choose,
    inventory_confirm,
    inventory_discard,
    inventory_preview,
    inventory_upload,
)
from .template import inventory_template

# Enough to read a preview; the counts above it cover every row.
PREVIEW_ROWS = 200
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class InventoryUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Inventory file (.xlsx, .xls or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
        help_text=gettext_lazy(
            "An Excel or WPS workbook (.xlsx, or .xls as Excel 97-2003 and WPS save it), or CSV saved "
            "by Excel in GBK or UTF-8 (with or without a byte-order mark), is read as is. Nothing is "
            "saved before you confirm the preview."
        ),
    )


def _context(model_admin, request, **extra):
    return {**model_admin.admin_site.each_context(request), "opts": model_admin.opts, **extra}


def _refuse_unless_legal(model_admin, request):
    if not model_admin.may_import(request):
        raise Http404


def import_start(model_admin, request):
    _refuse_unless_legal(model_admin, request)
    form = InventoryUploadForm(request.POST or None, request.FILES or None)
    if form.is_bound and form.is_valid():
        try:
            record, _preview = inventory_upload(upload=form.cleaned_data["file"], actor=request.user)
        except InventoryRefused as refusal:
            form.add_error("file", str(refusal))
        else:
            return redirect(reverse("admin:vendors_vendor_import_preview", args=[record.pk]))
    recent = InventoryImport.objects.filter(discarded_at__isnull=True).select_related(
        "uploaded_by", "confirmed_by"
    )[:10]
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(
        request,
        "admin/vendors/vendor/import.html",
        _context(
            model_admin,
            request,
            title=_("Import the inventory of vendors in use"),
            form=form,
            recent=recent,
            language=get_language(),
        ),
    )


def _posted_choices(request) -> tuple[dict, dict]:
    """The preview's answers: column_<position> = a column key or IGNORE; owner_<n> with owner_name_<n>."""
    columns, owners = {}, {}
    for name, value in request.POST.items():
        if name.startswith("column_") and name[7:].isdigit():
            columns[int(name[7:])] = value
        elif name.startswith("owner_name_") and name[11:].isdigit():
            chosen = request.POST.get(f"owner_{name[11:]}", "")
            owners[value] = int(chosen) if chosen.isdigit() else None
    return columns, owners


def _post(record, request):
    """A POST on the preview: choose (columns and owners), discard, or confirm. Returns a redirect, or None to
    show the preview again with the error."""
    preview_url = reverse("admin:vendors_vendor_import_preview", args=[record.pk])
    try:
        if "discard" in request.POST:
            inventory_discard(inventory_import=record, actor=request.user)
            messages.success(
                request, _("The upload %(name)s was discarded.") % {"name": record.original_name}
            )
            return redirect(reverse("admin:vendors_vendor_import"))
        if "choose" in request.POST:
            columns, owners = _posted_choices(request)
            inventory_choose(inventory_import=record, columns=columns, owners=owners, actor=request.user)
            return redirect(preview_url)
        record = inventory_confirm(inventory_import=record, actor=request.user)
    except VendorError as error:
        messages.error(request, str(error))
        return None
    messages.success(
        request,
        _(
            "Imported: %(created)d vendors added as in use, not vetted; %(updated)d "
            "updated; %(unchanged)d unchanged; %(errors)d rows with errors left out."
        )
        % {
            "created": record.created_count,
            "updated": record.updated_count,
            "unchanged": record.unchanged_count,
            "errors": record.error_rows,
        },
    )
    return redirect(reverse("admin:vendors_vendor_changelist") + f"?status__exact={VendorStatus.IN_USE}")


def import_preview(model_admin, request, pk):
    _refuse_unless_legal(model_admin, request)
    record = get_object_or_404(InventoryImport.objects.select_related("uploaded_by"), pk=pk)
    if request.method == "POST" and record.confirmed_at is None and record.discarded_at is None:
        response = _post(record, request)
        if response is not None:
            return response
    preview = None
    if record.confirmed_at is None and record.discarded_at is None:
        try:
            preview = inventory_preview(inventory_import=record)
        except VendorError as error:
            messages.error(request, str(error))
    rows, counts = [], {}
    if preview is not None:
        counts = {
            "create": preview.count(CREATE),
            "update": preview.count(UPDATE),
            "unchanged": preview.count(UNCHANGED),
            "merged": preview.merged,
            "errors": len(preview.error_rows),
            "importable": preview.importable,
        }
        # Rows with errors first, then those with warnings, then the rest, each in file order.
        rows = sorted(preview.rows, key=lambda r: (not r.errors, not r.warnings, r.number))[:PREVIEW_ROWS]
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(
        request,
        "admin/vendors/vendor/import_preview.html",
        _context(
            model_admin,
            request,
            title=_("Preview of %(name)s") % {"name": record.original_name},
            record=record,
            preview=preview,
            rows=rows,
            counts=counts,
            column_options=[(c.key, c.label) for c in COLUMNS],
            ignore=IGNORE,
        ),
    )


def import_template(model_admin, request, file_format):
    _refuse_unless_legal(model_admin, request)
    if file_format not in FORMATS:
        raise Http404
    language = request.GET.get("lang") if request.GET.get("lang") in ("zh-hans", "en") else get_language()
    response = HttpResponse(
        inventory_template(file_format=file_format, language=language, owner=person_name(request.user)),
        content_type=FORMATS[file_format],
    )
    filename = f"vetted-inventory-template-{language}-{timezone.localdate():%Y%m%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
