"""Benchmark: what the CSV export of the approved list adds to a process's memory, and how fast it streams.

Seeds N approved vendors (5,000 by default) in a throwaway database, then, in a fresh process, serves the export
(vendors.views.approved_csv) once with a filter that matches one vendor, to load what any request loads, resets
the process's peak resident set size (/proc/self/clear_refs), and consumes the streamed response of every
vendor. Prints the peak RSS the export added (target < 2 MB), the rows and bytes written and the rows per second.
Prints figures; it never fails a build.

    .venv/bin/python bench/export_memory.py [--vendors 5000]                      # a temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/export_memory.py --postgres

With --postgres, DATABASE_URL names the server (its database part is ignored); the bench's own database is named
vetted_bench_export_<pid> and dropped at the end, even after an error.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from child import child_figures  # noqa: E402  (bench/, beside this script)
from pg_server import admin_sql, database_url  # noqa: E402

BATCH = 1000


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()


def _seed(total: int) -> None:
    """`total` approved vendors with every column the export writes, some names a formula to escape. Written in
    bulk: admitting each through vendors.services would take minutes and measure nothing more here."""
    from django.core.management import call_command
    from django.utils import timezone

    from vendors.models import RiskTier, Vendor, VendorCategory, VendorStatus
    from vendors.uscc import check_character

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    categories, tiers = VendorCategory.values, [RiskTier.LOW, RiskTier.MEDIUM, RiskTier.HIGH]
    for start in range(0, total, BATCH):
        Vendor.objects.bulk_create(
            [
                Vendor(
                    name_zh=f"上海数智营销科技有限公司{n}" if n % 50 else f'=HYPERLINK("x","{n}")',
                    name_en=f"Shanghai Data Marketing Tech {n}",
                    uscc=f"91310000{n:09d}" + check_character(f"91310000{n:09d}"),
                    category=categories[n % len(categories)],
                    status=VendorStatus.APPROVED,
                    approved_until=today + timedelta(days=30 + n % 700),
                    approval_reference=f"VD-BENCH-{n:05d}",
                    risk_tier=tiers[n % 3],
                    nearest_cert_expiry=today + timedelta(days=60 + n % 900) if n % 4 else None,
                )
                for n in range(start, min(start + BATCH, total))
            ]
        )


def _rss_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _export(user, params: dict) -> tuple[int, int, object]:
    """Serve the export as a request would and consume it: (rows, bytes, response)."""
    from django.http import StreamingHttpResponse
    from django.test import RequestFactory

    from vendors.views import approved_csv

    request = RequestFactory().get("/vendors/export.csv", params)
    request.user = user
    response = approved_csv(request)
    assert isinstance(response, StreamingHttpResponse), type(response)
    lines = size = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
        size += len(chunk)
    response.close()
    return lines - 1, size, response  # less the header


def _consume(url: str) -> None:
    """Run in a child process: warm up, reset the peak, export everything, print the figures as JSON."""
    _django(url)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get_or_create(username="bench-export")[0]
    warm_rows, _size, _response = _export(user, {"q": "数智营销科技有限公司1"})
    del _response
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")  # resets VmHWM, the peak resident set size, to the current one
        reset = True
    except OSError:
        reset = False
    before = _rss_kib("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    rows, size, _response = _export(user, {})
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = _rss_kib("VmHWM")
    del _response
    # Once more: what the first export added for good (the database driver's page cache, the allocator's
    # arenas) is in place, so the second shows what streaming itself holds.
    if reset:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    again_before = _rss_kib("VmRSS")
    _export(user, {})
    print(
        json.dumps(
            {
                "rows": rows,
                "bytes": size,
                "seconds": seconds,
                "cpu": cpu,
                "rss_before_kib": before,
                "peak_kib": peak,
                "again_before_kib": again_before,
                "again_peak_kib": _rss_kib("VmHWM"),
                "peak_reset": reset,
                "warm_rows": warm_rows,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=5000)
    parser.add_argument(
        "--postgres", action="store_true", help="seed a PostgreSQL database, not a SQLite file"
    )
    parser.add_argument("--consume", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.consume:
        _consume(args.consume)
        return

    with tempfile.TemporaryDirectory(prefix="vetted-bench-export-") as folder:
        database = f"vetted_bench_export_{os.getpid()}"
        url = database_url(database) if args.postgres else f"sqlite:///{folder}/export.sqlite3"
        if args.postgres:
            admin_sql(f'CREATE DATABASE "{database}"')
        try:
            _django(url)
            started = time.perf_counter()
            _seed(args.vendors)
            seeded = time.perf_counter() - started
            from django.db import connections

            connections.close_all()
            figures = child_figures(__file__, "--consume", url)
        finally:
            if args.postgres:
                from django.db import connections

                connections.close_all()
                admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    added = (figures["peak_kib"] - figures["rss_before_kib"]) / 1024
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"CSV export on {'PostgreSQL' if args.postgres else 'SQLite'} ({args.vendors:,} approved vendors seeded "
        f"in {seeded:.0f} s), load average {load}:"
    )
    print(
        f"  {figures['rows']:,} rows, {figures['bytes'] / 1024:,.0f} KiB in {figures['seconds']:.2f} s: "
        f"{figures['rows'] / figures['seconds']:,.0f} rows/s ({figures['rows'] / figures['cpu']:,.0f} rows/s of "
        f"CPU time)"
    )
    note = (
        ""
        if figures["peak_reset"]
        else " (peak not reset: /proc/self/clear_refs not writable; an upper bound)"
    )
    again = (figures["again_peak_kib"] - figures["again_before_kib"]) / 1024
    print(
        f"  peak RSS added while streaming: {added:+.2f} MiB the first time, {again:+.2f} MiB the second{note} "
        f"(target < 2 MB)"
    )
    if figures["rows"] != args.vendors:
        print(f"  EXPORT INCOMPLETE: {figures['rows']:,} rows for {args.vendors:,} vendors")


if __name__ == "__main__":
    main()
