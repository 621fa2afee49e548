"""The dossier's content: what an auditor reads years later, without the application."""

import io
import re
import subprocess

import pytest
from django.db import connection
from pypdf import PdfReader

from reviews import workflow
from reviews.dossier import trail
from reviews.dossier.render import LABELS, DossierNotAvailable, dossier_context, dossier_html, dossier_render
from reviews.evidence import evidence_add, evidence_withdraw
from reviews.models import AuditEvent, Evidence, EvidenceKind, Question, SignOff, StageKind
from tests.builders import (
    approved_review,
    fill_data_source,
    fill_security,
    pass_stage,
    review_ready_for_sign_off,
    stage_of,
    start_review,
    submit_stage,
)
from tests.factories import PASSWORD, pdf_upload
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope, ScopeCondition

pytestmark = pytest.mark.django_db

SECTION_HEADINGS = [
    "summary",
    "vendor_profile",
    "questionnaire",
    "evidence",
    "certificates",
    "decisions",
    "sign_off",
    "audit",
]


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _squeezed(text: str) -> str:
    """Long values (hashes) wrap inside their table cell; compare them without the line breaks."""
    return re.sub(r"\s+", "", text)


def test_the_dossier_names_every_section_question_file_hash_the_approver_and_the_validity(
    requester, legal, security
):
    review = approved_review(requester, legal=legal, security=security)

    filename, pdf = dossier_render(review)

    assert pdf.startswith(b"%PDF-")
    assert filename == f"{review.sign_off.number}-dossier.pdf"
    text = _text(pdf)
    squeezed = _squeezed(text)
    for key in SECTION_HEADINGS:
        assert LABELS[key] in text, key
    codes = Question.objects.filter(section__template=review.template).values_list("code", flat=True)
    assert len(codes) > 30
    for code in codes:
        assert re.search(rf"\b{code}\b", text), code
    hashes = list(Evidence.objects.filter(review=review).values_list("sha256", flat=True))
    hashes += [c.sha256 for c in stage_of(review, StageKind.SECURITY).certifications.all()]
    assert len(hashes) > 10
    for digest in hashes:
        assert digest in squeezed, digest
    # Each event by the first characters of its hash; in full in the embedded trail (test_audit_trail.py).
    for event in review.audit_events.all():
        assert event.hash[: trail.SHORT] in squeezed, event.action
    assert review.sign_off.number in text
    assert legal.get_username() in text
    assert review.sign_off.valid_until.isoformat() in text
    assert review.vendor.uscc in text
    assert _squeezed(review.vendor.name_zh) in squeezed  # Chinese is real text, not images or boxes
    assert "Page 1 / " in text


def test_the_dossier_embeds_a_cjk_font_in_regular_and_bold(requester, legal, security, tmp_path):
    review = approved_review(requester, legal=legal, security=security)
    _, pdf = dossier_render(review)
    path = tmp_path / "dossier.pdf"
    path.write_bytes(pdf)

    result = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)

    cjk = [line.split() for line in result.stdout.splitlines() if "CJK" in line]
    assert cjk, result.stdout
    assert all(row[-5] == "yes" for row in cjk), result.stdout  # the "emb" column
    names = {row[0].split("+", 1)[-1] for row in cjk}
    assert any(name.endswith("Bold") for name in names), names
    assert any(not name.endswith("Bold") for name in names), names


def test_a_review_without_sign_off_has_no_dossier(requester, legal, security):
    review = review_ready_for_sign_off(requester, legal=legal, security=security)

    with pytest.raises(DossierNotAvailable):
        dossier_render(review)


