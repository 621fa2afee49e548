"""Benchmark: how long rendering one large approval dossier takes, and how much memory it needs.

Builds, in a throwaway SQLite database, one approved review with 60 answers, 40 evidence files and 300 audit
events, walking it through the real services, then renders its dossier 5 times (the files of the approved
round embedded, signed with a certificate from a CA served on loopback and timestamped by its RFC 3161 TSA,
the revocation data embedded: PAdES B-LT, as in production with a TSA) and prints the seconds of each run, the
median and the peak memory. Target: median under 3 s. Prints figures; it never fails a build.

    .venv/bin/python bench/dossier.py [--runs 5] [--keep FILE.pdf] [--trace-memory] [--no-tsa | --unsigned]
                                      [--profile] [--cprofile N]

--profile prints, after each run and as medians, where the time went, phase by phase (wall and CPU seconds,
each phase without the phases inside it): the context's queries and sentences, reading and hashing the files,
the template, WeasyPrint's layout, its PDF writing (fonts subset and embedded, files embedded), the signature
(pre-sign validation with the revocation data fetched, the timestamp, the DSS), and what the loopback PKI's
server threads spent answering (already counted in the phases that asked). --cprofile N adds one untimed
run under cProfile and prints its N costliest functions by cumulative time (the main thread only).

Peak memory is the process's maximum resident set size (it includes Pango, HarfBuzz and the CJK fonts);
--trace-memory adds one untimed run under tracemalloc for the Python allocations alone (slow).
"""

import argparse
import collections
import cProfile
import functools
import inspect
import io
import os
import pstats
import resource
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ANSWERS, EVIDENCE, EVENTS = 60, 40, 300


def _setup(workdir: Path, *, sign: bool) -> None:
    # The bench never touches a real database or the project's files: everything lives in `workdir`.
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.conf import settings

    settings.PRIVATE_MEDIA_ROOT = workdir / "private"  # vendors.storage.PrivateStorage follows it
    if sign:
        from reviews.dossier.signing import self_signed_pkcs12

        archive, _pem = self_signed_pkcs12(
            common_name="Vetted bench", organisation="Vetted", passphrase=b"bench"
        )
        (workdir / "signing.p12").write_bytes(archive)
        settings.VETTED_SIGNING_PKCS12, settings.VETTED_SIGNING_PASSPHRASE = (
            str(workdir / "signing.p12"),
            "bench",
        )
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from config.celery_app import app

    # The sign-off queues a dossier; leave it in the in-memory broker: the bench renders it itself.
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"


def _bench_template():
    """Questionnaire v1 plus a section of extra text questions, so that the review can hold 60 answers."""
    from reviews.models import AnswerType, Question, QuestionnaireTemplate, Section

    v1 = QuestionnaireTemplate.objects.get(subject="vendor", version=1)
    template = QuestionnaireTemplate.objects.create(
        version=900, title_zh=v1.title_zh + "（基准）", title_en=v1.title_en + " (bench)", is_active=True
    )
    QuestionnaireTemplate.objects.filter(subject="vendor").exclude(pk=template.pk).update(is_active=False)
    count = 0
    for section in Section.objects.filter(template=v1).order_by("order"):
        copy = Section.objects.create(
            template=template,
            code=section.code,
            order=section.order,
            title_zh=section.title_zh,
            title_en=section.title_en,
        )
        for q in section.questions.order_by("order"):
            q.pk, q.section = None, copy
            q.save()
            count += 1
    extra = Section.objects.create(
        template=template, code="X", order=99, title_zh="补充说明", title_en="Additional statements"
    )
    for i in range(1, ANSWERS - count + 1):
        Question.objects.create(
            section=extra,
            code=f"X{i}",
            order=i,
            answer_type=AnswerType.TEXT,
            required=True,
            text_zh=f"请补充说明贵司在第{i}项数据处理活动中的目的、方式、数据类型、保存期限及安全措施。",
            text_en=f"Describe the purpose, method, data types, retention and safeguards of activity {i}.",
            legal_basis="PIPL Art. 17, 21, 51",
        )
    return template


