"""Reading an inventory file and checking each row, before anything is saved.

A file is refused as a whole (nothing is stored) when it cannot be read or is larger than the import reads: an
unknown format or encoding, a damaged workbook, a workbook that unpacks to more than it could hold, more than
MAX_COLUMNS columns, a cell longer than CELL_MAX_CHARS, data below row VETTED_INVENTORY_MAX_ROWS + 1 of the
headings, a missing required column, no rows. Those limits are checked while the file is read, row by row,
never after loading it whole: a workbook is streamed from its XML (openpyxl's read-only reader, without its
filling of the rows a sheet declares but does not hold), a CSV file decoded and split as it goes, and reading
stops at the first limit passed. So memory and time stay bounded by the limits whatever the file claims (a
2 KB workbook declaring a million rows is refused at once).

What is read is kept with the upload as text (parsed_json), and every later look at it (the preview, the
confirmation) checks those rows against the register as it is then, without reading the file again. Every row
is checked and gets its errors, which keep it out of the import, and its warnings, which do not. Its text
follows the rules of the vendor forms (vendors.text.plain_text_problems)."""

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter

from ..files import XLSX, sniff
from ..models import IndividualsRange, Vendor, VendorCategory, VendorStatus
from ..text import plain_text_problems
from ..uscc import check_uscc, checksum_warning
from .channels import channel_duplicates, existing_channels, is_channel_row, read_channel
from .columns import COLUMNS, choice_map, heading_map, normalize_heading, read_bool, read_date, text

# The inventory fields an import writes on a vendor already in the register. Its identity (name, code,
# category) and its status are never changed by an import: they belong to the register and to reviews (I1).
INVENTORY_FIELDS = (
    "business_owner_id",
    "personal_data",
    "individuals",
    "in_use_since",
    "contract_ends",
    "connected_systems",
)
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
_CHUNK = 500

# The widest sheet and the longest cell read. The template has nine columns; a legal name is at most 200
# characters (Vendor.name_zh) and a list of systems rarely a line: anything longer is a mistake or an attack.
MAX_COLUMNS = 50
CELL_MAX_CHARS = 500
# What a workbook may unpack to: its XML grows with its rows (a 10,000-row inventory unpacks to a few MB), so
# this many bytes per row allowed, and never less than the floor, which covers the styles and the strings.
_UNPACKED_PER_ROW = 2048
_UNPACKED_FLOOR = 4 * 1024 * 1024
_ZIP_MEMBERS_MAX = 200
# A multi-line field: a cell may hold line breaks (Alt+Enter in Excel).
_MULTILINE = {"connected_systems"}
PARSED_VERSION = 1
_DECODE_CHUNK = 256 * 1024
# The longest line of a CSV file the limits allow: every column full, quoted, with its comma.
_LINE_MAX = MAX_COLUMNS * (CELL_MAX_CHARS + 3) + 2


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


@dataclass(frozen=True)
class ParsedFile:
    """What a file holds, as read once: the rows' cells as text, by column key, and the headings ignored."""

    rows: list  # [(number, {key: text}), ...]
    ignored_headings: list

    def as_json(self) -> dict:
        keys = [c.key for c in COLUMNS]
        return {
            "version": PARSED_VERSION,
            "ignored": self.ignored_headings,
            "rows": [[number, [raw.get(key) for key in keys]] for number, raw in self.rows],
        }

    @classmethod
    def from_json(cls, data: dict) -> "ParsedFile":
        keys = [c.key for c in COLUMNS]
        return cls(
            rows=[(number, dict(zip(keys, cells, strict=True))) for number, cells in data["rows"]],
            ignored_headings=list(data.get("ignored", [])),
        )


def _limits() -> tuple[int, int]:
    rows = settings.VETTED_INVENTORY_MAX_ROWS
    return rows, max(_UNPACKED_FLOOR, rows * _UNPACKED_PER_ROW)


# --- Reading the cells, row by row -----------------------------------------------------------------------------


