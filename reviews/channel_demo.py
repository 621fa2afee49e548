"""Demo data: the brand's own channels in several states of the same gate (docs/architecture.md "Own
channels"), made through the real services like the vendors of reviews.demo. Development only."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from vendors.models import (
    SOFTWARE_KINDS,
    CertificationEdition,
    CertificationKind,
    Vendor,
    VendorCategory,
    VendorStatus,
)
from vendors.services import channel_create

from . import workflow
from .demo import ensure_people, fill_security, least_flagged_answers, pass_stage, stage_of, submit_stage
from .models import Review, StageKind
from .notifications import notify
from .questionnaire.answers import answers_save
from .role_changes import provisioning


@dataclass(frozen=True)
class ChannelScenario:
    key: str  # the state it is left in
    kind: str
    name_zh: str
    name_en: str
    requester: str
    purpose: str
    volume: str
    details: dict = field(default_factory=dict)  # channel_create's own fields
    overrides: dict = field(default_factory=dict)  # questionnaire answers


ADMINS = [("王晓雯", "wang.xiaowen@brand.example.com"), ("陈建国", "chen.jianguo@brand.example.com")]

CHANNEL_SCENARIOS = [
    ChannelScenario(
        "approved",
        "website",
        "品牌官方网站",
        "Brand website",
        "cmo",
        "品牌官网会员注册、新品预约与客服留言 / membership sign-up, launch booking and customer messages",
        "100k_1m",
        details={
            "website": "https://www.brand.example.com",
            "icp_filing": "沪ICP备2021012345号-1",
            "connected_systems": "CDP\nCRM",
        },
    ),
    ChannelScenario(
        "waiting_security",
        "wechat_oa",
        "品牌微信服务号",
        "Brand WeChat service account",
        "cmo",
        "会员服务通知、活动报名 / member service notices and event sign-up",
        "1m_10m",
        details={"operator": "深圳市腾讯计算机系统有限公司", "connected_systems": "SCRM\nCRM"},
    ),
    ChannelScenario(
        "waiting_legal",
        "mini_program",
        "品牌会员商城小程序",
        "Brand member shop mini program",
        "cmo2",
        "会员积分商城与线上下单 / member points shop and online orders",
        "100k_1m",
        details={
            "operator": "深圳市腾讯计算机系统有限公司",
            "icp_filing": "沪ICP备2021012345号-3X",
            "connected_systems": "CDP\n订单系统 / order system",
        },
    ),
    ChannelScenario(
        "red_flag",
        "app",
        "品牌App",
        "Brand app",
        "cmo2",
        "会员App：积分、门店导航、消息推送 / member app: points, store finder, push messages",
        "1m_10m",
        details={"app_store_ids": "id1589012345\ncom.brand.member", "connected_systems": "CDP"},
        overrides={"S1": ("unknown", "外包开发，SDK清单待补 / built by an agency, SDK list to come")},
    ),
    ChannelScenario(
        "draft",
        "douyin",
        "品牌抖音新号",
        "New brand Douyin account",
        "cmo",
        "新开抖音号：短视频种草与直播预约 / new Douyin account: short videos and live-stream booking",
        "lt100k",
        details={"operator": "北京微播视界科技有限公司"},
    ),
]

# Live before Vetted arrived: in use, not vetted, its catch-up review (补齐审核) open.
LIVE_CHANNEL = ChannelScenario(
    "catch_up",
    "weibo",
    "品牌官方微博",
    "Brand Weibo account",
    "cmo",
    "",
    "100k_1m",
    details={"operator": "北京微梦创科网络技术有限公司", "connected_systems": "舆情监测 / social listening"},
)

MLPS_FILING = {
    "kind": CertificationKind.MLPS_FILING,
    "edition": CertificationEdition.MLPS_L2,
    "number": "31010113001-21042",
    "issuer": "上海市公安局网络安全保卫总队 / Shanghai PSB",
    "scope": "品牌官网及会员系统（第二级） / brand website and member system (level 2)",
    "issued_on": date(2023, 3, 15),
    "expires_on": None,
}


def _register(scenario: ChannelScenario, users: dict, *, status=VendorStatus.CANDIDATE) -> Vendor:
    return channel_create(
        kind=scenario.kind,
        name_zh=scenario.name_zh,
        name_en=scenario.name_en,
        business_owner=users[scenario.requester],
        administrators=ADMINS,
        status=status,
        actor=users[scenario.requester],
        **scenario.details,
    )


def _play(scenario: ChannelScenario, users: dict, password: str) -> Review:
    requester, legal, security = users[scenario.requester], users["legal"], users["security"]
    entry = _register(scenario, users)
    review = workflow.review_create(
        requester=requester,
        vendor=entry,
        purpose=scenario.purpose,
        expected_volume=scenario.volume,
        personal_data="OpenID、手机号、会员等级 / OpenID, mobile number, membership tier",
    )
    q, ds, sec = StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE, StageKind.SECURITY
    if scenario.key == "draft":
        answers = least_flagged_answers(review)
        answers_save(review=review, actor=requester, answers={c: answers[c] for c in ("N1", "N2", "U1")})
        return review
    submit_stage(review, q, requester, overrides=scenario.overrides)
    if scenario.key in ("red_flag", "waiting_legal"):
        return review
    workflow.stage_pass(stage=stage_of(review, q), actor=legal, comment="问卷无红旗项 / no red flags")
    pass_stage(review, ds, requester, legal=legal, security=security)
    if entry.channel.kind in SOFTWARE_KINDS:
        fill_security(review, requester, **MLPS_FILING)
    workflow.stage_submit(stage=stage_of(review, sec), actor=requester)
    if scenario.key == "waiting_security":
        return review
    workflow.stage_pass(
        stage=stage_of(review, sec),
        actor=security,
        comment="等保备案在案，管理员均启用双重验证 / MLPS filed, every administrator uses two-factor login",
    )
    workflow.review_sign_off(
        review=review,
        actor=legal,
        password=password,
        statement="经审查，该渠道的告知同意与账号安全符合我司个人信息保护要求，准予上线。"
        " / The channel's notice, consent and account security meet our requirements.",
        conditions="隐私政策每次更新后报法务备案；管理员离职当日收回权限。"
        " / Each privacy-policy update filed with Legal; leavers' access withdrawn the same day.",
    )
    return review


def _live(users: dict) -> None:
    entry = _register(LIVE_CHANNEL, users, status=VendorStatus.IN_USE)
    workflow.review_open_catch_up(
        vendor=entry,
        requester=users[LIVE_CHANNEL.requester],
        actor=users["legal"],
        due=timezone.localdate() + timedelta(days=60),
    )


def seed_channels(password: str) -> list[tuple[ChannelScenario, bool]]:
    """The own channels of the demo, each once: (scenario, created) pairs; a channel there already is left."""
    with notify.suppressed(), provisioning():
        users = ensure_people(password)
    there = set(Vendor.objects.filter(category=VendorCategory.OWN_CHANNEL).values_list("name_zh", flat=True))
    done = []
    for scenario in [*CHANNEL_SCENARIOS, LIVE_CHANNEL]:
        if scenario.name_zh in there:
            done.append((scenario, False))
            continue
        with transaction.atomic(), notify.suppressed():
            if scenario is LIVE_CHANNEL:
                _live(users)
            else:
                _play(scenario, users, password)
        done.append((scenario, True))
    return done
