"""The PDF records: the compliance confirmation of a decided activity (营销活动合规确认单) and the addendum of an
approved scope extension, read as an auditor would (the text of the PDF, its fonts, its signature, the files
inside it), and served only to those who may read the activity or extension."""

import datetime as dt
import hashlib
import io
import json
import re
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader

from activities.extension_rules import EXTENSION_RULE_LABELS, EXTENSION_RULES
from activities.extensions import extension_legal_decide, extension_request
from activities.models import ActivityStatus, ExtensionStatus
from activities.records.activity import activity_record
from activities.records.addendum import scope_after
from activities.records.base import RecordNotAvailable
from activities.records.render import activity_record_render, extension_addendum_render
from activities.rules import RULES
from activities.services import activity_acknowledge, activity_decide, activity_register
from reviews.dossier.attachments import MANIFEST_NAME
from reviews.dossier.verify import dossier_verify, embedded_files
from reviews.models import EvidenceKind, SignOff
from tests.builders import answers_for
from tests.factories import PASSWORD, make_user, pdf_upload
from vendors.scope import AudienceSource, Channel, Purpose, Scope

from .conftest import EDM_SCOPE, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return make_user("wangxm", "Requester", first_name="小明", last_name="王")


@pytest.fixture
def cleared(owner, edm_vendor):
    """The issue's example within scope: EDM to opted-in members, its conditions acknowledged."""
    activity = activity_register(owner=owner, plan=plan(name="会员春季EDM焕新季", vendors=[edm_vendor]))
    return activity_acknowledge(activity=activity, actor=owner)


@pytest.fixture
def refused(owner, legal):
    activity = activity_register(
        owner=owner, plan=plan(name="儿童节亲子活动", channels=[], own_channels=["mini_program"], minors=True)
    )
    assert activity.status == ActivityStatus.AWAITING_LEGAL
    return activity_decide(
        activity=activity,
        actor=legal,
        approve=False,
        reason="未准备监护人同意流程 / no guardian-consent flow yet",
    )


@pytest.fixture
def extension(cmo, legal, edm_vendor):
    """The EDM sender's approval extended to SMS: the answers and documents commercial messages need."""
    review = SignOff.objects.get(number=edm_vendor.approval_reference).review
    answers = {
        code: {"value": value, "detail": detail}
        for code, (value, detail) in answers_for(review).items()
        if code in ("A3", "C1", "C2", "C4")
    }
    requested = extension_request(
        vendor=edm_vendor,
        requester=cmo,
        additions=Scope.build(channels=[Channel.SMS]),
        reason="双十一会员短信提醒 / Singles' Day member SMS reminders",
        answers=answers,
        files={
            EvidenceKind.TELECOM_LICENCE: pdf_upload("增值电信业务经营许可证.pdf", "licence"),
            EvidenceKind.MARKETING_SAMPLES: pdf_upload("sms-samples.pdf", "samples"),
        },
    )
    assert requested.status == ExtensionStatus.AWAITING_LEGAL
    return extension_legal_decide(
        extension=requested, actor=legal, approve=True, comment="同意扩展至短信渠道 / SMS approved"
    )


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _squeezed(text: str) -> str:
    """Long values wrap inside their cell; compare without the line breaks and spaces."""
    return re.sub(r"\s+", "", text)


def _cjk_fonts(pdf: bytes, tmp_path) -> list[list[str]]:
    path = tmp_path / "record.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return [line.split() for line in result.stdout.splitlines() if "CJK" in line]


# --- the activity record --------------------------------------------------------------------------------------


