"""Benchmark: reading, checking and saving an inventory file of 5,000 rows, as XLSX and as GBK CSV.

In a throwaway SQLite database, uploads each file through vendors.inventory.services.inventory_upload (read,
check every row, store the file) and confirms it (read again from the stored file, save), then imports the
same file once more (every row unchanged), and prints the seconds of each step and the peak memory: the
Python allocations of reading and checking the file (one more, untimed run under tracemalloc), and the
process's maximum resident set size. Then times the refusal of hostile files, which the import refuses while
reading (vendors/inventory/reading.py): a 2 KB workbook declaring a million rows, a real workbook of a million
rows (about 2.4 MB), a workbook with one cell of a megabyte, a CSV file with a cell of 20 MB; for each, the
seconds until refused, the peak Python allocations and the rows of XML parsed. Prints figures; it never fails
a build.

    .venv/bin/python bench/inventory_import.py [--rows 5000] [--skip-hostile]
"""

import argparse
import contextlib
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(workdir: Path) -> None:
    # The bench never touches a real database or the project's files: everything lives in `workdir`.
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PRIVATE_MEDIA_ROOT = workdir / "private"
    call_command("migrate", verbosity=0)


def _timed(label: str, function, **kwargs):
    started, cpu = time.perf_counter(), time.process_time()
    result = function(**kwargs)
    print(
        f"  {label:<34} {time.perf_counter() - started:6.2f} s wall, {time.process_time() - cpu:6.2f} s CPU"
    )
    return result


def _peak_allocations(function, *args) -> float:
    """MiB allocated by Python at the peak of one call (an extra, untimed run: tracemalloc slows it)."""
    tracemalloc.start()
    function(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024


def _rows_xlsx(count: int, cells: int) -> bytes:
    """A real workbook of `count` rows of `cells` cells, its sheet written to the zip as a stream."""
    import io
    import zipfile

    from tests.vendors.inventory_files import HEADINGS_ZH, handmade_xlsx, row

    small = handmade_xlsx([(1, HEADINGS_ZH)])
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(small)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for name in source.namelist():
            if name != "xl/worksheets/sheet1.xml":
                out.writestr(name, source.read(name))
        head, _sep, tail = source.read("xl/worksheets/sheet1.xml").decode().partition("</sheetData>")
        with out.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(head.encode())
            values = row(1)
            line = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values[:cells])
            for _n in range(count):
                sheet.write(f"<row>{line}</row>".encode())
            sheet.write(("</sheetData>" + tail).encode())
    return buffer.getvalue()


def _hostile() -> None:
    from openpyxl.worksheet._reader import WorkSheetParser

    from tests.vendors.inventory_files import HEADINGS_ZH, csv_bytes, handmade_xlsx, row
    from vendors.inventory.reading import InventoryRefused, inventory_parse

    parsed = [0]
    parse_row = WorkSheetParser.parse_row

    def counting(self, element):
        parsed[0] += 1
        return parse_row(self, element)

    WorkSheetParser.parse_row = counting
    files = {
        "2 KB workbook declaring 1,000,000 rows": (
            "x.xlsx",
            handmade_xlsx([(1, HEADINGS_ZH), (2, row(1)), (1_000_000, row(2))], dimension="A1:XFD1000000"),
        ),
        "workbook of 1,000,000 rows": ("x.xlsx", _rows_xlsx(1_000_000, 2)),
        "workbook of 100,000 rows, small enough unpacked": ("x.xlsx", _rows_xlsx(100_000, 1)),
        "workbook with a 1 MB cell": (
            "x.xlsx",
            handmade_xlsx([(1, HEADINGS_ZH), (2, row(1, systems="x" * 2**20))]),
        ),
        "CSV with a 20 MB cell": ("x.csv", csv_bytes([row(1, systems="x" * 20 * 2**20)], encoding="utf-8")),
    }
    print("hostile files, refused while read:")
    for label, (name, data) in files.items():
        parsed[0] = 0
        started = time.perf_counter()
        try:
            inventory_parse(data, name)
            outcome = "read (not refused!)"
        except InventoryRefused as refusal:
            outcome = f"refused: {str(refusal)[:70]}…"
        seconds, rows = time.perf_counter() - started, parsed[0]
        tracemalloc.start()
        with contextlib.suppress(InventoryRefused):
            inventory_parse(data, name)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"  {label} ({len(data) / 1024:,.0f} KiB): {seconds:.2f} s, peak {peak / 2**20:.1f} MiB, "
            f"{rows:,} XML rows parsed; {outcome}"
        )
    WorkSheetParser.parse_row = parse_row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--skip-hostile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _setup(Path(tmp))
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.factories import make_user
        from tests.vendors.inventory_files import csv_bytes, many_rows, xlsx_bytes
        from vendors.inventory.services import inventory_confirm, inventory_upload
        from vendors.models import Vendor

        legal = make_user("bench-legal", "Legal", is_staff=True)
        make_user("cmo", "Requester")
        rows = many_rows(args.rows)
        files = {"xlsx": ("inventory.xlsx", xlsx_bytes(rows)), "gbk-csv": ("inventory.csv", csv_bytes(rows))}
        from vendors.inventory.reading import inventory_read

        for kind, (name, data) in files.items():
            Vendor.objects.all().delete()
            print(f"{kind}: {args.rows:,} rows, {len(data) / 1024:,.0f} KiB")
            record, preview = _timed(
                "upload, read and check (preview)",
                inventory_upload,
                upload=SimpleUploadedFile(name, data),
                actor=legal,
            )
            record = _timed(
                "confirm (read again, save)", inventory_confirm, inventory_import=record, actor=legal
            )
            print(f"  added {record.created_count:,}, rows with errors {len(preview.error_rows)}")
            again, _ = inventory_upload(upload=SimpleUploadedFile(name, data), actor=legal)
            again = _timed(
                "import again (all unchanged)", inventory_confirm, inventory_import=again, actor=legal
            )
            print(
                f"  unchanged {again.unchanged_count:,}, vendors in the register {Vendor.objects.count():,}"
            )
            print(
                f"  peak Python allocations reading and checking the file: "
                f"{_peak_allocations(inventory_read, data, name):.1f} MiB (tracemalloc)"
            )
        if not args.skip_hostile:
            _hostile()
        print(
            f"peak memory: process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
        )


if __name__ == "__main__":
    main()
