"""Load benchmark (issue 13): 50 users at once, requesters and reviewers, against gunicorn with 4 workers on
PostgreSQL and Redis, the production settings, at 10k scale, for 60 seconds. Prints throughput, p50/p95/p99
per page and in all, and the error count. Targets, printed, never asserted: 0 errors, p95 under 250 ms.

    .venv/bin/python bench/scale.py --database vetted_scale_10k          # once
    .venv/bin/python bench/load.py [--users 50] [--spawn-rate 10] [--run-time 60] [--max-requests 50000]
                                   [--database vetted_scale_10k] [--redis-url redis://127.0.0.1:6379/11]
                                   [--url http://127.0.0.1:8000]  # a server already running, instead
                                   [--urls http://127.0.0.1:8001,http://127.0.0.1:8002,...]  # several hosts

Bounded and local: loopback only (a --url elsewhere is refused), a fixed number of users, a run time and a
request cap. Without --url it starts gunicorn itself (config/gunicorn.conf.py, GUNICORN_WORKERS=4, port 8077)
on config.settings.production, with generated secrets, a self-signed dossier signing key and plain HTTP, and
stops it at the end. The users are signed in by sessions written beforehand (no password is sent; the
sign-in page and its throttle are not what is measured). Each user waits 1 to 3 seconds between pages, as a
person does (--think 0 asks as fast as the server answers). Reads only, apart from the sessions.

With --urls (several app hosts already running, their DATABASE_URL and SECRET_KEY in the environment; see
bench/three_hosts.py) each request goes to the next host in turn, as a load balancer would.

Run with `locust -f bench/load.py` this file is the locustfile; run as a script it does all of the above.
"""

import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
P95_TARGET_MS = 250
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


# ------------------------------------------------------------------------------------------------------------
# The locustfile part: imported by locust, in its own process, with VETTED_LOAD_PLAN naming the plan.

if __name__ != "__main__" and os.environ.get("VETTED_LOAD_PLAN"):
    import random

    import gevent
    from locust import HttpUser, between, constant, events, task

    PLAN = json.loads(Path(os.environ["VETTED_LOAD_PLAN"]).read_text())
    THINK = float(PLAN["think"])
    _state = {"sent": 0, "environment": None}

    @events.init.add_listener
    def _remember(environment, **_kwargs):
        _state["environment"] = environment

    @events.request.add_listener
    def _cap(**_kwargs):
        """The request cap: the run stops at max_requests, whatever time is left."""
        _state["sent"] += 1
        environment = _state["environment"]
        if (
            _state["sent"] == PLAN["max_requests"]
            and environment is not None
            and environment.runner is not None
        ):
            gevent.spawn(environment.runner.quit)

    class _Signed(HttpUser):
        abstract = True
        wait_time = between(THINK / 2, THINK * 1.5) if THINK else constant(0)
        people: list = []

        def on_start(self):
            person = random.choice(self.people)
            self.client.headers.update(
                {"Cookie": f"{PLAN['cookie']}={person['session']}", "Accept-Language": "zh-hans"}
            )
            self.person = person

        def page(self, url: str, name: str):
            hosts = PLAN.get("hosts")
            if hosts:  # several app hosts: each request to the next one in turn, as a load balancer would
                _state["turn"] = _state.get("turn", -1) + 1
                url = hosts[_state["turn"] % len(hosts)] + url
            with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")

    class Requester(_Signed):
        weight = 3
        people = PLAN["requesters"]

        @task(4)
        def dashboard(self):
            self.page("/", "/ (requester)")

        @task(3)
        def approved_list(self):
            self.page(
                random.choice(
                    [
                        "/vendors/",
                        "/vendors/?q=%E4%B8%8A%E6%B5%B7",
                        "/vendors/?sort=approved_until",
                        "/vendors/?category=scrm_saas",
                        "/vendors/?page=40",
                    ]
                ),
                "/vendors/",
            )

        @task(3)
        def own_review(self):
            self.page(f"/reviews/{random.choice(self.person['reviews'])}/", "/reviews/<pk>/")

        @task(1)
        def questionnaire(self):
            self.page(
                f"/reviews/{random.choice(self.person['reviews'])}/questionnaire/",
                "/reviews/<pk>/questionnaire/",
            )

    class Reviewer(_Signed):
        weight = 2
        people = PLAN["reviewers"]

        @task(3)
        def dashboard(self):
            self.page("/", "/ (reviewer)")

        @task(2)
        def desk(self):
            self.page("/admin/", "/admin/ desk")

        @task(3)
        def queue(self):
            self.page("/admin/reviews/review/", "/admin/ queue")

        @task(3)
        def review(self):
            if not PLAN["waiting"]:
                return
            self.page(
                f"/admin/reviews/review/{random.choice(PLAN['waiting'])}/change/", "/admin/ review page"
            )

        @task(1)
        def changelist(self):
            self.page("/admin/reviews/review/?waiting=all&p=2", "/admin/ changelist")


