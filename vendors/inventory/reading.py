"""Reading an inventory file and checking each row, before anything is saved.

A file is refused as a whole (nothing is stored) when it cannot be read or is larger than the import reads: an
unknown format or encoding, a damaged workbook, a workbook that unpacks to more than it could hold, an .xls
workbook with macros, more than MAX_COLUMNS columns, a cell longer than CELL_MAX_CHARS, data below row
VETTED_INVENTORY_MAX_ROWS + 1 of the headings, no heading row among the first HEADING_ROWS rows, a missing
required column that no column of the file could be mapped to, no rows. Those limits are checked while the
file is read, row by row, never after loading it whole: a workbook is streamed from its XML (openpyxl's read-only reader, without its
filling of the rows a sheet declares but does not hold), a CSV file decoded and split as it goes, and reading
stops at the first limit passed. So memory and time stay bounded by the limits whatever the file claims (a
2 KB workbook declaring a million rows is refused at once).

An Excel 97-2003 workbook (.xls, what WPS and older Excel save by default) is read with xlrd, which loads the
first sheet whole: its records are looked through first, so that a cell beyond MAX_COLUMNS refuses it before
anything is loaded (a few KB can place a cell in the 256th column of the 65,536th row). The format holds at
most 65,536 rows, so what is loaded stays bounded by MAX_COLUMNS columns of them. Its cells are read as those of
an .xlsx workbook are: text, numbers (a credit code stored as a number is refused the same way), dates from
the cells formatted as dates, Chinese text as the workbook stores it (Unicode).

What is read is kept with the upload as text (parsed_json), and every later look at it (the preview, the
confirmation) checks those rows against the register as it is then, without reading the file again. Every row
is checked and gets its errors, which keep it out of the import, and its warnings, which do not. Its text
follows the rules of the vendor forms (vendors.text.plain_text_problems).

Ledgers are read as companies keep them (docs/domain.md "Inventory"): the heading row is found among the first
rows (a title such as "营销平台台账（2026年11月）" above it is skipped); a column is recognised by its heading or a
word for it (vendors.inventory.columns), and one not recognised is put to Legal in the preview, to map or to
ignore (Choices); an owner may be named as a person (王晓雯) and is asked for when the name is not unique; a
credit code Excel stored as a number is refused, since Excel keeps only 15 digits of it; a code given on
several rows is one vendor, its rows merged and their conflicts shown."""

import codecs
import csv
import datetime as dt
import io
import re
import struct
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import NoReturn

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Concat, Lower
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter

from ..files import XLSX, sniff
from ..models import IndividualsRange, InventoryWordKind, Vendor, VendorCategory, VendorStatus
from ..text import plain_text_problems
from ..uscc import check_uscc, checksum_warning
from .channels import channel_duplicates, existing_channels, is_channel_row, read_channel
from .columns import (
    COLUMNS,
    IGNORE,
    WORDS,
    Column,
    category_map,
    choice_map,
    heading_map,
    legal_words,
    normalize_heading,
    read_bool,
    read_date,
    text,
)

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
# A row whose credit code an earlier row of the file gives: merged into that row, not saved on its own.
MERGED = "merged"
# The heading row is looked for among this many first non-empty rows (a title, a date, a note above it).
HEADING_ROWS = 10
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
PARSED_VERSION = 2
_DECODE_CHUNK = 256 * 1024
# The longest line of a CSV file the limits allow: every column full, quoted, with its comma.
_LINE_MAX = MAX_COLUMNS * (CELL_MAX_CHARS + 3) + 2


class InventoryRefused(Exception):
    """The whole file is refused; the message says why and what to do."""


@dataclass
class InventoryRow:
    number: int  # the row number in the spreadsheet
    raw: dict
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    action: str = ""
    vendor: Vendor | None = None
    numeric: frozenset = frozenset()  # the column keys whose cell the workbook holds as a number
    merged_into: int | None = None  # the row this one's credit code was first given on
    merged: list = field(default_factory=list)  # the later rows merged into this one

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def saved(self) -> bool:
        """Saved by the confirmation: no error, and not merged into an earlier row."""
        return self.ok and self.action != MERGED


