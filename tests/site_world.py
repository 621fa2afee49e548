"""One populated site for the tests that walk many pages (the access matrix, the CSP check): every persona,
and at least one object of each kind a URL can name, so that each URL pattern can be filled with real ids.

Requester A owns an approved review (evidence, a certificate, a sign-off, a ready dossier) and an open one
with a vendor contact's link, a marketing activity the pre-check refused (no-go: decided, still revisable) and
an approved scope extension of the approved vendor with its documents; requester B owns nothing of A's."""

import datetime
from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.utils import timezone

from activities.extensions import extension_legal_decide, extension_request
from activities.records.render import RenderedRecord
from activities.services import activity_plan, activity_register
from activities.views import records as record_views
from reviews.api_keys import api_key_create
from reviews.dossier import render as dossier_render
from reviews.dossier.signing import UNSIGNED
from reviews.dossier.tasks import dossier_generate
from reviews.models import (
    Answer,
    AuditEvent,
    CalendarDay,
    CalendarDayKind,
    ContactLink,
    Decision,
    Dossier,
    Evidence,
    Question,
    QuestionnaireTemplate,
    Review,
    Section,
    SignOff,
    Stage,
    StageKind,
)
from tests import builders
from tests.factories import make_user, pdf_upload
from vendors.models import Certification, InventoryWord, InventoryWordKind
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope

FAKE_PDF = b"%PDF-1.7\n% stand-in dossier\n%%EOF\n"


@dataclass
class World:
    users: dict
    approved: Review
    open_review: Review
    link: ContactLink
    token: str
    ids: dict = field(default_factory=dict)


def build_world(monkeypatch) -> World:
    users = {
        "requester_a": make_user("cmo", "Requester"),
        "requester_b": make_user("cmo2", "Requester"),
        "security": make_user("security", "Security", is_staff=True),
        "legal": make_user("legal", "Legal", is_staff=True),
        "auditor": make_user("auditor", "Auditor", is_staff=True),
        "superuser": make_user("admin", is_staff=True, is_superuser=True),
    }
    a, legal, security = users["requester_a"], users["legal"], users["security"]
    # The dossier's content is not what these tests are about; rendering it for real takes seconds.
    monkeypatch.setattr(
        dossier_render,
        "dossier_render",
        lambda review, **kw: (f"{review.number}-dossier-{kw['dossier'].pk}.pdf", FAKE_PDF),
    )
    # Nor are the activity's record and the extension's addendum (tests/activities/test_records.py reads them).
    monkeypatch.setattr(
        record_views,
        "activity_record_render",
        lambda activity: RenderedRecord(f"{activity.reference}-record.pdf", FAKE_PDF, UNSIGNED),
    )
    monkeypatch.setattr(
        record_views,
        "extension_addendum_render",
        lambda extension: RenderedRecord(f"{extension.number}-addendum.pdf", FAKE_PDF, UNSIGNED),
    )
    approved = builders.approved_review(a, legal=legal, security=security)
    dossier = Dossier.objects.filter(review=approved).latest("pk")
    dossier_generate.delay(dossier.pk)
    open_review = builders.start_review(a)
    builders.pass_stage(open_review, StageKind.QUESTIONNAIRE, a, legal=legal, security=security)
    link, token = builders.invite_contact(open_review, a)

    api_key, _token = api_key_create(actor=legal, name="CDP production")
    ledger_word = InventoryWord.objects.create(
        kind=InventoryWordKind.CATEGORY, word="私域工具", means="scrm_saas"
    )
    calendar_day = CalendarDay.objects.create(
        day=datetime.date(2030, 2, 4), kind=CalendarDayKind.HOLIDAY, name="春节", added_by=legal
    )
    activity, extension = _activity_and_extension(a, legal, approved.vendor)
    now = timezone.now()
    attempt = AccessAttempt.objects.create(
        username="someone",
        ip_address="10.0.0.9",
        user_agent="test",
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/",
        failures_since_start=1,
        attempt_time=now,
    )
    access_log = AccessLog.objects.create(
        username="cmo",
        ip_address="10.0.0.9",
        user_agent="test",
        http_accept="*/*",
        path_info="/",
        attempt_time=now,
    )
    failure_log = AccessFailureLog.objects.create(
        username="someone",
        ip_address="10.0.0.9",
        user_agent="test",
        http_accept="*/*",
        path_info="/",
        attempt_time=now,
    )
    evidence = Evidence.objects.filter(stage__review=approved).first()
    stage = Stage.objects.get(review=approved, kind=StageKind.DATA_SOURCE)
    open_stage = Stage.objects.get(review=open_review, kind=StageKind.DATA_SOURCE)
    ids = {
        "review": approved.pk,
        "open_review": open_review.pk,
        "evidence": evidence.pk,
        "certification": Certification.objects.filter(vendor=approved.vendor).first().pk,
        "dossier": dossier.pk,
        "stage": stage.pk,
        "open_stage": open_stage.pk,
        "link": link.pk,
        "vendor": approved.vendor.pk,
        "group": Group.objects.get(name="Legal").pk,
        "user": a.pk,
        "answer": Answer.objects.filter(review=approved).first().pk,
        "decision": Decision.objects.filter(stage__review=approved).first().pk,
        "signoff": SignOff.objects.get(review=approved).pk,
        "auditevent": AuditEvent.objects.first().pk,
        "questionnairetemplate": QuestionnaireTemplate.objects.first().pk,
        "section": Section.objects.first().pk,
        "question": Question.objects.first().pk,
        "contactlink": link.pk,
        "accessattempt": attempt.pk,
        "accesslog": access_log.pk,
        "accessfailurelog": failure_log.pk,
        "apikey": api_key.pk,
        "calendarday": calendar_day.pk,
        "inventoryword": ledger_word.pk,
        # Named as the admin names their models, so that admin rows resolve too.
        "activity": activity.pk,
        "scopeextension": extension.pk,
        "extensionfile": extension.files.first().pk,
    }
    return World(users=users, approved=approved, open_review=open_review, link=link, token=token, ids=ids)


def _activity_and_extension(requester, legal, vendor):
    """A's SMS to a bought list through the approved vendor (no-go), and an approved extension of that vendor's
    scope to audiences it supplies, with the two documents such an audience needs."""
    today = timezone.localdate()
    activity = activity_register(
        owner=requester,
        plan=activity_plan(
            name="购买名单短信拉新",
            starts_on=today,
            ends_on=today,
            purpose=Purpose.ACQUISITION,
            channels=[Channel.SMS],
            vendors=[vendor],
            audience_source=AudienceSource.PURCHASED,
            data_categories=[DataCategory.CONTACT],
            volume=Ceiling.LT_100K,
        ),
    )
    extension = extension_request(
        vendor=vendor,
        requester=requester,
        reason="合作伙伴提供的受众",
        additions=Scope.build(audience_sources=[AudienceSource.VENDOR_SUPPLIED]),
        answers={"B2": {"value": "partner"}, "B3": {"value": "yes"}, "B4": {"value": "yes"}},
        files={
            "upstream_agreement": pdf_upload("上游协议.pdf"),
            "separate_consent": pdf_upload("consent.pdf"),
        },
    )
    extension = extension_legal_decide(extension=extension, actor=legal, approve=True, comment="同意")
    return activity, extension