def _build_review():
    from django.utils import timezone

    from reviews import workflow
    from reviews.evidence import evidence_add, evidence_withdraw
    from reviews.models import AuditEvent, Evidence, EvidenceKind, Review, StageKind
    from reviews.questionnaire.answers import answers_save
    from reviews.submission import required_evidence_kinds
    from tests import builders
    from tests.factories import PASSWORD, make_user, pdf_upload

    requester = make_user("cmo", "Requester", first_name="Xiaoming", last_name="Wang")
    legal = make_user("legal", "Legal", is_staff=True, first_name="Lin", last_name="Zhang")
    security = make_user("security", "Security", is_staff=True)
    _bench_template()
    review = builders.start_review(requester)
    builders.fill_questionnaire(review, requester)
    stage = builders.stage_of(review, StageKind.QUESTIONNAIRE)
    answers = builders.answers_for(review)
    # Drafts saved over time: each save is one audit event, as when a requester works through the form.
    existing = Evidence.objects.filter(review=review).count()
    extra_files = EVIDENCE - existing - len(required_evidence_kinds(review))  # data-source files come later
    # Audit events still to come after the drafts below: one per extra file and withdrawal, one per
    # data-source file, the certificate, three submissions and passes, the sign-off and the dossier request.
    withdrawn = [i for i in range(extra_files) if i % 7 == 3]
    still_to_come = extra_files + len(withdrawn) + len(required_evidence_kinds(review)) + 1 + 3 + 3 + 1 + 1
    # Drafts saved over time: each save is one audit event, as when a requester works through the form.
    round_no = 0
    while AuditEvent.objects.filter(review=review).count() < EVENTS - still_to_come:
        round_no += 1
        code = f"X{round_no % 20 + 1}"
        value, _ = answers[code]
        answers_save(
            review=review,
            actor=requester,
            answers={
                code: (
                    value,
                    (
                        f"第{round_no}稿：数据仅用于会员营销，保存180天后删除。 "
                        f"Draft {round_no}: for member marketing only, deleted after "
                        "180 days."
                    ),
                )
            },
        )
    for i in range(extra_files):
        upload = pdf_upload(f"补充材料-supporting-document-{i + 1:02d}.pdf", text=f"bench {i}")
        item, _ = evidence_add(stage=stage, actor=requester, kind=EvidenceKind.OTHER, upload=upload)
        if i in withdrawn:
            evidence_withdraw(evidence=item, actor=requester)
    workflow.stage_submit(stage=stage, actor=requester)
    workflow.stage_pass(stage=stage, actor=legal, comment="问卷内容完整，无红旗项。/ Complete, no red flag.")
    for kind in (StageKind.DATA_SOURCE, StageKind.SECURITY):
        builders.pass_stage(review, kind, requester, legal=legal, security=security)
    workflow.review_sign_off(
        review=Review.objects.get(pk=review.pk),
        actor=legal,
        password=PASSWORD,
        statement="经审查，该供应商符合我司个人信息保护要求，准予入库。/ The vendor meets our PI protection requirements.",
        conditions="每季度提供同意日志抽样；新增分包方须事先书面同意。/ Quarterly consent-log samples; "
        "prior written consent for new sub-processors.",
    )
    review = Review.objects.get(pk=review.pk)
    return review, timezone.now()


class Phases:
    """Wall and CPU seconds per phase of a render, each phase without the phases nested in it (the time
    between entering and leaving a phase is charged to the innermost one open). CPU is the process's:
    it includes the threads pyHanko fetches in and the loopback PKI's server threads."""

    OTHER = "other (render glue)"

    def __init__(self):
        self.stack: list[str] = []
        self.totals: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0.0])
        self.mark = (0.0, 0.0)

    def _charge(self) -> None:
        now = (time.perf_counter(), time.process_time())
        if self.stack:
            total = self.totals[self.stack[-1]]
            total[0] += now[0] - self.mark[0]
            total[1] += now[1] - self.mark[1]
        self.mark = now

    def enter(self, name: str) -> None:
        self._charge()
        self.stack.append(name)

    def leave(self) -> None:
        self._charge()
        self.stack.pop()

    def reset(self) -> dict[str, tuple[float, float]]:
        totals = {name: (wall, cpu) for name, (wall, cpu) in self.totals.items()}
        self.totals.clear()
        return totals

    def wrap(self, owner, attribute: str, name: str) -> None:
        """Charge the calls of owner.attribute (a function, a method or a coroutine function) to `name`."""
        raw = inspect.getattr_static(owner, attribute)
        kind = type(raw) if isinstance(raw, (classmethod, staticmethod)) else None
        function = raw.__func__ if kind else raw
        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def timed(*args, **kwargs):
                self.enter(name)
                try:
                    return await function(*args, **kwargs)
                finally:
                    self.leave()

        else:

            @functools.wraps(function)
            def timed(*args, **kwargs):
                self.enter(name)
                try:
                    return function(*args, **kwargs)
                finally:
                    self.leave()

        setattr(owner, attribute, kind(timed) if kind else timed)