@dataclass
class ColumnChoice:
    """A column of the file as the preview shows it: recognised by its heading, or left to Legal's choice."""

    position: int  # among the columns read
    heading: str
    key: str | None  # the column it is read as; None while undecided, IGNORE when left out
    recognised: bool
    samples: list = field(default_factory=list)

    @property
    def undecided(self) -> bool:
        return self.key is None


@dataclass
class OwnerChoice:
    """An owner's name that several people answer to: Legal chooses who is meant."""

    name: str
    people: list  # users
    chosen: int | None = None


@dataclass
class InventoryPreview:
    rows: list
    columns: list = field(default_factory=list)  # ColumnChoice of each column read
    missing: list = field(default_factory=list)  # labels of required columns no column is read as
    owners: list = field(default_factory=list)  # OwnerChoice of each name several people answer to
    heading_row: int = 1

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.ok and row.action == action)

    @property
    def error_rows(self) -> list:
        return [row for row in self.rows if row.errors]

    @property
    def importable(self) -> int:
        """Rows that confirmation saves: unchanged ones count, since importing a file again is harmless."""
        return sum(1 for row in self.rows if row.saved)

    @property
    def merged(self) -> int:
        return sum(1 for row in self.rows if row.action == MERGED)

    @property
    def undecided_columns(self) -> list:
        return [column for column in self.columns if column.undecided]

    @property
    def ignored_headings(self) -> list:
        """The columns left out: by their heading (序号, 备注) or as Legal chose."""
        return [column.heading for column in self.columns if column.key == IGNORE]

    @property
    def chosen_columns(self) -> list:
        """The columns not recognised by their heading: those the preview asks about, decided or not."""
        return [column for column in self.columns if not column.recognised]

    @property
    def open_choices(self) -> bool:
        """Something the preview asks Legal before the import can be confirmed."""
        return bool(
            self.undecided_columns or self.missing or any(owner.chosen is None for owner in self.owners)
        )


@dataclass(frozen=True)
class ParsedFile:
    """What a file holds, as read once: the headings of its columns (those with a heading), the column key
    each heading is recognised as (None when it is not), and each row's cells as text in the same order, with
    the positions of the cells the workbook held as numbers."""

    headings: list  # [heading text, ...]
    keys: list  # [column key or None, ...], as recognised at upload
    rows: list  # [(number, [cell text, ...], [positions of numeric cells]), ...]
    heading_row: int = 1

    def as_json(self) -> dict:
        return {
            "version": PARSED_VERSION,
            "headings": self.headings,
            "keys": self.keys,
            "heading_row": self.heading_row,
            "rows": [[number, cells, numeric] for number, cells, numeric in self.rows],
        }

    @classmethod
    def from_json(cls, data: dict) -> "ParsedFile":
        if data.get("version", 1) < 2:
            # Kept before the columns were: one cell per column key, in the order of COLUMNS then.
            keys = [c.key for c in COLUMNS][: len(data["rows"][0][1]) if data["rows"] else None]
            return cls(
                headings=[str(c.label) for c in COLUMNS][: len(keys)],
                keys=keys,
                rows=[(number, [cell or "" for cell in cells], []) for number, cells in data["rows"]],
            )
        return cls(
            headings=list(data["headings"]),
            keys=list(data["keys"]),
            rows=[(number, list(cells), list(numeric)) for number, cells, numeric in data["rows"]],
            heading_row=data.get("heading_row", 1),
        )


@dataclass(frozen=True)
class Choices:
    """What Legal decided in the preview (InventoryImport.choices): a column key or IGNORE for a column by
    its position, a user for an owner's name."""

    columns: dict = field(default_factory=dict)  # position -> column key or IGNORE
    owners: dict = field(default_factory=dict)  # normalised name -> user id

    @classmethod
    def from_json(cls, data: dict | None) -> "Choices":
        data = data or {}
        return cls(
            columns={int(k): v for k, v in (data.get("columns") or {}).items()},
            owners={k: int(v) for k, v in (data.get("owners") or {}).items()},
        )

    def as_json(self) -> dict:
        return {"columns": {str(k): v for k, v in self.columns.items()}, "owners": dict(self.owners)}


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