def test_the_record_of_a_cleared_activity_states_its_facts_and_findings_in_both_languages(
    cleared, owner, edm_vendor, tmp_path
):
    rendered = activity_record_render(cleared)

    assert rendered.filename == f"{cleared.reference}-record.pdf"
    assert len(PdfReader(io.BytesIO(rendered.pdf)).pages) == 1
    text = _text(rendered.pdf)
    squeezed = _squeezed(text)
    for fact in (
        "营销活动合规确认单",
        "Marketing activity compliance confirmation",
        cleared.reference,
        "会员春季EDM焕新季",
        "王小明",
        cleared.starts_on.isoformat(),
        edm_vendor.name_zh,
        edm_vendor.uscc,
        edm_vendor.approval_reference,
        "Cleared to start",
        "Go with conditions",
        "E-mail (EDM)",
        "Own customers or members who consented",
        "Contact details",
        "仅限EDM渠道，不得用于短信",
        "Conditions acknowledged",
        "Page 1 / 1",
    ):
        assert _squeezed(fact) in squeezed, fact
    assert cleared.findings
    for finding in cleared.findings:
        rule = RULES[finding["rule"]]
        assert _squeezed(rule.article_zh) in squeezed, rule.code
        assert _squeezed(rule.article) in squeezed, rule.code
    assert _squeezed(str(RULES["email_subject_marked"].remedy)) in squeezed
    assert "UNSIGNED" in text and not rendered.signature.signed
    cjk = _cjk_fonts(rendered.pdf, tmp_path)
    assert cjk and all(row[-5] == "yes" for row in cjk)  # the "emb" column


def test_a_refused_activity_states_legals_decision_with_its_reason(refused, legal):
    text = _text(activity_record_render(refused).pdf)

    squeezed = _squeezed(text)
    for fact in (
        "Refused by Legal",
        "Legal's decision",
        legal.get_username(),
        "未准备监护人同意流程",
        "no guardian-consent flow yet",
        RULES["minors"].article_zh,
        "WeChat mini program",
    ):
        assert _squeezed(fact) in squeezed, fact
    assert "Conditions acknowledged" not in text


def test_a_no_go_activity_has_its_record_with_the_rule_that_stops_it(owner, edm_vendor):
    blocked = activity_register(
        owner=owner,
        plan=plan(
            purpose=Purpose.ABM,
            channels=[Channel.SMS],
            vendors=[edm_vendor],
            audience_source=AudienceSource.PURCHASED,
        ),
    )
    assert blocked.status == ActivityStatus.BLOCKED

    squeezed = _squeezed(_text(activity_record_render(blocked).pdf))

    assert _squeezed("No-go") in squeezed
    assert _squeezed(RULES["purchased_list"].article_zh) in squeezed
    assert _squeezed(RULES["channel_outside_scope"].article) in squeezed


def test_an_activity_not_decided_yet_has_no_record(owner, edm_vendor):
    waiting = activity_register(owner=owner, plan=plan(vendors=[edm_vendor]))
    assert waiting.status == ActivityStatus.AWAITING_ACK

    with pytest.raises(RecordNotAvailable, match="Conditions to acknowledge"):
        activity_record_render(waiting)


def test_the_footer_digest_is_of_the_recorded_facts_embedded_in_the_file(cleared, owner, edm_vendor):
    first = activity_record(cleared, issued_at=timezone.now())
    later = activity_record(cleared, issued_at=timezone.now() + dt.timedelta(days=400))
    other = activity_register(owner=owner, plan=plan(name="另一个活动", vendors=[edm_vendor]))
    other = activity_acknowledge(activity=other, actor=owner)

    assert first.recorded == later.recorded  # the time of issue is not a recorded fact
    assert activity_record(other, issued_at=timezone.now()).recorded.sha256 != first.recorded.sha256
    facts = json.loads(first.recorded.data)
    assert facts["reference"] == cleared.reference and facts["findings"] == cleared.findings
    assert facts["acknowledged_by"] == owner.get_username()
    pdf = activity_record_render(cleared).pdf
    inside = embedded_files(PdfFileReader(io.BytesIO(pdf), strict=False))
    assert hashlib.sha256(inside[first.recorded.name]).hexdigest() == first.recorded.sha256
    assert first.recorded.sha256 in _squeezed(_text(pdf))
    assert MANIFEST_NAME in inside


