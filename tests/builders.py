"""Walk reviews through the workflow with the real services, the way users would.

Answers are chosen from the questionnaire itself (reviews.demo.least_flagged_answers: for each question the
answer that raises the fewest flags), so these builders keep working when the questionnaire changes."""

from django.utils import timezone

from reviews import workflow
from reviews.contact.services import contact_link_create
from reviews.current_stage import reviews_refresh_current_stage
from reviews.demo import least_flagged_answers
from reviews.evidence import certificate_add, evidence_add
from reviews.models import ContactLink, EvidenceKind, Question, Review, Stage, StageKind
from reviews.questionnaire.answers import answers_save
from reviews.submission import required_evidence_kinds
from tests.factories import PASSWORD, VendorFactory, cert_fields, pdf_upload

DETAIL = "详见附件说明 / see the attached documents"


_ANSWERS_CACHE: dict[tuple, dict[str, tuple]] = {}


def answers_for(review: Review, *, overrides: dict | None = None) -> dict[str, tuple]:
    """The least-flagged answer to every question (hidden ones included; they are ignored when scored).
    The answers depend only on the template, the vendor's category and the overrides, so they are
    worked out once per combination."""
    overrides = overrides or {}
    key = (
        review.template_id,
        review.template.version,
        review.vendor.questionnaire_category,
        repr(sorted(overrides.items())),
    )
    if key not in _ANSWERS_CACHE:
        _ANSWERS_CACHE[key] = least_flagged_answers(review, overrides=overrides)
    return dict(_ANSWERS_CACHE[key])


def start_review(requester, vendor=None, **fields) -> Review:
    vendor = vendor or VendorFactory()
    fields.setdefault("purpose", "会员营销短信与私域运营 / member marketing and private-domain operations")
    fields.setdefault("expected_volume", "100k_1m")
    fields.setdefault("personal_data", "手机号、会员等级 / mobile number, membership tier")
    return workflow.review_create(requester=requester, vendor=vendor, **fields)


def invite_contact(
    review: Review, requester, *, name: str = "张三", email: str = "zhang@example.com", days: int = 14
) -> tuple[ContactLink, str]:
    """The requester creates a link for the vendor's contact; returns it with its token (shown only once)."""
    return contact_link_create(review=review, actor=requester, name=name, email=email, days=days)


def stages_update(**changes) -> int:
    """Test data: change stages in bulk without the slow walk through the services (backdate a submission,
    submit every questionnaire), then recompute the current stage each review keeps, as the services do.
    Filters are given as `where={...}`."""
    where = changes.pop("where", {})
    updated = Stage.objects.filter(**where).update(**changes)
    reviews_refresh_current_stage(Review.objects.all())
    return updated


def stage_of(review: Review, kind) -> Stage:
    return Stage.objects.select_related("review").get(review=review, kind=kind)


def fill_questionnaire(review: Review, requester, *, overrides: dict | None = None) -> None:
    answers_save(review=review, actor=requester, answers=answers_for(review, overrides=overrides))
    stage = stage_of(review, StageKind.QUESTIONNAIRE)
    for q in Question.objects.filter(section__template=review.template, has_file=True):
        evidence_add(
            stage=stage,
            actor=requester,
            kind=q.evidence_kind or EvidenceKind.OTHER,
            question=q,
            upload=pdf_upload(f"{q.code}.pdf", text=f"{review.number} {q.code}"),
        )


def fill_data_source(review: Review, requester) -> None:
    stage = stage_of(review, StageKind.DATA_SOURCE)
    for kind in required_evidence_kinds(review):
        evidence_add(
            stage=stage,
            actor=requester,
            kind=kind,
            upload=pdf_upload(f"{kind}.pdf", text=f"{review.number} {kind} {stage.round}"),
        )


def fill_security(review: Review, requester, **cert) -> None:
    certificate_add(
        stage=stage_of(review, StageKind.SECURITY),
        actor=requester,
        upload=pdf_upload("iso27001.pdf", text=f"{review.number} cert"),
        **cert_fields(**cert),
    )


FILLERS = {
    StageKind.QUESTIONNAIRE: fill_questionnaire,
    StageKind.DATA_SOURCE: fill_data_source,
    StageKind.SECURITY: fill_security,
}
DECIDER = {StageKind.QUESTIONNAIRE: "legal", StageKind.DATA_SOURCE: "legal", StageKind.SECURITY: "security"}


