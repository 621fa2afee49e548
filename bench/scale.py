"""Seed a PostgreSQL database at the scale of issue 13, for the page and load benchmarks.

    .venv/bin/python bench/scale.py --database vetted_scale_10k             # 10,000 vendors (default size)
    .venv/bin/python bench/scale.py --database vetted_scale_demo --size demo
    .venv/bin/python bench/scale.py --database vetted_scale_10k --replace   # drop it first, then seed
    .venv/bin/python bench/scale.py --database vetted_scale_10k --drop      # drop it and its files, nothing else

The database (named vetted_scale_* or vetted_bench_*) is created and migrated, then the demo is seeded through
the real services (reviews.demo: its people, one vendor in every state, evidence, dossiers), then the rest is
loaded with COPY in the same shape: approved vendors with their sign-offs and certificates, reviews waiting at
each stage for Legal or Security, returned, rejected, withdrawn and draft reviews, platforms in use and not
vetted with their catch-up reviews, questionnaire answers, decisions, and the audit events of all of it. The
demo's requester `cmo` is the heavy requester (1,000 requests at 10k). At 10k: 10,000 vendors, 10,000
reviews, 40,000 stages and 500,000 audit events in all (seeded and loaded together); --size demo loads the
same shape at a hundredth of it.

The audit events are chained with the project's own keyed hashing (reviews.models.audit.keyed_payload and
keyed_hash, under VETTED_AUDIT_KEY), continuing the chain the services started, and a checkpoint is written at
the end, so that `manage.py verify_audit` passes on the seeded database. The checkpoint file and the demo's
files live under var/bench/<database>/private, which is therefore the PRIVATE_MEDIA_ROOT to use with it (the
script prints the command).

What the services keep on the rows is then derived from the loaded rows by the project's own bulk functions:
the review's current stage (reviews.current_stage.reviews_refresh_current_stage) and the vendor's nearest
certificate expiry (vendors.services.vendors_refresh_cert_expiry); the search names are a generated column the
database fills. A sample of the loaded
reviews and vendors of every shape is recomputed by the services' own functions and must come out the same
(the only assertions here), and every loaded table is vacuumed and analysed, so that the plans (index-only
scans included) are those of a settled database. Prints the time taken per step.
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
TARGET = {"vendors": 10_000, "reviews": 10_000, "events": 500_000, "heavy": 1_000, "requesters": 200}


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
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN") \
                as copy:
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
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                           f"GREATEST((SELECT max(id) FROM \"{table}\"), 1))")


# ------------------------------------------------------------------------------------------------------------
# The shape: what each of twenty vendors out of twenty is.

APPROVED, WAIT_Q, WAIT_DS, WAIT_SEC, WAIT_SIGN, RETURNED, DRAFT, REJECTED, WITHDRAWN, IN_USE = (
    "approved", "wait_q", "wait_ds", "wait_sec", "wait_sign", "returned", "draft", "rejected", "withdrawn",
    "in_use")
# 40% approved, 10% waiting Legal (questionnaire), 5% each waiting Legal (data source), Security, the
# sign-off, returned to the requester, draft, rejected, withdrawn; 15% in use and not vetted (catch-up).
PATTERN = [APPROVED] * 8 + [WAIT_Q] * 2 + [WAIT_DS, WAIT_SEC, WAIT_SIGN, RETURNED, DRAFT, REJECTED, WITHDRAWN] \
    + [IN_USE] * 3
CATEGORIES = ["data_provider", "ad_network", "scrm_saas", "sms_edm", "social_agency", "app_developer",
              "event_agency", "other"]
TIERS = ["low", "medium", "high"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
WORDS = ["云", "星", "海", "蓝", "智", "数", "聚", "汇", "悦", "橙", "鲸", "点", "图", "讯", "通", "推"]
WORDS_EN = ["Yun", "Xing", "Hai", "Lan", "Zhi", "Shu", "Ju", "Hui", "Yue", "Cheng", "Jing", "Dian", "Tu", "Xun",
            "Tong", "Tui"]
CITIES = [("上海", "Shanghai"), ("北京", "Beijing"), ("深圳", "Shenzhen"), ("杭州", "Hangzhou"),
          ("广州", "Guangzhou"), ("成都", "Chengdu"), ("南京", "Nanjing"), ("苏州", "Suzhou")]
TRADES = [("数据服务", "Data Services"), ("广告技术", "Advertising Technology"), ("会员科技", "Membership Technology"),
          ("短信服务", "SMS Services"), ("互动营销", "Interactive Marketing"), ("网络科技", "Network Technology"),
          ("活动策划", "Events"), ("信息咨询", "Information Consulting")]


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
    return (f"{city}{WORDS[a]}{WORDS[b]}{trade}有限公司{i:05d}",
            f"{city_en} {WORDS_EN[a]}{WORDS_EN[b].lower()} {trade_en} Co., Ltd. {i:05d}")


class World:
    """What the demo seeded and the loaded rows refer to."""

    def __init__(self, factor: float):
        from django.contrib.auth import get_user_model
        from django.utils import timezone

        from reviews.models import AuditEvent, Question, QuestionnaireTemplate, Review
        from vendors.models import Certification, Vendor

        User = get_user_model()
        self.factor = factor
        self.users = {u.username: u for u in User.objects.filter(
            username__in=["cmo", "cmo2", "security", "legal", "auditor", "admin"])}
        self.template = QuestionnaireTemplate.objects.get(is_active=True)
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


def answers_by_category(world: World) -> dict:
    from reviews.demo import least_flagged_answers
    from reviews.models import Review
    from vendors.models import Vendor

    out = {}
    for category in CATEGORIES:
        review = Review(template=world.template, vendor=Vendor(uscc=_uscc(0), category=category))
        out[category] = least_flagged_answers(review)
    return out


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
        rows.append({"id": pk, "username": f"req{n + 1:04d}", "first_name": f"员工{n + 1}", "last_name": surname,
                     "email": f"req{n + 1:04d}@vetted.example.com", "password": "!", "is_active": True,
                     "is_staff": False, "is_superuser": False, "date_joined": now - timedelta(days=800)})
        world.requester_ids.append(pk)
    count = copy_rows(User, rows)
    requester = Group.objects.get(name="Requester")
    Through = User.groups.through
    first_link = _max_id(Through) + 1
    copy_rows(Through, ({"id": first_link + n, "user_id": pk, "group_id": requester.pk}
                        for n, pk in enumerate(world.requester_ids)))
    return count


def build(world: World) -> None:
    """Every row but the audit events, in memory as dicts (a few hundred thousand small dicts at 10k)."""
    from django.utils import timezone

    from reviews.models import (
        Answer, Decision, Review, SignOff, Stage, StageCertification)
    from vendors.models import Certification, Vendor

    ids = {m: _max_id(m) + 1 for m in (Vendor, Review, Stage, Answer, Decision, SignOff, Certification,
                                        StageCertification)}
    answers = answers_by_category(world)
    legal, security, cmo = world.users["legal"].pk, world.users["security"].pk, world.users["cmo"].pk
    now = timezone.now()
    span = timedelta(days=700)
    base = now - timedelta(days=720)
    vendors, reviews, stages, answer_rows, decisions, sign_offs, certs, links = [], [], [], [], [], [], [], []
    flows = []  # (review id, vendor id, kind, requester, t0, stage ids, cert id, sign-off number, uscc)
    heavy_every = max(1, world.vendors // max(1, world.heavy))
    others = world.requester_ids + [world.users["cmo2"].pk]
    for i in range(world.vendors):
        kind = PATTERN[i % len(PATTERN)]
        vid, rid = ids[Vendor] + i, ids[Review] + i
        requester = cmo if i % heavy_every == 0 and i // heavy_every < world.heavy else others[i % len(others)]
        t0 = base + span * i / world.vendors
        minute = timedelta(minutes=1)
        day = timedelta(days=1)
        category = CATEGORIES[i % len(CATEGORIES)]
        name_zh, name_en = _name(i)
        uscc = _uscc(i + 1)
        tier = TIERS[i % 3]
        vendor = {"id": vid, "name_zh": name_zh, "name_en": name_en, "uscc": uscc, "uscc_checksum_ok": True,
                  "category": category, "website": f"https://v{i:05d}.vendor.example.com",
                  "services": "营销服务 / marketing services", "status": "candidate", "risk_tier": "",
                  "identity_frozen_at": t0, "created_at": t0, "updated_at": t0 + 5 * day, "personal_data": True,
                  "individuals": "100k_1m"}
        review = {"id": rid, "number": f"VR-{t0:%Y}-{rid:05d}", "vendor_id": vid, "requester_id": requester,
                  "template_id": world.template.pk, "purpose": f"会员运营与营销活动 {i:05d} / member marketing",
                  "personal_data": "手机号、OpenID / mobile number, OpenID", "expected_volume": "100k_1m",
                  "data_traits": [], "language": "zh-hans", "state": "in_progress", "risk_score": 10 * (i % 3),
                  "risk_tier": tier, "red_flag_count": 0, "catch_up": False, "created_at": t0,
                  "updated_at": t0 + 5 * day, "closed_at": None}
        # Stage states, in order: q, ds, sec, sign_off.
        states = {
            APPROVED: ["passed"] * 4, WAIT_Q: ["submitted", "locked", "locked", "locked"],
            WAIT_DS: ["passed", "submitted", "locked", "locked"], WAIT_SEC: ["passed", "passed", "submitted", "locked"],
            WAIT_SIGN: ["passed", "passed", "passed", "submitted"], RETURNED: ["passed", "returned", "locked", "locked"],
            DRAFT: ["open", "locked", "locked", "locked"], REJECTED: ["failed", "locked", "locked", "locked"],
            WITHDRAWN: ["passed", "open", "locked", "locked"], IN_USE: ["open", "locked", "locked", "locked"],
        }[kind]
        if kind == APPROVED:
            review.update(state="approved", closed_at=t0 + 4 * day)
            until = world.today + timedelta(days=30 + (i * 37) % 670)
            number = f"VD-{t0:%Y}-{rid:05d}"
            vendor.update(status="approved", approved_until=until, approval_reference=number, risk_tier=tier)
            sign_offs.append({"id": ids[SignOff] + len(sign_offs), "review_id": rid, "number": number,
                              "signed_by_id": legal, "signed_at": t0 + 4 * day, "valid_until": until,
                              "statement": "经审查，准予入库。 / Admitted after review.",
                              "conditions": "每季度提供同意日志抽样。 / Quarterly consent-log samples."})
        elif kind == DRAFT:
            review["state"] = "draft"
        elif kind == REJECTED:
            review.update(state="rejected", closed_at=t0 + day)
            vendor.update(status="rejected", status_reason="问卷未通过 / questionnaire failed")
        elif kind == WITHDRAWN:
            review.update(state="withdrawn", closed_at=t0 + 2 * day)
        elif kind == IN_USE:
            review.update(state="in_progress" if i % 2 else "draft", catch_up=True)
            vendor.update(status="in_use", business_owner_id=requester, in_use_since=world.today - timedelta(days=400),
                          contract_ends=world.today + timedelta(days=200),
                          catch_up_due=world.today + timedelta(days=(i % 120) - 30),  # a quarter overdue
                          connected_systems="CDP, 企业微信 / CDP, WeCom")
        stage_ids = []
        for order, (stage_kind, state) in enumerate(zip(("questionnaire", "data_source", "security", "sign_off"),
                                                        states), start=1):
            sid = ids[Stage] + len(stages)
            stage_ids.append(sid)
            opened = t0 + (order - 1) * day if state != "locked" else None
            submitted = opened + 12 * minute if state in ("submitted", "passed", "failed", "returned") else None
            decided = submitted + 3 * minute if state in ("passed", "failed", "returned") else None
            stages.append({"id": sid, "review_id": rid, "kind": stage_kind, "order": order, "state": state,
                           "round": 2 if state == "returned" else 1, "opened_at": opened,
                           "submitted_at": submitted if state != "returned" else None,
                           "submitted_by_id": requester if submitted and stage_kind != "sign_off" else None,
                           "decided_at": decided})
            if decided and stage_kind != "sign_off":
                outcome = {"passed": "passed", "failed": "failed", "returned": "returned"}[state]
                decisions.append({"id": ids[Decision] + len(decisions), "stage_id": sid, "round": 1,
                                  "outcome": outcome, "comment": "材料齐全 / complete" if outcome == "passed"
                                  else "请补充授权范围 / add the scope of authorisation", "reopened": [],
                                  "decided_by_id": security if stage_kind == "security" else legal,
                                  "decided_at": decided})
        cert_id = None
        if states[2] in ("submitted", "passed"):
            cert_id = ids[Certification] + len(certs)
            path, sha, size = world.cert_file
            certs.append({"id": cert_id, "vendor_id": vid, "kind": "iso27001", "edition": "iso27001_2022",
                          "number": f"ISMS-{i:06d}", "issuer": "中国质量认证中心 CQC",
                          "scope": "平台的设计、开发与运维 / design, development and operation",
                          "issued_on": world.today - timedelta(days=200),
                          "expires_on": (vendor.get("approved_until") or world.today) + timedelta(days=90),
                          "file": path, "original_name": f"certificate-{i:06d}.pdf", "size": size,
                          "content_type": "application/pdf", "sha256": sha, "uploaded_by_id": requester,
                          "uploaded_at": t0 + 2 * day, "frozen": True})
            links.append({"id": ids[StageCertification] + len(links), "stage_id": stage_ids[2],
                          "certification_id": cert_id, "round": 1})
        if kind not in (DRAFT, IN_USE) or i % 4 == 0:
            for q in world.questions:
                value, detail = answers[category].get(q.code, (None, ""))
                if q.code == "A1":
                    detail = uscc
                answer_rows.append({"id": ids[Answer] + len(answer_rows), "review_id": rid, "question_id": q.pk,
                                    "value": value, "detail": detail or "", "updated_by_id": requester,
                                    "updated_at": t0 + 10 * minute})
        vendors.append(vendor)
        reviews.append(review)
        flows.append((rid, vid, kind, requester, t0, stage_ids, cert_id,
                      sign_offs[-1]["number"] if kind == APPROVED else "", uscc, vendor, review))
    world.rows = {Vendor: vendors, Review: reviews, Stage: stages, Answer: answer_rows, Decision: decisions,
                  SignOff: sign_offs, Certification: certs, StageCertification: links}
    world.flows = flows


def _events_of(world: World, flow, padding: int):
    """The audit events of one loaded review, in order: (at, actor id, action, object type, object id, data)."""
    rid, vid, kind, requester, t0, stage_ids, cert_id, number, uscc, vendor, review = flow
    legal, security = world.users["legal"].pk, world.users["security"].pk
    minute = timedelta(minutes=1)
    day = timedelta(days=1)
    out = [(t0, requester, "vendor.created", "vendor", vid,
            {"reason": "", "changes": {"uscc": [None, uscc], "name_zh": [None, vendor["name_zh"]]}}),
           (t0, requester, "review.created", "review", rid,
            {"traits": [], "vendor": uscc, "volume": review["expected_volume"], "purpose": review["purpose"]}),
           (t0, requester, "vendor.identity_frozen", "vendor", vid, {"reason": "", "changes": {}})]
    tier = review["risk_tier"]
    for n in range(padding):
        at = t0 + 20 * minute + n * timedelta(seconds=7)
        if n % 2:
            out.append((at, requester, "answers.saved", "review", rid,
                        {"tier": tier, "questions": ["B1", "B2"], "red_flags": [], "risk_score": review["risk_score"]}))
        else:
            out.append((at, requester, "evidence.added", "evidence", rid * 100 + n,
                        {"kind": "consent_text", "name": f"consent-{rid}-{n}.pdf", "size": 852,
                         "stage": "questionnaire", "sha256": f"{rid:032x}{n:032x}"}))
    stage_names = ("questionnaire", "data_source", "security", "sign_off")
    plan = {APPROVED: ["passed", "passed", "passed"], WAIT_Q: ["submitted"], WAIT_DS: ["passed", "submitted"],
            WAIT_SEC: ["passed", "passed", "submitted"], WAIT_SIGN: ["passed", "passed", "passed"],
            RETURNED: ["passed", "returned"], REJECTED: ["failed"], WITHDRAWN: ["passed"]}.get(kind, [])
    for order, outcome in enumerate(plan):
        at = t0 + order * day + 12 * minute
        out.append((at, requester, "stage.submitted", "stage", stage_ids[order],
                    {"round": 1, "stage": stage_names[order]}))
        if outcome != "submitted":
            decider = security if order == 2 else legal
            data = {"round": 1, "stage": stage_names[order]}
            data.update({"passed": {"comment": "材料齐全 / complete"}, "returned": {"comment": "请补充 / add",
                         "reopen": []}, "failed": {"reason": "问卷未通过 / questionnaire failed"}}[outcome])
            out.append((at + 3 * minute, decider, f"stage.{outcome}", "stage", stage_ids[order], data))
    if kind == APPROVED:
        at = t0 + 4 * day
        out.append((at, legal, "review.signed_off", "signoff", rid,
                    {"number": number, "valid_until": vendor["approved_until"].isoformat(), "conditions": ""}))
        out.append((at, legal, "vendor.approved", "vendor", vid, {"to": "approved", "from": "candidate", "reason": ""}))
    elif kind == REJECTED:
        out.append((t0 + day, legal, "vendor.rejected", "vendor", vid,
                    {"to": "rejected", "from": "candidate", "reason": "问卷未通过 / questionnaire failed"}))
    elif kind == WITHDRAWN:
        out.append((t0 + 2 * day, requester, "review.withdrawn", "review", rid, {"reason": "项目取消 / cancelled"}))
    return out


def load_events(world: World) -> int:
    """The audit events of every loaded review, chained after the head the services left, hashed as
    reviews.audit.audit_record hashes (keyed_payload, keyed_hash under the audit key)."""
    from django.contrib.auth import get_user_model

    from reviews.models import AuditEvent
    from reviews.models.audit import AuditScheme, audit_key, keyed_hash, keyed_payload

    labels = dict(get_user_model().objects.values_list("pk", "username"))
    key = audit_key()
    base_counts = [len(_events_of(world, flow, 0)) for flow in world.flows]
    room = max(0, world.events_target - world.start_event - sum(base_counts))
    per, extra = divmod(room, len(world.flows))
    head = AuditEvent.objects.order_by("-pk").values_list("pk", "hash").first()
    state = {"pk": head[0], "prev": head[1]}

    assert [f.attname for f in AuditEvent._meta.concrete_fields] == [
        "id", "at", "actor_id", "actor_label", "action", "review_id", "vendor_id", "object_type", "object_id",
        "data", "prev_hash", "scheme", "hash"], "AuditEvent's columns changed: update bench/scale.py"
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    scheme = int(AuditScheme.HMAC_SHA256)

    def rows():
        pk, prev = state["pk"], state["prev"]
        for n, flow in enumerate(world.flows):
            review_id, vendor_id = flow[0], flow[1]
            for at, actor, action, otype, oid, data in _events_of(world, flow, per + (1 if n < extra else 0)):
                label = labels[actor]
                oid = str(oid)
                digest = keyed_hash(keyed_payload(at, actor, label, action, review_id, vendor_id, otype, oid,
                                                  data, prev), key)
                pk += 1
                yield (pk, at, actor, label, action, review_id, vendor_id, otype, oid, encode(data), prev, scheme,
                       digest)
                prev = digest

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
    picked_reviews = review_ids[:len(PATTERN)] + review_ids[::step]
    picked_vendors = vendor_ids[:len(PATTERN)] + vendor_ids[::step]
    columns = list(FIELDS)
    kept = {pk: tuple(row) for pk, *row in Review.objects.filter(pk__in=picked_reviews).values_list("pk", *columns)}
    kept_expiry = dict(Vendor.objects.filter(pk__in=picked_vendors).values_list("pk", "nearest_cert_expiry"))
    with transaction.atomic():
        for review in Review.objects.filter(pk__in=picked_reviews):
            review_refresh_current_stage(review)
        for vendor in Vendor.objects.filter(pk__in=picked_vendors):
            vendor_refresh_cert_expiry(vendor=vendor, today=world.today)
    fresh = {pk: tuple(row) for pk, *row in Review.objects.filter(pk__in=picked_reviews).values_list("pk", *columns)}
    fresh_expiry = dict(Vendor.objects.filter(pk__in=picked_vendors).values_list("pk", "nearest_cert_expiry"))
    wrong = [(pk, kept[pk], fresh[pk]) for pk in kept if kept[pk] != fresh[pk]]
    assert not wrong, f"current stage differs from review_refresh_current_stage for {len(wrong)} reviews: {wrong[:3]}"
    wrong = [(pk, kept_expiry[pk], fresh_expiry[pk]) for pk in kept_expiry if kept_expiry[pk] != fresh_expiry[pk]]
    assert not wrong, f"nearest_cert_expiry differs from vendor_refresh_cert_expiry for {len(wrong)}: {wrong[:3]}"
    kinds = {row[0] for row in fresh.values()}
    assert len(kinds) >= 4, f"the sample should hold every current stage and none: {kinds}"
    assert any(v is not None for v in fresh_expiry.values()), "no sampled vendor has a certificate expiry"
    unnamed = Vendor.objects.filter(search_names__isnull=True).count() + Vendor.objects.filter(search_names="").count()
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
        from reviews.demo import seed as demo_seed

        return len(demo_seed(DEMO_PASSWORD))

    timer("demo (through the services)", demo)
    from django.contrib.auth import get_user_model

    def api_key():
        from reviews.api_keys import api_key_create

        _key, token = api_key_create(actor=get_user_model().objects.get(username="legal"), name="Benchmark",
                                     scopes=["vendors:read"])
        (private_root(database) / "api-token").write_text(token)
        return 1

    timer("API key (through the service)", api_key)
    world = World(SIZES[size])
    from reviews.models import Answer, AuditEvent, Decision, Review, SignOff, Stage, StageCertification
    from vendors.models import Certification, Vendor

    with transaction.atomic():
        with connection.cursor() as cursor:
            # Rows consistent by construction: no per-row foreign-key check (PostgreSQL's FK triggers, deferred
            # to COMMIT here, would check 1.5 million references one by one), and no waiting on the WAL flush.
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL synchronous_commit = off")
        timer("users (requesters)", load_users, world)
        timer("(rows built in memory)", lambda: build(world) or None)
        for model in (Vendor, Review, Stage, Answer, Decision, SignOff, Certification, StageCertification):
            timer(model._meta.db_table, copy_rows, model, world.rows[model])
        timer(AuditEvent._meta.db_table, load_events, world)
        _reset_sequences([get_user_model(), get_user_model().groups.through, Vendor, Review, Stage, Answer,
                          Decision, SignOff, Certification, StageCertification, AuditEvent])
        timer("reviews: current stage", fill_current_stage, world)
        timer("vendors: nearest cert expiry", fill_nearest_cert_expiry, world)
        commit_started = time.perf_counter()
    timer.rows.append(("COMMIT", None, time.perf_counter() - commit_started))
    print(f"  {'COMMIT':<34} {'':>9}       {timer.rows[-1][2]:7.2f} s", flush=True)


    loaded = [get_user_model(), get_user_model().groups.through, Vendor, Review, Stage, Answer, Decision, SignOff,
              Certification, StageCertification, AuditEvent]

    def vacuum_analyze():
        # VACUUM too, not only ANALYZE: the freshly loaded (and updated) pages are marked all-visible, so the
        # keys-first page of /vendors/ and the desk's index scans are index-only, as on a settled database.
        with connection.cursor() as cursor:
            for model in loaded:
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
            cursor.execute("ANALYZE")  # the rest (the demo's tables), so that no table is without statistics
        return len(loaded)

    timer("check: derived columns", check_derived, world)
    timer("VACUUM ANALYZE (tables)", vacuum_analyze)

    def checkpoint():
        from reviews.audit_checkpoints import audit_checkpoint

        audit_checkpoint(reason=f"seeded by bench/scale.py at size {size}")
        return 1

    timer("audit checkpoint", checkpoint)
    total = time.perf_counter() - started
    from django.utils import translation

    translation.activate("en")
    counts = {m._meta.verbose_name_plural: m.objects.count() for m in (Vendor, Review, Stage, AuditEvent)}
    print("  " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    print(f"Seeded {database} in {total:.1f} s (target: under 120 s at 10k); load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
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
        parser.error(f"the database name must start with {' or '.join(PREFIXES)} and hold only letters, digits "
                     "and underscores")
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