def _cell_text(value) -> str:
    """A cell as the import reads it: text. Dates as YYYY-MM-DD, numbers without a trailing .0, yes or no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return text(value) if isinstance(value, int | float) else str(value)


def _xlsx_rows(data: bytes):
    """(row number, {column number: value}) for each row the first sheet holds, streamed from its XML."""
    import openpyxl
    from openpyxl.worksheet._reader import ROW_TAG, WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    _rows, unpacked_max = _limits()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise InventoryRefused(
            _("The workbook cannot be read. Open it in Excel and save it again.")
        ) from None
    # The sizes a zip declares are the ones it unpacks to (zipfile stops at them), so a workbook that would
    # unpack to gigabytes is refused before a byte of it is unpacked.
    if len(members) > _ZIP_MEMBERS_MAX or sum(m.file_size for m in members) > unpacked_max:
        raise InventoryRefused(
            _(
                "The workbook unpacks to more than an inventory of %(limit)d rows can hold. Save "
                "it again from Excel, or split it."
            )
            % {"limit": _limits()[0]}
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 (openpyxl raises many kinds on a damaged workbook)
        raise InventoryRefused(
            _("The workbook cannot be read. Open it in Excel and save it again.")
        ) from None
    sheet_data = f"{{{SHEET_MAIN_NS}}}sheetData"
    try:
        sheet = workbook.worksheets[0]
        # openpyxl's read-only sheet would fill every row between two it finds (and up to the row its
        # dimension declares) with empty cells; its own row parser is used here instead, on an XML stream
        # whose rows are dropped once read, so memory holds one row at a time.
        parser = WorkSheetParser(
            None,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        with sheet._get_source() as source:
            container = None
            for event, element in iterparse(source, events=("start", "end")):
                if event == "start":
                    if element.tag == sheet_data:
                        container = element
                    continue
                if element.tag != ROW_TAG:
                    continue
                number, cells = parser.parse_row(element)
                if container is not None:
                    container.remove(element)
                yield (
                    number,
                    {
                        cell["column"]: cell["value"]
                        for cell in cells
                        if cell["value"] is not None and cell["value"] != ""
                    },
                )
    except InventoryRefused:
        raise
    except Exception:  # noqa: BLE001 (a damaged sheet: bad XML, a row number that is no number)
        raise InventoryRefused(
            _("The workbook cannot be read. Open it in Excel and save it again.")
        ) from None
    finally:
        workbook.close()


def _csv_encoding(data: bytes) -> str:
    """Excel on Chinese Windows saves CSV in GBK, read here as its superset GB 18030; "CSV UTF-8" from newer
    Excel starts with a byte-order mark. Anything else is refused rather than guessed. Checked a piece at a
    time, without holding the decoded text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise InventoryRefused(
            _("This file is UTF-16 or binary. Save it from Excel as “CSV UTF-8” or as an .xlsx workbook.")
        )
    view = memoryview(data)
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(data), _DECODE_CHUNK):
                decoder.decode(view[start : start + _DECODE_CHUNK])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise InventoryRefused(
        _(
            "The file's text is neither UTF-8 nor GBK. Save it from Excel as “CSV UTF-8” "
            "or as an .xlsx workbook."
        )
    )


def _lines(stream):
    """The file's lines, none longer than the widest row the limits allow: a longer one is refused as soon as
    it is met, so a single line of megabytes is never held whole."""
    number = 0
    while line := stream.readline(_LINE_MAX):
        number += 1
        if len(line) == _LINE_MAX and not line.endswith(("\n", "\r")):
            raise InventoryRefused(
                _(
                    "Line %(line)d is longer than any row the import reads: a cell may hold at "
                    "most %(limit)d characters. Nothing was stored."
                )
                % {"line": number, "limit": CELL_MAX_CHARS}
            )
        yield line


def _csv_rows(data: bytes):
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=_csv_encoding(data), newline="")
    reader = csv.reader(_lines(stream))
    width = None
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if width is None:
                width = len(cells)
            elif len(cells) != width:
                raise InventoryRefused(
                    _(
                        "The rows of this CSV file have different numbers of cells. Open it in "
                        "Excel and save it again as CSV."
                    )
                )
            # The record's first line: a cell with line breaks spans several.
            yield reader.line_num, {i: cell for i, cell in enumerate(cells, start=1) if cell != ""}
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise InventoryRefused(
                _(
                    "Near line %(line)d, a cell holds more than %(limit)d characters; a cell may "
                    "hold at most %(limit)d characters. Nothing was stored."
                )
                % {"line": reader.line_num, "limit": CELL_MAX_CHARS}
            ) from None
        raise InventoryRefused(
            _("This CSV file cannot be read (line %(line)d). Open it in Excel and save it again as CSV.")
            % {"line": reader.line_num}
        ) from None


