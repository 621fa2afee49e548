"""Reading an inventory file and checking each row, before anything is saved.

A file is refused as a whole (nothing is stored) when it cannot be read: an unknown format or encoding, a
missing required column, no rows, too many rows. Otherwise every row is checked and gets its errors, which
keep it out of the import, and its warnings, which do not. The same reading runs for the preview and again
on confirmation, from the stored file, so what is saved is what the stored file says, never what a form
sends back."""

import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePath

import tablib
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..files import XLSX, sniff
from ..models import IndividualsRange, Vendor, VendorCategory, VendorStatus
from ..uscc import check_uscc, checksum_warning
from .columns import COLUMNS, choice_map, heading_map, normalize_heading, read_bool, read_date, text

# The inventory fields an import writes on a vendor already in the register. Its identity (name, code,
# category) and its status are never changed by an import: they belong to the register and to reviews (I1).
INVENTORY_FIELDS = ("business_owner_id", "personal_data", "individuals", "in_use_since", "contract_ends",
                    "connected_systems")
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
_CHUNK = 500


class InventoryRefused(Exception):
    """The whole file is refused; the message says why and what to do."""


@dataclass
class InventoryRow:
    number: int  # the row number in the spreadsheet, the heading being row 1
    raw: dict
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    action: str = ""
    vendor: Vendor | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class InventoryPreview:
    rows: list
    ignored_headings: list

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.ok and row.action == action)

    @property
    def error_rows(self) -> list:
        return [row for row in self.rows if row.errors]

    @property
    def importable(self) -> int:
        """Rows that confirmation saves: unchanged ones count, since importing a file again is harmless."""
        return sum(1 for row in self.rows if row.ok)