class ServerTime:
    """CPU and wall seconds the loopback PKI's server threads spend per service (TSA, OCSP, CRL, ...)."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.totals: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0.0, 0.0])

    def __call__(self, environ, start_response):
        t0, c0 = time.perf_counter(), time.thread_time()
        body = list(self.app(environ, start_response))  # the whole answer computed in this thread
        service = environ.get("PATH_INFO", "").strip("/").split("/")[1:2] or ["?"]
        with self.lock:
            total = self.totals[service[0]]
            total[0] += 1
            total[1] += time.perf_counter() - t0
            total[2] += time.thread_time() - c0
        return body

    def reset(self) -> dict[str, tuple[int, float, float]]:
        with self.lock:
            totals = {name: tuple(values) for name, values in self.totals.items()}
            self.totals.clear()
        return totals


def _instrument() -> Phases:
    """Wrap the functions each phase of a render goes through (in this process only)."""
    import weasyprint
    import weasyprint.pdf
    from pyhanko.sign.signers import pdf_signer
    from pyhanko.sign.timestamps.api import TimeStamper
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from weasyprint.document import Document

    from reviews.dossier import render, signing

    phases = Phases()
    phases.wrap(render, "dossier_render", Phases.OTHER)
    phases.wrap(render, "dossier_context", "context: queries, sentences, audit hashes")
    phases.wrap(render, "dossier_files", "files: read and SHA-256")
    phases.wrap(render, "_html", "template render")
    phases.wrap(weasyprint.HTML, "render", "WeasyPrint: parse, style, layout")
    phases.wrap(Document, "write_pdf", "WeasyPrint: PDF write")
    phases.wrap(weasyprint.pdf, "build_fonts_dictionary", "WeasyPrint: fonts subset and embedded")
    phases.wrap(weasyprint.pdf, "write_pdf_attachment", "WeasyPrint: files embedded")
    phases.wrap(signing, "pdf_sign", "signing: CMS, digest, incremental writes")
    phases.wrap(
        pdf_signer.PdfSigningSession,
        "perform_presign_validation",
        "signing: pre-sign validation, revocation fetched",
    )
    phases.wrap(TimeStamper, "async_timestamp", "signing: timestamp requests")
    phases.wrap(DocumentSecurityStore, "add_dss", "signing: DSS written")
    phases.wrap(DocumentSecurityStore, "supply_dss_in_writer", "signing: DSS written")
    return phases


def _print_phases(label: str, split: dict[str, tuple[float, float]]) -> None:
    wall, cpu = sum(w for w, _ in split.values()), sum(c for _, c in split.values())
    print(f"  {label} (total {wall:.2f} s wall, {cpu:.2f} s CPU):")
    for name, (w, c) in sorted(split.items(), key=lambda item: -item[1][1]):
        print(f"    {w:6.2f} s wall {c:6.2f} s CPU  {name}")


def _print_server(label: str, totals: dict[str, tuple[int, float, float]]) -> None:
    if not totals:
        return
    parts = ", ".join(
        f"{name} {n}x {w:.2f} s wall {c:.2f} s CPU" for name, (n, w, c) in sorted(totals.items())
    )
    print(f"  {label}: {parts} (counted in the phases above)")


def _median_split(splits: list[dict]) -> dict[str, tuple[float, float]]:
    names = {name for split in splits for name in split}
    return {
        name: (
            statistics.median(split.get(name, (0.0, 0.0))[0] for split in splits),
            statistics.median(split.get(name, (0.0, 0.0))[1] for split in splits),
        )
        for name in names
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="also write the last rendered PDF to this file")
    parser.add_argument("--trace-memory", action="store_true", help="one more run under tracemalloc")
    parser.add_argument("--unsigned", action="store_true", help="render without a signing key")
    parser.add_argument(
        "--no-tsa",
        action="store_true",
        help="sign with a self-signed key and no timestamp (PAdES B-B) instead of the loopback CA and TSA",
    )
    parser.add_argument("--profile", action="store_true", help="print the time of each phase of each run")
    parser.add_argument(
        "--cprofile",
        type=int,
        default=0,
        metavar="N",
        help="one more run under cProfile: its N costliest calls",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vetted-bench-") as tmp:
        _setup(Path(tmp), sign=not args.unsigned)
        pki = None if args.unsigned or args.no_tsa else _loopback_pki(Path(tmp))
        from reviews.dossier import render
        from reviews.models import AuditEvent, Evidence

        phases = _instrument() if args.profile else None
        server = None
        if args.profile and pki is not None:
            server = pki._server.app = ServerTime(pki._server.app)

        started = time.perf_counter()
        review, _ = _build_review()
        files = Evidence.objects.filter(review=review).count()
        events = AuditEvent.objects.filter(review=review).count()
        print(
            f"built review {review.number} in {time.perf_counter() - started:.1f} s: "
            f"{review.answers.count()} answers, {files} evidence files, {events} audit events"
        )
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        times, cpu_times, pdf = [], [], b""
        py_peak = None
        splits, server_splits = [], []
        for run in range(1, args.runs + 1 + args.trace_memory):
            tracing = run > args.runs  # tracemalloc slows rendering: an extra, untimed run measures memory
            if tracing:
                tracemalloc.start()
            t0, c0 = time.perf_counter(), time.process_time()
            rendered = render.dossier_render(review)
            pdf = rendered[1]
            elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
            if tracing:
                _, py_peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
            else:
                times.append(elapsed)
                cpu_times.append(cpu)
            print(
                f"run {run}: {elapsed:.2f} s wall, {cpu:.2f} s CPU"
                f"{' (extra run under tracemalloc, not counted)' if tracing else ''}, {len(pdf):,} bytes"
            )
            if phases is not None:
                splits.append(phases.reset())
                _print_phases(f"run {run} by phase", splits[-1])
            if server is not None:
                server_splits.append(server.reset())
                _print_server("loopback PKI server threads", server_splits[-1])
        if args.cprofile:
            profiler = cProfile.Profile()
            profiler.runcall(render.dossier_render, review)
            print(f"cProfile of one more run (not counted), {args.cprofile} costliest by cumulative time:")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.cprofile)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        median = statistics.median(times) if times else float("nan")
        signature = rendered.signature
        print(
            f"pages: {pages}; {rendered.embedded} files embedded; "
            + (
                f"signed by {signature.signer}, PAdES {signature.level}"
                + (f", timestamp from {signature.tsa}" if signature.tsa else "")
                + f"; DSS {'embedded' if b'/DSS' in pdf else 'absent'}"
                if signature.signed
                else "UNSIGNED"
            )
        )
        print(
            f"median: {median:.2f} s wall, {statistics.median(cpu_times):.2f} s CPU over {len(times)} runs "
            f"(target < 3 s: {'met' if median < 3 else 'NOT met'}; load average {os.getloadavg()[0]:.1f} "
            f"on {os.cpu_count()} CPUs)"
        )
        if splits:
            _print_phases(f"median by phase over {len(splits)} runs", _median_split(splits[: len(times)]))
        if server_splits:
            _print_server(
                "loopback PKI server threads, median",
                {
                    name: (
                        int(statistics.median(split.get(name, (0, 0, 0))[0] for split in server_splits)),
                        statistics.median(split.get(name, (0, 0, 0))[1] for split in server_splits),
                        statistics.median(split.get(name, (0, 0, 0))[2] for split in server_splits),
                    )
                    for name in {name for split in server_splits for name in split}
                },
            )
        print(
            f"peak memory: process max RSS {rss_after / 1024:.0f} MiB "
            f"(before rendering {rss_before / 1024:.0f} MiB)"
            + (
                f"; Python allocations in one render {py_peak / 1024 / 1024:.0f} MiB (tracemalloc)"
                if py_peak is not None
                else ""
            )
        )
        if args.keep:
            Path(args.keep).write_bytes(pdf)
            print(f"wrote {args.keep}")
            if pki is not None:
                keep_root = Path(args.keep).with_suffix(".root.crt")
                keep_root.write_bytes(pki.root_pem.read_bytes())
                print(f"wrote {keep_root} (the loopback CA's root, to verify it)")
        if pki is not None:
            pki.stop()


def _loopback_pki(workdir: Path):
    """Sign with a certificate from a CA on loopback and timestamp with its RFC 3161 TSA (tests/pki.py,
    certomancer from the test extra): each render then includes the TSA round trip and the fetching of the
    revocation data embedded as PAdES B-LT, as in production with a TSA configured."""
    import logging

    from django.conf import settings

    from tests.pki import pki_start

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    folder = workdir / "pki"
    folder.mkdir()
    pki = pki_start(folder, passphrase="bench")
    settings.VETTED_SIGNING_PKCS12, settings.VETTED_SIGNING_PASSPHRASE = str(pki.pkcs12), "bench"
    settings.VETTED_TSA_URL = pki.tsa_url
    return pki


if __name__ == "__main__":
    main()