def _rows(data: bytes, name: str):
    if not data:
        raise InventoryRefused(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        try:
            kind = sniff(io.BytesIO(data))
        except ValidationError as error:
            raise InventoryRefused(" ".join(error.messages)) from None
        if kind != XLSX:
            raise InventoryRefused(_("Upload an .xlsx workbook or a .csv file."))
        return _xlsx_rows(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InventoryRefused(_("Old .xls workbooks are not read. Save it as .xlsx or CSV."))
    if PurePath(name or "").suffix.lower() not in (".csv", ".txt"):
        raise InventoryRefused(_("Upload an .xlsx workbook or a .csv file."))
    return _csv_rows(data)


def _checked(number: int, cells: dict) -> dict:
    """The row's cells as text, each within the limits of MAX_COLUMNS and CELL_MAX_CHARS."""
    found = {}
    for column, value in cells.items():
        if column > MAX_COLUMNS:
            raise InventoryRefused(
                _(
                    "Row %(row)d has a cell in column %(column)s; at most %(limit)d columns are "
                    "read (A to %(last)s). Delete the columns beyond them."
                )
                % {
                    "row": number,
                    "column": get_column_letter(column),
                    "limit": MAX_COLUMNS,
                    "last": get_column_letter(MAX_COLUMNS),
                }
            )
        value = _cell_text(value)
        if len(value) > CELL_MAX_CHARS:
            raise InventoryRefused(
                _(
                    "Cell %(cell)s holds %(length)d characters; a cell may hold at most %(limit)d "
                    "characters. Nothing was stored."
                )
                % {
                    "cell": f"{get_column_letter(column)}{number}",
                    "length": len(value),
                    "limit": CELL_MAX_CHARS,
                }
            )
        if "\x00" in value:
            raise InventoryRefused(
                _("Cell %(cell)s holds a NUL character: the file is damaged or binary.")
                % {"cell": f"{get_column_letter(column)}{number}"}
            )
        found[column] = value
    return found


def _columns(headings: dict) -> tuple[dict[int, str], list[str]]:
    known = heading_map()
    found, ignored = {}, []
    for index, heading in sorted(headings.items()):
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
            _("Required columns are missing: %(names)s. Start from the template.")
            % {"names": ", ".join(missing)}
        )
    return found, ignored


def inventory_parse(data: bytes, name: str) -> ParsedFile:
    """Read a file within the limits, row by row; raises InventoryRefused at the first limit passed."""
    limit = settings.VETTED_INVENTORY_MAX_ROWS
    columns, ignored, heading_row, rows = None, [], None, []
    for number, cells in _rows(data, name):
        cells = _checked(number, cells)
        if columns is None:
            if not cells:
                continue
            columns, ignored = _columns(cells)
            heading_row = number
            continue
        raw = {key: cells.get(index, "") for index, key in columns.items()}
        if all(value.strip() == "" for value in raw.values()):
            continue  # a blank line, often left at the end of a sheet
        if number - heading_row > limit:
            raise InventoryRefused(
                _(
                    "The file has rows below row %(last)d; at most %(limit)d rows are read at "
                    "once (rows %(first)d to %(last)d). Split it."
                )
                % {"first": heading_row + 1, "last": heading_row + limit, "limit": limit}
            )
        rows.append((number, raw))
    if columns is None:
        _columns({})  # no headings at all: the required columns are missing
    if not rows:
        raise InventoryRefused(_("The file has headings but no rows."))
    return ParsedFile(rows=rows, ignored_headings=ignored)


def _owners(identifiers: set[str]) -> dict[str, set[int]]:
    """User name or e-mail, lower case -> the active users it names (more than one is ambiguous)."""
    found = defaultdict(set)
    users = get_user_model().objects.filter(is_active=True).annotate(u=Lower("username"), e=Lower("email"))
    names = sorted(identifiers)
    for start in range(0, len(names), _CHUNK):
        chunk = names[start : start + _CHUNK]
        for pk, username, email in users.filter(Q(u__in=chunk) | Q(e__in=chunk)).values_list("pk", "u", "e"):
            found[username].add(pk)
            if email:
                found[email].add(pk)
    return found


def _existing(codes: set[str]) -> dict[str, Vendor]:
    found = {}
    codes = sorted(codes)
    for start in range(0, len(codes), _CHUNK):
        for vendor in Vendor.objects.filter(uscc__in=codes[start : start + _CHUNK]):
            found[vendor.uscc] = vendor
    return found


def _text_errors(row: InventoryRow) -> None:
    """Every cell of the row follows the rules of the vendor forms: no control characters, no markup, no formula
    start. A row breaking them is left out, so that nothing of it reaches the register (such a name would break
    the dossier and the catch-up review opened on it)."""
    for column in COLUMNS:
        value = row.raw.get(column.key) or ""
        for problem in plain_text_problems(value, multiline=column.key in _MULTILINE):
            row.errors.append(f"{column.label}: {problem}")


def _read_row(row: InventoryRow, categories: dict, ranges: dict) -> None:
    raw, values = row.raw, row.values
    values["name_zh"] = text(raw.get("name_zh"))[:200]
    if not values["name_zh"]:
        row.errors.append(_("The legal name is missing."))
    category = text(raw.get("category"))
    values["category"] = categories.get(normalize_heading(category))
    if values["category"] is None:
        row.errors.append(
            _("Unknown category “%(value)s”.") % {"value": category}
            if category
            else _("The category is missing.")
        )
    if is_channel_row(values):  # an own channel: no credit code, a kind (vendors/inventory/channels.py)
        read_channel(row)
    else:
        try:
            check = check_uscc(text(raw.get("uscc")))
        except ValidationError as error:
            row.errors.append(" ".join(error.messages))
        else:
            values["uscc"], values["uscc_checksum_ok"] = check.code, check.checksum_ok
            if not check.checksum_ok:
                row.warnings.append(
                    checksum_warning(check)
                )  # docs/domain.md "Unified Social Credit Code": a warning
    individuals = text(raw.get("individuals"))
    values["individuals"] = ranges.get(normalize_heading(individuals), "") if individuals else ""
    if individuals and not values["individuals"]:
        row.errors.append(_("Unknown range of individuals “%(value)s”.") % {"value": individuals})
    for key, reader in (
        ("personal_data", read_bool),
        ("in_use_since", read_date),
        ("contract_ends", read_date),
    ):
        try:
            values[key] = reader(raw.get(key))
        except ValidationError as error:
            values[key] = None
            row.errors.append(" ".join(error.messages))
    if (
        values["in_use_since"]
        and values["contract_ends"]
        and values["contract_ends"] < values["in_use_since"]
    ):
        row.errors.append(_("The contract ends before the vendor came into use."))
    values["connected_systems"] = text(raw.get("connected_systems"))


def _check_owner(row: InventoryRow, owners: dict[str, set[int]]) -> None:
    owner = text(row.raw.get("business_owner"))
    matches = owners.get(owner.lower(), set())
    row.values["business_owner_id"] = next(iter(matches)) if len(matches) == 1 else None
    if not owner:
        row.errors.append(_("The business owner is missing."))
    elif not matches:
        row.errors.append(
            _("No active user is called “%(owner)s”: give a user name or e-mail address.") % {"owner": owner}
        )
    elif len(matches) > 1:
        row.errors.append(
            _("Several users have the e-mail address “%(owner)s”: give the user name.") % {"owner": owner}
        )


def _decide(row: InventoryRow, vendor: Vendor | None) -> None:
    row.vendor = vendor
    if vendor is None:
        row.action = CREATE
        return
    if vendor.name_zh != row.values["name_zh"] or vendor.category != row.values["category"]:
        row.warnings.append(
            _("Already in the register as “%(name)s”: its name and category stay as they are.")
            % {"name": vendor.name_zh}
        )
    if vendor.status == VendorStatus.REJECTED or vendor.stop_using:
        row.warnings.append(_("This vendor was rejected: it must not be used."))
    same = all(getattr(vendor, name) == row.values[name] for name in INVENTORY_FIELDS)
    if not same and vendor.status == VendorStatus.APPROVED:
        # Vetted as it stands: its owner, data and dates are corrected by hand in the vendor's admin page, one
        # audited change at a time, never by a file.
        row.warnings.append(
            _(
                "Approved: what the register records of it stays as it is. Correct it by hand on "
                "the vendor's page if the file is right."
            )
        )
        same = True
    row.action = UNCHANGED if same else UPDATE


def check_rows(rows: list[InventoryRow]) -> None:
    categories, ranges = choice_map(VendorCategory.choices), choice_map(IndividualsRange.choices)
    for row in rows:
        _text_errors(row)
        _read_row(row, categories, ranges)
    channel_duplicates(rows)
    seen = defaultdict(list)
    for row in rows:
        if row.values.get("uscc"):
            seen[row.values["uscc"]].append(row.number)
    for row in rows:
        numbers = seen.get(row.values.get("uscc"), [])
        if len(numbers) > 1:
            others = ", ".join(str(n) for n in numbers if n != row.number)
            row.errors.append(
                ngettext(
                    "The same credit code is also on row %(rows)s.",
                    "The same credit code is also on rows %(rows)s.",
                    len(numbers) - 1,
                )
                % {"rows": others}
            )
    owners = _owners({text(row.raw.get("business_owner")).lower() for row in rows} - {""})
    existing = _existing(set(seen))
    channels = existing_channels(rows)
    for row in rows:
        _check_owner(row, owners)
        if row.ok:
            found = channels.get(row.values["name_zh"]) if is_channel_row(row.values) else None
            _decide(row, found or existing.get(row.values["uscc"]))


def inventory_check(parsed: ParsedFile) -> InventoryPreview:
    """Check the rows read against the register as it is now."""
    rows = [InventoryRow(number=number, raw=dict(raw)) for number, raw in parsed.rows]
    check_rows(rows)
    return InventoryPreview(rows=rows, ignored_headings=list(parsed.ignored_headings))


def inventory_read(data: bytes, name: str) -> InventoryPreview:
    """Read and check a whole file; raises InventoryRefused when the file as a whole cannot be used."""
    return inventory_check(inventory_parse(data, name))