def test_the_manifest_lists_every_version_marking_withdrawn_and_superseded_ones(requester, legal, security):
    review = start_review(requester)
    pass_stage(review, StageKind.QUESTIONNAIRE, requester, legal=legal, security=security)
    data_source = stage_of(review, StageKind.DATA_SOURCE)
    mistake, _ = evidence_add(
        stage=data_source,
        actor=requester,
        kind=EvidenceKind.OTHER,
        upload=pdf_upload("wrong-file.pdf", text="uploaded by mistake"),
    )
    evidence_withdraw(evidence=mistake, actor=requester)
    submit_stage(review, StageKind.DATA_SOURCE, requester)
    workflow.stage_return(
        stage=stage_of(review, StageKind.DATA_SOURCE),
        actor=legal,
        comment="PIPIA 缺少签字页 / the PIPIA lacks its signature page",
    )
    fill_data_source(review, requester)  # round 2: new versions, round 1 stays (I6)
    workflow.stage_submit(stage=stage_of(review, StageKind.DATA_SOURCE), actor=requester)
    workflow.stage_pass(stage=stage_of(review, StageKind.DATA_SOURCE), actor=legal)
    fill_security(review, requester)
    workflow.stage_submit(stage=stage_of(review, StageKind.SECURITY), actor=requester)
    workflow.stage_pass(stage=stage_of(review, StageKind.SECURITY), actor=security)
    workflow.review_sign_off(review=review, actor=legal, password=PASSWORD, statement="准予入库 / approved")

    context = dossier_context(review)

    status = {row.item.pk: row.status for row in context["evidence"]}
    assert len(status) == Evidence.objects.filter(review=review).count()
    assert status[mistake.pk] == "withdrawn"
    pipia = Evidence.objects.filter(stage=data_source, kind=EvidenceKind.PIPIA).order_by("version")
    assert [status[e.pk] for e in pipia] == ["superseded", "current"]
    data_source_decisions = next(s for s in context["stages"] if s["stage"].kind == StageKind.DATA_SOURCE)
    assert [d["decision"].outcome for d in data_source_decisions["decisions"]] == ["returned", "passed"]
    assert "PIPIA 缺少签字页" in data_source_decisions["decisions"][0]["decision"].comment


def test_the_dossier_reports_an_audit_event_that_no_longer_matches_its_hash(requester, legal, security):
    review = approved_review(requester, legal=legal, security=security)
    event = review.audit_events.order_by("pk").first()
    # Tamper below the ORM's append-only guard, as someone with direct database access could.
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # the append-only trigger; the test transaction restores it
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending deferred checks
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER reviews_auditevent_no_update_delete")
        cursor.execute(f"UPDATE {table} SET actor_label = %s WHERE id = %s", ["someone-else", event.pk])

    context = dossier_context(review)

    assert context["broken_events"] == [event.pk]


def test_markup_typed_into_the_application_stays_text_and_fetches_nothing(requester, legal, security):
    from tests.factories import VendorFactory

    name = '恶意</style><img src="file:///etc/hostname">公司'
    review = approved_review(requester, legal=legal, security=security, vendor=VendorFactory(name_zh=name))

    _, pdf = dossier_render(review)

    reader = PdfReader(io.BytesIO(pdf))
    occurrences = _squeezed(_text(pdf)).count(_squeezed(name))
    assert occurrences >= len(reader.pages) - 1 + 2  # the running header (all pages but the cover), the body
    assert all(len(page.images) == 0 for page in reader.pages)


def test_the_dossier_names_the_vendor_contact_for_what_they_gave(requester, legal, security):
    from django.utils.html import escape

    from reviews.dossier.render import dossier_html
    from reviews.models import Review
    from reviews.questionnaire.answers import answers_save
    from tests.builders import answers_for, invite_contact

    review = start_review(requester)
    link, _token = invite_contact(review, requester)
    a4 = answers_for(review)["A4"]
    answers_save(review=review, actor=link, answers={"A4": a4})
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)  # the requester fills in the rest
    workflow.stage_pass(stage=stage_of(review, StageKind.QUESTIONNAIRE), actor=legal)
    upload, _ = evidence_add(
        stage=stage_of(review, StageKind.DATA_SOURCE),
        actor=link,
        kind=EvidenceKind.PROCESSING_AGREEMENT,
        upload=pdf_upload("dpa-signed.pdf", "dpa"),
    )
    for kind in (StageKind.DATA_SOURCE, StageKind.SECURITY):
        pass_stage(review, kind, requester, legal=legal, security=security)
    workflow.review_sign_off(
        review=Review.objects.get(pk=review.pk),
        actor=legal,
        password=PASSWORD,
        statement="准予入库 / approved",
    )

    context = dossier_context(Review.objects.get(pk=review.pk))
    html = dossier_html(Review.objects.get(pk=review.pk))

    rows = {row.question.code: row for _section, section_rows in context["sections"] for row in section_rows}
    # The contact in both languages, as the rest of the dossier: the record's English label after the Chinese.
    both = f"供应商联系人 张三 <zhang@example.com>（链接 #{link.pk}） / {link.audit_label}"
    assert rows["A4"].answered_by == both and rows["A5"].answered_by == ""
    uploaders = {row.item.pk: row.uploaded_by for row in context["evidence"]}
    assert uploaders[upload.pk] == both
    assert f"Answered by: {escape(both)}</div>" in html