def test_the_record_is_signed_and_validates_when_a_key_is_configured(cleared, signing):
    from pyhanko.keys import load_cert_from_pemder

    rendered = activity_record_render(cleared)

    assert rendered.signature.signed
    report = dossier_verify(rendered.pdf, trust_roots=[load_cert_from_pemder(str(signing))])
    assert report.ok, [f for f in report.findings if not f.ok]
    assert "UNSIGNED" not in _text(rendered.pdf)


def test_the_record_is_signed_where_the_dossier_is_never_at_the_sites_url(cleared, signing, settings):
    settings.SITE_URL = "https://vetted.example.cn"
    settings.VETTED_SIGNING_LOCATION = "上海 Shanghai"

    rendered = activity_record_render(cleared)

    signature = PdfFileReader(io.BytesIO(rendered.pdf), strict=False).embedded_regular_signatures[0]
    assert str(signature.sig_object["/Location"]) == "上海 Shanghai"


def test_the_record_names_no_location_when_none_is_configured(cleared, signing, settings):
    settings.SITE_URL = "https://vetted.example.cn"
    settings.VETTED_SIGNING_LOCATION = ""

    rendered = activity_record_render(cleared)

    assert (
        "/Location"
        not in PdfFileReader(io.BytesIO(rendered.pdf), strict=False).embedded_regular_signatures[0].sig_object
    )


# --- the extension addendum -----------------------------------------------------------------------------------


def test_the_addendum_states_the_extension_its_answers_documents_and_decisions(
    extension, edm_vendor, legal, signing, tmp_path, capsys
):
    from pyhanko.keys import load_cert_from_pemder

    rendered = extension_addendum_render(extension)

    assert rendered.filename == f"{extension.number}-addendum.pdf"
    text = _text(rendered.pdf)
    squeezed = _squeezed(text)
    for fact in (
        "Addendum",
        extension.number,
        edm_vendor.approval_reference,
        edm_vendor.name_zh,
        edm_vendor.uscc,
        "双十一会员短信提醒",
        "SMS",
        "Advertising Law Art. 43",
        "A3",
        "C1",
        "C2",
        "C4",
        "增值电信业务经营许可证.pdf",
        "sms-samples.pdf",
        "同意扩展至短信渠道",
        legal.get_username(),
        "Not needed",
        "E-mail (EDM)",
    ):
        assert _squeezed(fact) in squeezed, fact
    for document in extension.files.all():
        assert document.sha256 in squeezed
    inside = embedded_files(PdfFileReader(io.BytesIO(rendered.pdf), strict=False))
    assert sorted(
        hashlib.sha256(data).hexdigest() for name, data in inside.items() if name.startswith("document-")
    ) == sorted(f.sha256 for f in extension.files.all())
    report = dossier_verify(rendered.pdf, trust_roots=[load_cert_from_pemder(str(signing))])
    assert report.ok, [f for f in report.findings if not f.ok]
    cjk = _cjk_fonts(rendered.pdf, tmp_path)
    assert cjk and all(row[-5] == "yes" for row in cjk)
    (tmp_path / rendered.filename).write_bytes(rendered.pdf)
    call_command("verify_dossier", str(tmp_path / rendered.filename))  # the auditor's command reads it too
    out = capsys.readouterr().out
    assert "VERIFIED: all" in out and "FAIL" not in out and f"extension {extension.number}" in out


def test_an_extension_not_approved_has_no_addendum(cmo, edm_vendor):
    review = SignOff.objects.get(number=edm_vendor.approval_reference).review
    answers = {"C5": {"value": answers_for(review)["C5"][0], "detail": "https://vendor.example.com/privacy"}}
    waiting = extension_request(
        vendor=edm_vendor,
        requester=cmo,
        additions=Scope.build(channels=[Channel.WECHAT]),
        reason="企业微信 / Enterprise WeChat",
        answers=answers,
    )

    with pytest.raises(RecordNotAvailable, match="Waiting for"):
        extension_addendum_render(waiting)