# ------------------------------------------------------------------------------------------------------------
# The script part: sessions, gunicorn, locust, the figures.


def _django(env: dict) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"  # the same SECRET_KEY as the server's
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def write_plan(path: Path, *, requesters: int, think: float, max_requests: int) -> dict:
    """Sessions for the users (created directly, as a sign-in would), and the ids their pages need."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from reviews.models import Review, Stage, StageState

    User = get_user_model()

    def session(user) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    people = []
    for user in User.objects.filter(groups__name="Requester").order_by("pk")[:requesters]:
        reviews = list(
            Review.objects.filter(requester=user).order_by("-pk").values_list("pk", flat=True)[:20]
        )
        if reviews:
            people.append({"username": user.username, "session": session(user), "reviews": reviews})
    reviewers = [
        {"username": u.username, "session": session(u), "reviews": []}
        for u in User.objects.filter(username__in=["legal", "security"])
    ]
    waiting = list(
        Stage.objects.filter(state=StageState.SUBMITTED, kind__in=["questionnaire", "data_source"])
        .order_by("-pk")
        .values_list("review_id", flat=True)[:200]
    )
    plan = {
        "cookie": settings.SESSION_COOKIE_NAME,
        "requesters": people,
        "reviewers": reviewers,
        "waiting": waiting,
        "think": think,
        "max_requests": max_requests,
    }
    path.write_text(json.dumps(plan))
    return plan


def _wait_healthy(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{url}/health/ did not answer 200 within {seconds:.0f} s")
        time.sleep(0.5)


def start_gunicorn(env: dict, port: int, workers: int, log_dir: Path) -> subprocess.Popen:
    # WhiteNoise's manifest must exist for the pages to render; compressing every file takes a minute on this
    # machine, so it is done once (`manage.py collectstatic` again after changing static files).
    if not (ROOT / "var" / "staticfiles" / "staticfiles.json").exists():
        subprocess.run(
            [str(VENV_BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    server_env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_ACCESS_LOG": str(log_dir / "access.log"),
        "GUNICORN_ERROR_LOG": str(log_dir / "error.log"),
    }
    with open(log_dir / "server.log", "w") as log:  # what Django logs to the console, under load
        return subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env=server_env,
            start_new_session=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def server_environment(database: str, redis_url: str, port: int, work: Path) -> dict:
    """config.settings.production with generated secrets, for this machine only (plain HTTP on loopback)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from scale import bench_environment

    signing = work / "signing.p12"
    secrets_file = work / "secrets.json"
    if secrets_file.exists():
        kept = json.loads(secrets_file.read_text())
    else:
        kept = {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "VETTED_AUDIT_KEY": secrets.token_urlsafe(48),
            "VETTED_SIGNING_PASSPHRASE": secrets.token_urlsafe(24),
        }
        secrets_file.write_text(json.dumps(kept))
        secrets_file.chmod(0o600)
    env = {
        **os.environ,
        **bench_environment(database),
        **kept,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "REDIS_URL": redis_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "VETTED_SIGNING_PKCS12": str(signing),
    }
    env.pop("DEBUG", None)
    if not signing.exists():
        subprocess.run(
            [str(VENV_BIN / "python"), "manage.py", "dossier_signing_cert", "--out", str(signing)],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev"},
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return env


def report(prefix: Path, seconds: float, load: tuple) -> None:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    print(
        f"{'page':<32} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'max ms':>7}"
    )
    for row in rows:
        name = "all pages" if row["Name"] == "Aggregated" else row["Name"]
        print(
            f"{name:<32} {row['Request Count']:>8} {row['Failure Count']:>6} {float(row['Requests/s']):7.1f} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7} {float(row['Max Response Time']):7.0f}"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    errors, p95 = int(total["Failure Count"]), float(total["95%"])
    print(
        f"Throughput {float(total['Requests/s']):.1f} requests/s over {seconds:.0f} s; p50 {total['50%']} ms, "
        f"p95 {total['95%']} ms, p99 {total['99%']} ms; errors {errors}. Targets: 0 errors "
        f"({'met' if errors == 0 else 'missed'}), p95 < {P95_TARGET_MS} ms "
        f"({'met' if p95 < P95_TARGET_MS else 'missed'})."
    )
    print(
        f"Load average at the end {' '.join(f'{x:.2f}' for x in load)} (2 cores, locust itself on the same "
        f"machine; figures are noisy while it is shared)"
    )
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        lines = failures.read_text().strip().splitlines()[1:]
        for line in lines[:10]:
            print(f"  failure: {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="vetted_scale_10k")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--run-time", type=int, default=60, help="seconds")
    parser.add_argument("--max-requests", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8077)
    parser.add_argument("--think", type=float, default=2.0, help="mean seconds between a user's pages")
    parser.add_argument("--requesters", type=int, default=40, help="how many requesters sign in")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--url", help="a server already running on this machine (then nothing is started)")
    parser.add_argument(
        "--urls",
        help="several app hosts already running on this machine, comma-separated: requests go to each in turn "
        "(round-robin, as a load balancer would); their DATABASE_URL and SECRET_KEY come from the environment",
    )
    args = parser.parse_args()
    if not (1 <= args.users <= 200 and args.run_time <= 600 and args.max_requests <= 500_000):
        parser.error("bounded: at most 200 users, 600 seconds and 500,000 requests")
    if shutil.which("locust", path=str(VENV_BIN)) is None:
        parser.error("locust is not installed: .venv/bin/pip install -e '.[bench]'")
    hosts = [u.strip().rstrip("/") for u in (args.urls or "").split(",") if u.strip()]
    url = (hosts[0] if hosts else args.url or f"http://127.0.0.1:{args.port}").rstrip("/")
    if any(urlsplit(u).hostname not in LOOPBACK for u in [url, *hosts]):
        parser.error("loopback only: --url and --urls must be on 127.0.0.1 or localhost")

    work = ROOT / "var" / "bench" / args.database / "load"
    work.mkdir(parents=True, exist_ok=True)
    # With --urls, the hosts' own settings: the sessions written here must be theirs.
    env = {**os.environ} if hosts else server_environment(args.database, args.redis_url, args.port, work)
    _django(
        {k: env[k] for k in ("DATABASE_URL", "PRIVATE_MEDIA_ROOT", "SECRET_KEY", "REDIS_URL") if k in env}
    )
    plan_file = work / "plan.json"
    plan = write_plan(plan_file, requesters=args.requesters, think=args.think, max_requests=args.max_requests)
    if hosts:
        plan["hosts"] = hosts
        plan_file.write_text(json.dumps(plan))
    server = None
    try:
        if not (args.url or hosts):
            server = start_gunicorn(env, args.port, args.workers, work)
        for each in hosts or [url]:
            _wait_healthy(each)
        print(
            f"{args.users} users ({len(plan['requesters'])} requesters, {len(plan['reviewers'])} reviewers "
            f"signed in) against {', '.join(hosts) + ' round-robin' if len(hosts) > 1 else url} ({'gunicorn, ' + str(args.workers) + ' workers, ' if server else ''}"
            f"{args.database}), {args.run_time} s, at most {args.max_requests} requests",
            flush=True,
        )
        prefix = work / "locust"
        started = time.monotonic()
        with open(work / "locust.log", "w") as log:
            done = subprocess.run(
                [
                    str(VENV_BIN / "locust"),
                    "-f",
                    __file__,
                    "--headless",
                    "--host",
                    url,
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--run-time",
                    f"{args.run_time}s",
                    "--stop-timeout",
                    "10",
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                    "--exit-code-on-error",
                    "0",
                ],
                cwd=ROOT,
                check=False,
                env={**os.environ, "VETTED_LOAD_PLAN": str(plan_file)},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if done.returncode != 0:
            raise SystemExit(f"locust failed (exit {done.returncode}); its output: {work / 'locust.log'}")
        seconds = time.monotonic() - started
        load = os.getloadavg()
        report(prefix, seconds, load)
    finally:
        # The server first: requests still queued in it when locust stops would find their session gone.
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=45)  # gunicorn's graceful_timeout is 30 s
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        from django.contrib.sessions.backends.db import SessionStore

        for person in plan["requesters"] + plan["reviewers"]:
            SessionStore(session_key=person["session"]).delete()


if __name__ == "__main__":
    main()