# Excel 97-2003 (BIFF8) records, as the first sheet's stream holds them (type, then length, then the data).
_BIFF_BOF, _BIFF_EOF, _BIFF_BOUNDSHEET = 0x0809, 0x000A, 0x0085
# The records of a cell with a value, each giving its row and column first; MULRK gives several cells of a row,
# its last column at its end. BLANK and MULBLANK (a formatted cell without a value) are not read.
_BIFF_CELLS = {0x00FD, 0x0203, 0x027E, 0x0204, 0x00D6, 0x0006, 0x0205}
_BIFF_MULRK = 0x00BD
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _xls_unreadable() -> NoReturn:
    raise InventoryRefused(_("The workbook cannot be read. Open it in Excel and save it again.")) from None


def _xls_first_sheet(stream: bytes) -> int:
    """Where the first worksheet's records start: from the first sheet entry of the workbook's globals."""
    position = 0
    while position + 4 <= len(stream):
        code, length = struct.unpack_from("<HH", stream, position)
        body = position + 4
        if code == _BIFF_BOUNDSHEET and length >= 6 and stream[body + 5] == 0:  # a worksheet
            return struct.unpack_from("<I", stream, body)[0]
        if code == _BIFF_EOF:
            break
        position = body + length
    _xls_unreadable()


def _xls_check_extent(stream: bytes) -> None:
    """Refuse, from its records and before xlrd loads it, a first sheet with a cell beyond MAX_COLUMNS or with
    values on more rows than the heading rows and VETTED_INVENTORY_MAX_ROWS below them could be."""
    position, depth = _xls_first_sheet(stream), 0
    rows: set[int] = set()
    most = settings.VETTED_INVENTORY_MAX_ROWS + HEADING_ROWS
    while position + 4 <= len(stream):
        code, length = struct.unpack_from("<HH", stream, position)
        body = position + 4
        position = body + length
        if code == _BIFF_BOF:
            depth += 1
        elif code == _BIFF_EOF:
            depth -= 1
            if depth <= 0:
                return
        elif depth == 1 and length >= 4 and (code in _BIFF_CELLS or code == _BIFF_MULRK):
            row, column = struct.unpack_from("<HH", stream, body)
            if code == _BIFF_MULRK and length >= 6:
                column = struct.unpack_from("<H", stream, body + length - 2)[0]
            if column + 1 > MAX_COLUMNS:
                _refuse_column(row + 1, column + 1)
            rows.add(row)
            if len(rows) > most:
                raise InventoryRefused(
                    _("The workbook holds more rows than the %(limit)d read at once. Split it.")
                    % {"limit": settings.VETTED_INVENTORY_MAX_ROWS}
                )


def _xls_value(book, kind: int, value):
    """A cell as the .xlsx reader gives it: text, a number, a date (a number formatted as one), yes or no."""
    import xlrd

    if kind == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate.xldate_as_datetime(value, book.datemode)
        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
            return value  # a number a date format cannot show: read as the number
        return moment.date() if moment.time() == dt.time() else moment
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERROR")
    return value


def _xls_rows(data: bytes):
    """(row number, {column number: value}) for each row of the first worksheet of an Excel 97-2003 workbook."""
    import xlrd
    from xlrd.compdoc import CompDoc, CompDocError

    try:
        document = CompDoc(data, logfile=io.StringIO())
        names = {entry.name.casefold() for entry in document.dirlist}
    except (CompDocError, struct.error, IndexError, ValueError):
        _xls_unreadable()
    if "_vba_project_cur" in names or "_vba_project" in names:
        raise InventoryRefused(
            _("Workbooks with macros are not accepted. Save it as a workbook without macros (.xls or .xlsx).")
        )
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True, logfile=io.StringIO())
    except Exception:  # noqa: BLE001 (xlrd raises many kinds on a damaged or encrypted workbook)
        _xls_unreadable()
    empty = (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK)
    try:
        _xls_check_extent(book.mem)
        sheet = book.sheet_by_index(0)
        for index in range(sheet.nrows):
            kinds, values = sheet.row_types(index), sheet.row_values(index)
            yield (
                index + 1,
                {
                    column + 1: _xls_value(book, kind, value)
                    for column, (kind, value) in enumerate(zip(kinds, values, strict=True))
                    if kind not in empty and value != ""
                },
            )
    except InventoryRefused:
        raise
    except Exception:  # noqa: BLE001 (a damaged sheet)
        _xls_unreadable()
    finally:
        book.release_resources()


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
            raise InventoryRefused(_("Upload an .xlsx or .xls workbook, or a .csv file."))
        return _xlsx_rows(data)
    suffix = PurePath(name or "").suffix.lower()
    if data.startswith(OLE2_MAGIC):
        # The compound format also holds Word documents, MSI installers and the like: read only as a workbook
        # named as one.
        if suffix != ".xls":
            raise InventoryRefused(
                _(
                    "This file is an Office document in the old binary format. Upload an .xls, .xlsx or .csv file."
                )
            )
        return _xls_rows(data)
    if suffix == ".xls":
        raise InventoryRefused(
            _(
                "The file is named .xls but is not an Excel 97-2003 workbook (some systems export a web page "
                "under that name). Open it in Excel or WPS and save it as .xlsx or .xls."
            )
        )
    if suffix not in (".csv", ".txt"):
        raise InventoryRefused(_("Upload an .xlsx or .xls workbook, or a .csv file."))
    return _csv_rows(data)


