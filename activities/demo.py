"""Demo data of the use side (docs/domain.md "Use"): marketing activities in every outcome and scope extensions
at every step, on the approved vendors of reviews.demo, walked through activities.services and
activities.extensions as people would, so that the demo holds only states the services reach.

`manage.py seed_demo` runs it after reviews.demo (which it cannot import the other way round: reviews sits
below activities). The story is the issue's: the CMO asks whether an approved vendor may be used for this,
and the answer depends on the approval's scope. The SMS/EDM sender is approved for EDM to opted-in members
only: its birthday EDM goes ahead with conditions, an SMS to a bought list through it is a no-go, and SMS
through it waits for Legal as a scope extension. Each item is created once: a second run finds it by its
name and owner (an activity) or its vendor and reason (an extension) and leaves it as it is."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from reviews.demo import SCENARIOS, pdf_document, png_image
from reviews.models import EvidenceKind
from reviews.notifications import notify
from vendors.files import bytes_upload
from vendors.models import Vendor, VendorStatus
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, OwnChannelKind, Purpose, Scope
from vendors.services import vendor_suspend

from . import extensions, services
from .extension_rules import extension_needs
from .models import Activity, ScopeExtension

USCC = {scenario.key: scenario.uscc for scenario in SCENARIOS}

# ----------------------------------------------------------------------------------------------------------
# Marketing activities: one in each outcome and status, each with what happens to it after the pre-check.

ACKNOWLEDGE, APPROVE, REFUSE, SUSPEND_VENDOR = "acknowledge", "approve", "refuse", "suspend_vendor"


@dataclass(frozen=True)
class DemoActivity:
    key: str
    name: str
    owner: str
    purpose: str
    vendors: tuple[str, ...] = ()  # scenario keys of reviews.demo
    channels: tuple[str, ...] = ()
    own_channels: tuple[str, ...] = ()
    audience_source: str = AudienceSource.OWN_CONSENTED
    audience: str = ""
    data_categories: tuple[str, ...] = ()
    volume: str = Ceiling.LT_100K
    starts_in: int = 14  # days from today
    lasts: int = 30
    minors: bool = False
    profiling: bool = False
    personalised_pricing: bool = False
    pricing_justification: str = ""
    then: tuple[str, ...] = ()  # what follows the pre-check, in order
    reason: str = ""  # Legal's reason, or the suspension's


ACTIVITIES = [
    # Go: scenario marketing on anonymous behaviour through the brand's own mini program, no personal data
    # (PIPL Art. 73(4)), the compliant default the pre-check suggests when a personal-data route is refused.
    DemoActivity(
        "go",
        "小程序新品场景化推荐（匿名行为）",
        "cmo2",
        Purpose.ACQUISITION,
        own_channels=(OwnChannelKind.MINI_PROGRAM, OwnChannelKind.WECHAT_OA),
        audience_source=AudienceSource.PUBLIC_AGGREGATED,
        audience="按门店与时段的匿名浏览行为推荐新品，不识别个人 / new products recommended on anonymous "
        "browsing by store and hour, nobody identified",
        volume=Ceiling.FROM_100K_TO_1M,
    ),
    # Go with conditions, waiting for the owner's acknowledgement: the EDM within the sender's scope.
    DemoActivity(
        "conditions",
        "会员生日EDM",
        "cmo",
        Purpose.MEMBER_MARKETING,
        vendors=("edm_sender",),
        channels=(Channel.EDM,),
        audience="已同意接收营销邮件的会员，当月生日 / members born this month "
        "who opted in to marketing e-mail",
        data_categories=(DataCategory.CONTACT,),
        volume=Ceiling.FROM_100K_TO_1M,
        starts_in=7,
        lasts=60,
    ),
    # Through the vendor whose scope Legal has not confirmed yet: the pre-check says so among its conditions.
    DemoActivity(
        "unconfirmed_scope",
        "企业微信社群春节福利",
        "cmo",
        Purpose.MEMBER_MARKETING,
        vendors=("ending",),
        channels=(Channel.WECHAT,),
        audience="企业微信社群内已同意的会员 / consenting members in the WeCom communities",
        data_categories=(DataCategory.CONTACT,),
        starts_in=10,
        lasts=14,
    ),
    # Go with conditions, acknowledged: the CMO's ABM project with the data provider approved for it.
    DemoActivity(
        "acknowledged",
        "ABM 重点客户春季推广",
        "cmo",
        Purpose.ABM,
        vendors=("abm_data",),
        channels=(Channel.PROGRAMMATIC,),
        own_channels=(OwnChannelKind.WEBSITE,),
        audience_source=AudienceSource.VENDOR_SUPPLIED,
        audience="200 家重点客户的采购与IT决策人（供应商提供，附来源说明） / buying and IT decision-makers "
        "of 200 key accounts, supplied by the vendor with a source statement",
        data_categories=(DataCategory.CONTACT,),
        starts_in=3,
        lasts=45,
        then=(ACKNOWLEDGE,),
    ),
    # Needs Legal and waits: children under 14 (PIPL Art. 31).
    DemoActivity(
        "awaiting_legal",
        "亲子会员暑期夏令营招募",
        "cmo2",
        Purpose.MEMBER_MARKETING,
        own_channels=(OwnChannelKind.MINI_PROGRAM,),
        audience="家长会员为 8-12 岁孩子报名 / member parents enrolling children aged 8 to 12",
        data_categories=(DataCategory.CONTACT, DataCategory.MINORS),
        minors=True,
        starts_in=30,
        lasts=40,
    ),
    # Needs Legal, approved with a reason, then acknowledged: sensitive data with separate consent.
    DemoActivity(
        "legal_approved",
        "孕婴会员专属关怀计划",
        "cmo",
        Purpose.MEMBER_MARKETING,
        own_channels=(OwnChannelKind.APP, OwnChannelKind.MINI_PROGRAM),
        audience="自愿填写预产期并单独同意的会员 / members who gave their due date and separate consent",
        data_categories=(DataCategory.CONTACT, DataCategory.SENSITIVE),
        starts_in=21,
        lasts=180,
        then=(APPROVE, ACKNOWLEDGE),
        reason="孕期信息属敏感个人信息。仅用于会员自愿开启的孕期关怀提醒，单独同意文本已审阅，必要性成立；"
        "不得用于其他营销。 / Pregnancy data is sensitive personal information. It serves only the "
        "care reminders members switch on themselves; the separate-consent text was reviewed and "
        "the necessity stands; no other marketing use (PIPL Art. 28-29).",
    ),
    # Needs Legal, refused: prices by personal traits, the justification not objective (PIPL Art. 24).
    DemoActivity(
        "legal_refused",
        "高消费会员差异化定价",
        "cmo2",
        Purpose.MEMBER_MARKETING,
        own_channels=(OwnChannelKind.APP,),
        audience="近一年消费前 10% 的会员 / the top 10% of members by spending last year",
        data_categories=(DataCategory.CONTACT, DataCategory.PURCHASES),
        volume=Ceiling.FROM_100K_TO_1M,
        profiling=True,
        personalised_pricing=True,
        pricing_justification="高价值会员历史客单价高、价格敏感度低 / high-value members spend more and "
        "are less price-sensitive",
        then=(REFUSE,),
        reason="对同一商品按消费能力给出不同价格，所述理由不是客观依据，构成不合理的差别待遇（《个人信息保护法》"
        "第二十四条）。 / Different prices for the same product by spending power; the reason given "
        "is not an objective justification (PIPL Art. 24).",
    ),
    # No-go: SMS to a bought list through the sender approved for EDM only (PIPL Art. 10; Advertising Law Art. 43).
    DemoActivity(
        "no_go",
        "重点客户短信拉新（外购号码包）",
        "cmo",
        Purpose.ACQUISITION,
        vendors=("edm_sender",),
        channels=(Channel.SMS,),
        audience_source=AudienceSource.PURCHASED,
        audience="从数据公司购买的 5 万个手机号 / 50,000 mobile numbers bought from a data broker",
        data_categories=(DataCategory.CONTACT,),
    ),
    # Cleared, then flagged: Legal suspends the KOL agency it uses.
    DemoActivity(
        "flagged",
        "618 小红书新品种草",
        "cmo2",
        Purpose.ACQUISITION,
        vendors=("kol_agency",),
        channels=(Channel.KOL,),
        own_channels=(OwnChannelKind.XIAOHONGSHU,),
        audience_source=AudienceSource.PUBLIC_AGGREGATED,
        audience="小红书美妆兴趣人群（平台聚合投放） / Xiaohongshu beauty interest groups, aggregated by "
        "the platform",
        starts_in=5,
        lasts=30,
        then=(ACKNOWLEDGE, SUSPEND_VENDOR),
        reason="媒体报道该机构在直播中违规收集观众手机号，暂停合作待调查。 / Reported to collect viewers' "
        "mobile numbers during livestreams without consent: suspended pending an inquiry.",
    ),
]

# ----------------------------------------------------------------------------------------------------------
# Scope extensions: waiting for Security, waiting for Legal, approved (the vendor's scope widened), refused.

SECURITY_PASS, LEGAL_APPROVE, LEGAL_REFUSE = "security_pass", "legal_approve", "legal_refuse"


@dataclass(frozen=True)
class DemoExtension:
    key: str
    vendor: str  # a scenario key of reviews.demo
    requester: str
    additions: Scope
    reason: str
    answers: dict = field(default_factory=dict)  # {question code: (value, detail)}
    then: tuple[str, ...] = ()
    comments: dict = field(default_factory=dict)  # {step: comment}


EXTENSIONS = [
    # Location data is more data in the vendor's hands: Security looks at the measures first (D6).
    DemoExtension(
        "awaiting_security",
        "approved",
        "cmo",
        Scope.build(data_categories=[DataCategory.LOCATION]),
        "门店周边 3 公里会员到店提醒需要会员授权的位置信息。 / Store-visit reminders within 3 km need the "
        "location members allowed.",
        answers={
            "D6": (
                ["encryption", "deidentification", "mfa", "logs_6m"],
                "位置信息单独加密存储，保留 7 天 / location stored encrypted apart, kept 7 days",
            )
        },
    ),
    # SMS through the sender approved for EDM only: the licence and message samples, then Legal decides.
    DemoExtension(
        "awaiting_legal",
        "edm_sender",
        "cmo",
        Scope.build(channels=[Channel.SMS]),
        "会员生日关怀需同时发送短信提醒，仅发给已同意接收营销短信的会员。 / Birthday greetings by SMS too, "
        "only to members who opted in to marketing SMS.",
        answers={
            "A3": ("yes", "增值电信业务经营许可证 B2-20210588；106 码号证书 / VAT licence B2-20210588"),
            "C1": ("yes", "仅向勾选营销短信同意的会员发送 / only to members who ticked SMS consent"),
            "C2": ("yes", "短信含【品牌】签名及“回T退订” / brand signature and reply-T opt-out"),
            "C4": ("realtime", ""),
        },
    ),
    # Lookalike audiences for the ABM data provider: profiling, so the PIPIA; Legal approves.
    DemoExtension(
        "approved",
        "abm_data",
        "cmo",
        Scope.build(audience_sources=[AudienceSource.LOOKALIKE]),
        "用重点客户的相似企业扩展 ABM 名单。 / Widen the ABM list with companies like the key accounts.",
        answers={
            "E1": ("yes", "基于企业行业与规模的相似企业建模 / lookalikes on industry and size"),
            "E2": ("yes", "联系人可一键退出定向投放 / contacts opt out of targeting in one click"),
            "E3": ("no", ""),
        },
        then=(LEGAL_APPROVE,),
        comments={
            LEGAL_APPROVE: "PIPIA 已审阅；须向联系人提供关闭定向投放的方式。 / PIPIA reviewed; contacts "
            "must be able to switch targeting off."
        },
    ),
    # Health data through the CRM reachable from Singapore: Security passes the measures, Legal refuses.
    DemoExtension(
        "refused",
        "cross_border",
        "cmo",
        Scope.build(data_categories=[DataCategory.SENSITIVE]),
        "在全球会员 CRM 中记录会员过敏信息，用于个性化护肤建议。 / Record members' allergies in the global "
        "CRM for personalised skincare advice.",
        answers={
            "B5": ("yes", "过敏原信息，会员单独同意 / allergens, with separate consent"),
            "D6": (
                ["encryption", "deidentification", "mfa", "logs_6m"],
                "字段级加密 / field-level encryption",
            ),
        },
        then=(SECURITY_PASS, LEGAL_REFUSE),
        comments={
            SECURITY_PASS: "字段级加密与访问控制满足要求。 / Field-level encryption and access "
            "control are adequate.",
            LEGAL_REFUSE: "健康信息经境外可访问的系统处理，必要性不足；请改为境内单独存储方案后再申请。"
            " / Health data in a system reachable from abroad is not necessary for this; "
            "ask again with storage in China kept apart (PIPL Art. 28, 38).",
        },
    ),
]


def _vendor(key: str) -> Vendor:
    return Vendor.objects.get(uscc=USCC[key])


def _plan(spec: DemoActivity):
    today = timezone.localdate()
    starts = today + timedelta(days=spec.starts_in)
    return services.activity_plan(
        name=spec.name,
        starts_on=starts,
        ends_on=starts + timedelta(days=spec.lasts),
        purpose=spec.purpose,
        channels=spec.channels,
        vendors=[_vendor(key) for key in spec.vendors],
        own_channels=spec.own_channels,
        audience_source=spec.audience_source,
        audience=spec.audience,
        data_categories=spec.data_categories,
        volume=spec.volume,
        profiling=spec.profiling,
        personalised_pricing=spec.personalised_pricing,
        pricing_justification=spec.pricing_justification,
        minors=spec.minors,
    )


def _play_activity(spec: DemoActivity, users: dict) -> Activity:
    owner, legal = users[spec.owner], users["legal"]
    activity = services.activity_register(owner=owner, plan=_plan(spec))
    steps: dict[str, Callable[[Activity], Activity]] = {
        ACKNOWLEDGE: lambda a: services.activity_acknowledge(activity=a, actor=owner),
        APPROVE: lambda a: services.activity_decide(
            activity=a, actor=legal, approve=True, reason=spec.reason
        ),
        REFUSE: lambda a: services.activity_decide(
            activity=a, actor=legal, approve=False, reason=spec.reason
        ),
        SUSPEND_VENDOR: lambda a: _suspend(a, spec, legal),
    }
    for step in spec.then:
        activity = steps[step](activity)
    return activity


def _suspend(activity: Activity, spec: DemoActivity, legal) -> Activity:
    for key in spec.vendors:
        # Suspending flags every open activity that uses the vendor (activities.receivers).
        vendor_suspend(vendor=_vendor(key), actor=legal, reason=spec.reason)
    activity.refresh_from_db()
    return activity


def extension_upload(vendor: Vendor, kind: str):
    """A small valid file for one document an extension needs: a PNG where a screenshot is what is sent."""
    stem = f"{vendor.name_zh}-{kind}-extension"
    if kind in (EvidenceKind.MARKETING_SAMPLES, EvidenceKind.PERSONALISATION):
        return bytes_upload(png_image(colour=(60, 140, 90)), f"{stem}.png")
    lines = [
        f"Vendor USCC {vendor.uscc}",
        f"Approval {vendor.approval_reference}",
        f"Document: {kind}, for a scope extension",
        f"Prepared {timezone.localdate():%Y-%m-%d} for the demo of Vetted.",
    ]
    return bytes_upload(pdf_document(str(EvidenceKind(kind).label), lines), f"{stem}.pdf")


def _play_extension(spec: DemoExtension, users: dict) -> ScopeExtension:
    vendor = _vendor(spec.vendor)
    needs = extension_needs(vendor.scope.beyond(spec.additions))
    extension = extensions.extension_request(
        vendor=vendor,
        requester=users[spec.requester],
        additions=spec.additions,
        reason=spec.reason,
        answers={code: {"value": value, "detail": detail} for code, (value, detail) in spec.answers.items()},
        files={kind: extension_upload(vendor, kind) for kind in needs.documents},
    )
    for step in spec.then:
        comment = spec.comments.get(step, "")
        if step == SECURITY_PASS:
            extension = extensions.extension_security_decide(
                extension=extension, actor=users["security"], approve=True, comment=comment
            )
        else:
            extension = extensions.extension_legal_decide(
                extension=extension, actor=users["legal"], approve=step == LEGAL_APPROVE, comment=comment
            )
    return extension


def _users() -> dict:
    names = {"cmo", "cmo2", "legal", "security"}
    return {user.username: user for user in get_user_model().objects.filter(username__in=names)}


def seed() -> list[tuple[str, str, bool]]:
    """Every demo activity and extension not there yet, after reviews.demo.seed; returns (kind, name,
    created) rows. Extensions come first: the one approved widens the vendor's scope before any activity
    reads it, as it would have happened."""
    users = _users()
    done = []
    for extension in EXTENSIONS:
        vendor = _vendor(extension.vendor)
        exists = ScopeExtension.objects.filter(
            vendor=vendor, requester=users[extension.requester], reason=extension.reason
        ).exists()
        if not exists:
            if vendor.status != VendorStatus.APPROVED:
                raise RuntimeError(
                    f"the demo vendor {vendor.name_zh} is not approved: run reviews.demo first"
                )
            with transaction.atomic(), notify.suppressed():  # made-up history: nobody is mailed
                _play_extension(extension, users)
        done.append(("extension", f"{vendor.name_zh}: {extension.reason.split(' / ')[0]}", not exists))
    for spec in ACTIVITIES:
        exists = Activity.objects.filter(name=spec.name, owner=users[spec.owner]).exists()
        if not exists:
            with transaction.atomic(), notify.suppressed():
                _play_activity(spec, users)
        done.append(("activity", spec.name, not exists))
    return done
