"""The three-host rehearsal (docs/operations.md "Several app hosts"): three gunicorn hosts on loopback ports, each
with empty local directories of its own, on one PostgreSQL database (two roles: an owner that migrates, an app
role that serves), one Redis, one S3-compatible object store (moto's server, unless --s3-endpoint names one),
one Celery worker (the only process with the signing key) and one beat. A whole journey is driven with each
request sent to another host, printing each step and the host that served it:

    upload evidence through A, download it through B and C; an inventory import previewed on B and confirmed
    on C; the sign-off on A, its dossier (rendered by the worker) downloaded from C; verify_audit run as each
    host agreeing; /health/ green on all three.

Then a short load: bench/load.py (locust, the `bench` extra) sends signed-in page views round-robin to the three
hosts, then to one host alone, printing throughput, p95 and errors (never asserted); without locust, threads
of this script do the same, with fewer figures. Exits non-zero when a step of the journey fails.

    .venv/bin/python bench/three_hosts.py [--pg-admin-url postgres://postgres@127.0.0.1:5432/postgres]
        [--database vetted_three_hosts] [--redis-url redis://127.0.0.1:6379/12] [--s3-endpoint URL]
        [--load-seconds 15] [--load-users 6]

Local and bounded: loopback only, a throw-away database (dropped and made again at each run), a fresh bucket,
processes stopped at the end. tests/test_three_hosts.py runs it in CI (.ci/run)."""

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent
PYTHON = str(VENV_BIN / "python")
HOSTS = ("A", "B", "C")
PASSWORD = "three-hosts-rehearsal-2026"

from tests import s3_server  # noqa: E402  (after the path above)


class StepFailed(SystemExit):
    pass


class Browser(requests.Session):
    """A browser on plain HTTP to loopback: production marks the session and CSRF cookies Secure, which a
    browser still sends to localhost; requests would not, so the flag is dropped before each request."""

    def request(self, *args, **kwargs):
        for cookie in self.cookies:
            cookie.secure = False
        return super().request(*args, **kwargs)


def step(host: str, what: str, detail: str = "") -> None:
    print(f"  [{host}] {what}{': ' + detail if detail else ''}", flush=True)