def test_the_audit_trail_reads_as_sentences_in_both_languages_with_full_hashes(requester, legal, security):
    review = approved_review(requester, legal=legal, security=security)

    rows = dossier_context(review)["events"]

    upload = next(row for row in rows if row.event.action == "evidence.added")
    digest = upload.event.data["sha256"]
    assert " 上传了 " in upload.sentence.zh and digest in upload.sentence.zh
    assert " uploaded " in upload.sentence.en and digest in upload.sentence.en
    signed = next(row for row in rows if row.event.action == "review.signed_off")
    assert review.sign_off.number in signed.sentence.zh and "signed off" in signed.sentence.en


def test_no_template_syntax_or_comment_reaches_the_dossier(requester, legal, security):
    # Django's {# #} comments end at the line's end: one spread over two lines is printed, as text.
    html = dossier_html(approved_review(requester, legal=legal, security=security))
    for leftover in ("{#", "#}", "{%", "%}", "{{", "}}"):
        assert leftover not in html


EDM_ONLY = Scope.build(
    purposes=[Purpose.MEMBER_MARKETING],
    channels=[Channel.EDM],
    data_categories=[DataCategory.CONTACT],
    audience_sources=[AudienceSource.OWN_CONSENTED],
    ceiling=Ceiling.FROM_100K_TO_1M,
    conditions=[ScopeCondition.OPTED_IN_ONLY, ScopeCondition.NO_EXTERNAL_LISTS],
    other_conditions="仅限EDM渠道",
)


def test_the_dossier_states_the_scope_of_approval_in_both_languages_after_the_statement(
    requester, legal, security
):
    review = approved_review(requester, legal=legal, security=security, scope=EDM_ONLY)

    _filename, pdf = dossier_render(review)

    text = _text(pdf)
    squeezed = _squeezed(text)
    assert "适用范围" in text and "Scope of approval" in text
    # After the sign-off's statement, before the audit trail.
    statement = squeezed.index(_squeezed(review.sign_off.statement))
    scope = squeezed.index(_squeezed("Scope of approval"))
    assert statement < scope < squeezed.rindex(_squeezed(LABELS["audit"]))
    for zh, en in (
        ("用途", "Purposes"),
        ("会员营销", "Member marketing"),
        ("电子邮件（EDM）", "E-mail (EDM)"),
        ("联系方式", "Contact details"),
        ("不涵盖", "Not covered"),
        ("不超过100万人", "Up to 1 million"),
        ("仅限已同意的接收者", "Only recipients who opted in"),
        ("不得使用购买、租用或交换的名单", "No bought, rented or swapped lists"),
    ):
        assert _squeezed(zh) in squeezed and _squeezed(en) in squeezed, en
    assert "仅限EDM渠道" in text
    assert "Derived from the answers" not in text


def test_a_derived_scope_is_marked_in_the_dossier(requester, legal, security):
    review = approved_review(requester, legal=legal, security=security, scope=EDM_ONLY)
    SignOff.objects.filter(pk=review.sign_off.pk).update(scope_confirmed=False)

    html = dossier_html(review)

    section = html[html.index('id="approval-scope"') : html.index('id="audit"')]
    assert (
        "由回答推定，待法务确认" in section
        and "Derived from the answers, to be confirmed by Legal" in section
    )


def test_the_cycle_collector_is_paused_during_the_layout_and_back_after_it_even_on_an_error():
    import gc

    from reviews.dossier.render import _cycle_collection_paused

    assert gc.isenabled()
    with pytest.raises(RuntimeError), _cycle_collection_paused():
        assert not gc.isenabled()
        raise RuntimeError("the layout failed")
    assert gc.isenabled()
