"""Benchmark: how fast `verify_audit` walks the audit chain, and whether its memory stays flat.

Creates a throwaway PostgreSQL database, migrates it, seeds N audit events chained by the project's own
hashing (AuditEvent.compute_hash), then verifies the chain in a fresh process, so that the peak resident set
size measured is that of verification alone, and drops the database. Prints events per second and peak
RSS, for N and for N/4: flat memory means the two peaks are about the same. Target: >= 100,000 events/s.
The rate is given by the wall clock and by the verifying process's CPU time; the second is the steadier
figure on a shared machine (the first includes waiting for a busy database server). Prints figures; it
never fails a build.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/audit_verify.py [--events 200000]

DATABASE_URL names the server (its database part is ignored); the bench's own database is named
vetted_bench_audit_<pid> and dropped at the end, even after an error.
"""

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from child import child_figures  # noqa: E402  (bench/, beside this script)
from pg_server import admin_sql, database_url  # noqa: E402

BATCH = 5000


def _django(database: str) -> None:
    os.environ["DATABASE_URL"] = database_url(database)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()


def _seed(total: int) -> None:
    """Chain `total` events in batches, as audit_record would, without keeping them all in memory."""
    from django.db import transaction
    from django.utils import timezone

    from reviews.models import AuditEvent
    from reviews.models.audit import GENESIS

    prev = AuditEvent.objects.order_by("-pk").values_list("hash", flat=True).first() or GENESIS
    now = timezone.now()
    done = 0
    while done < total:
        batch = []
        for i in range(done, min(done + BATCH, total)):
            event = AuditEvent(
                at=now,
                actor_label="bench",
                action="stage.passed",
                object_type="stage",
                object_id=str(i),
                data={"stage": "questionnaire", "round": 1, "comment": f"通过 / passed {i}"},
                prev_hash=prev,
            )
            event.hash = event.compute_hash()
            prev = event.hash
            batch.append(event)
        with transaction.atomic():
            AuditEvent.objects.bulk_create(batch)
        done += len(batch)


def _verify_only(database: str) -> None:
    """Run in a child process: verify once, print the figures as JSON."""
    _django(database)
    from reviews.audit import audit_verify

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu_started = time.perf_counter(), time.process_time()
    report = audit_verify()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "checked": report.checked,
                "ok": report.ok,
                "seconds": seconds,
                "cpu": cpu,
                "rss_before_kib": rss_before,
                "rss_peak_kib": rss_after,
            }
        )
    )


def _measure(database: str) -> dict:
    return child_figures(__file__, "--verify-only", database)


def _print(figures: dict) -> None:
    rate = figures["checked"] / figures["seconds"]
    print(
        f"  {figures['checked']:>9,} events  {figures['seconds']:7.2f} s  {rate:>10,.0f} events/s  "
        f"peak RSS {figures['rss_peak_kib'] / 1024:6.1f} MiB "
        f"(+{(figures['rss_peak_kib'] - figures['rss_before_kib']) / 1024:.1f} MiB while verifying);"
        f" CPU {figures['checked'] / figures['cpu']:,.0f} events/s"
        f"{'' if figures['ok'] else '  CHAIN REPORTED BROKEN'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--verify-only", metavar="DATABASE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.verify_only:
        _verify_only(args.verify_only)
        return

    database = f"vetted_bench_audit_{os.getpid()}"
    admin_sql(f'CREATE DATABASE "{database}"')
    try:
        _django(database)
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        quarter = args.events // 4
        started = time.perf_counter()
        _seed(quarter)
        small = _measure(database)
        _seed(args.events - quarter)
        seeded = time.perf_counter() - started
        large = _measure(database)
        connections.close_all()
        print(f"verify_audit on PostgreSQL ({args.events:,} events seeded in {seeded:.0f} s):")
        _print(small)
        _print(large)
        print(
            f"memory growth from {small['checked']:,} to {large['checked']:,} events: "
            f"{(large['rss_peak_kib'] - small['rss_peak_kib']) / 1024:+.1f} MiB; "
            f"rate at {large['checked']:,}: {large['checked'] / large['seconds']:,.0f} events/s "
            f"(target >= 100,000)"
        )
    finally:
        from django.db import connections

        connections.close_all()
        admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
