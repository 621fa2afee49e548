"""The record agrees with itself: every change of score, tier or red flags is in the audit trail, the trail's
last word is the summary's, and the files inside the dossier carry their upload time in UTC."""

import datetime as dt
import io

import pytest
from django.utils import translation
from pypdf import PdfReader as PypdfReader

from reviews.audit_sentences import audit_sentence
from reviews.dossier.render import dossier_context
from reviews.dossier.services import dossier_generate_now
from reviews.models import AuditEvent, Dossier, Evidence
from tests.builders import approved_review
from vendors.models import private_storage

pytestmark = pytest.mark.django_db

RISK_ACTIONS = ("answers.saved", "review.rescored")


def test_a_tier_changed_by_the_files_uploaded_after_the_answers_is_audited_and_the_summary_agrees(
    requester, legal, security
):
    review = approved_review(requester, legal=legal, security=security)
    review.refresh_from_db()

    risk = list(AuditEvent.objects.filter(review=review, action__in=RISK_ACTIONS).order_by("pk"))
    rescored = [e for e in risk if e.action == "review.rescored"]
    assert rescored, "the files changed the assessment, and the trail must say so"
    assert all(
        e.data["previous"]["tier"] != e.data["tier"]
        or e.data["previous"]["risk_score"] != e.data["risk_score"]
        or e.data["previous"]["red_flag_count"] != len(e.data["red_flags"])
        for e in rescored
    )
    last = risk[-1]
    assert last.data["tier"] == review.risk_tier
    context = dossier_context(review)
    assert context["result"].tier == review.risk_tier
    assert context["red_flag_codes"] == last.data["red_flags"]
    with translation.override("en"):
        sentence = audit_sentence(rescored[0])
    assert sentence.startswith("The risk assessment changed after a file was uploaded: score")


def test_embedded_files_carry_their_upload_time_in_utc(requester, legal, security, signing):
    from pyhanko.pdf_utils.reader import PdfFileReader

    review = approved_review(requester, legal=legal, security=security)
    dossier = dossier_generate_now(dossier_id=Dossier.objects.get(review=review).pk)
    with private_storage().open(dossier.file.name, "rb") as handle:
        reader = PdfFileReader(io.BytesIO(handle.read()), strict=False)

    tree = reader.root["/Names"]["/EmbeddedFiles"]
    pairs = list(tree["/Names"])
    dates = {}
    for _key, spec in zip(pairs[::2], pairs[1::2], strict=True):
        spec = spec.get_object()
        stream = spec["/EF"]["/F"].get_object()
        dates[str(spec["/UF"])] = str(stream["/Params"]["/CreationDate"])
    evidence = Evidence.objects.filter(review=review, withdrawn_at__isnull=True).first()
    name = next(n for n in dates if n.startswith(f"evidence-{evidence.pk}-"))
    assert dates[name] == evidence.uploaded_at.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%SZ")


def test_the_dossier_refuses_to_render_without_the_compiled_chinese_catalogue(
    requester, legal, security, signing, settings, tmp_path
):
    from reviews.dossier.render import ChineseCatalogueMissing, dossier_render

    review = approved_review(requester, legal=legal, security=security)
    dossier = Dossier.objects.get(review=review)
    settings.LOCALE_PATHS = [str(tmp_path)]  # no catalogue there; Django drops its cached translations

    with pytest.raises(ChineseCatalogueMissing, match="compilemessages"):
        dossier_render(review)
    with pytest.raises(ChineseCatalogueMissing):
        dossier_generate_now(dossier_id=dossier.pk)
    dossier.refresh_from_db()
    assert dossier.status == "failed" and "English only" in dossier.error


def test_both_metadata_copies_name_the_same_producer_and_the_signature_no_url(
    requester, legal, security, signing
):
    from pyhanko.pdf_utils.reader import PdfFileReader

    review = approved_review(requester, legal=legal, security=security)
    dossier = dossier_generate_now(dossier_id=Dossier.objects.get(review=review).pk)
    with private_storage().open(dossier.file.name, "rb") as handle:
        data = handle.read()
    reader = PdfFileReader(io.BytesIO(data), strict=False)

    pages = [" ".join(page.extract_text().split()) for page in PypdfReader(io.BytesIO(data)).pages]
    assert (
        "电子签章 Digital seal" in pages[0] and "目录 Contents" in pages[0]
    )  # seal and contents on the cover
    assert dossier.signer_fingerprint.upper()[:4] in pages[0]
    assert "1 · 摘要 Summary" in pages[1] and "2 · " in pages[1]  # page 2 is the summary, not a spill-over
    assert "Submitted: ·" not in " ".join(pages)  # no submission line without a name
    producer = str(reader.trailer_view["/Info"]["/Producer"])
    xmp = reader.root["/Metadata"].get_object().data.decode()
    assert f'pdf:Producer="{producer}"' in xmp or f"<pdf:Producer>{producer}</pdf:Producer>" in xmp
    signature = reader.embedded_regular_signatures[0].sig_object
    assert "/Location" not in signature or "://" not in str(signature["/Location"])
    with translation.override("zh-hans"):
        title_zh = translation.gettext("Vendor approval dossier")
    assert title_zh in str(signature["/Reason"]) and title_zh in str(reader.trailer_view["/Info"]["/Title"])


def test_a_file_given_for_a_question_the_answers_no_longer_ask_is_listed_as_such_not_embedded(
    requester, legal, security
):
    from reviews.questionnaire.scoring import evaluate_review

    review = approved_review(requester, legal=legal, security=security)
    asked = {q.pk for q in evaluate_review(review).visible}
    not_asked = [
        e
        for e in Evidence.objects.filter(review=review, question__isnull=False)
        if e.question_id not in asked
    ]
    assert not_asked, "the builder uploads a file for every question with a file, asked or not"

    context = dossier_context(review)

    rows = {row.item.pk: row for row in context["evidence"]}
    for item in not_asked:
        assert rows[item.pk].status == "not_asked" and rows[item.pk].file is None
        assert "no longer asked" in rows[item.pk].status_label.en
    assert not {f.record_id for f in context["files"] if f.role == "evidence"} & {e.pk for e in not_asked}
