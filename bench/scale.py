"""Seed a PostgreSQL database at the scale of issue 13, for the page and load benchmarks.

    .venv/bin/python bench/scale.py --database vetted_scale_10k             # 10,000 vendors (default size)
    .venv/bin/python bench/scale.py --database vetted_scale_demo --size demo
    .venv/bin/python bench/scale.py --database vetted_scale_10k --replace   # drop it first, then seed
    .venv/bin/python bench/scale.py --database vetted_scale_10k --drop      # drop it and its files, nothing else

The database (named vetted_scale_* or vetted_bench_*) is created and migrated, then the demo is seeded through
the real services, as manage.py seed_demo seeds it (reviews.demo: its people, one vendor in every state,
evidence, dossiers; activities.demo: marketing activities in every outcome and scope extensions at every
step), then the rest is loaded with COPY in the same shape: approved vendors with their sign-offs, scopes and
certificates, reviews waiting at each stage for Legal or Security, returned, rejected, withdrawn and draft
reviews, platforms in use and not vetted with their catch-up reviews, questionnaire answers, decisions, and
the audit events of all of it. The demo's requester `cmo` is the heavy requester (1,000 requests at 10k).
At 10k: 10,000 vendors, 10,000 reviews, 40,000 stages and 500,000 audit events in all (seeded and loaded
together); --size demo loads the same shape at a hundredth of it, except that every list the benchmark pages
show gets at least one page of rows (DEMO_FLOOR, DEMO_PAGE_FLOORS).

The use side is loaded on the approvals: each approved vendor's scope is what the sign-off form proposes for
its category's answers (reviews.scope_proposal.scope_from_facts), one in 20 left derived and unconfirmed as
the scopes migration leaves older approvals, one in 100 suspended since; 3,000 scope extensions (waiting for
Security or Legal, approved and widening the vendor's scope, refused, withdrawn) with their documents; and
10,000 marketing activities (1,000 of them cmo's) within their vendors' scopes, on own channels, needing
Legal, beyond a scope or on a bought list, each with the findings the pre-check itself concludes
(activities.precheck.activity_precheck, in memory) and the status the services' transitions reach from them
(acknowledged, decided by Legal, withdrawn, flagged when a vendor was suspended), and their audit events.

The audit events are chained with the project's own keyed hashing (reviews.models.audit.keyed_payload and
keyed_hash, under VETTED_AUDIT_KEY), continuing the chain the services started, and a checkpoint is written at
the end, so that `manage.py verify_audit` passes on the seeded database. The checkpoint file and the demo's
files live under var/bench/<database>/private, which is therefore the PRIVATE_MEDIA_ROOT to use with it (the
script prints the command).

What the services keep on the rows is then derived from the loaded rows by the project's own bulk functions:
the review's current stage (reviews.current_stage.reviews_refresh_current_stage) and the vendor's nearest
certificate expiry (vendors.services.vendors_refresh_cert_expiry); the search names are a generated column the
database fills. A sample of the loaded
reviews and vendors of every shape is recomputed by the services' own functions and must come out the same,
and so is a sample of the activities (read back, planned by activities.services.activity_plan on the day
each was registered and checked by activity_check), with the vendors' scopes against their sign-offs and
approved extensions (the only assertions here); every loaded table is vacuumed and analysed, so that the plans
(index-only scans included) are those of a settled database. Prints the time taken per step.
"""

import argparse
import json
import os
import shutil
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pg_server import admin_sql, database_url  # noqa: E402  (bench/, beside this script)

# The server the seeded databases are made on (its database part is ignored).
SERVER_VARIABLE = "VETTED_BENCH_SERVER"

PREFIXES = ("vetted_scale_", "vetted_bench_")
SIZES = {"10k": 1.0, "demo": 0.01}
DEMO_PASSWORD = "vetted-bench-2026"
TARGET = {
    "vendors": 10_000,
    "reviews": 10_000,
    "events": 500_000,
    "heavy": 1_000,
    "requesters": 200,
    "activities": 10_000,
    "extensions": 3_000,
}


def url_for(database: str) -> str:
    return database_url(database, variable=SERVER_VARIABLE)


def private_root(database: str) -> Path:
    return ROOT / "var" / "bench" / database / "private"


def bench_environment(database: str) -> dict:
    """The environment a process needs to read the seeded database as the seed wrote it."""
    return {"DATABASE_URL": url_for(database), "PRIVATE_MEDIA_ROOT": str(private_root(database))}


def _admin(sql: str) -> None:
    admin_sql(sql, variable=SERVER_VARIABLE)


def _exists(database: str) -> bool:
    found = admin_sql("SELECT 1 FROM pg_database WHERE datname = %s", [database], variable=SERVER_VARIABLE)
    return found is not None


def drop(database: str) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    shutil.rmtree(ROOT / "var" / "bench" / database, ignore_errors=True)


class Timer:
    def __init__(self):
        self.rows = []

    def __call__(self, label: str, fn, *args):
        start = time.perf_counter()
        count = fn(*args)
        seconds = time.perf_counter() - start
        self.rows.append((label, count, seconds))
        print(f"  {label:<34} {count if count is not None else '':>9} rows  {seconds:7.2f} s", flush=True)
        return count


# ------------------------------------------------------------------------------------------------------------
# COPY, with explicit ids: every row as a dict of attnames; missing columns take the field's default.


def copy_rows(model, rows, *, as_tuples: bool = False) -> int:
    """COPY `rows` into the model's table. `as_tuples`: each row is already a tuple of every concrete column,
    in the model's order, JSON already encoded (the fast path of the largest table)."""
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import connection, models
    from django.utils import timezone

    # A generated column (Vendor.search_names) is computed by the database as each row arrives: never copied.
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
    now = timezone.now()
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        else:
            defaults[f.attname] = f.get_default()  # "" for a blank text field, None for a nullable one
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    names = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        ) as copy,
    ):
        if as_tuples:
            for row in rows:
                copy.write_row(row)
                count += 1
            return count
        for row in rows:
            values = []
            for name in names:
                value = row.get(name, defaults[name])
                if name in json_fields and value is not None:
                    value = encoder.encode(value)
                values.append(value)
            copy.write_row(values)
            count += 1
    return count


def _max_id(model) -> int:
    from django.db.models import Max

    return model.objects.aggregate(m=Max("pk"))["m"] or 0


def _reset_sequences(models_) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'GREATEST((SELECT max(id) FROM "{table}"), 1))'
            )


# ------------------------------------------------------------------------------------------------------------
# The shape: what each of twenty vendors out of twenty is.

