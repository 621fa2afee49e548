"""Writes the .xls ledgers beside this file: each is an .xlsx workbook written with openpyxl (from
tests/vendors/ledger_files.py), converted by LibreOffice as Excel 97-2003 saves it. Run from the repository's
root, with LibreOffice's `soffice` on the path:

    .venv/bin/python -m tests.vendors.ledgers.make
"""

import datetime as dt
import os
import subprocess
import tempfile
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from tests.vendors.ledger_files import HEADINGS, ledger_rows, ledger_xlsx  # noqa: E402 (after setup)

HERE = Path(__file__).resolve().parent


def ledger() -> bytes:
    """The ledger of ledger_files as kept, with a start date in a date cell (row 1) and in a date-and-time
    cell (row 5); row 2 keeps its date as text, row 4 its credit code as a number."""
    rows = ledger_rows()
    rows[0][5] = dt.date(2024, 3, 1)
    rows[4][5] = dt.datetime(2025, 5, 20, 9, 30)
    return ledger_xlsx(rows)


def wide() -> bytes:
    """A ledger with a value in the last cell an .xls sheet has (IV65536)."""
    import io

    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(ledger_xlsx(ledger_rows()[:1], HEADINGS, title=None)))
    workbook.active.cell(row=65536, column=256, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, data in (("ledger", ledger()), ("wide", wide())):
            source = Path(folder) / f"{name}.xlsx"
            source.write_bytes(data)
            subprocess.run(
                ["soffice", "--headless", "--convert-to", "xls", "--outdir", str(HERE), str(source)],
                check=True,
                capture_output=True,
            )
            print(HERE / f"{name}.xls", (HERE / f"{name}.xls").stat().st_size)


if __name__ == "__main__":
    main()
