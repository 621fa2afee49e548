"""Demo data: believable vendors, answers and documents, walked through the real services.

`manage.py seed_demo` uses it; the helpers are general enough for tests/builders.py to build on. Every state
is reached through reviews.workflow and its siblings, so the demo holds only states the services can reach,
with a valid audit chain, and never sets a state field itself."""

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import tablib
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone, translation

from vendors.files import bytes_upload
from vendors.inventory.columns import COLUMNS
from vendors.inventory.services import inventory_confirm, inventory_upload
from vendors.models import CertificationEdition, CertificationKind, Vendor, VendorCategory
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope, ScopeCondition
from vendors.services import vendor_create
from vendors.uscc import check_character

from . import workflow
from .approval_scope import demo_mark_scope_derived
from .evidence import certificate_add, evidence_add
from .models import AnswerType, EvidenceKind, Question, Review, RoleGrant, Stage, StageKind
from .notifications import notify
from .questionnaire.answers import answers_save
from .questionnaire.scoring import AnswerState, evaluate
from .role_changes import provisioning
from .roles import Role
from .submission import required_evidence_kinds

# ----------------------------------------------------------------------------------------------------------
# Documents: small but real files, so that previews, hashes and the dossier's evidence list look right.


def _pdf_text(value: str) -> bytes:
    # The base-14 fonts have no CJK glyphs: the demo's PDFs carry Latin text only.
    text = value.encode("latin-1", "replace").decode("latin-1")
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")