def _refuse_column(number: int, column: int) -> NoReturn:
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


def _checked(number: int, cells: dict) -> tuple[dict, set]:
    """The row's cells as text, each within the limits of MAX_COLUMNS and CELL_MAX_CHARS, and the columns
    whose cell the workbook holds as a number (a CSV file holds text only)."""
    found, numeric = {}, set()
    for column, value in cells.items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            numeric.add(column)
        if column > MAX_COLUMNS:
            _refuse_column(number, column)
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
    return found, numeric


def _recognised(cells: dict, known: dict) -> dict[int, str]:
    """Column number -> key, for the cells of a row read as headings."""
    return {
        index: key
        for index, heading in cells.items()
        if (key := known.get(normalize_heading(heading))) is not None
    }


def _heading_row(candidates: list, known: dict) -> tuple[int, dict] | None:
    """The heading row among the first rows: the first that names every required column, or else the one that
    names the most columns (two at least: a title row names none)."""
    required = {c.key for c in COLUMNS if c.required}
    best = None
    for number, cells, _numeric in candidates:
        found = set(_recognised(cells, known).values())
        if required <= found:
            return number, cells
        if len(found) >= 2 and (best is None or len(found) > best[0]):
            best = (len(found), number, cells)
    return (best[1], best[2]) if best else None


def _known_as(column: Column) -> str:
    words = WORDS[InventoryWordKind.HEADING].get(column.key, [])[:4]
    return _("%(column)s (also read as: %(words)s)") % {"column": column.label, "words": ", ".join(words)}


def _columns(headings: dict, known: dict) -> tuple[list[int], list[str], list]:
    """The columns read (those with a heading): their numbers, headings and recognised keys (None for a
    heading not recognised, which the preview puts to Legal)."""
    numbers, texts, keys = [], [], []
    for index, heading in sorted(headings.items()):
        if not text(heading):
            continue
        key = known.get(normalize_heading(heading))
        if key not in (None, IGNORE) and key in keys:
            raise InventoryRefused(_("The column “%(name)s” appears twice.") % {"name": text(heading)})
        numbers.append(index)
        texts.append(text(heading))
        keys.append(key)
    missing = [c for c in COLUMNS if c.required and c.key not in keys]
    if len(missing) > keys.count(None):
        # Too few columns in the file to map them to: the file is refused, naming the words each is known by.
        _refuse_missing(missing)
    return numbers, texts, keys


def _refuse_missing(missing: list[Column]) -> NoReturn:
    """The file refused for the required columns it lacks, each named with the words it is known by."""
    raise InventoryRefused(
        _("Required columns are missing: %(names)s. Start from the template, or name the columns as it does.")
        % {"names": "; ".join(_known_as(column) for column in missing)}
    )