def decode_csv(data: bytes) -> str:
    """Excel on Chinese Windows saves CSV in GBK, read here as its superset GB 18030; "CSV UTF-8" from
    newer Excel starts with a byte-order mark. Anything else is refused rather than guessed."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise InventoryRefused(_("This file is UTF-16 or binary. Save it from Excel as “CSV UTF-8” or as "
                                 "an .xlsx workbook."))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InventoryRefused(_("The file's text is neither UTF-8 nor GBK. Save it from Excel as “CSV UTF-8” "
                             "or as an .xlsx workbook."))


def _load(data: bytes, name: str) -> tablib.Dataset:
    if not data:
        raise InventoryRefused(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        try:
            kind = sniff(io.BytesIO(data))
        except ValidationError as error:
            raise InventoryRefused(" ".join(error.messages)) from None
        if kind != XLSX:
            raise InventoryRefused(_("Upload an .xlsx workbook or a .csv file."))
        try:
            return tablib.Dataset().load(data, format="xlsx")
        except Exception:  # noqa: BLE001 (openpyxl raises many kinds on a damaged workbook)
            raise InventoryRefused(_("The workbook cannot be read. Open it in Excel and save it again.")) from None
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InventoryRefused(_("Old .xls workbooks are not read. Save it as .xlsx or CSV."))
    if PurePath(name or "").suffix.lower() not in (".csv", ".txt"):
        raise InventoryRefused(_("Upload an .xlsx workbook or a .csv file."))
    try:
        return tablib.Dataset().load(decode_csv(data), format="csv")
    except tablib.InvalidDimensions:
        raise InventoryRefused(_("The rows of this CSV file have different numbers of cells. Open it in Excel "
                                 "and save it again as CSV.")) from None


def _columns(headings) -> tuple[dict[int, str], list[str]]:
    known = heading_map()
    found, ignored = {}, []
    for index, heading in enumerate(headings or []):
        key = known.get(normalize_heading(heading))
        if key is None:
            if text(heading):
                ignored.append(text(heading))
            continue
        if key in found.values():
            raise InventoryRefused(_("The column “%(name)s” appears twice.") % {"name": text(heading)})
        found[index] = key
    missing = [str(c.label) for c in COLUMNS if c.required and c.key not in found.values()]
    if missing:
        raise InventoryRefused(
            _("Required columns are missing: %(names)s. Start from the template.") % {"names": ", ".join(missing)})
    return found, ignored


def _raw_rows(dataset: tablib.Dataset, columns: dict[int, str]) -> list[InventoryRow]:
    rows = []
    for index, cells in enumerate(dataset, start=2):
        raw = {key: cells[i] if i < len(cells) else None for i, key in columns.items()}
        if all(text(value) == "" for value in raw.values()):
            continue  # a blank line, often left at the end of a sheet
        rows.append(InventoryRow(number=index, raw=raw))
    limit = settings.VETTED_INVENTORY_MAX_ROWS
    if not rows:
        raise InventoryRefused(_("The file has headings but no rows."))
    if len(rows) > limit:
        raise InventoryRefused(_("The file has %(n)d rows; at most %(limit)d are read at once. Split it.")
                               % {"n": len(rows), "limit": limit})
    return rows


def _owners(identifiers: set[str]) -> dict[str, set[int]]:
    """User name or e-mail, lower case -> the active users it names (more than one is ambiguous)."""
    found = defaultdict(set)
    users = get_user_model().objects.filter(is_active=True).annotate(u=Lower("username"), e=Lower("email"))
    names = sorted(identifiers)
    for start in range(0, len(names), _CHUNK):
        chunk = names[start:start + _CHUNK]
        for pk, username, email in users.filter(Q(u__in=chunk) | Q(e__in=chunk)).values_list("pk", "u", "e"):
            found[username].add(pk)
            if email:
                found[email].add(pk)
    return found


def _existing(codes: set[str]) -> dict[str, Vendor]:
    found = {}
    codes = sorted(codes)
    for start in range(0, len(codes), _CHUNK):
        for vendor in Vendor.objects.filter(uscc__in=codes[start:start + _CHUNK]):
            found[vendor.uscc] = vendor
    return found


def _read_row(row: InventoryRow, categories: dict, ranges: dict) -> None:
    raw, values = row.raw, row.values
    values["name_zh"] = text(raw.get("name_zh"))[:200]
    if not values["name_zh"]:
        row.errors.append(_("The legal name is missing."))
    try:
        check = check_uscc(text(raw.get("uscc")))
    except ValidationError as error:
        row.errors.append(" ".join(error.messages))
    else:
        values["uscc"], values["uscc_checksum_ok"] = check.code, check.checksum_ok
        if not check.checksum_ok:
            row.warnings.append(checksum_warning(check))  # docs/domain.md "Unified Social Credit Code": a warning
    category = text(raw.get("category"))
    values["category"] = categories.get(normalize_heading(category))
    if values["category"] is None:
        row.errors.append(_("Unknown category “%(value)s”.") % {"value": category} if category
                          else _("The category is missing."))
    individuals = text(raw.get("individuals"))
    values["individuals"] = ranges.get(normalize_heading(individuals), "") if individuals else ""
    if individuals and not values["individuals"]:
        row.errors.append(_("Unknown range of individuals “%(value)s”.") % {"value": individuals})
    for key, reader in (("personal_data", read_bool), ("in_use_since", read_date), ("contract_ends", read_date)):
        try:
            values[key] = reader(raw.get(key))
        except ValidationError as error:
            values[key] = None
            row.errors.append(" ".join(error.messages))
    if values["in_use_since"] and values["contract_ends"] and values["contract_ends"] < values["in_use_since"]:
        row.errors.append(_("The contract ends before the vendor came into use."))
    values["connected_systems"] = text(raw.get("connected_systems"))


def _check_owner(row: InventoryRow, owners: dict[str, set[int]]) -> None:
    owner = text(row.raw.get("business_owner"))
    matches = owners.get(owner.lower(), set())
    row.values["business_owner_id"] = next(iter(matches)) if len(matches) == 1 else None
    if not owner:
        row.errors.append(_("The business owner is missing."))
    elif not matches:
        row.errors.append(_("No active user is called “%(owner)s”: give a user name or e-mail address.")
                          % {"owner": owner})
    elif len(matches) > 1:
        row.errors.append(_("Several users have the e-mail address “%(owner)s”: give the user name.")
                          % {"owner": owner})


def _decide(row: InventoryRow, vendor: Vendor | None) -> None:
    row.vendor = vendor
    if vendor is None:
        row.action = CREATE
        return
    if vendor.name_zh != row.values["name_zh"] or vendor.category != row.values["category"]:
        row.warnings.append(_("Already in the register as “%(name)s”: its name and category stay as they are.")
                            % {"name": vendor.name_zh})
    if vendor.status == VendorStatus.REJECTED or vendor.stop_using:
        row.warnings.append(_("This vendor was rejected: it must not be used."))
    same = all(getattr(vendor, name) == row.values[name] for name in INVENTORY_FIELDS)
    row.action = UNCHANGED if same else UPDATE


def check_rows(rows: list[InventoryRow]) -> None:
    categories, ranges = choice_map(VendorCategory.choices), choice_map(IndividualsRange.choices)
    for row in rows:
        _read_row(row, categories, ranges)
    seen = defaultdict(list)
    for row in rows:
        if "uscc" in row.values:
            seen[row.values["uscc"]].append(row.number)
    for row in rows:
        numbers = seen.get(row.values.get("uscc"), [])
        if len(numbers) > 1:
            others = ", ".join(str(n) for n in numbers if n != row.number)
            row.errors.append(ngettext("The same credit code is also on row %(rows)s.",
                                       "The same credit code is also on rows %(rows)s.", len(numbers) - 1)
                              % {"rows": others})
    owners = _owners({text(row.raw.get("business_owner")).lower() for row in rows} - {""})
    existing = _existing(set(seen))
    for row in rows:
        _check_owner(row, owners)
        if row.ok:
            _decide(row, existing.get(row.values["uscc"]))


def inventory_read(data: bytes, name: str) -> InventoryPreview:
    """Read and check a whole file; raises InventoryRefused when the file as a whole cannot be used."""
    dataset = _load(data, name)
    columns, ignored = _columns(dataset.headers)
    rows = _raw_rows(dataset, columns)
    check_rows(rows)
    return InventoryPreview(rows=rows, ignored_headings=ignored)
