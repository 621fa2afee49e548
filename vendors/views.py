"""The approved list (供应商白名单): page, CSV export and the JSON answer to "may we use this vendor?".

The vendor page with its review history is served by reviews (reviews/views/vendor.py) at /vendors/<pk>/,
because vendors never imports reviews (DESIGN.md "Layout")."""

import csv
import unicodedata

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .forms import ApprovedFilterForm
from .selectors import approved_vendors, vendor_by_uscc, vendor_is_usable
from .uscc import check_uscc

PAGE_SIZE = 25


def _filtered(request):
    form = ApprovedFilterForm(request.GET or None)
    return form, form.apply(approved_vendors())


@login_required
def approved_list(request):
    form, vendors = _filtered(request)
    page = Paginator(vendors, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "vendors/approved_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "today": timezone.localdate(),
    })


@login_required
def approved_csv(request):
    """The same filters as the page, every row. UTF-8 with a BOM so that Excel shows the Chinese names."""
    _form, vendors = _filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"approved-vendors-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Legal name (Chinese)"), _("English name"), _("USCC"), _("Category"), _("Risk tier"),
                     _("Approved until"), _("Approval reference"), _("Nearest certificate expiry")])
    for vendor in vendors:
        writer.writerow([_safe(vendor.name_zh), _safe(vendor.name_en), vendor.uscc,
                         vendor.get_category_display(), vendor.get_risk_tier_display(), vendor.approved_until,
                         vendor.approval_reference, vendor.nearest_cert_expiry or ""])
    return response


_FORMULA_STARTS = frozenset("=+-@\t\r")


def _ignored_by_spreadsheets(char: str) -> bool:
    # Spreadsheets skip leading blanks and invisible characters before deciding a cell is a formula, so
    # " =cmd", "\x00=cmd" or "\u200b=cmd" run just like "=cmd" does.
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf")


def _safe(text: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (CSV injection): a cell whose first character
    that counts is a formula start, or that starts with a tab or carriage return, is prefixed with an
    apostrophe, which makes it text."""
    text = str(text)
    rest = text
    while rest and rest[0] not in _FORMULA_STARTS and _ignored_by_spreadsheets(rest[0]):
        rest = rest[1:]
    return "'" + text if rest[:1] in _FORMULA_STARTS else text


@require_GET
def approved_api(request):
    """GET /vendors/api/approved/?uscc=... -> may we use this vendor today?

    Login required (a session of any signed-in user); anonymous callers get 401 rather than a redirect.
    200: {"uscc", "known", "usable", "status", "approved_until", "reference", "name"}; usable is true only
    while the vendor is on the approved list (I1). 400 with {"error"} for a malformed code."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Sign in first.")}, status=401)
    try:
        check = check_uscc(request.GET.get("uscc", ""))
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    vendor = vendor_by_uscc(check.code)
    if vendor is None:
        return JsonResponse({"uscc": check.code, "known": False, "usable": False, "status": None,
                             "approved_until": None, "reference": None, "name": None,
                             "checksum_ok": check.checksum_ok})
    usable = vendor_is_usable(vendor)
    return JsonResponse({
        "uscc": vendor.uscc, "known": True, "usable": usable, "status": vendor.status,
        "status_label": vendor.get_status_display(),
        "approved_until": vendor.approved_until.isoformat() if usable else None,
        "reference": vendor.approval_reference if usable else None,
        "name": vendor.display_name, "checksum_ok": check.checksum_ok,
    })