def inventory_parse(data: bytes, name: str) -> ParsedFile:
    """Read a file within the limits, row by row; raises InventoryRefused at the first limit passed. The
    heading row is the first of the first HEADING_ROWS non-empty rows that names every required column, or
    else the one naming the most; the rows above it (a title, a date) are skipped."""
    limit = settings.VETTED_INVENTORY_MAX_ROWS
    known = heading_map(legal_words()[InventoryWordKind.HEADING])
    required = {c.key for c in COLUMNS if c.required}
    candidates: list = []  # the first rows, until the heading row is found among them
    columns: dict = {}
    rows: list = []

    def take(number, cells, numeric):
        raw = [cells.get(index, "") for index in columns["numbers"]]
        if all(value.strip() == "" for value in raw):
            return  # a blank line, often left at the end of a sheet
        if number - columns["row"] > limit:
            raise InventoryRefused(
                _(
                    "The file has rows below row %(last)d; at most %(limit)d rows are read at "
                    "once (rows %(first)d to %(last)d). Split it."
                )
                % {"first": columns["row"] + 1, "last": columns["row"] + limit, "limit": limit}
            )
        positions = [position for position, index in enumerate(columns["numbers"]) if index in numeric]
        rows.append((number, raw, positions))

    def settle():
        found = _heading_row(candidates, known)
        if found is None:  # no heading row: the required columns are missing
            _refuse_missing([c for c in COLUMNS if c.required])
        columns["row"], headings = found
        columns["numbers"], columns["texts"], columns["keys"] = _columns(headings, known)
        for number, cells, numeric in candidates:
            if number > columns["row"]:
                take(number, cells, numeric)

    for number, cells in _rows(data, name):
        cells, numeric = _checked(number, cells)
        if columns:
            take(number, cells, numeric)
            continue
        if not cells:
            continue
        candidates.append((number, cells, numeric))
        if required <= set(_recognised(cells, known).values()) or len(candidates) >= HEADING_ROWS:
            settle()
    if not columns:
        settle()
    if not rows:
        raise InventoryRefused(_("The file has headings but no rows."))
    return ParsedFile(headings=columns["texts"], keys=columns["keys"], rows=rows, heading_row=columns["row"])


def person_key(name: str) -> str:
    """A person's name, user name or e-mail as compared: NFKC, no spaces, case-folded ("王 晓雯" is "王晓雯")."""
    return "".join(unicodedata.normalize("NFKC", name or "").split()).casefold()


def _owners(identifiers: set[str]) -> dict[str, set[int]]:
    """Name, user name or e-mail (person_key) -> the active users it names (more than one is ambiguous). A
    name is the family name then the given name (王晓雯) or the given name then the family name (Anna
    Schmidt), without spaces either way."""
    found = defaultdict(set)
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(
            u=Lower("username"),
            e=Lower("email"),
            family_given=Lower(Concat("last_name", "first_name")),
            given_family=Lower(Concat("first_name", "last_name")),
        )
    )
    names = sorted(identifiers)
    for start in range(0, len(names), _CHUNK):
        chunk = names[start : start + _CHUNK]
        matching = users.filter(
            Q(u__in=chunk) | Q(e__in=chunk) | Q(family_given__in=chunk) | Q(given_family__in=chunk)
        )
        for pk, *keys in matching.values_list("pk", "u", "e", "family_given", "given_family"):
            for key in {person_key(k) for k in keys if k}:
                if key in identifiers:
                    found[key].add(pk)
    return found


def _existing(codes: set[str]) -> dict[str, Vendor]:
    found = {}
    ordered = sorted(codes)
    for start in range(0, len(ordered), _CHUNK):
        for vendor in Vendor.objects.filter(uscc__in=ordered[start : start + _CHUNK]):
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


# A code as Excel prints a number too wide for it: an exponent (9.14403E+17), decimals, or 18 digits whose
# last three are the zeros Excel puts past the 15 significant digits it keeps.
_NUMBER_AS_TEXT = re.compile(r"\d+(\.\d+)?[eE][+]?\d+|\d+\.\d+")


def _code_stored_as_number(row: InventoryRow, code: str) -> bool:
    if "uscc" in row.numeric:
        return True  # the workbook's cell is a number: whatever it prints, digits past the 15th are lost
    if _NUMBER_AS_TEXT.fullmatch(code):
        return True
    if len(code) == 18 and code.isdigit() and code.endswith("000"):
        try:
            return not check_uscc(code).checksum_ok
        except ValidationError:
            return True
    return False


def _code_error(code: str) -> str:
    return _(
        "Excel stored this credit code as a number, which keeps only 15 digits: it reads “%(value)s”, and "
        "its last digits are lost. Format the credit-code column as text (select the column, then Format "
        "Cells › Text; in WPS, 设置单元格格式 › 文本), type or paste the codes again, save, and upload the file again."
    ) % {"value": code}


