"""The approved list (供应商白名单): page, CSV export and the JSON answer to "may we use this vendor?".

The vendor page with its review history is served by reviews (reviews/views/vendor.py) at /vendors/<pk>/,
because vendors never imports reviews (docs/architecture.md "Apps and layers")."""

import csv
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Generic, TypeVar, overload

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .forms import ApprovedFilterForm
from .models import Vendor, VendorStatus
from .scope import Scope, ScopeLabels
from .selectors import approved_vendors, vendor_by_uscc, vendor_is_usable, vendors_in_use_unvetted
from .uscc import check_uscc

PAGE_SIZE = 25


def _filtered(request):
    form = ApprovedFilterForm(request.GET or None)
    return form, form.apply(approved_vendors())


IN_USE_LIST = "in_use"
# What a row of the approved list shows, on the page (templates/vendors/approved_list.html) and in its CSV
# export: a vendor is a wide row, and only these are read. The scope is a column of the vendor
# (Vendor.approved_scope), so showing what each approval covers costs no query.
APPROVED_LIST_FIELDS = (
    "name_zh",
    "name_en",
    "uscc",
    "category",
    "risk_tier",
    "approved_until",
    "approval_reference",
    "nearest_cert_expiry",
    "approved_scope",
    "scope_confirmed",
)


@dataclass(frozen=True)
class ApprovedRow:
    """A row of the approved list: the vendor, its category and tier as said, and what its approval covers,
    in the reader's language."""

    vendor: Vendor
    scope: ScopeLabels
    scope_confirmed: bool
    category: str = ""
    tier: str = ""

    @property
    def conditions(self) -> int:
        return len(self.scope.conditions) + bool(self.scope.other_conditions)

    @classmethod
    def of(cls, vendor: Vendor, labels: "ChoiceLabels | None" = None) -> "ApprovedRow":
        labels = labels or ChoiceLabels()
        return cls(
            vendor,
            Scope.from_json(vendor.approved_scope).labels(),
            vendor.scope_confirmed,
            category=labels.categories.get(vendor.category, vendor.category),
            tier=labels.tiers.get(vendor.risk_tier, vendor.risk_tier),
        )


class ChoiceLabels:
    """The labels of the category and the tier, in the active language, read once for a page of rows
    (get_FOO_display builds the dict of every choice at each call)."""

    def __init__(self) -> None:
        self.categories = {k: str(v) for k, v in Vendor._meta.get_field("category").flatchoices}
        self.tiers = {k: str(v) for k, v in Vendor._meta.get_field("risk_tier").flatchoices}


_M = TypeVar("_M", bound=Model)


class KeysFirst(Generic[_M]):
    """A queryset for the Paginator that reads a page as its keys first, in the queryset's order, then the rows
    of those keys: `id IN (SELECT id ... ORDER BY ... LIMIT 25 OFFSET n)`. The keys come from an index-only scan
    of the index of that order (Vendor.Meta.indexes), so the last page of 10,000 vendors reads an index, where
    OFFSET over whole rows would fetch or sort every approved vendor to throw all but 25 away."""

    def __init__(self, queryset: QuerySet[_M]) -> None:
        self.queryset = queryset
        self.ordered = queryset.ordered

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[_M]:
        return iter(self.queryset)

    @overload
    def __getitem__(self, index: int) -> _M: ...
    @overload
    def __getitem__(self, index: slice) -> QuerySet[_M]: ...
    def __getitem__(self, index: int | slice) -> _M | QuerySet[_M]:
        if not isinstance(index, slice):
            return self.queryset[index]
        return self.queryset.filter(pk__in=self.queryset.values("pk")[index])


@login_required
def approved_list(request):
    """The approved list, or (list=in_use) the platforms in use that are not vetted: both said plainly,
    so that nobody mistakes a platform the business uses for one it may use."""
    showing_in_use = request.GET.get("list") == IN_USE_LIST
    form = ApprovedFilterForm(request.GET or None)
    approved = form.apply(approved_vendors())
    in_use = form.apply(vendors_in_use_unvetted(), keep_order=True)
    listed = in_use if showing_in_use else approved.only(*APPROVED_LIST_FIELDS)
    page = Paginator(KeysFirst(listed), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "vendors/approved_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "rows": [] if showing_in_use else _rows(page),
            "showing_in_use": showing_in_use,
            "in_use_count": page.paginator.count if showing_in_use else in_use.count(),
        },
    )