def test_the_scope_after_an_extension_counts_only_the_extensions_approved_up_to_it(
    extension, cmo, legal, edm_vendor
):
    review = SignOff.objects.get(number=edm_vendor.approval_reference).review
    answers = {"C5": {"value": answers_for(review)["C5"][0], "detail": "https://vendor.example.com/privacy"}}
    later = extension_request(
        vendor=edm_vendor,
        requester=cmo,
        additions=Scope.build(channels=[Channel.WECHAT]),
        reason="企业微信 / Enterprise WeChat",
        answers=answers,
    )
    later = extension_legal_decide(extension=later, actor=legal, approve=True, comment="同意")

    first = scope_after(extension)

    assert first.channels == (Channel.SMS, Channel.EDM)  # the signed EDM scope and this extension's SMS
    assert first.data_categories == EDM_SCOPE.data_categories
    assert scope_after(later).channels == (Channel.SMS, Channel.EDM, Channel.WECHAT)


def test_every_extension_rule_has_a_label():
    assert set(EXTENSION_RULE_LABELS) == {rule.code for rule in EXTENSION_RULES}


# --- the views ------------------------------------------------------------------------------------------------


def _login(client, user):
    assert (
        client.post(reverse("login"), {"username": user.get_username(), "password": PASSWORD}).status_code
        == 302
    )


@pytest.mark.parametrize("reader", ["owner", "legal", "auditor"])
def test_readers_of_the_activity_download_its_record_as_an_attachment(client, cleared, reader, request):
    _login(client, request.getfixturevalue(reader))

    response = client.get(reverse("activities:record", args=[cleared.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{cleared.reference}-record.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_stranger_gets_404_for_the_record_and_the_addendum(client, cleared, extension, other_requester):
    _login(client, other_requester)

    assert client.get(reverse("activities:record", args=[cleared.pk])).status_code == 404
    assert client.get(reverse("activities:addendum", args=[extension.pk])).status_code == 404


def test_the_record_of_an_undecided_activity_is_refused_with_the_reason(client, owner, edm_vendor):
    waiting = activity_register(owner=owner, plan=plan(vendors=[edm_vendor]))
    _login(client, owner)

    response = client.get(reverse("activities:record", args=[waiting.pk]))

    assert response.status_code == 409
    assert "once the activity is decided" in response.content.decode()
    assert reverse("activities:detail", args=[waiting.pk]) in response.content.decode()


def test_the_requester_downloads_the_addendum(client, cmo, extension):
    _login(client, cmo)

    response = client.get(reverse("activities:addendum", args=[extension.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{extension.number}-addendum.pdf"'
    assert "no-store" in response["Cache-Control"]


def test_the_addendum_of_an_extension_not_approved_is_refused(client, cmo, edm_vendor):
    review = SignOff.objects.get(number=edm_vendor.approval_reference).review
    answers = {"C5": {"value": answers_for(review)["C5"][0], "detail": "https://vendor.example.com/privacy"}}
    waiting = extension_request(
        vendor=edm_vendor,
        requester=cmo,
        additions=Scope.build(channels=[Channel.WECHAT]),
        reason="企业微信 / Enterprise WeChat",
        answers=answers,
    )
    _login(client, cmo)

    response = client.get(reverse("activities:addendum", args=[waiting.pk]))

    assert response.status_code == 409
    assert "once Legal approves the extension" in response.content.decode()


def test_a_time_stamping_authority_that_does_not_answer_is_said_plainly(client, cleared, owner, monkeypatch):
    from activities.views import records as views
    from reviews.dossier.signing import TimestampUnavailable

    def unanswered(activity):
        raise TimestampUnavailable("no answer")

    monkeypatch.setattr(views, "activity_record_render", unanswered)
    _login(client, owner)

    response = client.get(reverse("activities:record", args=[cleared.pk]))

    assert response.status_code == 503
    assert "time-stamping authority did not answer" in response.content.decode()