def _code_key(row: InventoryRow) -> str | None:
    """The row's code as stored, when it is one (the rows of a code are merged before they are read)."""
    raw = text(row.raw.get("uscc"))
    if not raw or _code_stored_as_number(row, raw):
        return None
    try:
        return check_uscc(raw).code
    except ValidationError:
        return None


def _read_code(row: InventoryRow) -> None:
    raw = text(row.raw.get("uscc"))
    if _code_stored_as_number(row, raw):
        row.errors.append(_code_error(raw))
        return
    try:
        check = check_uscc(raw)
    except ValidationError as error:
        row.errors.append(" ".join(error.messages))
        return
    row.values["uscc"], row.values["uscc_checksum_ok"] = check.code, check.checksum_ok
    if not check.checksum_ok:
        # docs/domain.md "Unified Social Credit Code": a warning
        row.warnings.append(checksum_warning(check))


def _read_row(row: InventoryRow, categories: dict, ranges: dict) -> None:
    raw, values = row.raw, row.values
    values["name_zh"] = text(raw.get("name_zh"))[:200]
    if not values["name_zh"]:
        row.errors.append(_("The legal name is missing."))
    category = text(raw.get("category"))
    values["category"] = categories.get(normalize_heading(category))
    if values["category"] is None:
        row.errors.append(
            _(
                "Unknown category “%(value)s”. Write one of: %(accepted)s; or ask Legal to add the word to the ledger words."
            )
            % {"value": category, "accepted": "、".join(str(label) for label in VendorCategory.labels)}
            if category
            else _("The category is missing.")
        )
    if is_channel_row(values):  # an own channel: no credit code, a kind (vendors/inventory/channels.py)
        read_channel(row)
    else:
        _read_code(row)
    individuals = text(raw.get("individuals"))
    values["individuals"] = ranges.get(normalize_heading(individuals), "") if individuals else ""
    if individuals and not values["individuals"]:
        row.errors.append(
            _("Unknown range of individuals “%(value)s”. Write one of: %(accepted)s.")
            % {"value": individuals, "accepted": "、".join(str(label) for label in IndividualsRange.labels)}
        )
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


def _check_owner(row: InventoryRow, owners: dict[str, set[int]], chosen: dict[str, int]) -> None:
    owner = text(row.raw.get("business_owner"))
    key = person_key(owner)
    matches = owners.get(key, set())
    if len(matches) > 1 and chosen.get(key) in matches:
        matches = {chosen[key]}
    row.values["business_owner_id"] = next(iter(matches)) if len(matches) == 1 else None
    if not owner:
        row.errors.append(_("The business owner is missing."))
    elif not matches:
        row.errors.append(
            _(
                "No active user is called “%(owner)s”: give the person's name as in their account (王晓雯), "
                "their user name or their e-mail address."
            )
            % {"owner": owner}
        )
    elif len(matches) > 1:
        row.errors.append(
            _("Several people are called “%(owner)s”: choose who is meant above the rows.") % {"owner": owner}
        )


def _merge(rows: list[InventoryRow]) -> None:
    """Rows giving the same credit code are one vendor: the first keeps, for each column, its own value or the
    first a later row gives; a later row giving another value is a conflict, shown as a warning on the first
    row (its value is kept). The later rows are MERGED, not saved on their own."""
    groups = defaultdict(list)
    for row in rows:
        if code := _code_key(row):
            groups[code].append(row)
    for group in groups.values():
        if len(group) < 2:
            continue
        first, later = group[0], group[1:]
        for column in COLUMNS:
            given = [(r.number, text(r.raw.get(column.key))) for r in group if text(r.raw.get(column.key))]
            if not given:
                continue
            first.raw[column.key] = given[0][1]
            others = [(n, v) for n, v in given[1:] if normalize_heading(v) != normalize_heading(given[0][1])]
            if others:
                first.warnings.append(
                    _(
                        "%(column)s differs between the rows of this credit code: %(values)s. The first is kept."
                    )
                    % {
                        "column": column.label,
                        "values": "; ".join(
                            _("“%(value)s” (row %(row)d)") % {"value": v, "row": n}
                            for n, v in given[:1] + others
                        ),
                    }
                )
        for row in later:
            row.action, row.merged_into = MERGED, first.number
        first.merged = [row.number for row in later]
        first.warnings.insert(
            0,
            ngettext(
                "Row %(rows)s gives the same credit code: merged into this row.",
                "Rows %(rows)s give the same credit code: merged into this row.",
                len(later),
            )
            % {"rows": ", ".join(str(row.number) for row in later)},
        )