def _rows(page) -> list[ApprovedRow]:
    labels = ChoiceLabels()
    return [ApprovedRow.of(vendor, labels) for vendor in page]


# Rows fetched per round trip and written per chunk of the response: the export of any number of vendors holds
# this many at a time, never the whole list.
EXPORT_CHUNK = 500


class _Echo:
    """A file for csv.writer that hands each written row back instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def _export_chunks(vendors, header: list[str], language: str | None):
    """The CSV, a chunk of EXPORT_CHUNK rows at a time, read through one cursor in chunks. The labels are
    translated in the language of the request: the response is written after the view has returned."""
    writer = csv.writer(_Echo())
    categories = dict(Vendor._meta.get_field("category").flatchoices)
    tiers = dict(Vendor._meta.get_field("risk_tier").flatchoices)
    yield "\ufeff" + writer.writerow(header)
    rows = vendors.values_list(*APPROVED_LIST_FIELDS).iterator(chunk_size=EXPORT_CHUNK)
    while True:
        with translation.override(language):
            lines = [
                writer.writerow(
                    [
                        _safe(name_zh),
                        _safe(name_en),
                        uscc,
                        str(categories.get(category, category)),
                        str(tiers.get(tier, tier)),
                        until,
                        reference,
                        nearest or "",
                        *_scope_cells(scope, confirmed),
                    ]
                )
                for name_zh, name_en, uscc, category, tier, until, reference, nearest, scope, confirmed in islice(
                    rows, EXPORT_CHUNK
                )
            ]
        if not lines:
            return
        yield "".join(lines)


def _scope_cells(scope: dict, confirmed: bool) -> list[str]:
    """What the approval covers, one column per dimension: several values of a dimension joined by "; ", the
    free-text conditions after the coded ones (and, typed by a person, kept from running as a formula)."""
    labels = Scope.from_json(scope).labels()
    conditions = [*labels.conditions, *([labels.other_conditions] if labels.other_conditions else [])]
    return [
        "; ".join(labels.purposes),
        "; ".join(labels.channels),
        "; ".join(labels.data_categories),
        "; ".join(labels.audience_sources),
        _("yes") if labels.cross_border else _("no"),
        labels.ceiling,
        _safe("; ".join(conditions)),
        _("yes") if confirmed else _("no, derived from the answers"),
    ]


@login_required
def approved_csv(request):
    """The same filters as the page, every row, streamed. UTF-8 with a BOM so that Excel shows the Chinese
    names."""
    _form, vendors = _filtered(request)
    header = [
        _("Legal name (Chinese)"),
        _("English name"),
        _("USCC"),
        _("Category"),
        _("Risk tier"),
        _("Approved until"),
        _("Approval reference"),
        _("Nearest certificate expiry"),
        _("Purposes"),
        _("Channels"),
        _("Data categories"),
        _("Audience sources"),
        _("Cross-border transfer"),
        _("Volume ceiling"),
        _("Conditions of use"),
        _("Scope confirmed by Legal"),
    ]
    response = StreamingHttpResponse(
        _export_chunks(vendors, header, translation.get_language()), content_type="text/csv; charset=utf-8"
    )
    filename = f"approved-vendors-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
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
    200: {"uscc", "known", "usable", "status", "approved_until", "reference", "name", "stop_using",
    "catch_up_due"}; usable is true only while the vendor is on the approved list (I1): a platform in use
    and not vetted answers usable false with status "in_use". 400 with {"error"} for a malformed code."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Sign in first.")}, status=401)
    try:
        check = check_uscc(request.GET.get("uscc", ""))
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    vendor = vendor_by_uscc(check.code)
    if vendor is None:
        return JsonResponse(
            {
                "uscc": check.code,
                "known": False,
                "usable": False,
                "status": None,
                "approved_until": None,
                "reference": None,
                "name": None,
                "checksum_ok": check.checksum_ok,
            }
        )
    usable = vendor_is_usable(vendor)
    return JsonResponse(
        {
            "uscc": vendor.uscc,
            "known": True,
            "usable": usable,
            "status": vendor.status,
            "status_label": vendor.get_status_display(),
            "stop_using": vendor.stop_using,
            "catch_up_due": vendor.catch_up_due.isoformat()
            if vendor.status == VendorStatus.IN_USE and vendor.catch_up_due
            else None,
            "approved_until": vendor.approved_until.isoformat() if usable and vendor.approved_until else None,
            "reference": vendor.approval_reference if usable else None,
            "name": vendor.display_name,
            "checksum_ok": check.checksum_ok,
        }
    )