def submit_stage(review: Review, kind, requester) -> Stage:
    if kind == StageKind.SECURITY and review.vendor.is_own_channel:
        fill_channel_security(review, requester)
    else:
        FILLERS[kind](review, requester)
    return workflow.stage_submit(stage=stage_of(review, kind), actor=requester)


def pass_stage(review: Review, kind, requester, *, legal, security) -> Stage:
    submit_stage(review, kind, requester)
    decider = legal if DECIDER[kind] == "legal" else security
    return workflow.stage_pass(
        stage=stage_of(review, kind), actor=decider, comment="符合要求 / meets requirements"
    )


def review_ready_for_sign_off(requester, *, legal, security, vendor=None, **fields) -> Review:
    review = start_review(requester, vendor=vendor, **fields)
    for kind in (StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE, StageKind.SECURITY):
        pass_stage(review, kind, requester, legal=legal, security=security)
    return Review.objects.get(pk=review.pk)


def approved_review(
    requester, *, legal, security, vendor=None, valid_until=None, scope=None, **fields
) -> Review:
    """Signed off for `scope` (vendors.scope.Scope), by default what the sign-off form proposes."""
    review = review_ready_for_sign_off(requester, legal=legal, security=security, vendor=vendor, **fields)
    workflow.review_sign_off(
        review=review,
        actor=legal,
        password=PASSWORD,
        valid_until=valid_until,
        scope=scope,
        statement="经审查，该供应商符合我司个人信息保护要求，准予入库。/ The vendor meets our PI protection requirements.",
        conditions="每季度提供同意日志抽样 / quarterly consent-log samples",
    )
    return Review.objects.get(pk=review.pk)


def today():
    return timezone.localdate()


def scope_form_data(scope) -> dict:
    """The scope's fields of the sign-off form and of the confirmation of a derived scope
    (reviews/admin/scope_form.py), as the browser posts them: one value per ticked box."""
    data = {
        "purposes": list(scope.purposes),
        "channels": list(scope.channels),
        "data_categories": list(scope.data_categories),
        "audience_sources": list(scope.audience_sources),
        "ceiling": scope.ceiling,
        "scope_conditions": list(scope.conditions),
        "other_conditions": scope.other_conditions,
    }
    if scope.cross_border:
        data["cross_border"] = "on"
    return data


CHANNEL_DEFAULTS = {
    "website": {
        "name_zh": "品牌官网",
        "icp_filing": "沪ICP备12345678号-1",
        "website": "https://www.example.cn",
    },
    "wechat_oa": {"name_zh": "品牌微信公众号", "operator": "深圳市腾讯计算机系统有限公司"},
    "mini_program": {"name_zh": "品牌会员小程序", "icp_filing": "沪ICP备12345678号-3X", "operator": "腾讯"},
    "app": {"name_zh": "品牌App", "app_store_ids": "id1234567890\ncom.example.brand"},
    "douyin": {"name_zh": "品牌抖音号", "operator": "北京微播视界科技有限公司"},
}


def own_channel(kind: str = "website", *, actor=None, **fields):
    """One of the brand's own channels in the register (its register entry), through the service."""
    from vendors.services import channel_create

    values = {**CHANNEL_DEFAULTS.get(kind, {"name_zh": f"品牌{kind}"}), **fields}
    values.setdefault("administrators", [("王芳", "wang.fang@example.com")])
    return channel_create(kind=kind, actor=actor, **values)


def fill_channel_security(review: Review, requester) -> None:
    """An own channel's security stage: the MLPS filing of the systems behind a website, mini program or
    app (account-security evidence comes with the questionnaire's U2)."""
    if review.vendor.channel.kind in ("website", "mini_program", "app"):
        certificate_add(
            stage=stage_of(review, StageKind.SECURITY),
            actor=requester,
            upload=pdf_upload("mlps.pdf", text=f"{review.number} mlps"),
            **cert_fields(
                kind="mlps_filing",
                edition="mlps_l2",
                number="31010013001-24001",
                issuer="上海市公安局网络安全保卫总队",
                scope="品牌官网及会员系统",
                expires_on=None,
            ),
        )