def check_rows(rows: list[InventoryRow], *, owners_chosen: dict | None = None) -> list[OwnerChoice]:
    """Check every row; returns the owners' names several people answer to, for Legal to choose from."""
    words = legal_words()
    categories = category_map(words[InventoryWordKind.CATEGORY])
    ranges = choice_map(IndividualsRange.choices)
    _merge(rows)
    kept = [row for row in rows if row.action != MERGED]
    for row in kept:
        _text_errors(row)
        _read_row(row, categories, ranges)
    channel_duplicates(kept)
    owners = _owners({person_key(text(row.raw.get("business_owner"))) for row in kept} - {""})
    existing = _existing({row.values["uscc"] for row in kept if row.values.get("uscc")})
    channels = existing_channels(kept)
    for row in kept:
        _check_owner(row, owners, owners_chosen or {})
        if row.ok:
            found = channels.get(row.values["name_zh"]) if is_channel_row(row.values) else None
            _decide(row, found or existing.get(row.values["uscc"]))
    return _owner_choices(owners, owners_chosen or {}, kept)


def _owner_choices(owners: dict, chosen: dict, rows: list[InventoryRow]) -> list[OwnerChoice]:
    ambiguous: dict[str, str] = {}  # person key -> the name as the file first gives it
    for row in rows:
        owner = text(row.raw.get("business_owner"))
        key = person_key(owner)
        if len(owners.get(key, ())) > 1:
            ambiguous.setdefault(key, owner)
    if not ambiguous:
        return []
    people = get_user_model().objects.in_bulk({pk for key in ambiguous for pk in owners[key]})
    return [
        OwnerChoice(
            name=owner,
            people=sorted((people[pk] for pk in owners[key]), key=lambda u: u.pk),
            chosen=chosen.get(key) if chosen.get(key) in owners[key] else None,
        )
        for key, owner in ambiguous.items()
    ]


def _samples(parsed: ParsedFile, position: int) -> list[str]:
    found = []
    for _number, cells, _numeric in parsed.rows:
        if cells[position].strip() and cells[position] not in found:
            found.append(cells[position])
        if len(found) == 3:
            break
    return found


def column_choices(parsed: ParsedFile, choices: Choices) -> list[ColumnChoice]:
    """Each column read, with the key it is read as: recognised at upload, or as Legal chose in the preview
    (a column recognised is left as it is)."""
    return [
        ColumnChoice(
            position=position,
            heading=heading,
            key=key if key is not None else choices.columns.get(position),
            recognised=key is not None,
            samples=[] if key is not None else _samples(parsed, position),
        )
        for position, (heading, key) in enumerate(zip(parsed.headings, parsed.keys, strict=True))
    ]


def inventory_check(parsed: ParsedFile, choices: Choices | None = None) -> InventoryPreview:
    """Check the rows read against the register as it is now, with the columns and owners Legal chose."""
    choices = choices or Choices()
    columns = column_choices(parsed, choices)
    read_as = {c.position: c.key for c in columns if c.key not in (None, IGNORE)}
    rows = []
    for number, cells, numeric in parsed.rows:
        rows.append(
            InventoryRow(
                number=number,
                raw={key: cells[position] for position, key in read_as.items()},
                numeric=frozenset(read_as[p] for p in numeric if p in read_as),
            )
        )
    owners = check_rows(rows, owners_chosen=choices.owners)
    missing = [str(c.label) for c in COLUMNS if c.required and c.key not in read_as.values()]
    return InventoryPreview(
        rows=rows, columns=columns, missing=missing, owners=owners, heading_row=parsed.heading_row
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


def inventory_read(data: bytes, name: str) -> InventoryPreview:
    """Read and check a whole file; raises InventoryRefused when the file as a whole cannot be used."""
    return inventory_check(inventory_parse(data, name))
