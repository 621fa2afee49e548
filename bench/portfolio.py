"""Benchmark: the portfolio at a glance on a large register.

Fills a throwaway SQLite database with VENDORS vendors (half on the approved list, ending over the next two
years; half in use, not vetted, a quarter of those overdue) and REVIEWS reviews with four stages each (passed,
waiting on a decider or with the requester, opened and decided over the last 120 days), then fetches
/portfolio/ and one CSV several times as Legal, printing the seconds of each run, the median and the number
of queries. Rows are bulk-created: the bench measures reading, not the workflow that writes them. Prints
figures; it never fails a build.

    .venv/bin/python bench/portfolio.py [--vendors 10000] [--reviews 5000] [--runs 5]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(workdir: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fill(vendors: int, reviews: int) -> None:
    from django.utils import timezone

    from reviews.models import STAGE_ORDER, QuestionnaireTemplate, Review, ReviewState, Stage, StageState
    from tests.factories import make_user, uscc_with_check
    from vendors.models import RiskTier, Vendor, VendorCategory, VendorStatus

    rng = random.Random(14)
    today, now = timezone.localdate(), timezone.now()
    requester = make_user("cmo", "Requester")
    rows = []
    for i in range(vendors):
        fields = {
            "name_zh": f"基准供应商{i}",
            "uscc": uscc_with_check(f"91310000{i:09d}"),
            "category": rng.choice(VendorCategory.values),
        }
        if i % 2:
            fields.update(
                status=VendorStatus.APPROVED,
                approved_until=today + timedelta(days=rng.randint(0, 730)),
                approval_reference=f"VD-BENCH-{i:06d}",
                risk_tier=rng.choice(RiskTier.values),
            )
        else:
            fields.update(
                status=VendorStatus.IN_USE, catch_up_due=today + timedelta(days=rng.randint(-30, 90))
            )
        rows.append(Vendor(**fields))
    Vendor.objects.bulk_create(rows, batch_size=2000)
    template = QuestionnaireTemplate.objects.get(subject="vendor", version=1)
    vendor_ids = list(Vendor.objects.values_list("pk", flat=True))
    Review.objects.bulk_create(
        [
            Review(
                number=f"BENCH-{i:06d}",
                vendor_id=vendor_ids[i % len(vendor_ids)],
                requester=requester,
                template=template,
                purpose="bench",
                expected_volume="lt100k",
                state=ReviewState.IN_PROGRESS if i % 3 else ReviewState.APPROVED,
            )
            for i in range(reviews)
        ],
        batch_size=2000,
    )
    stages = []
    for review_id, state in Review.objects.values_list("pk", "state"):
        current = len(STAGE_ORDER) if state == ReviewState.APPROVED else rng.randint(0, 3)
        for order, kind in enumerate(STAGE_ORDER):
            opened = now - timedelta(days=rng.uniform(1, 120))
            if order < current:
                stage = Stage(
                    state=StageState.PASSED,
                    opened_at=opened,
                    decided_at=opened + timedelta(days=rng.uniform(0.5, 20)),
                )
            elif order == current:
                waiting = rng.choice([StageState.OPEN, StageState.SUBMITTED, StageState.RETURNED])
                stage = Stage(
                    state=waiting,
                    opened_at=opened,
                    submitted_at=opened + timedelta(days=1),
                    decided_at=opened + timedelta(days=2) if waiting == StageState.RETURNED else None,
                )
            else:
                stage = Stage(state=StageState.LOCKED)
            stage.review_id, stage.kind, stage.order = review_id, kind, order + 1
            stages.append(stage)
    Stage.objects.bulk_create(stages, batch_size=4000)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--vendors", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _setup(Path(tmp))
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from tests.factories import make_user

        started = time.perf_counter()
        _fill(args.vendors, args.reviews)
        print(
            f"filled {args.vendors} vendors, {args.reviews} reviews ({args.reviews * 4} stages) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        client = Client()
        client.force_login(make_user("legal", "Legal", is_staff=True))
        for path in ("/portfolio/", "/portfolio/waiting.csv"):
            times = []
            for _ in range(args.runs):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
                    times.append(time.perf_counter() - started)
                assert response.status_code == 200, response.status_code
            print(
                f"{path}: "
                + ", ".join(f"{t:.3f}" for t in times)
                + f" s; median {statistics.median(times):.3f} s; {len(queries.captured_queries)} queries"
            )


if __name__ == "__main__":
    main()