def pdf_document(title: str, lines: Sequence[str] = ()) -> bytes:
    """A one-page PDF 1.4 with a title and some lines, with a correct cross-reference table."""
    ops = [b"BT /F1 16 Tf 56 780 Td (" + _pdf_text(title) + b") Tj ET"]
    for i, line in enumerate(lines):
        ops.append(b"BT /F1 10 Tf 56 %d Td (" % (750 - 16 * i) + _pdf_text(line) + b") Tj ET")
    stream = b"\n".join(ops)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
            b"/Contents 5 0 R >>"
        ),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_image(width: int = 160, height: int = 90, colour: tuple[int, int, int] = (33, 110, 180)) -> bytes:
    """A small RGB PNG that looks like a screenshot thumbnail: a coloured header bar over light stripes."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    rows = []
    for y in range(height):
        rgb = colour if y < height // 5 else ((245, 245, 245) if (y // 8) % 2 else (225, 230, 235))
        rows.append(b"\x00" + bytes(rgb) * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


SCREENSHOT_KINDS = {EvidenceKind.MARKETING_SAMPLES, EvidenceKind.PERSONALISATION}


def document_upload(review: Review, kind: str, *, label: str = ""):
    """An upload for one evidence kind: a PNG screenshot where a screenshot is what a vendor sends, else a PDF
    naming the review, so that no two demo files share a hash."""
    name = EvidenceKind(kind).label if kind in EvidenceKind.values else str(kind)
    stem = f"{review.vendor.name_zh}-{kind}{('-' + label) if label else ''}"
    if kind in SCREENSHOT_KINDS:
        r, g, b = (zlib.crc32(f"{review.pk}{kind}{label}".encode()) >> s & 0xFF for s in (0, 8, 16))
        return bytes_upload(png_image(colour=(r, g, b)), f"{stem}.png")
    lines = [
        f"Review {review.number}",
        f"Vendor USCC {review.vendor.uscc}",
        f"Document: {kind} {label}".strip(),
        f"Prepared {timezone.localdate():%Y-%m-%d} for the demo of Vetted.",
    ]
    return bytes_upload(pdf_document(str(name), lines), f"{stem}.pdf")


# ----------------------------------------------------------------------------------------------------------
# Answers: for each visible question, the answer that raises the fewest flags, unless the scenario says
# otherwise; details read like a vendor's real replies.

GENERIC_DETAIL = "详见附件 / see the attached documents"
DETAILS = {
    "A3": "增值电信业务经营许可证 B2-20190317；短信端口类业务 106 码号证书 / VAT licence B2-20190317",
    "A4": "近三年无相关处罚或刑事案件 / none in the last three years",
    "A6": "张伟，数据合规总监，zhangwei@vendor.example.com，已向属地网信部门报送 / DPO filed with the local CAC",
    "B2": "会员在品牌小程序注册时直接收集，隐私政策第3条列明 / collected at mini-program sign-up",
    "C3": "记录同意时间、渠道、文本版本号、OpenID，保存五年 / time, channel, text version, OpenID; kept 5 years",
    "C5": "https://vendor.example.com/privacy ，第三方接收方清单见第7节 / recipients listed in section 7",
    "D3": "第三级，备案证明编号 31010013000-00001，2026-05-20 测评结论“符合” / L3, filed, assessed 2026-05-20",
    "D5": "阿里云华东2（上海）地域 / Alibaba Cloud cn-shanghai",
    "D7": "合同终止后30日内删除并出具删除证明 / deleted within 30 days with a certificate",
    "D9": "2026年3月由第三方律师事务所完成合规审计 / audited by an outside law firm, March 2026",
    "E3": "所有用户适用统一价格与交易条件 / same prices and terms for every user",
    "F2": "不涉及 / not applicable",
    "H3": "近三年未发生个人信息泄露事件 / no incidents in the last three years",
}


def _candidates(question: Question) -> list[object]:
    if question.answer_type == AnswerType.YES_NO:
        return ["yes", "no"]
    if question.answer_type == AnswerType.CHOICE:
        return [c["value"] for c in question.choices]
    if question.answer_type == AnswerType.MULTI:
        values = [c["value"] for c in question.choices]
        return [[v for v in values if v != "none"], *[[v] for v in values]]
    return [None]


def least_flagged_answers(
    review: Review, *, overrides: dict | None = None, details: dict | None = None
) -> dict[str, tuple]:
    """{code: (value, detail)} for every question: the override where given, else the candidate answer that
    raises the fewest red flags, then the fewest risk points. Hidden questions get answers too; scoring
    ignores them."""
    overrides = overrides or {}
    details = {**DETAILS, "A1": review.vendor.uscc, **(details or {})}
    questions = list(Question.objects.filter(section__template=review.template).select_related("section"))
    states: dict[str, AnswerState] = {}
    for _ in range(3):  # visibility depends on earlier answers; let it settle
        before = dict(states)
        for q in questions:
            detail = details.get(q.code, GENERIC_DETAIL)
            if q.code in overrides:
                value, detail = overrides[q.code]
                states[q.code] = AnswerState(value=value, detail=detail, has_file=True)
                continue
            best: tuple[tuple[int, int], object] | None = None
            for candidate in _candidates(q):
                trial = {**states, q.code: AnswerState(value=candidate, detail=detail, has_file=True)}
                mine = [
                    f
                    for f in evaluate(questions, trial, category=review.vendor.questionnaire_category).flags
                    if f.code == q.code
                ]
                cost = (sum(f.effect == "red_flag" for f in mine), sum(f.points for f in mine))
                if best is None or cost < best[0]:
                    best = (cost, candidate)
            assert best is not None, f"question {q.code} has no answer to choose from"
            states[q.code] = AnswerState(value=best[1], detail=detail, has_file=True)
        if states == before:
            break
    return {code: (s.value, s.detail) for code, s in states.items()}


# ----------------------------------------------------------------------------------------------------------
# Walking a review through its stages.


def stage_of(review: Review, kind) -> Stage:
    return Stage.objects.select_related("review", "review__vendor").get(review=review, kind=kind)


def fill_questionnaire(review: Review, requester, *, overrides: dict | None = None) -> None:
    answers_save(review=review, actor=requester, answers=least_flagged_answers(review, overrides=overrides))
    stage = stage_of(review, StageKind.QUESTIONNAIRE)
    for q in Question.objects.filter(section__template=review.template, has_file=True).order_by("pk"):
        kind = q.evidence_kind or EvidenceKind.OTHER
        evidence_add(
            stage=stage,
            actor=requester,
            kind=kind,
            question=q,
            upload=document_upload(review, kind, label=f"{q.code}-r{stage.round}"),
        )


def fill_data_source(review: Review, requester) -> None:
    stage = stage_of(review, StageKind.DATA_SOURCE)
    for kind in required_evidence_kinds(review):
        evidence_add(
            stage=stage,
            actor=requester,
            kind=kind,
            upload=document_upload(review, kind, label=f"r{stage.round}"),
        )


def certificate_fields(**overrides) -> dict:
    today = timezone.localdate()
    return {
        "kind": CertificationKind.ISO27001,
        "edition": CertificationEdition.ISO27001_2022,
        "number": "ISMS-2024-0815",
        "issuer": "中国质量认证中心 CQC",
        "scope": "SCRM SaaS 平台的设计、开发与运维 / design, development and operation of the SCRM SaaS platform",
        # Recertified to the 2022 edition well inside its three-year cycle (vendors.cert_rules).
        "issued_on": today - timedelta(days=200),
        "expires_on": today + timedelta(days=800),
        **overrides,
    }


def fill_security(review: Review, requester, **cert) -> None:
    stage = stage_of(review, StageKind.SECURITY)
    fields = certificate_fields(**cert)
    upload = document_upload(review, "certificate", label=fields["number"])
    certificate_add(stage=stage, actor=requester, upload=upload, **fields)


FILLERS = {
    StageKind.QUESTIONNAIRE: fill_questionnaire,
    StageKind.DATA_SOURCE: fill_data_source,
    StageKind.SECURITY: fill_security,
}


def submit_stage(review: Review, kind, requester, **fill) -> Stage:
    FILLERS[kind](review, requester, **fill)
    return workflow.stage_submit(stage=stage_of(review, kind), actor=requester)


def pass_stage(review: Review, kind, requester, *, legal, security, comment: str = "") -> Stage:
    submit_stage(review, kind, requester)
    decider = security if kind == StageKind.SECURITY else legal
    return workflow.stage_pass(
        stage=stage_of(review, kind),
        actor=decider,
        comment=comment or "材料齐全，符合要求 / complete and compliant",
    )


# ----------------------------------------------------------------------------------------------------------
# The demo: its people and one vendor in every state of the workflow.


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    role: str | None
    also: tuple = ()  # further roles
    is_staff: bool = False
    is_superuser: bool = False


PEOPLE = [
    # The CMO also reads the portfolio at a glance (Executive), rather than a login of its own.
    Person("cmo", "晓雯", "王", Role.REQUESTER, also=(Role.EXECUTIVE,)),
    Person("cmo2", "建国", "陈", Role.REQUESTER),
    Person("security", "敏", "赵", Role.SECURITY, is_staff=True),
    Person("legal", "洋", "刘", Role.LEGAL, is_staff=True),
    Person("auditor", "丽", "孙", Role.AUDITOR, is_staff=True),
    Person("admin", "", "", None, is_staff=True, is_superuser=True),
]


def ensure_people(password: str) -> dict:
    """Create the demo users or bring them back to their demo shape; the password is (re)set every time."""
    User = get_user_model()
    users = {}
    for person in PEOPLE:
        user, _ = User.objects.get_or_create(username=person.username)
        user.first_name, user.last_name = person.first_name, person.last_name
        user.email = f"{person.username}@vetted.example.com"
        user.is_staff, user.is_superuser, user.is_active = person.is_staff, person.is_superuser, True
        user.set_password(password)
        user.save()
        user.groups.set(Group.objects.filter(name__in=[r for r in (person.role, *person.also) if r]))
        users[person.username] = user
    # The demo's people have held their roles since before its made-up history began: the waiting period of
    # a new role (reviews.workflow) would otherwise stop the demo's own decisions.
    RoleGrant.objects.filter(user__in=users.values()).update(granted_at=timezone.now() - timedelta(days=400))
    return users


@dataclass(frozen=True)
class Scenario:
    key: str
    name_zh: str
    name_en: str
    uscc_prefix: str  # 17 characters; the check character is computed
    category: str
    services: str
    requester: str
    purpose: str
    volume: str
    overrides: dict = field(default_factory=dict)
    # The scope Legal signs (None: the proposal of reviews.scope_proposal, as the sign-off form offers it)
    # and the conditions written on the sign-off, for the approved scenarios.
    scope: Scope | None = None
    conditions: str = ""

    @property
    def uscc(self) -> str:
        return self.uscc_prefix + check_character(self.uscc_prefix)


# The scopes Legal signs where the proposal is not what the approval should cover (docs/domain.md "Use").
EDM_ONLY_SCOPE = Scope.build(
    purposes=[Purpose.MEMBER_MARKETING],
    channels=[Channel.EDM],
    data_categories=[DataCategory.CONTACT],
    audience_sources=[AudienceSource.OWN_CONSENTED],
    ceiling=Ceiling.FROM_100K_TO_1M,
    conditions=[
        ScopeCondition.OPTED_IN_ONLY,
        ScopeCondition.UNSUBSCRIBE_EVERY_MESSAGE,
        ScopeCondition.AD_MARKED,
        ScopeCondition.NO_SENSITIVE,
        ScopeCondition.NO_MINORS,
        ScopeCondition.NO_EXTERNAL_LISTS,
        ScopeCondition.DELETE_AT_END,
        ScopeCondition.NO_TRAINING,
    ],
    other_conditions="仅限EDM渠道，仅向已同意接收营销邮件的会员发送，不得用于短信；不得使用外部购买或交换的名单。"
    " / EDM only, to members who opted in to marketing e-mail, never SMS; no bought or swapped "
    "lists.",
)
EDM_ONLY_CONDITIONS = (
    "仅限EDM渠道，不得用于短信；不得使用外部购买或交换的名单；每封邮件含退订链接，主题标明“广告”。"
    " / EDM only, never SMS; no bought or swapped lists; an unsubscribe link in every e-mail and "
    '"AD" in its subject.'
)
ABM_SCOPE = Scope.build(
    purposes=[Purpose.ABM, Purpose.ACQUISITION],
    channels=[Channel.PROGRAMMATIC],
    data_categories=[DataCategory.CONTACT],
    audience_sources=[AudienceSource.VENDOR_SUPPLIED],
    ceiling=Ceiling.LT_100K,
    conditions=[
        ScopeCondition.AD_MARKED,
        ScopeCondition.NO_SENSITIVE,
        ScopeCondition.NO_MINORS,
        ScopeCondition.NO_EXTERNAL_LISTS,
        ScopeCondition.DELETE_AT_END,
        ScopeCondition.NO_TRAINING,
    ],
    other_conditions="仅限企业联系人（B2B）的工作联系方式；每批名单使用前提供来源说明和授权样本。"
    " / Business contacts (B2B) only; a source statement and consent samples before each list "
    "is used.",
)
ABM_CONDITIONS = (
    "仅用于企业客户ABM推广；名单来源说明与授权样本随每批名单提供。"
    " / ABM for business accounts only; a source statement and consent samples with every list."
)
# Approved in the demo: signed off by Legal after every stage passed.
APPROVED_SCENARIOS = ("approved", "ending", "cross_border", "edm_sender", "abm_data", "kol_agency")

SCENARIOS = [
    Scenario(
        "approved",
        "上海云鲸会员科技有限公司",
        "Shanghai Yunjing Membership Technology Co., Ltd.",
        "91310115MA1HB3K7X",
        VendorCategory.SCRM_SAAS,
        "SCRM 会员运营平台 / SCRM membership platform",
        "cmo",
        "会员积分与私域运营 / member loyalty and private-domain operations",
        "1m_10m",
    ),
    Scenario(
        "ending",
        "上海悦享数字营销有限公司",
        "Shanghai Yuexiang Digital Marketing Co., Ltd.",
        "91310104MA1FR5J2Y",
        VendorCategory.SCRM_SAAS,
        "企业微信私域运营 / WeCom private-domain operations",
        "cmo",
        "企业微信社群运营 / WeCom community operations",
        "100k_1m",
    ),
    Scenario(
        "returned",
        "杭州星图数据服务有限公司",
        "Hangzhou Xingtu Data Services Co., Ltd.",
        "91330106MA2CF1P4Q",
        VendorCategory.DATA_PROVIDER,
        "人群洞察报告 / audience insight reports",
        "cmo2",
        "新品上市人群洞察 / audience insight for a product launch",
        "100k_1m",
        {
            "B1": ("deidentified", ""),
            "B2": (
                "partner",
                "由合作电商平台经用户授权提供 / from partner e-commerce platforms with consent",
            ),
        },
    ),
    Scenario(
        "rejected",
        "深圳快讯通短信服务有限公司",
        "Shenzhen Kuaixuntong SMS Services Co., Ltd.",
        "91440300MA5DQ2W8R",
        VendorCategory.SMS_EDM,
        "营销短信群发 / bulk marketing SMS",
        "cmo",
        "双十一促销短信 / Singles' Day promotion SMS",
        "1m_10m",
        {"C1": ("no", "")},
    ),
    Scenario(
        "red_flag",
        "北京智推广告技术有限公司",
        "Beijing Zhitui Advertising Technology Co., Ltd.",
        "91110108MA01RT6L3",
        VendorCategory.AD_NETWORK,
        "程序化广告投放 / programmatic ads (DSP)",
        "cmo",
        "精准人群广告投放 / targeted advertising",
        "gt10m",
        {
            "B1": ("identifiable", ""),
            "B2": (
                "bought",
                "从第三方数据公司采购手机号与设备号 / mobile numbers and device IDs bought from a broker",
            ),
        },
    ),
    Scenario(
        "waiting_legal",
        "南京蓝鲸邮件营销有限公司",
        "Nanjing Lanjing Email Marketing Co., Ltd.",
        "91320105MA1W8KX2N",
        VendorCategory.SMS_EDM,
        "EDM 邮件营销 / email marketing",
        "cmo2",
        "会员月刊邮件 / monthly member newsletter",
        "100k_1m",
    ),
    Scenario(
        "waiting_security",
        "广州橙果互动营销策划有限公司",
        "Guangzhou Chengguo Interactive Marketing Co., Ltd.",
        "91440101MA59UE4H1",
        VendorCategory.SOCIAL_AGENCY,
        "小红书与抖音内容运营 / RED and Douyin content",
        "cmo",
        "社媒内容与KOL合作 / social content and KOL campaigns",
        "lt100k",
    ),
    Scenario(
        "waiting_sign_off",
        "成都聚点活动策划有限公司",
        "Chengdu Judian Events Co., Ltd.",
        "91510104MA6CJ8N5T",
        VendorCategory.EVENT_AGENCY,
        "线下快闪活动与留资 / pop-up events and lead capture",
        "cmo",
        "春季新品快闪活动 / spring pop-up store",
        "lt100k",
    ),
    # Inherent risk: customer data reachable from the vendor's Singapore support team under a filed standard
    # contract. The answers score Low; the cross-border floor (PIPL Art. 38-40) makes it High, so the approval
    # runs 12 months and rests on the PIPIA and a recent compliance audit.
    Scenario(
        "cross_border",
        "上海汇海云客户管理软件有限公司",
        "Shanghai Huihai Cloud CRM Software Co., Ltd.",
        "91310000MA1K9C2D5",
        VendorCategory.SCRM_SAAS,
        "跨境 CRM SaaS，新加坡运维支持 / cross-border CRM SaaS",
        "cmo",
        "全球会员 CRM 统一运营 / one CRM for members worldwide",
        "100k_1m",
        {
            "F1": ("yes", "新加坡技术支持团队可远程访问 / reachable by the support team in Singapore"),
            "F2": (
                "standard_contract",
                "已向上海市网信办备案标准合同 / standard contract filed with the Shanghai CAC",
            ),
            "F3": (
                "yes",
                "隐私政策第9节告知境外接收方并取得单独同意 / disclosed in section 9, separate consent",
            ),
            "D5": (
                "cn_cloud",
                (
                    "阿里云华东2（上海），新加坡只读运维访问 / Alibaba Cloud cn-shanghai, read-only "
                    "support access from Singapore"
                ),
            ),
        },
    ),
    # The example of a scope: an SMS/EDM sender Legal approved for EDM to opted-in members only, though
    # the category's proposal offered SMS too; the marketing activities and scope extensions of activities.demo
    # run into it (an SMS to a bought list is a no-go, SMS waits for Legal as an extension).
    Scenario(
        "edm_sender",
        "上海云信互动科技有限公司",
        "Shanghai Yunxin Interactive Technology Co., Ltd.",
        "91310106MA1FY8E3K",
        VendorCategory.SMS_EDM,
        "EDM 邮件与短信群发 / EDM and SMS sending",
        "cmo",
        "会员营销邮件 / member marketing e-mail",
        "100k_1m",
        scope=EDM_ONLY_SCOPE,
        conditions=EDM_ONLY_CONDITIONS,
    ),
    # A B2B data provider approved for ABM with the business contacts it supplies, proof of source first.
    Scenario(
        "abm_data",
        "北京企链数据科技有限公司",
        "Beijing Qilian Data Technology Co., Ltd.",
        "91110105MA01W6Q8D",
        VendorCategory.DATA_PROVIDER,
        "B2B 企业决策人数据与 ABM 投放 / B2B decision-maker data and ABM ads",
        "cmo",
        "重点客户 ABM 推广 / account-based marketing for key accounts",
        "lt100k",
        {
            "B1": ("identifiable", ""),
            "B2": (
                "partner",
                (
                    "企业公开工商信息与会展合作方经授权提供的商务联系人 / business contacts from "
                    "company registries and event partners, with consent"
                ),
            ),
        },
        scope=ABM_SCOPE,
        conditions=ABM_CONDITIONS,
    ),
    # A KOL agency approved as proposed; activities.demo has Legal suspend it later, which flags the activity
    # that uses it.
    Scenario(
        "kol_agency",
        "广州声浪文化传播有限公司",
        "Guangzhou Shenglang Culture Communication Co., Ltd.",
        "91440106MA5AL2R7C",
        VendorCategory.SOCIAL_AGENCY,
        "小红书 KOL 种草与直播 / Xiaohongshu KOL seeding and livestreams",
        "cmo2",
        "新品 KOL 种草 / KOL seeding for a launch",
        "lt100k",
    ),
    # A questionnaire Legal returned naming one answer (D5): resubmitted without uploading anything again, its
    # earlier files still count, and it waits for Legal.
    Scenario(
        "resubmitted",
        "厦门海贝会员营销有限公司",
        "Xiamen Haibei Member Marketing Co., Ltd.",
        "91350200MA2Y4P7K6",
        VendorCategory.SCRM_SAAS,
        "会员积分商城 / member points mall",
        "cmo2",
        "会员积分兑换运营 / points redemption",
        "100k_1m",
    ),
    Scenario(
        "draft",
        "苏州小程序工坊网络科技有限公司",
        "Suzhou Mini-Program Workshop Network Technology Co., Ltd.",
        "91320594MA1MXY7K0",
        VendorCategory.APP_DEVELOPER,
        "品牌会员小程序开发 / member mini-program build",
        "cmo2",
        "会员小程序改版 / member mini-program redesign",
        "100k_1m",
    ),
]

RETURN_COMMENT = (
    "上游数据供应协议缺少授权范围条款，请上传双方盖章的完整版本。"
    " / The upstream data-supply agreement lacks the scope-of-authorisation clause:"
    " upload the full version stamped by both parties."
)
REOPEN_COMMENT = "请写明存储的云服务商可用区。/ Name the cloud availability zone the data is stored in."
FAIL_REASON = (
    "供应商承认向未同意的用户发送营销短信，违反《广告法》第四十三条。"
    " / The vendor admits sending marketing SMS to users who never consented"
    " (Advertising Law Art. 43)."
)


def _play(scenario: Scenario, users: dict, password: str) -> Review:
    requester, legal, security = users[scenario.requester], users["legal"], users["security"]
    vendor = vendor_create(
        name_zh=scenario.name_zh,
        name_en=scenario.name_en,
        uscc=scenario.uscc,
        category=scenario.category,
        services=scenario.services,
        website=f"https://www.{scenario.key.replace('_', '-')}.vendor.example.com",
    )
    review = workflow.review_create(
        requester=requester,
        vendor=vendor,
        purpose=scenario.purpose,
        expected_volume=scenario.volume,
        personal_data="手机号、OpenID、会员等级 / mobile number, OpenID, membership tier",
    )
    q, ds, sec = StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE, StageKind.SECURITY
    if scenario.key == "draft":
        answers = least_flagged_answers(review)
        answers_save(
            review=review,
            actor=requester,
            answers={code: answers[code] for code in ("A1", "A2", "A4", "A5", "B1", "D1")},
        )
        return review
    if scenario.key == "resubmitted":
        stage = submit_stage(review, q, requester, overrides=scenario.overrides)
        workflow.stage_return(stage=stage, actor=legal, comment=REOPEN_COMMENT, reopen=["D5"])
        answers_save(
            review=review, actor=requester, answers={"D5": ("cn_cloud", DETAILS["D5"] + "，可用区 H")}
        )
        workflow.stage_submit(stage=stage_of(review, q), actor=requester)
        return review
    if scenario.key in ("red_flag", "rejected", "waiting_legal"):
        stage = submit_stage(review, q, requester, overrides=scenario.overrides)
        if scenario.key == "rejected":
            workflow.stage_fail(stage=stage, actor=legal, reason=FAIL_REASON)
        return review
    submit_stage(review, q, requester, overrides=scenario.overrides)
    workflow.stage_pass(stage=stage_of(review, q), actor=legal, comment="问卷无红旗项 / no red flags")
    if scenario.key == "returned":
        stage = submit_stage(review, ds, requester)
        workflow.stage_return(stage=stage, actor=legal, comment=RETURN_COMMENT)
        return review
    pass_stage(review, ds, requester, legal=legal, security=security)
    if scenario.key == "waiting_security":
        fill_security(
            review,
            requester,
            kind=CertificationKind.MLPS_FILING,
            edition=CertificationEdition.MLPS_L2,
            number="44010113001-00042",
            issuer="广州市公安局网络警察支队 / Guangzhou PSB",
            scope="橙果内容管理系统（第二级）",
            issued_on=date(2023, 6, 12),
            expires_on=None,
        )
        submit_stage(review, sec, requester)
        return review
    pass_stage(
        review,
        sec,
        requester,
        legal=legal,
        security=security,
        comment="ISO/IEC 27001:2022 证书在有效期内，范围覆盖本服务 / certificate current and in scope",
    )
    if scenario.key in APPROVED_SCENARIOS:
        # "ending": an approval that ends in three weeks, inside the renewal window (reviews.notifications.renewals);
        # "cross_border": High, so the approval runs the 12 months its tier allows.
        ends = timezone.localdate() + timedelta(days=21) if scenario.key == "ending" else None
        sign_off = workflow.review_sign_off(
            review=review,
            actor=legal,
            password=password,
            valid_until=ends,
            scope=scenario.scope,
            statement="经审查，该供应商符合我司个人信息保护要求，准予入库。"
            " / The vendor meets our personal information protection requirements and is admitted.",
            conditions=scenario.conditions
            or "每季度提供同意日志抽样；新增分包方须事先书面同意。"
            " / Quarterly consent-log samples; prior written consent for new sub-processors.",
        )
        if scenario.key == "ending":
            # The oldest approval of the demo stands for one signed before scopes existed: its scope is what the
            # migration derived from the answers, unconfirmed until Legal confirms it on the vendor's page.
            demo_mark_scope_derived(sign_off=sign_off)
    return review


# Platforms already in use when Vetted arrives (补齐审核), taken stock of through the inventory import, as Legal
# would: (legal name, credit code without its check character, category, business owner, individuals, in use
# since, contract ends, systems it connects to).
PLATFORMS_IN_USE = [
    (
        "北京飞鸽云短信科技有限公司",
        "91110105MA01XK3P2",
        "SMS / EDM sender",
        "cmo",
        "1 million to under 10 million",
        "2022-03-01",
        "2027-02-28",
        "会员短信 / member SMS",
    ),
    (
        "广州数澜客户数据平台有限公司",
        "91440101MA5CXT8L4",
        "SCRM / CRM / CDP SaaS",
        "cmo",
        "1 million to under 10 million",
        "2021-09-15",
        "2026-12-31",
        "CRM, 小程序商城 / mini-program shop",
    ),
    (
        "上海星链广告技术有限公司",
        "91310115MA1K4R9W6",
        "Ad network / DSP",
        "cmo2",
        "10 million or more",
        "2023-06-01",
        "2027-05-31",
        "DMP, 广告投放 / ad buying",
    ),
]


def seed_platforms_in_use(users: dict) -> bool:
    """Take stock of the platforms in use through the real inventory import (Legal uploads and confirms it),
    then open the catch-up review of the first, assigned to its owner. False when they are there already."""
    codes = [prefix + check_character(prefix) for _name, prefix, *_rest in PLATFORMS_IN_USE]
    if Vendor.objects.filter(uscc__in=codes).exists():
        return False
    with translation.override("en"):  # the English template's headings
        sheet = tablib.Dataset(headers=[str(column.label) for column in COLUMNS])
    for (name, _prefix, category, owner, individuals, since, ends, systems), code in zip(
        PLATFORMS_IN_USE, codes, strict=True
    ):
        values = {
            "name_zh": name,
            "uscc": code,
            "category": category,
            "business_owner": owner,
            "personal_data": "yes",
            "individuals": individuals,
            "in_use_since": since,
            "contract_ends": ends,
            "connected_systems": systems,
        }
        sheet.append([values.get(column.key, "") for column in COLUMNS])
    legal = users["legal"]
    record, preview = inventory_upload(
        upload=bytes_upload(("\ufeff" + sheet.export("csv")).encode("utf-8"), "在用平台清单-inventory.csv"),
        actor=legal,
    )
    if preview.error_rows or not preview.importable:
        problems = [[str(error) for error in row.errors] for row in preview.error_rows]
        raise RuntimeError(f"the demo inventory does not read: {problems}")
    inventory_confirm(inventory_import=record, actor=legal)
    first = Vendor.objects.get(uscc=codes[0])
    workflow.review_open_catch_up(
        vendor=first,
        requester=users[PLATFORMS_IN_USE[0][3]],
        actor=legal,
        due=timezone.localdate() + timedelta(days=90),
    )
    return True


def seed(password: str) -> list[tuple[Scenario, bool]]:
    """Create the demo people and every scenario not there yet; returns (scenario, created) pairs.
    A scenario counts as there when its vendor exists, so a second run creates nothing twice."""
    # The demo's people and their roles are news to nobody either, and their passwords, set again on every
    # seeding, hold nobody's decisions (reviews.role_changes.provisioning).
    with notify.suppressed(), provisioning():
        users = ensure_people(password)
    done = []
    for scenario in SCENARIOS:
        if Vendor.objects.filter(uscc=scenario.uscc).exists():
            done.append((scenario, False))
            continue
        # The scenarios' history is made up: nobody is mailed about it.
        with transaction.atomic(), notify.suppressed():
            _play(scenario, users, password)
        done.append((scenario, True))
    with transaction.atomic(), notify.suppressed():
        seed_platforms_in_use(users)
    return done