APPROVED, WAIT_Q, WAIT_DS, WAIT_SEC, WAIT_SIGN, RETURNED, DRAFT, REJECTED, WITHDRAWN, IN_USE = (
    "approved",
    "wait_q",
    "wait_ds",
    "wait_sec",
    "wait_sign",
    "returned",
    "draft",
    "rejected",
    "withdrawn",
    "in_use",
)
# 40% approved, 10% waiting Legal (questionnaire), 5% each waiting Legal (data source), Security, the
# sign-off, returned to the requester, draft, rejected, withdrawn; 15% in use and not vetted (catch-up).
PATTERN = (
    [APPROVED] * 8
    + [WAIT_Q] * 2
    + [WAIT_DS, WAIT_SEC, WAIT_SIGN, RETURNED, DRAFT, REJECTED, WITHDRAWN]
    + [IN_USE] * 3
)
CATEGORIES = [
    "data_provider",
    "ad_network",
    "scrm_saas",
    "sms_edm",
    "social_agency",
    "app_developer",
    "event_agency",
    "other",
]
TIERS = ["low", "medium", "high"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
WORDS = ["云", "星", "海", "蓝", "智", "数", "聚", "汇", "悦", "橙", "鲸", "点", "图", "讯", "通", "推"]
WORDS_EN = [
    "Yun",
    "Xing",
    "Hai",
    "Lan",
    "Zhi",
    "Shu",
    "Ju",
    "Hui",
    "Yue",
    "Cheng",
    "Jing",
    "Dian",
    "Tu",
    "Xun",
    "Tong",
    "Tui",
]
CITIES = [
    ("上海", "Shanghai"),
    ("北京", "Beijing"),
    ("深圳", "Shenzhen"),
    ("杭州", "Hangzhou"),
    ("广州", "Guangzhou"),
    ("成都", "Chengdu"),
    ("南京", "Nanjing"),
    ("苏州", "Suzhou"),
]
TRADES = [
    ("数据服务", "Data Services"),
    ("广告技术", "Advertising Technology"),
    ("会员科技", "Membership Technology"),
    ("短信服务", "SMS Services"),
    ("互动营销", "Interactive Marketing"),
    ("网络科技", "Network Technology"),
    ("活动策划", "Events"),
    ("信息咨询", "Information Consulting"),
]


def _uscc(i: int) -> str:
    from vendors.uscc import CHARSET, check_character

    digits, n = [], i
    for _ in range(7):
        n, r = divmod(n, 31)
        digits.append(CHARSET[r])
    first17 = "91440300MB" + "".join(reversed(digits))
    return first17 + check_character(first17)


def _name(i: int) -> tuple[str, str]:
    city, city_en = CITIES[i % len(CITIES)]
    a, b = i % len(WORDS), (i // len(WORDS)) % len(WORDS)
    trade, trade_en = TRADES[(i // 7) % len(TRADES)]
    return (
        f"{city}{WORDS[a]}{WORDS[b]}{trade}有限公司{i:05d}",
        f"{city_en} {WORDS_EN[a]}{WORDS_EN[b].lower()} {trade_en} Co., Ltd. {i:05d}",
    )


class World:
    """What the demo seeded and the loaded rows refer to."""

    def __init__(self, factor: float):
        from django.contrib.auth import get_user_model
        from django.utils import timezone

        from reviews.models import AuditEvent, Question, QuestionnaireTemplate, Review
        from vendors.models import Certification, Vendor

        User = get_user_model()
        self.factor = factor
        self.users = {
            u.username: u
            for u in User.objects.filter(
                username__in=["cmo", "cmo2", "security", "legal", "auditor", "admin"]
            )
        }
        self.template = QuestionnaireTemplate.objects.get(subject="vendor", is_active=True)
        self.questions = list(Question.objects.filter(section__template=self.template).order_by("pk"))
        self.cert_file = Certification.objects.order_by("pk").values_list("file", "sha256", "size").first()
        self.seeded_vendors = Vendor.objects.count()
        self.seeded_reviews = Review.objects.count()
        self.vendors = max(len(PATTERN), round(TARGET["vendors"] * factor) - self.seeded_vendors)
        self.events_target = round(TARGET["events"] * factor)
        self.heavy = round(TARGET["heavy"] * factor)
        self.requester_count = max(3, round(TARGET["requesters"] * factor))
        self.today = timezone.localdate()
        self.start_event = AuditEvent.objects.count()
        self.requester_ids: list[int] = []
        self.rows: dict = {}
        # The use side (build_use): approved vendors with their sign-offs, the scope of each category, and the
        # marketing activities and scope extensions loaded on them.
        from activities.models import ExtensionFile

        self.approved: list[tuple[dict, dict]] = []
        self.scopes: dict[str, dict] = {}
        self.activities = max(len(ACTIVITY_PATTERN), round(TARGET["activities"] * factor))
        self.extensions = max(len(EXTENSION_FATES), round(TARGET["extensions"] * factor))
        self.suspended_every = SUSPENDED_EVERY
        if factor < 1:
            self.activities = max(self.activities, DEMO_FLOOR["activities"])
            self.extensions = max(self.extensions, DEMO_FLOOR["extensions"])
            self.suspended_every = DEMO_SUSPENDED_EVERY
        self.suspended_at = timezone.now() - timedelta(days=2)
        self.extension_file = (
            ExtensionFile.objects.order_by("pk").values_list("file", "sha256", "size", "content_type").first()
        )
        self.use_flows: list = []  # (at, actor id, action, object type, object id, vendor id, data) per event


def answers_by_category(world: World) -> dict:
    from reviews.demo import least_flagged_answers
    from reviews.models import Review
    from vendors.models import Vendor

    out = {}
    for category in CATEGORIES:
        review = Review(template=world.template, vendor=Vendor(uscc=_uscc(0), category=category))
        out[category] = least_flagged_answers(review)
    return out


def scopes_by_category(answers: dict) -> dict[str, dict]:
    """The scope the sign-off form proposes (reviews.scope_proposal) for each category's answers, as JSON: the
    loaded reviews of a category share their answers, so their approvals share this scope."""
    from reviews.scope_proposal import scope_from_facts

    return {
        category: scope_from_facts(
            category=category,
            values={code: value for code, (value, _d) in answers[category].items()},
            traits=(),
            volume="100k_1m",
        ).as_json()
        for category in CATEGORIES
    }


def load_users(world: World) -> int:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    User = get_user_model()
    first = _max_id(User) + 1
    now = timezone.now()
    rows = []
    for n in range(world.requester_count):
        pk = first + n
        surname = SURNAMES[n % len(SURNAMES)]
        rows.append(
            {
                "id": pk,
                "username": f"req{n + 1:04d}",
                "first_name": f"员工{n + 1}",
                "last_name": surname,
                "email": f"req{n + 1:04d}@vetted.example.com",
                "password": "!",
                "is_active": True,
                "is_staff": False,
                "is_superuser": False,
                "date_joined": now - timedelta(days=800),
            }
        )
        world.requester_ids.append(pk)
    count = copy_rows(User, rows)
    requester = Group.objects.get(name="Requester")
    Through = User.groups.through
    first_link = _max_id(Through) + 1
    copy_rows(
        Through,
        (
            {"id": first_link + n, "user_id": pk, "group_id": requester.pk}
            for n, pk in enumerate(world.requester_ids)
        ),
    )
    return count


def _heavy_every(world: World) -> int:
    return max(1, world.vendors // max(1, world.heavy))


def _is_heavy(world: World, i: int) -> bool:
    """Whether row `i` of the shape is a request of the heavy requester `cmo` (one in heavy_every)."""
    every = _heavy_every(world)
    return i < world.vendors and i % every == 0 and i // every < world.heavy


def _approval_days(i: int) -> int:
    """How many days after today the approval of approved row `i` ends."""
    return 30 + (i * 37) % 670


# What bench/pages.py asks of the approved list (a search, a filter) and of the heavy requester's lists.
BENCH_SEARCH = "上海"
BENCH_FILTER = ("scrm_saas", "low")
# At a hundredth, the shape leaves these lists a row or a few where 10k fills a page: "/vendors/?q=上海" 8 rows
# against 25, "/vendors/?category=scrm_saas&tier=low" 2 against 25, cmo's "needs your action" (/my/action/) 1
# against 25, and the dashboard's first rows (5 each) of cmo's catch-up reviews and approvals ending 1 and 2. A
# page of 1 row against a page of 25 says nothing about how a page grows with the data, so at demo size each gets
# at least the rows one page shows (PAGE_SIZE of the list's page, DASHBOARD_ROWS of the dashboard).
DEMO_PAGE_FLOORS = {"search": 25, "filter": 25, "action": 25, "catch_up": 5, "ending": 5}


def _floor_lists(world: World, i: int, *, heavy: bool) -> list[str]:
    """The lists of DEMO_PAGE_FLOORS that row `i` of the shape is on (as the heavy requester's when `heavy`)."""
    from django.conf import settings

    kind = PATTERN[i % len(PATTERN)]
    lists = []
    if kind == APPROVED:
        if CITIES[i % len(CITIES)][0] == BENCH_SEARCH:
            lists.append("search")
        if (CATEGORIES[i % len(CATEGORIES)], TIERS[i % len(TIERS)]) == BENCH_FILTER:
            lists.append("filter")
        if heavy and _approval_days(i) <= settings.VETTED_RENEWAL_WINDOW_DAYS:
            lists.append("ending")
    if heavy and kind in (RETURNED, DRAFT, IN_USE):  # the current stage waits for the requester
        lists.append("action")
    if heavy and kind == IN_USE:  # a catch-up review, the requester its business owner
        lists.append("catch_up")
    return lists


def demo_floor_rows(world: World) -> tuple[list[int], set[int]]:
    """At demo size: further rows of the same shape (indices past world.vendors, each built exactly as that row
    is at 10k), taken only while one of DEMO_PAGE_FLOORS is short and only when the row is on it; those taken for
    a list of the heavy requester are cmo's. The 10k data is not touched (no row past world.vendors there)."""
    counts = dict.fromkeys(DEMO_PAGE_FLOORS, 0)
    for i in range(world.vendors):
        for name in _floor_lists(world, i, heavy=_is_heavy(world, i)):
            counts[name] += 1

    def short(names: list[str]) -> list[str]:
        return [name for name in names if counts[name] < DEMO_PAGE_FLOORS[name]]

    extra, heavy = [], set()
    i = world.vendors
    while short(list(DEMO_PAGE_FLOORS)):
        as_heavy = short(_floor_lists(world, i, heavy=True))
        if as_heavy:
            extra.append(i)
            mine = any(name in ("action", "catch_up", "ending") for name in as_heavy)
            if mine:
                heavy.add(i)
            for name in _floor_lists(world, i, heavy=mine):
                counts[name] += 1
        i += 1
    return extra, heavy


def build(world: World) -> None:
    """Every row but the audit events, in memory as dicts (a few hundred thousand small dicts at 10k)."""
    from django.utils import timezone

    from reviews.models import Answer, Decision, Review, SignOff, Stage, StageCertification
    from vendors.models import Certification, Vendor

    ids = {
        m: _max_id(m) + 1
        for m in (Vendor, Review, Stage, Answer, Decision, SignOff, Certification, StageCertification)
    }
    answers = answers_by_category(world)
    world.scopes = scopes_by_category(answers)
    legal, security, cmo = world.users["legal"].pk, world.users["security"].pk, world.users["cmo"].pk
    now = timezone.now()
    span = timedelta(days=700)
    base = now - timedelta(days=720)
    vendors, reviews, stages, answer_rows, decisions, sign_offs, certs, links = [], [], [], [], [], [], [], []
    flows = []  # (review id, vendor id, kind, requester, t0, stage ids, cert id, sign-off number, uscc)
    others = [*world.requester_ids, world.users["cmo2"].pk]
    indices, heavy_extra = list(range(world.vendors)), set()
    if world.factor < 1:
        extra, heavy_extra = demo_floor_rows(world)
        indices += extra
    for n, i in enumerate(indices):
        kind = PATTERN[i % len(PATTERN)]
        vid, rid = ids[Vendor] + n, ids[Review] + n
        requester = cmo if _is_heavy(world, i) or i in heavy_extra else others[i % len(others)]
        t0 = base + span * n / len(indices)
        minute = timedelta(minutes=1)
        day = timedelta(days=1)
        category = CATEGORIES[i % len(CATEGORIES)]
        name_zh, name_en = _name(i)
        uscc = _uscc(i + 1)
        tier = TIERS[i % 3]
        vendor = {
            "id": vid,
            "name_zh": name_zh,
            "name_en": name_en,
            "uscc": uscc,
            "uscc_checksum_ok": True,
            "category": category,
            "website": f"https://v{i:05d}.vendor.example.com",
            "services": "营销服务 / marketing services",
            "status": "candidate",
            "risk_tier": "",
            "identity_frozen_at": t0,
            "created_at": t0,
            "updated_at": t0 + 5 * day,
            "personal_data": True,
            "individuals": "100k_1m",
        }
        review = {
            "id": rid,
            "number": f"VR-{t0:%Y}-{rid:05d}",
            "vendor_id": vid,
            "requester_id": requester,
            "template_id": world.template.pk,
            "purpose": f"会员运营与营销活动 {i:05d} / member marketing",
            "personal_data": "手机号、OpenID / mobile number, OpenID",
            "expected_volume": "100k_1m",
            "data_traits": [],
            "language": "zh-hans",
            "state": "in_progress",
            "risk_score": 10 * (i % 3),
            "risk_tier": tier,
            "red_flag_count": 0,
            "catch_up": False,
            "created_at": t0,
            "updated_at": t0 + 5 * day,
            "closed_at": None,
        }
        # Stage states, in order: q, ds, sec, sign_off.
        states = {
            APPROVED: ["passed"] * 4,
            WAIT_Q: ["submitted", "locked", "locked", "locked"],
            WAIT_DS: ["passed", "submitted", "locked", "locked"],
            WAIT_SEC: ["passed", "passed", "submitted", "locked"],
            WAIT_SIGN: ["passed", "passed", "passed", "submitted"],
            RETURNED: ["passed", "returned", "locked", "locked"],
            DRAFT: ["open", "locked", "locked", "locked"],
            REJECTED: ["failed", "locked", "locked", "locked"],
            WITHDRAWN: ["passed", "open", "locked", "locked"],
            IN_USE: ["open", "locked", "locked", "locked"],
        }[kind]
        if kind == APPROVED:
            review.update(state="approved", closed_at=t0 + 4 * day)
            until = world.today + timedelta(days=_approval_days(i))
            number = f"VD-{t0:%Y}-{rid:05d}"
            # The scope the sign-off proposes for the category's answers (reviews.scope_proposal), as Legal signed
            # it; one approval in 20 keeps the scope the migration derived, unconfirmed (reviews migration 0021).
            n_approved = len(sign_offs)
            scope, confirmed = (
                world.scopes[category],
                n_approved % UNCONFIRMED_EVERY != UNCONFIRMED_EVERY // 2,
            )
            vendor.update(
                status="approved",
                approved_until=until,
                approval_reference=number,
                risk_tier=tier,
                approved_scope=scope,
                scope_confirmed=confirmed,
            )
            # A row past world.vendors (demo_floor_rows) is there to fill a list of the approved: never suspended.
            floor_row = i >= world.vendors
            if not floor_row and n_approved % world.suspended_every == 13 % world.suspended_every:
                # the 14th at demo size
                # Suspended by Legal after its activities were registered: they are flagged (build_use).
                vendor.update(status="suspended", status_reason=SUSPEND_REASON)
            sign_offs.append(
                {
                    "id": ids[SignOff] + len(sign_offs),
                    "review_id": rid,
                    "number": number,
                    "signed_by_id": legal,
                    "signed_at": t0 + 4 * day,
                    "valid_until": until,
                    "statement": "经审查，准予入库。 / Admitted after review.",
                    "conditions": "每季度提供同意日志抽样。 / Quarterly consent-log samples.",
                    "scope": scope,
                    "scope_confirmed": confirmed,
                }
            )
            if not floor_row:  # the use side (build_use) is loaded on the shape's own approvals, as before
                world.approved.append((vendor, sign_offs[-1]))
        elif kind == DRAFT:
            review["state"] = "draft"
        elif kind == REJECTED:
            review.update(state="rejected", closed_at=t0 + day)
            vendor.update(status="rejected", status_reason="问卷未通过 / questionnaire failed")
        elif kind == WITHDRAWN:
            review.update(state="withdrawn", closed_at=t0 + 2 * day)
        elif kind == IN_USE:
            review.update(state="in_progress" if i % 2 else "draft", catch_up=True)
            vendor.update(
                status="in_use",
                business_owner_id=requester,
                in_use_since=world.today - timedelta(days=400),
                contract_ends=world.today + timedelta(days=200),
                catch_up_due=world.today + timedelta(days=(i % 120) - 30),  # a quarter overdue
                connected_systems="CDP, 企业微信 / CDP, WeCom",
            )
        stage_ids = []
        for order, (stage_kind, state) in enumerate(
            zip(("questionnaire", "data_source", "security", "sign_off"), states, strict=False), start=1
        ):
            sid = ids[Stage] + len(stages)
            stage_ids.append(sid)
            opened = t0 + (order - 1) * day if state != "locked" else None
            submitted = (
                opened + 12 * minute if state in ("submitted", "passed", "failed", "returned") else None
            )
            decided = submitted + 3 * minute if state in ("passed", "failed", "returned") else None
            stages.append(
                {
                    "id": sid,
                    "review_id": rid,
                    "kind": stage_kind,
                    "order": order,
                    "state": state,
                    "round": 2 if state == "returned" else 1,
                    "opened_at": opened,
                    "submitted_at": submitted if state != "returned" else None,
                    "submitted_by_id": requester if submitted and stage_kind != "sign_off" else None,
                    "decided_at": decided,
                }
            )
            if decided and stage_kind != "sign_off":
                outcome = {"passed": "passed", "failed": "failed", "returned": "returned"}[state]
                decisions.append(
                    {
                        "id": ids[Decision] + len(decisions),
                        "stage_id": sid,
                        "round": 1,
                        "outcome": outcome,
                        "comment": "材料齐全 / complete"
                        if outcome == "passed"
                        else "请补充授权范围 / add the scope of authorisation",
                        "reopened": [],
                        "decided_by_id": security if stage_kind == "security" else legal,
                        "decided_at": decided,
                    }
                )
        cert_id = None
        if states[2] in ("submitted", "passed"):
            cert_id = ids[Certification] + len(certs)
            path, sha, size = world.cert_file
            certs.append(
                {
                    "id": cert_id,
                    "vendor_id": vid,
                    "kind": "iso27001",
                    "edition": "iso27001_2022",
                    "number": f"ISMS-{i:06d}",
                    "issuer": "中国质量认证中心 CQC",
                    "scope": "平台的设计、开发与运维 / design, development and operation",
                    "issued_on": world.today - timedelta(days=200),
                    "expires_on": (vendor.get("approved_until") or world.today) + timedelta(days=90),
                    "file": path,
                    "original_name": f"certificate-{i:06d}.pdf",
                    "size": size,
                    "content_type": "application/pdf",
                    "sha256": sha,
                    "uploaded_by_id": requester,
                    "uploaded_at": t0 + 2 * day,
                    "frozen": True,
                }
            )
            links.append(
                {
                    "id": ids[StageCertification] + len(links),
                    "stage_id": stage_ids[2],
                    "certification_id": cert_id,
                    "round": 1,
                }
            )
        if kind not in (DRAFT, IN_USE) or i % 4 == 0:
            for q in world.questions:
                value, detail = answers[category].get(q.code, (None, ""))
                if q.code == "A1":
                    detail = uscc
                answer_rows.append(
                    {
                        "id": ids[Answer] + len(answer_rows),
                        "review_id": rid,
                        "question_id": q.pk,
                        "value": value,
                        "detail": detail or "",
                        "updated_by_id": requester,
                        "updated_at": t0 + 10 * minute,
                    }
                )
        vendors.append(vendor)
        reviews.append(review)
        flows.append(
            (
                rid,
                vid,
                kind,
                requester,
                t0,
                stage_ids,
                cert_id,
                sign_offs[-1]["number"] if kind == APPROVED else "",
                uscc,
                vendor,
                review,
            )
        )
    world.rows = {
        Vendor: vendors,
        Review: reviews,
        Stage: stages,
        Answer: answer_rows,
        Decision: decisions,
        SignOff: sign_offs,
        Certification: certs,
        StageCertification: links,
    }
    world.flows = flows


# ------------------------------------------------------------------------------------------------------------
# The use side: scope extensions and marketing activities on the loaded approvals. The findings of every
# activity are what the pre-check itself (activities.precheck.activity_precheck) concludes from its plan and its
# vendors, computed in memory, then loaded with COPY; check_use re-checks a sample from the database through
# activities.services.activity_check and must find the same.

UNCONFIRMED_EVERY = 20  # one approval in 20 keeps a derived scope, unconfirmed
SUSPENDED_EVERY = 100  # one approval in 100 was suspended later, flagging its open activities
# The demo's shape at a hundredth would leave some lists shorter than one page (25 rows): the activities
# waiting for Legal, the flagged ones, the scope extensions. A page of 8 rows against a page of 25 says nothing
# about how a list grows, so at demo size these lists get at least a page: more activities and extensions, and
# one approval in 5 suspended instead of one in 100.
DEMO_FLOOR = {"activities": 600, "extensions": 150}
DEMO_SUSPENDED_EVERY = 5
SUSPEND_REASON = "安全事件调查期间暂停使用 / suspended during a security-incident inquiry"

# What each of twenty activities is: within its vendor's scope (go with conditions, mostly acknowledged), on
# own channels with no personal data (go), needing Legal (sensitive data, minors, prices, data abroad), beyond
# the scope or on a bought list (no-go), and withdrawn.
(
    WITHIN,
    WITHIN_WAITING,
    WITHIN_TWO,
    GO,
    SENSITIVE,
    MINORS,
    PRICING,
    CROSS_BORDER,
    BEYOND,
    PURCHASED,
    ACT_WITHDRAWN,
) = (
    "within",
    "within_waiting",
    "within_two",
    "go",
    "sensitive",
    "minors",
    "pricing",
    "cross_border",
    "beyond",
    "purchased",
    "withdrawn",
)
ACTIVITY_PATTERN = [WITHIN] * 6 + [
    WITHIN_WAITING,
    WITHIN_WAITING,
    WITHIN_TWO,
    WITHIN_TWO,
    GO,
    GO,
    SENSITIVE,
    MINORS,
    PRICING,
    CROSS_BORDER,
    BEYOND,
    BEYOND,
    PURCHASED,
    ACT_WITHDRAWN,
]
ACTIVITY_NAMES = [
    "会员生日EDM",
    "ABM 重点客户春季推广",
    "618 大促会员召回",
    "企业微信社群福利",
    "新品小红书种草",
    "门店周年庆",
    "双十一预热",
    "会员积分兑换提醒",
    "线下快闪活动招募",
    "开学季亲子活动",
]
# What each of the extensions becomes: waiting for Security (only where Security must look), waiting for Legal,
# approved (the vendor's scope widened), refused, withdrawn.
EXTENSION_FATES = ["awaiting", "awaiting_legal", "approved", "approved", "refused", "withdrawn"]


def _scope_of(vendor_row: dict):
    from vendors.scope import Scope

    return Scope.from_json(vendor_row["approved_scope"])


def _vendor_of(vendor_row: dict):
    """An unsaved Vendor with the columns the pre-check reads, for activity_precheck in memory."""
    from vendors.models import Vendor

    return Vendor(
        id=vendor_row["id"],
        uscc=vendor_row["uscc"],
        name_zh=vendor_row["name_zh"],
        category=vendor_row["category"],
        status=vendor_row["status"],
        approved_until=vendor_row["approved_until"],
        approved_scope=vendor_row["approved_scope"],
        scope_confirmed=vendor_row["scope_confirmed"],
        stop_using=False,
    )


def _extension_additions(n: int, scope):
    """Something beyond `scope` to ask for, in turn: a channel, location data, lookalike audiences, a purpose,
    a higher ceiling, data abroad."""
    from vendors.scope import CEILING_ORDER, AudienceSource, Channel, DataCategory, Purpose, Scope

    turn = n % 6
    if turn == 0:
        return Scope.build(channels=[next(c for c in Channel.values if c not in scope.channels)])
    if turn == 1:
        return Scope.build(data_categories=[DataCategory.LOCATION])
    if turn == 2:
        return Scope.build(audience_sources=[AudienceSource.LOOKALIKE])
    if turn == 3:
        return Scope.build(purposes=[next(p for p in Purpose.values if p not in scope.purposes)])
    if turn == 4 and scope.ceiling and scope.ceiling != CEILING_ORDER[-1]:
        return Scope.build(ceiling=CEILING_ORDER[CEILING_ORDER.index(scope.ceiling) + 1])
    return Scope(cross_border=True)


EXTENSION_ANSWERS = {
    "C4": "realtime",
    "D6": ["encryption", "deidentification", "mfa", "logs_6m"],
    "F2": "standard_contract",
    "A5": "1m_10m",
}


def build_extensions(world: World, ids: dict, now) -> tuple[list, list]:
    """Scope extensions on approved vendors, each asking for what its vendor's scope does not cover, with the
    answers and documents activities.extension_rules says it needs; an approved one widens the vendor's
    scope (as vendors.services.vendor_widen_scope would) before the activities read it."""
    from activities.extension_rules import extension_needs
    from activities.models import ExtensionFile, ScopeExtension

    legal, security = world.users["legal"].pk, world.users["security"].pk
    usable = [(v, so) for v, so in world.approved if v["status"] == "approved"]
    requesters = [*world.requester_ids, world.users["cmo"].pk, world.users["cmo2"].pk]
    extensions, files, numbers = [], [], {}
    step = max(1, len(usable) // world.extensions)
    for n in range(world.extensions):
        vendor, sign_off = usable[(n * step + n // len(usable)) % len(usable)]
        scope = _scope_of(vendor)
        for turn in range(n, n + 6):  # the first kind of addition this vendor's scope does not cover yet
            additions = scope.beyond(_extension_additions(turn, scope))
            if not additions.is_empty or additions.cross_border or additions.ceiling:
                break
        needs = extension_needs(additions)
        fate = EXTENSION_FATES[n % len(EXTENSION_FATES)]
        at = now - timedelta(days=300) + timedelta(days=300) * n / world.extensions
        year = f"{at:%Y}"
        numbers[year] = numbers.get(year, world.first_number["EXT", year]) + 1
        pk = ids[ScopeExtension] + n
        status = {
            "awaiting": "awaiting_security" if needs.security else "awaiting_legal",
            "awaiting_legal": "awaiting_legal",
            "approved": "approved",
            "refused": "refused",
            "withdrawn": "withdrawn",
        }[fate]
        row = {
            "id": pk,
            "number": f"EXT-{year}-{numbers[year]:05d}",
            "vendor_id": vendor["id"],
            "approval_reference": sign_off["number"],
            "requester_id": requesters[n % len(requesters)],
            "additions": additions.as_json(),
            "reason": f"扩展适用范围以支持新的营销活动 {n:04d} / scope for a new activity",
            "needs_security": needs.security,
            "answers": {
                code: {
                    "value": EXTENSION_ANSWERS.get(code, "yes"),
                    "detail": "详见附件 / see the attached documents",
                }
                for code in needs.questions
            },
            "status": status,
            "created_at": at,
            "updated_at": at + timedelta(days=3),
        }
        events = [
            (
                at,
                row["requester_id"],
                "extension.requested",
                {"additions": row["additions"], "needs": list(needs.rules), "security": needs.security},
            )
        ]
        decided = at + timedelta(days=2)
        if needs.security and status in ("awaiting_legal", "approved", "refused"):
            row.update(
                security_decided_by_id=security,
                security_decided_at=at + timedelta(days=1),
                security_comment="安全措施满足要求 / measures adequate",
            )
            events.append(
                (
                    at + timedelta(days=1),
                    security,
                    "extension.security_passed",
                    {"comment": row["security_comment"]},
                )
            )
        if status in ("approved", "refused"):
            row.update(
                decided_by_id=legal,
                decided_at=decided,
                decision_comment="同意扩展 / extension granted"
                if status == "approved"
                else "必要性不足 / not necessary for the purpose",
            )
            events.append((decided, legal, f"extension.{status}", {"comment": row["decision_comment"]}))
            if status == "approved":
                vendor["approved_scope"] = scope.widened_by(additions).as_json()
        elif status == "withdrawn":
            events.append((decided, row["requester_id"], "extension.withdrawn", {}))
        for kind in needs.documents:
            path, sha, size, content_type = world.extension_file
            files.append(
                {
                    "id": ids[ExtensionFile] + len(files),
                    "extension_id": pk,
                    "kind": kind,
                    "file": path,
                    "original_name": f"{kind}-{n:04d}.pdf",
                    "size": size,
                    "content_type": content_type,
                    "sha256": sha,
                    "uploaded_by_id": row["requester_id"],
                    "uploaded_at": at,
                }
            )
        extensions.append(row)
        for event_at, actor, action, data in events:
            world.use_flows.append(
                (
                    event_at,
                    actor,
                    action,
                    "scopeextension",
                    pk,
                    vendor["id"],
                    {"number": row["number"], **data},
                )
            )
    return extensions, files


def _plan_of(kind: str, n: int, vendors: list[dict]) -> dict:
    """The facts of one activity of `kind` on `vendors` (within their scope where the kind says so)."""
    from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, OwnChannelKind, Purpose

    plan = {
        "purpose": Purpose.MEMBER_MARKETING,
        "channels": [],
        "own_channels": [],
        "data_categories": [],
        "audience_source": AudienceSource.OWN_CONSENTED,
        "volume": Ceiling.LT_100K,
        "profiling": False,
        "personalised_pricing": False,
        "pricing_justification": "",
        "minors": False,
        "cross_border": False,
    }
    if vendors:
        scope = _scope_of(vendors[0])
        plan.update(
            purpose=scope.purposes[n % len(scope.purposes)] if scope.purposes else Purpose.MEMBER_MARKETING,
            channels=list(scope.channels[:1]),
            data_categories=list(scope.data_categories[:1]),
            audience_source=scope.audience_sources[0]
            if scope.audience_sources
            else AudienceSource.PUBLIC_AGGREGATED,
            volume=scope.ceiling or Ceiling.LT_100K,
        )
        if not plan["channels"]:
            plan["own_channels"] = [OwnChannelKind.WEBSITE]
        if kind == BEYOND:
            plan["channels"] = [next(c for c in Channel.values if c not in scope.channels)]
        elif kind == PURCHASED:
            plan.update(
                channels=[Channel.SMS],
                audience_source=AudienceSource.PURCHASED,
                data_categories=[DataCategory.CONTACT],
            )
        return plan
    plan["own_channels"] = [
        [OwnChannelKind.MINI_PROGRAM, OwnChannelKind.WECHAT_OA],
        [OwnChannelKind.APP],
        [OwnChannelKind.WEBSITE],
    ][n % 3]
    if kind == GO:
        plan.update(
            purpose=Purpose.ACQUISITION,
            audience_source=AudienceSource.PUBLIC_AGGREGATED,
            volume=Ceiling.FROM_100K_TO_1M,
        )
    elif kind == SENSITIVE:
        plan["data_categories"] = [DataCategory.CONTACT, DataCategory.SENSITIVE]
    elif kind == MINORS:
        plan.update(data_categories=[DataCategory.CONTACT, DataCategory.MINORS], minors=True)
    elif kind == PRICING:
        plan.update(
            data_categories=[DataCategory.CONTACT, DataCategory.PURCHASES],
            profiling=True,
            personalised_pricing=True,
            pricing_justification="" if n % 2 else "新会员首单统一优惠 / the same first-order offer for all",
        )
    elif kind == CROSS_BORDER:
        plan.update(data_categories=[DataCategory.CONTACT], cross_border=True)
    return plan


def build_activities(world: World, ids: dict, now) -> tuple[list, list]:
    """Marketing activities, their findings from the pre-check and the status each reached through the
    services' transitions (STATUS_AFTER_CHECK, then acknowledged, decided, withdrawn or flagged)."""
    from activities.models import Activity, ActivityStatus, Outcome
    from activities.precheck import activity_precheck
    from activities.rules import Use
    from activities.services import STATUS_AFTER_CHECK

    legal, cmo = world.users["legal"].pk, world.users["cmo"].pk
    others = [*world.requester_ids, world.users["cmo2"].pk]
    heavy_every = round(TARGET["activities"] / TARGET["heavy"])  # the heavy requester's share, as for reviews
    by_category: dict[str, list[dict]] = {}
    for vendor, _sign_off in world.approved:
        by_category.setdefault(vendor["category"], []).append(vendor)
    approved = [vendor for vendor, _sign_off in world.approved]
    Through = Activity.vendors.through
    rows, links, numbers = [], [], {}
    for n in range(world.activities):
        kind = ACTIVITY_PATTERN[n % len(ACTIVITY_PATTERN)]
        owner = cmo if n % heavy_every == 0 else others[n % len(others)]
        at = now - timedelta(days=365) + timedelta(days=365) * n / world.activities
        vendors = []
        if kind not in (GO, SENSITIVE, MINORS, PRICING, CROSS_BORDER):
            first = approved[(n * 7919) % len(approved)]
            vendors = [first]
            if kind == WITHIN_TWO:  # a second vendor of the same category: the use fits both scopes
                peers = by_category[first["category"]]
                second = peers[(peers.index(first) + 1) % len(peers)]
                vendors = sorted({v["id"]: v for v in (first, second)}.values(), key=lambda v: v["id"])
        plan = _plan_of(kind, n, vendors)
        use = Use(
            purpose=plan["purpose"],
            channels=tuple(plan["channels"]),
            data_categories=tuple(plan["data_categories"]),
            audience_source=plan["audience_source"],
            cross_border=plan["cross_border"],
            volume=plan["volume"],
            profiling=plan["profiling"],
            personalised_pricing=plan["personalised_pricing"],
            pricing_justification=plan["pricing_justification"],
            minors=plan["minors"],
        )
        # Registered while its vendors were approved: a vendor suspended since flags it below.
        check = activity_precheck(
            use, [_vendor_of({**v, "status": "approved"}) for v in vendors], today=at.date()
        )
        year = f"{at:%Y}"
        numbers[year] = numbers.get(year, world.first_number["ACT", year]) + 1
        pk = ids[Activity] + n
        starts = at.date() + timedelta(days=7 + n % 21)
        row = {
            "id": pk,
            "reference": f"ACT-{year}-{numbers[year]:05d}",
            "name": f"{ACTIVITY_NAMES[n % len(ACTIVITY_NAMES)]} {n:05d}",
            "owner_id": owner,
            "starts_on": starts,
            "ends_on": starts + timedelta(days=14 + n % 45),
            "audience": "已同意营销的会员 / members who consented to marketing",
            **plan,
            "outcome": check.outcome,
            "findings": [f.as_json() for f in check.findings],
            "status": STATUS_AFTER_CHECK[check.outcome],
            "checked_at": at,
            "created_at": at,
            "updated_at": at + timedelta(days=1),
        }
        events = [
            (
                at,
                owner,
                "activity.registered",
                {
                    "outcome": row["outcome"],
                    "findings": row["findings"],
                    "vendors": [v["uscc"] for v in vendors],
                },
            )
        ]
        later = at + timedelta(days=1)
        if row["status"] == ActivityStatus.AWAITING_LEGAL and n % 3:
            approve = n % 3 == 1
            conditions = any(f.outcome == Outcome.CONDITIONS for f in check.findings)
            row.update(
                status=(ActivityStatus.AWAITING_ACK if conditions else ActivityStatus.CLEARED)
                if approve
                else ActivityStatus.REFUSED,
                decided_by_id=legal,
                decided_at=later,
                decision_reason="必要性与单独同意已审阅 / necessity and separate consent reviewed"
                if approve
                else "理由不充分 / the justification does not hold",
            )
            events.append(
                (
                    later,
                    legal,
                    "activity.approved" if approve else "activity.refused",
                    {"reason": row["decision_reason"]},
                )
            )
        if row["status"] == ActivityStatus.AWAITING_ACK and kind != WITHIN_WAITING:
            row.update(
                status=ActivityStatus.CLEARED,
                acknowledged_by_id=owner,
                acknowledged_at=later + timedelta(hours=2),
            )
            events.append(
                (
                    later + timedelta(hours=2),
                    owner,
                    "activity.acknowledged",
                    {"conditions": [f.rule for f in check.findings if f.outcome == Outcome.CONDITIONS]},
                )
            )
        if kind == ACT_WITHDRAWN and row["status"] in (
            ActivityStatus.AWAITING_ACK,
            ActivityStatus.CLEARED,
            ActivityStatus.AWAITING_LEGAL,
            ActivityStatus.BLOCKED,
        ):
            row["status"] = ActivityStatus.WITHDRAWN
            events.append((later + timedelta(hours=3), owner, "activity.withdrawn", {}))
        suspended = [v for v in vendors if v["status"] == "suspended"]
        if suspended and row["status"] in (
            ActivityStatus.AWAITING_ACK,
            ActivityStatus.AWAITING_LEGAL,
            ActivityStatus.CLEARED,
        ):
            reason = world.flag_text % {"vendor": suspended[0]["name_zh"], "reason": SUSPEND_REASON}
            row.update(flagged_at=world.suspended_at, flag_reason=reason)
            events.append(
                (
                    world.suspended_at,
                    None,
                    "activity.flagged",
                    {"vendor": suspended[0]["uscc"], "reason": SUSPEND_REASON},
                )
            )
        rows.append(row)
        for vendor in vendors:
            links.append({"id": ids[Through] + len(links), "activity_id": pk, "vendor_id": vendor["id"]})
        for event_at, actor, action, data in events:
            world.use_flows.append(
                (event_at, actor, action, "activity", pk, None, {"reference": row["reference"], **data})
            )
    return rows, links


def build_use(world: World) -> None:
    """The extensions first (an approved one widens its vendor's scope), then the activities on the scopes
    in force; rows kept in world.rows for COPY, events in world.use_flows for load_events."""
    from django.utils import timezone
    from django.utils.translation import gettext

    from activities.models import Activity, ExtensionFile, ScopeExtension

    now = timezone.now()
    ids = {m: _max_id(m) + 1 for m in (Activity, Activity.vendors.through, ScopeExtension, ExtensionFile)}
    # The numbering of activities.services and activities.extensions goes on from the highest number of the
    # year: the loaded rows take the numbers after the demo's, so the services' next number is free.
    world.first_number = _NumberStart()
    # The flag's sentence as activities.services.activities_flag_for_vendor writes it, in the default language.
    world.flag_text = gettext("%(vendor)s may no longer be used: %(reason)s")
    extensions, files = build_extensions(world, ids, now)
    activities, links = build_activities(world, ids, now)
    world.rows.update(
        {
            ScopeExtension: extensions,
            ExtensionFile: files,
            Activity: activities,
            Activity.vendors.through: links,
        }
    )


class _NumberStart(dict):
    """{(prefix, year): the highest number the services gave that year}, read on first use."""

    def __missing__(self, key):
        from activities.models import Activity, ScopeExtension

        prefix, year = key
        model, field = (Activity, "reference") if prefix == "ACT" else (ScopeExtension, "number")
        last = (
            model.objects.filter(**{f"{field}__startswith": f"{prefix}-{year}-"})
            .order_by(f"-{field}")
            .values_list(field, flat=True)
            .first()
        )
        self[key] = int(last.rsplit("-", 1)[1]) if last else 0
        return self[key]


def check_use(world: World, sample: int = 200) -> int:
    """The loaded activities against the services: a sample of every kind is read back from the database,
    its plan rebuilt by activities.services.activity_plan (on the day it was registered) and pre-checked by
    activity_check, and must conclude the same outcome and findings; the approved vendors' scopes are the
    sign-off's, widened by exactly their approved extensions; a suspended vendor's open activities are flagged."""
    from activities.models import Activity, ScopeExtension
    from activities.services import activity_check, activity_plan
    from vendors.models import Vendor
    from vendors.scope import Scope

    ids = [row["id"] for row in world.rows[Activity]]
    step = max(1, len(ids) // sample)
    picked = ids[: len(ACTIVITY_PATTERN)] + ids[::step]
    wrong, checked = [], 0
    # An activity of a vendor suspended since was checked while the vendor was approved: left out.
    for activity in (
        Activity.objects.filter(pk__in=picked)
        .exclude(vendors__status="suspended")
        .prefetch_related("vendors")
    ):
        plan = activity_plan(
            name=activity.name,
            starts_on=activity.starts_on,
            ends_on=activity.ends_on,
            purpose=activity.purpose,
            channels=activity.channels,
            vendors=sorted(activity.vendors.all(), key=lambda v: v.pk),
            own_channels=activity.own_channels,
            audience_source=activity.audience_source,
            audience=activity.audience,
            data_categories=activity.data_categories,
            volume=activity.volume,
            profiling=activity.profiling,
            personalised_pricing=activity.personalised_pricing,
            pricing_justification=activity.pricing_justification,
            minors=activity.minors,
            cross_border=activity.cross_border,
            today=activity.created_at.date(),
        )
        check = activity_check(plan, today=activity.created_at.date())
        if (check.outcome, [f.as_json() for f in check.findings]) != (activity.outcome, activity.findings):
            wrong.append((activity.reference, activity.outcome, check.outcome))
        checked += 1
    assert not wrong, f"{len(wrong)} activities differ from activity_check: {wrong[:3]}"
    outcomes = set(Activity.objects.filter(pk__in=picked).values_list("outcome", flat=True))
    assert len(outcomes) == 4, f"the sample should hold every outcome: {outcomes}"
    statuses = set(Activity.objects.filter(pk__gte=ids[0]).values_list("status", flat=True).distinct())
    assert len(statuses) == 6, f"every status should be loaded: {statuses}"
    widened = {}
    for extension in ScopeExtension.objects.filter(
        status="approved", pk__gte=world.rows[ScopeExtension][0]["id"]
    ):
        widened.setdefault(extension.vendor_id, []).append(Scope.from_json(extension.additions))
    for vendor in Vendor.objects.filter(
        pk__in=[v["id"] for v, _so in world.approved[::step]] + list(widened)
    ):
        expected = Scope.from_json(world.scopes[vendor.category])
        for additions in widened.get(vendor.pk, ()):
            expected = expected.widened_by(additions)
        assert vendor.scope == expected, (
            f"{vendor.uscc}: scope {vendor.approved_scope} != {expected.as_json()}"
        )
    unflagged = Activity.objects.filter(
        vendors__status="suspended",
        status__in=["awaiting_ack", "awaiting_legal", "cleared"],
        flagged_at__isnull=True,
    )
    assert not unflagged.exists(), f"{unflagged.count()} open activities of suspended vendors are not flagged"
    assert Activity.objects.filter(flagged_at__isnull=False).exists(), "no activity is flagged"
    return checked


def _events_of(world: World, flow, padding: int):
    """The audit events of one loaded review, in order: (at, actor id, action, object type, object id, data)."""
    rid, vid, kind, requester, t0, stage_ids, _cert_id, number, uscc, vendor, review = flow
    legal, security = world.users["legal"].pk, world.users["security"].pk
    minute = timedelta(minutes=1)
    day = timedelta(days=1)
    out = [
        (
            t0,
            requester,
            "vendor.created",
            "vendor",
            vid,
            {"reason": "", "changes": {"uscc": [None, uscc], "name_zh": [None, vendor["name_zh"]]}},
        ),
        (
            t0,
            requester,
            "review.created",
            "review",
            rid,
            {"traits": [], "vendor": uscc, "volume": review["expected_volume"], "purpose": review["purpose"]},
        ),
        (t0, requester, "vendor.identity_frozen", "vendor", vid, {"reason": "", "changes": {}}),
    ]
    tier = review["risk_tier"]
    for n in range(padding):
        at = t0 + 20 * minute + n * timedelta(seconds=7)
        if n % 2:
            out.append(
                (
                    at,
                    requester,
                    "answers.saved",
                    "review",
                    rid,
                    {
                        "tier": tier,
                        "questions": ["B1", "B2"],
                        "red_flags": [],
                        "risk_score": review["risk_score"],
                    },
                )
            )
        else:
            out.append(
                (
                    at,
                    requester,
                    "evidence.added",
                    "evidence",
                    rid * 100 + n,
                    {
                        "kind": "consent_text",
                        "name": f"consent-{rid}-{n}.pdf",
                        "size": 852,
                        "stage": "questionnaire",
                        "sha256": f"{rid:032x}{n:032x}",
                    },
                )
            )
    stage_names = ("questionnaire", "data_source", "security", "sign_off")
    plan = {
        APPROVED: ["passed", "passed", "passed"],
        WAIT_Q: ["submitted"],
        WAIT_DS: ["passed", "submitted"],
        WAIT_SEC: ["passed", "passed", "submitted"],
        WAIT_SIGN: ["passed", "passed", "passed"],
        RETURNED: ["passed", "returned"],
        REJECTED: ["failed"],
        WITHDRAWN: ["passed"],
    }.get(kind, [])
    for order, outcome in enumerate(plan):
        at = t0 + order * day + 12 * minute
        out.append(
            (
                at,
                requester,
                "stage.submitted",
                "stage",
                stage_ids[order],
                {"round": 1, "stage": stage_names[order]},
            )
        )
        if outcome != "submitted":
            decider = security if order == 2 else legal
            data = {"round": 1, "stage": stage_names[order]}
            data.update(
                {
                    "passed": {"comment": "材料齐全 / complete"},
                    "returned": {"comment": "请补充 / add", "reopen": []},
                    "failed": {"reason": "问卷未通过 / questionnaire failed"},
                }[outcome]
            )
            out.append((at + 3 * minute, decider, f"stage.{outcome}", "stage", stage_ids[order], data))
    if kind == APPROVED:
        at = t0 + 4 * day
        out.append(
            (
                at,
                legal,
                "review.signed_off",
                "signoff",
                rid,
                {
                    "number": number,
                    "valid_until": vendor["approved_until"].isoformat(),
                    "conditions": "",
                    "scope": world.scopes[vendor["category"]],
                },
            )
        )
        out.append(
            (
                at,
                legal,
                "vendor.approved",
                "vendor",
                vid,
                {"to": "approved", "from": "candidate", "reason": ""},
            )
        )
        if vendor["status"] == "suspended":
            out.append(
                (
                    world.suspended_at,
                    legal,
                    "vendor.suspended",
                    "vendor",
                    vid,
                    {"to": "suspended", "from": "approved", "reason": SUSPEND_REASON},
                )
            )
    elif kind == REJECTED:
        out.append(
            (
                t0 + day,
                legal,
                "vendor.rejected",
                "vendor",
                vid,
                {"to": "rejected", "from": "candidate", "reason": "问卷未通过 / questionnaire failed"},
            )
        )
    elif kind == WITHDRAWN:
        out.append(
            (t0 + 2 * day, requester, "review.withdrawn", "review", rid, {"reason": "项目取消 / cancelled"})
        )
    return out


def load_events(world: World) -> int:
    """The audit events of every loaded review, chained after the head the services left, hashed as
    reviews.audit.audit_record hashes (keyed_payload, keyed_hash under the audit key)."""
    from django.contrib.auth import get_user_model
    from django.core.serializers.json import DjangoJSONEncoder

    from reviews.models import AuditEvent
    from reviews.models.audit import AuditScheme, audit_key, keyed_hash, keyed_payload

    labels = dict(get_user_model().objects.values_list("pk", "username"))
    key = audit_key()
    base_counts = [len(_events_of(world, flow, 0)) for flow in world.flows]
    room = max(0, world.events_target - world.start_event - sum(base_counts) - len(world.use_flows))
    per, extra = divmod(room, len(world.flows))
    head = AuditEvent.objects.order_by("-pk").values_list("pk", "hash").first()
    state = {"pk": head[0], "prev": head[1]}

    # The columns in the order of the rows below.
    columns = "id at actor_id actor_label action review_id vendor_id object_type object_id data prev_hash scheme hash"
    assert [f.attname for f in AuditEvent._meta.concrete_fields] == columns.split(), (
        "AuditEvent's columns changed: update bench/scale.py"
    )
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    scheme = int(AuditScheme.HMAC_SHA256)

    def rows():
        pk, prev = state["pk"], state["prev"]

        def chained(*event):
            """The row of `event` (at, actor, label, action, review, vendor, object type and id, data), chained."""
            nonlocal pk, prev
            digest = keyed_hash(keyed_payload(*event, prev), key)
            pk += 1
            row = (pk, *event[:-1], encode(event[-1]), prev, scheme, digest)
            prev = digest
            return row

        for n, flow in enumerate(world.flows):
            review_id, vendor_id = flow[0], flow[1]
            for at, actor, action, otype, oid, data in _events_of(world, flow, per + (1 if n < extra else 0)):
                yield chained(at, actor, labels[actor], action, review_id, vendor_id, otype, str(oid), data)
        # The use side's events (build_use): activities and extensions, no review; Vetted itself flags.
        for at, actor, action, otype, oid, vendor_id, data in world.use_flows:
            label = labels[actor] if actor is not None else "system"
            data = json.loads(json.dumps(data, cls=DjangoJSONEncoder))  # as the database gives it back
            yield chained(at, actor, label, action, None, vendor_id, otype, str(oid), data)

    return copy_rows(AuditEvent, rows(), as_tuples=True)


# ------------------------------------------------------------------------------------------------------------
# What the services keep on the rows, derived from the loaded rows by the project's own bulk functions: the
# review's current stage (reviews.current_stage) and the vendor's nearest certificate expiry (vendors.services).
# The search names are a generated column the database fills itself.


def fill_current_stage(world: World) -> int:
    """The current stage of every loaded review, by the function the migration backfills with."""
    from reviews.current_stage import reviews_refresh_current_stage
    from reviews.models import Review

    first = min(row["id"] for row in world.rows[Review])
    return reviews_refresh_current_stage(Review.objects.filter(pk__gte=first))


def fill_nearest_cert_expiry(world: World) -> int:
    """The nearest certificate expiry of every loaded vendor, by the service's own bulk recomputation."""
    from vendors.models import Vendor
    from vendors.services import vendors_refresh_cert_expiry

    first = min(row["id"] for row in world.rows[Vendor])
    return vendors_refresh_cert_expiry(today=world.today, vendors=Vendor.objects.filter(pk__gte=first))


def check_derived(world: World, sample: int = 400) -> int:
    """The set-based UPDATEs against the services' own functions, on a sample spread over the loaded rows of
    every shape: each review's columns are recomputed by review_refresh_current_stage, each vendor's date by
    vendor_refresh_cert_expiry (both write what they compute; equal values leave the rows as they were), and
    the values must not change. The search names must be filled for every vendor."""
    from django.db import transaction

    from reviews.current_stage import FIELDS, review_refresh_current_stage
    from reviews.models import Review
    from vendors.models import Vendor
    from vendors.services import vendor_refresh_cert_expiry

    review_ids = [row["id"] for row in world.rows[Review]]
    vendor_ids = [row["id"] for row in world.rows[Vendor]]
    step = max(1, len(review_ids) // sample)
    # Every shape of PATTERN at least once: a run of len(PATTERN) consecutive rows, then every step-th row.
    picked_reviews = review_ids[: len(PATTERN)] + review_ids[::step]
    picked_vendors = vendor_ids[: len(PATTERN)] + vendor_ids[::step]
    columns = list(FIELDS)
    kept = {
        pk: tuple(row)
        for pk, *row in Review.objects.filter(pk__in=picked_reviews).values_list("pk", *columns)
    }
    kept_expiry = dict(Vendor.objects.filter(pk__in=picked_vendors).values_list("pk", "nearest_cert_expiry"))
    with transaction.atomic():
        for review in Review.objects.filter(pk__in=picked_reviews):
            review_refresh_current_stage(review)
        for vendor in Vendor.objects.filter(pk__in=picked_vendors):
            vendor_refresh_cert_expiry(vendor=vendor, today=world.today)
    fresh = {
        pk: tuple(row)
        for pk, *row in Review.objects.filter(pk__in=picked_reviews).values_list("pk", *columns)
    }
    fresh_expiry = dict(Vendor.objects.filter(pk__in=picked_vendors).values_list("pk", "nearest_cert_expiry"))
    wrong = [(pk, kept[pk], fresh[pk]) for pk in kept if kept[pk] != fresh[pk]]
    assert not wrong, (
        f"current stage differs from review_refresh_current_stage for {len(wrong)} reviews: {wrong[:3]}"
    )
    wrong = [
        (pk, kept_expiry[pk], fresh_expiry[pk]) for pk in kept_expiry if kept_expiry[pk] != fresh_expiry[pk]
    ]
    assert not wrong, (
        f"nearest_cert_expiry differs from vendor_refresh_cert_expiry for {len(wrong)}: {wrong[:3]}"
    )
    kinds = {row[0] for row in fresh.values()}
    assert len(kinds) >= 4, f"the sample should hold every current stage and none: {kinds}"
    assert any(v is not None for v in fresh_expiry.values()), "no sampled vendor has a certificate expiry"
    unnamed = (
        Vendor.objects.filter(search_names__isnull=True).count()
        + Vendor.objects.filter(search_names="").count()
    )
    assert not unnamed, f"{unnamed} vendors without search names"
    return len(kept) + len(kept_expiry)


def seed(database: str, size: str) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    timer = Timer()
    started = time.perf_counter()
    print(f"Seeding {database} at size {size}", flush=True)
    timer("migrate", lambda: call_command("migrate", verbosity=0) or None)

    def demo():
        # What manage.py seed_demo runs: the vetting (reviews.demo), then the use side (activities.demo).
        from activities.demo import seed as use_seed
        from reviews.demo import seed as demo_seed

        return len(demo_seed(DEMO_PASSWORD)) + len(use_seed())

    timer("demo (through the services)", demo)
    from django.contrib.auth import get_user_model

    def api_key():
        from reviews.api_keys import api_key_create
        from reviews.models import ApiScope

        # Every scope there is (vendors:read, and whatever the use check and the activities need), so that
        # bench/pages.py reaches each endpoint.
        _key, token = api_key_create(
            actor=get_user_model().objects.get(username="legal"),
            name="Benchmark",
            scopes=list(ApiScope.values),
        )
        (private_root(database) / "api-token").write_text(token)
        return 1

    timer("API key (through the service)", api_key)
    world = World(SIZES[size])
    from activities.models import Activity, ExtensionFile, ScopeExtension
    from reviews.models import Answer, AuditEvent, Decision, Review, SignOff, Stage, StageCertification
    from vendors.models import Certification, Vendor

    use_models = [ScopeExtension, ExtensionFile, Activity, Activity.vendors.through]
    vetting_models = [Vendor, Review, Stage, Answer, Decision, SignOff, Certification, StageCertification]
    user_models = [get_user_model(), get_user_model().groups.through]
    # Every table the load writes: its sequences are reset after it, and each is vacuumed and analysed.
    loaded = [*user_models, *vetting_models, AuditEvent, *use_models]

    with transaction.atomic():
        with connection.cursor() as cursor:
            # Rows consistent by construction: no per-row foreign-key check (PostgreSQL's FK triggers, deferred
            # to COMMIT here, would check 1.5 million references one by one), and no waiting on the WAL flush.
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL synchronous_commit = off")
        timer("users (requesters)", load_users, world)
        timer("(rows built in memory)", lambda: build(world) or None)
        timer("(use side built: pre-checks)", lambda: build_use(world) or None)
        for model in (*vetting_models, *use_models):
            timer(model._meta.db_table, copy_rows, model, world.rows[model])
        timer(AuditEvent._meta.db_table, load_events, world)
        _reset_sequences(loaded)
        timer("reviews: current stage", fill_current_stage, world)
        timer("vendors: nearest cert expiry", fill_nearest_cert_expiry, world)
        commit_started = time.perf_counter()
    timer.rows.append(("COMMIT", None, time.perf_counter() - commit_started))
    print(f"  {'COMMIT':<34} {'':>9}       {timer.rows[-1][2]:7.2f} s", flush=True)

    def vacuum_analyze():
        # VACUUM too, not only ANALYZE: the freshly loaded (and updated) pages are marked all-visible, so the
        # keys-first page of /vendors/ and the desk's index scans are index-only, as on a settled database.
        with connection.cursor() as cursor:
            for model in loaded:
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
            cursor.execute("ANALYZE")  # the rest (the demo's tables), so that no table is without statistics
        return len(loaded)

    timer("check: derived columns", check_derived, world)
    timer("check: activities and scopes", check_use, world)
    timer("VACUUM ANALYZE (tables)", vacuum_analyze)

    def checkpoint():
        from reviews.audit_checkpoints import audit_checkpoint

        audit_checkpoint(reason=f"seeded by bench/scale.py at size {size}")
        return 1

    timer("audit checkpoint", checkpoint)
    total = time.perf_counter() - started
    from django.utils import translation

    translation.activate("en")
    counts = {
        m._meta.verbose_name_plural: m.objects.count()
        for m in (Vendor, Review, Stage, AuditEvent, Activity, ScopeExtension)
    }
    print("  " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    print(
        f"Seeded {database} in {total:.1f} s (target: under 120 s at 10k); load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    env = " ".join(f"{k}={v}" for k, v in bench_environment(database).items())
    print(f"Verify: {env} .venv/bin/python manage.py verify_audit")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="vetted_scale_<name> or vetted_bench_<name>")
    parser.add_argument("--size", choices=sorted(SIZES), default="10k")
    parser.add_argument("--drop", action="store_true", help="drop the database and its files, then stop")
    parser.add_argument("--replace", action="store_true", help="drop the database first if it exists")
    args = parser.parse_args()
    if not args.database.startswith(PREFIXES) or not args.database.replace("_", "").isalnum():
        parser.error(
            f"the database name must start with {' or '.join(PREFIXES)} and hold only letters, digits "
            "and underscores"
        )
    if args.drop:
        drop(args.database)
        print(f"Dropped {args.database}")
        return
    if _exists(args.database):
        if not args.replace:
            parser.error(f"{args.database} exists: --replace to seed it again, --drop to remove it")
        drop(args.database)
    _admin(f'CREATE DATABASE "{args.database}"')
    private_root(args.database).mkdir(parents=True, exist_ok=True)
    os.environ.update(bench_environment(args.database))
    os.environ.pop("REDIS_URL", None)  # dossiers of the demo render in-process
    os.environ["DEBUG"] = "0"  # no query log kept in memory while loading
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    import django

    django.setup()
    seed(args.database, args.size)


if __name__ == "__main__":
    main()