def must(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailed(f"FAILED: {message}")


# ------------------------------------------------------------------------------------------------------------
# The stack


class Stack:
    def __init__(self, args, work: Path):
        self.args = args
        self.work = work
        self.processes: list[subprocess.Popen] = []
        self.ports = {name: s3_server.free_port() for name in HOSTS}
        self.s3_process = None

    # --- environment ---------------------------------------------------------------------------------------
    def prepare(self) -> None:
        endpoint = self.args.s3_endpoint or s3_server.configured_endpoint()
        if not endpoint:
            self.s3_process, endpoint = s3_server.start()
        self.endpoint = endpoint
        self.bucket = s3_server.new_bucket(endpoint, prefix="vetted-three-hosts")
        admin = self.args.pg_admin_url
        database = self.args.database
        subprocess.run(
            [PYTHON, "-c", DROP_DATABASE, admin, database], cwd=ROOT, check=True, env=self.clean_env()
        )
        roles = subprocess.run(
            [
                PYTHON,
                "manage.py",
                "serve_database",
                "--admin-url",
                admin,
                "--database",
                database,
                "--owner",
                f"{database}_owner",
                "--app",
                f"{database}_app",
            ],
            cwd=ROOT,
            env={**self.clean_env(), "DJANGO_SETTINGS_MODULE": "config.settings.dev"},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        urls = dict(
            line.split("=", 1) for line in roles.splitlines() if "=" in line and not line.startswith("#")
        )
        signing = self.work / "signing.p12"
        self.common = {
            **self.clean_env(),
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "VETTED_AUDIT_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{self.ports['A']}",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "VETTED_TRUSTED_PROXIES": "0",
            "DATABASE_URL": urls["DATABASE_URL"],
            "REDIS_URL": self.args.redis_url,
            "VETTED_CHECKPOINT_STORE": "objects",
            **s3_server.storage_env(endpoint, self.bucket),
        }
        self.owner_url = urls["DATABASE_OWNER_URL"]
        self.signing = {
            "VETTED_SIGNING_PKCS12": str(signing),
            "VETTED_SIGNING_PASSPHRASE": secrets.token_urlsafe(16),
        }
        subprocess.run(
            [PYTHON, "manage.py", "dossier_signing_cert", "--out", str(signing)],
            cwd=ROOT,
            env={**self.common, **self.signing, "DJANGO_SETTINGS_MODULE": "config.settings.dev"},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        # make serve-migrate: the owner migrates and grants the app role its rights; then people and work to do.
        release = {**self.host_env("A"), "VETTED_ROLE": "beat", "DATABASE_URL": self.owner_url}
        app_role = urlsplit(urls["DATABASE_URL"]).username
        for command in (["migrate", "--noinput", "-v", "0"], ["db_app_role", app_role]):
            subprocess.run(
                [PYTHON, "manage.py", *command], cwd=ROOT, env=release, check=True, stdout=subprocess.DEVNULL
            )
        if not (ROOT / "var" / "staticfiles" / "staticfiles.json").exists():
            subprocess.run(
                [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                cwd=ROOT,
                env=release,
                check=True,
            )
        out = subprocess.run(
            [PYTHON, "bench/three_hosts.py", "--setup-data"],
            cwd=ROOT,
            env={**self.host_env("A"), "VETTED_ROLE": "beat", "THREE_HOSTS_PASSWORD": PASSWORD},
            check=True,
            capture_output=True,
            text=True,
        )
        self.data = json.loads(out.stdout.strip().splitlines()[-1])

    def clean_env(self) -> dict:
        keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
        return {k: os.environ[k] for k in keep if k in os.environ}

    def host_env(self, name: str) -> dict:
        """A host's own (empty) directories: nothing it keeps locally is seen by the others."""
        home = self.work / f"host-{name.lower()}"
        (home / "private").mkdir(parents=True, exist_ok=True)
        return {**self.common, "PRIVATE_MEDIA_ROOT": str(home / "private")}

    # --- processes -----------------------------------------------------------------------------------------
    def spawn(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        log = open(self.work / f"{name}.log", "w")  # noqa: SIM115  (kept open for the process's life)
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(process)
        return process

    def start(self) -> None:
        celery = str(VENV_BIN / "celery")
        worker_env = {**self.host_env("W"), **self.signing, "VETTED_ROLE": "worker"}
        self.spawn(
            "worker", [celery, "-A", "config", "worker", "--loglevel=INFO", "--concurrency=1"], worker_env
        )
        beat_env = {**self.host_env("S"), "VETTED_ROLE": "beat"}
        schedule = str(self.work / "celerybeat-schedule")
        self.spawn(
            "beat", [celery, "-A", "config", "beat", "--loglevel=INFO", "--schedule", schedule], beat_env
        )
        for name in HOSTS:
            env = {
                **self.host_env(name),
                "VETTED_ROLE": "web",
                "GUNICORN_BIND": f"127.0.0.1:{self.ports[name]}",
                "GUNICORN_WORKERS": str(self.args.workers),
                "GUNICORN_ACCESS_LOG": str(self.work / f"host-{name.lower()}-access.log"),
            }
            self.spawn(
                f"host-{name.lower()}",
                [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"],
                env,
            )
        for name in HOSTS:
            self.wait_healthy(name)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def wait_healthy(self, name: str, seconds: float = 120) -> dict:
        deadline = time.monotonic() + seconds
        last = None
        while time.monotonic() < deadline:
            try:
                answer = requests.get(self.url(name) + "/health/?format=json", timeout=10)
                last = answer.json()
                if answer.status_code == 200:
                    return last
            except (requests.RequestException, ValueError):
                pass
            time.sleep(0.5)
        raise StepFailed(f"FAILED: host {name} not healthy within {seconds:.0f} s: {last}")

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        if self.s3_process is not None:
            self.s3_process.terminate()
            self.s3_process.wait(timeout=30)
        if not self.args.keep:
            subprocess.run(
                [PYTHON, "-c", DROP_DATABASE, self.args.pg_admin_url, self.args.database],
                cwd=ROOT,
                env=self.clean_env(),
                check=False,
            )


DROP_DATABASE = """
import sys, psycopg
admin, database = sys.argv[1], sys.argv[2]
with psycopg.connect(admin, autocommit=True) as connection:
    connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    for role in (f"{database}_app", f"{database}_owner"):
        connection.execute(f'DROP ROLE IF EXISTS "{role}"')
"""


# ------------------------------------------------------------------------------------------------------------
# The data the journey needs, made once with the real services (run in a process of its own, as host A).


def setup_data() -> None:
    from datetime import timedelta

    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from reviews.models import RoleGrant
    from reviews.scope_proposal import scope_proposed
    from reviews.submission import sign_off_validity_cap
    from tests import builders
    from tests.factories import UserFactory
    from tests.vendors.inventory_files import csv_bytes, row

    password = os.environ["THREE_HOSTS_PASSWORD"]

    def person(username, *groups, **extra):
        user = UserFactory(username=username, password=password, **extra)
        for group in groups:
            user.groups.add(Group.objects.get(name=group))
        RoleGrant.objects.filter(user=user).update(granted_at=timezone.now() - timedelta(days=30))
        return user

    requester = person("cmo", "Requester")
    legal = person("legal", "Legal", is_staff=True)
    security = person("security", "Security", is_staff=True)
    open_review = builders.start_review(requester)
    ready = builders.review_ready_for_sign_off(requester, legal=legal, security=security)
    sign_off = {
        "statement": "经审查，准予入库。/ Admitted after review.",
        "conditions": "",
        "valid_until": sign_off_validity_cap(ready, today=timezone.localdate()).date.isoformat(),
        "password": password,
        **builders.scope_form_data(scope_proposed(ready)),
    }
    inventory = csv_bytes([row(n, owner="cmo") for n in range(1, 6)])
    print(
        json.dumps(
            {
                "open_review": open_review.pk,
                "ready_review": ready.pk,
                "sign_off": sign_off,
                "inventory_csv": inventory.decode("gb18030"),
            }
        )
    )


# ------------------------------------------------------------------------------------------------------------
# The journey


def signed_in(stack: Stack, host: str, username: str, *, announce: bool = True) -> requests.Session:
    session = Browser()
    login = stack.url(host) + "/accounts/login/"
    session.get(login, timeout=30)
    answer = session.post(
        login,
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": login},
        timeout=30,
        allow_redirects=False,
    )
    must(answer.status_code == 302, f"sign-in of {username} on {host}: HTTP {answer.status_code}")
    if announce:
        step(host, f"{username} signed in", "the session is in the shared database; every host knows it")
    return session


def post(session, stack, host, path, data=None, files=None, referer=None):
    url = stack.url(host) + path
    return session.post(
        url,
        data={**(data or {}), "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        files=files,
        headers={"Referer": referer or url},
        timeout=120,
        allow_redirects=False,
    )


def journey(stack: Stack) -> None:
    data = stack.data
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + secrets.token_bytes(2048)
    cmo = signed_in(stack, "A", "cmo")
    review = data["open_review"]

    section = f"/reviews/{review}/questionnaire/A/"
    answer = post(
        cmo, stack, "A", section, {"q_A2": "yes", "save": "1"}, files={"f_A2": ("营业执照.pdf", pdf)}
    )
    must(answer.status_code == 302, f"upload through A: HTTP {answer.status_code}")
    step("A", "evidence uploaded", f"{len(pdf)} bytes, 营业执照.pdf")
    page = cmo.get(stack.url("B") + section, timeout=30).text
    links = re.findall(rf"/reviews/{review}/evidence/(\d+)/file/", page)
    must(bool(links), "the section page on B lists the evidence uploaded through A")
    download = f"/reviews/{review}/evidence/{links[0]}/file/"
    for host in ("B", "C"):
        got = cmo.get(stack.url(host) + download, timeout=60)
        must(
            got.status_code == 200 and got.content == pdf, f"download through {host}: HTTP {got.status_code}"
        )
        step(
            host,
            "evidence downloaded",
            f"{len(got.content)} bytes, identical; {got.headers['Content-Disposition'][:40]}…, "
            f"{got.headers['Cache-Control']}",
        )

    legal = signed_in(stack, "B", "legal")
    answer = post(
        legal,
        stack,
        "B",
        "/admin/vendors/vendor/import/",
        files={"file": ("在用供应商.csv", data["inventory_csv"].encode("gb18030"))},
    )
    must(answer.status_code == 302, f"inventory upload on B: HTTP {answer.status_code}")
    preview = answer.headers["Location"]
    shown = legal.get(stack.url("B") + preview, timeout=60)
    must(
        shown.status_code == 200 and "上海云触达营销科技有限公司1" in shown.text,
        "the preview on B lists the rows",
    )
    step("B", "inventory previewed", f"{preview}: 5 rows")
    answer = post(legal, stack, "C", preview)
    must(answer.status_code == 302 and "status__exact=in_use" in answer.headers["Location"], "confirm on C")
    listed = legal.get(stack.url("C") + answer.headers["Location"], timeout=60).text
    must("上海云触达营销科技有限公司5" in listed, "the imported vendors are in the register")
    step("C", "inventory confirmed", "5 vendors in use, read from the file B stored")

    ready = data["ready_review"]
    legal_a = signed_in(stack, "A", "legal")
    started = time.monotonic()
    answer = post(legal_a, stack, "A", f"/admin/reviews/review/{ready}/sign-off/", data["sign_off"])
    answered = time.monotonic() - started
    must(answer.status_code == 302, f"sign-off on A: HTTP {answer.status_code}")
    step("A", "signed off", f"answered in {answered:.2f} s; the worker renders the dossier")
    deadline = time.monotonic() + 300
    dossier_link = None
    while time.monotonic() < deadline and dossier_link is None:
        page = legal.get(stack.url("B") + f"/reviews/{ready}/dossier/", timeout=60).text
        found = re.findall(rf"/reviews/{ready}/dossier/(\d+)/download/", page)
        dossier_link = f"/reviews/{ready}/dossier/{found[0]}/download/" if found else None
        if dossier_link is None:
            time.sleep(1)
    must(dossier_link is not None, "the dossier was ready within 5 minutes (followed on B)")
    step("B", "dossier ready", f"after {time.monotonic() - started:.1f} s")
    got = legal.get(stack.url("C") + dossier_link, timeout=120)
    must(
        got.status_code == 200 and got.content.startswith(b"%PDF"), f"dossier from C: HTTP {got.status_code}"
    )
    step("C", "dossier downloaded", f"{len(got.content)} bytes, {got.headers['Content-Type']}")

    verdicts = {}
    for host in HOSTS:
        done = subprocess.run(
            [PYTHON, "manage.py", "verify_audit"],
            cwd=ROOT,
            env={**stack.host_env(host), "VETTED_ROLE": "web"},
            capture_output=True,
            text=True,
            check=False,
        )
        verdict = (
            (done.stdout + done.stderr).strip().splitlines()[-1]
            if (done.stdout + done.stderr).strip()
            else ""
        )
        must(done.returncode == 0, f"verify_audit as {host}: {verdict}")
        verdicts[host] = re.sub(r"\s+", " ", verdict)
        step(host, "verify_audit", verdicts[host])
    must(len(set(verdicts.values())) == 1, "verify_audit agrees on all three hosts")
    for host in HOSTS:
        health = stack.wait_healthy(host, seconds=30)
        step(host, "health", json.dumps(health["checks"]))


# ------------------------------------------------------------------------------------------------------------
# A short load: signed-in page views, round-robin over the three hosts, then one host alone


def load(stack: Stack, hosts: tuple[str, ...], seconds: float, users: int) -> dict:
    pages = ["/", "/vendors/", f"/reviews/{stack.data['open_review']}/", "/vendors/?sort=approved_until"]
    sessions = [signed_in(stack, "A", "cmo", announce=False) for _ in range(users)]
    times, errors, lock = [], [], threading.Lock()
    counter = {"n": 0}
    stop_at = time.monotonic() + seconds

    def user(session):
        while time.monotonic() < stop_at:
            with lock:
                n = counter["n"]
                counter["n"] += 1
            host = hosts[n % len(hosts)]
            started = time.monotonic()
            try:
                answer = session.get(
                    stack.url(host) + pages[n % len(pages)], timeout=30, allow_redirects=False
                )
                ok = answer.status_code == 200
            except requests.RequestException:
                ok = False
            with lock:
                times.append(time.monotonic() - started)
                if not ok:
                    errors.append(host)

    threads = [threading.Thread(target=user, args=(s,)) for s in sessions]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1] * 1000 if times else 0
    return {"requests": len(times), "rps": len(times) / elapsed, "p95_ms": p95, "errors": len(errors)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--setup-data", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pg-admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="vetted_three_hosts")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--s3-endpoint", default="")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers per host")
    parser.add_argument("--load-seconds", type=float, default=15)
    parser.add_argument("--load-users", type=int, default=6)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if args.setup_data:
        setup_data()
        return
    if not (args.load_seconds <= 120 and 1 <= args.load_users <= 30):
        parser.error("bounded: at most 120 seconds of load and 30 users")
    for url in (args.pg_admin_url, args.redis_url, args.s3_endpoint):
        if url and urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            parser.error(f"loopback only: {url}")
    with tempfile.TemporaryDirectory(prefix="vetted-three-hosts-") as work:
        stack = Stack(args, Path(work))
        try:
            print("Starting: PostgreSQL database, S3 bucket, one worker, one beat, hosts A, B, C", flush=True)
            began = time.monotonic()
            stack.prepare()
            print(f"  database migrated and data made in {time.monotonic() - began:.0f} s", flush=True)
            stack.start()
            print(f"  all processes up and healthy after {time.monotonic() - began:.0f} s", flush=True)
            print(
                "Hosts: "
                + ", ".join(f"{name} {stack.url(name)}" for name in HOSTS)
                + f"; bucket {stack.bucket} "
                f"at {stack.endpoint}",
                flush=True,
            )
            print("Journey:", flush=True)
            journey(stack)
            print("Journey complete: every step served by the host named.", flush=True)
            if args.load_seconds > 0 and (VENV_BIN / "locust").exists():
                for hosts in (HOSTS, ("A",)):
                    label = "three hosts round-robin" if len(hosts) == 3 else "one host (A)"
                    print(f"bench/load.py, {label}:", flush=True)
                    subprocess.run(
                        [
                            PYTHON,
                            "bench/load.py",
                            "--database",
                            args.database,
                            "--urls",
                            ",".join(stack.url(name) for name in hosts),
                            "--users",
                            str(args.load_users),
                            "--run-time",
                            str(int(args.load_seconds)),
                            "--think",
                            "0",
                        ],
                        cwd=ROOT,
                        env={**stack.host_env("A"), "VETTED_ROLE": "web"},
                        check=True,
                    )
            elif args.load_seconds > 0:
                print(
                    f"Load ({args.load_users} users, {args.load_seconds:.0f} s each, page views):", flush=True
                )
                three = load(stack, HOSTS, args.load_seconds, args.load_users)
                one = load(stack, ("A",), args.load_seconds, args.load_users)
                for label, figures in (("three hosts round-robin", three), ("one host (A)", one)):
                    print(
                        f"  {label:<24} {figures['requests']:>5} requests, {figures['rps']:6.1f} req/s, "
                        f"p95 {figures['p95_ms']:6.0f} ms, errors {figures['errors']}",
                        flush=True,
                    )
                print(f"  throughput three/one: {three['rps'] / max(one['rps'], 0.01):.2f}x", flush=True)
        except StepFailed:
            for name in ("host-a", "host-b", "host-c", "worker", "beat"):
                log = Path(work) / f"{name}.log"
                if log.exists():
                    print(f"--- {name}.log (end) ---\n" + log.read_text()[-3000:], file=sys.stderr)
            raise
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
