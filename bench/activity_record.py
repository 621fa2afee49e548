"""Benchmark: how long rendering a marketing activity's compliance record (营销活动合规确认单) and a scope
extension's addendum takes. Both are generated on request, while the user waits for the download.

Builds, in a throwaway SQLite database (bench/dossier.py's set-up), an approved SMS/EDM sender with a scope,
an activity using it with five findings, its conditions acknowledged, and an approved extension of the
sender's scope to SMS with its answers and two documents; then renders each 5 times, signed with a throwaway
self-signed certificate, and prints the seconds of each run and the median. Target: median under 2 s
(the user waits for the download).
Prints figures; it never fails a build.

    .venv/bin/python bench/activity_record.py [--runs 5] [--keep DIR] [--unsigned]
"""

import argparse
import io
import os
import statistics
import tempfile
import time
from pathlib import Path

from dossier import _setup  # bench/dossier.py: the throwaway database, storage and signing key
from pypdf import PdfReader

TARGET_SECONDS = 2.0


def _build():
    from django.utils import timezone

    from activities.extensions import extension_legal_decide, extension_request
    from activities.services import activity_acknowledge, activity_plan, activity_register
    from reviews import workflow
    from reviews.models import EvidenceKind
    from tests import builders
    from tests.factories import PASSWORD, VendorFactory, make_user, pdf_upload
    from vendors.models import VendorCategory
    from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope, ScopeCondition

    requester = make_user("cmo", "Requester", first_name="小明", last_name="王")
    legal = make_user("legal", "Legal", is_staff=True, first_name="琳", last_name="张")
    security = make_user("security", "Security", is_staff=True)
    vendor = VendorFactory(category=VendorCategory.SMS_EDM, name_zh="云信科技有限公司")
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security, vendor=vendor)
    workflow.review_sign_off(
        review=review,
        actor=legal,
        password=PASSWORD,
        statement="准予入库 / approved",
        scope=Scope.build(
            purposes=[Purpose.MEMBER_MARKETING],
            channels=[Channel.EDM],
            data_categories=[DataCategory.CONTACT],
            audience_sources=[AudienceSource.OWN_CONSENTED],
            ceiling=Ceiling.FROM_100K_TO_1M,
            conditions=[ScopeCondition.OPTED_IN_ONLY, ScopeCondition.UNSUBSCRIBE_EVERY_MESSAGE],
            other_conditions="仅限EDM渠道 / EDM only",
        ),
    )
    vendor.refresh_from_db()
    today = timezone.localdate()
    activity = activity_register(
        owner=requester,
        plan=activity_plan(
            name="会员春季焕新EDM / Spring member EDM",
            starts_on=today,
            ends_on=today,
            purpose=Purpose.MEMBER_MARKETING,
            channels=[Channel.EDM],
            vendors=[vendor],
            audience_source=AudienceSource.OWN_CONSENTED,
            data_categories=[DataCategory.CONTACT],
            volume=Ceiling.LT_100K,
        ),
    )
    activity = activity_acknowledge(activity=activity, actor=requester)
    answers = {
        code: {"value": value, "detail": detail}
        for code, (value, detail) in builders.answers_for(review).items()
        if code in ("A3", "C1", "C2", "C4")
    }
    extension = extension_request(
        vendor=vendor,
        requester=requester,
        additions=Scope.build(channels=[Channel.SMS]),
        reason="双十一会员短信提醒 / Singles' Day member SMS reminders",
        answers=answers,
        files={
            EvidenceKind.TELECOM_LICENCE: pdf_upload("增值电信业务经营许可证.pdf", "licence"),
            EvidenceKind.MARKETING_SAMPLES: pdf_upload("sms-samples.pdf", "samples"),
        },
    )
    extension = extension_legal_decide(
        extension=extension, actor=legal, approve=True, comment="同意扩展至短信渠道 / SMS approved"
    )
    return activity, extension


def _time(label: str, render, runs: int, keep: Path | None) -> None:
    times, rendered = [], None
    for run in range(1, runs + 1):
        t0 = time.perf_counter()
        rendered = render()
        times.append(time.perf_counter() - t0)
        print(f"{label} run {run}: {times[-1]:.2f} s, {len(rendered.pdf):,} bytes")
    median = statistics.median(times)
    pages = len(PdfReader(io.BytesIO(rendered.pdf)).pages)
    print(
        f"{label}: median {median:.2f} s over {runs} runs (target < {TARGET_SECONDS} s: "
        f"{'met' if median < TARGET_SECONDS else 'NOT met'}); {pages} page(s); "
        f"{'signed by ' + rendered.signature.signer if rendered.signature.signed else 'UNSIGNED'}"
    )
    if keep is not None:
        (keep / rendered.filename).write_bytes(rendered.pdf)
        print(f"wrote {keep / rendered.filename}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="also write the last rendered PDFs to this folder")
    parser.add_argument("--unsigned", action="store_true", help="render without a signing key")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vetted-bench-") as tmp:
        _setup(Path(tmp), sign=not args.unsigned)
        from activities.records.render import activity_record_render, extension_addendum_render

        started = time.perf_counter()
        activity, extension = _build()
        print(
            f"built activity {activity.reference} ({len(activity.findings)} findings) and extension "
            f"{extension.number} in {time.perf_counter() - started:.1f} s"
        )
        _time("activity record", lambda: activity_record_render(activity), args.runs, args.keep)
        _time("extension addendum", lambda: extension_addendum_render(extension), args.runs, args.keep)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
