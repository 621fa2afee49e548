"""The files inside the dossier: the approved round's evidence and certificates, embedded with a manifest
that lists each one's SHA-256; a file over the limit is listed, not embedded."""

import hashlib
import io
import json

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader

from reviews.dossier import trail
from reviews.dossier.attachments import MANIFEST_NAME
from reviews.dossier.render import dossier_context, dossier_html
from reviews.dossier.services import dossier_generate_now
from reviews.dossier.verify import dossier_verify, embedded_files
from reviews.models import Dossier, Evidence, StageKind
from reviews.questionnaire.scoring import evaluate_review
from tests.builders import approved_review, stage_of
from vendors.models import private_storage

pytestmark = pytest.mark.django_db


def _generated(review) -> tuple[Dossier, bytes]:
    dossier = dossier_generate_now(dossier_id=Dossier.objects.get(review=review).pk)
    with private_storage().open(dossier.file.name, "rb") as handle:
        return dossier, handle.read()


def _stored(field) -> bytes:
    with private_storage().open(field.name, "rb") as handle:
        return handle.read()


def _current_files(review):
    """The files the approval rests on: current, and (for a question's file) given for a question the answers
    still ask; a file for a question no longer asked is listed in the dossier, not embedded."""
    asked = {q.pk for q in evaluate_review(review).visible}
    evidence = [
        e
        for e in Evidence.objects.filter(review=review, withdrawn_at__isnull=True).select_related("stage")
        if e.round == e.stage.round and (e.question_id is None or e.question_id in asked)
    ]
    certificates = list(stage_of(review, StageKind.SECURITY).certifications.all())
    return evidence, certificates


def _changed_attachment(pdf: bytes, name: str) -> bytes:
    """The PDF with one byte of the embedded file `name` changed, as an incremental update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    pairs = list(writer.root["/Names"]["/EmbeddedFiles"]["/Names"])
    for key, spec in zip(pairs[::2], pairs[1::2], strict=True):
        if str(key) == name:
            ref = spec.get_object()["/EF"].raw_get("/F")
            stream = ref.get_object()
            data = bytearray(stream.data)
            data[len(data) // 2] ^= 0x01
            stream._data, stream._encoded_data = bytes(data), None
            writer.mark_update(ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_approved_rounds_files_are_embedded_and_listed_with_their_hashes(requester, legal, security):
    review = approved_review(requester, legal=legal, security=security)
    dossier, pdf = _generated(review)

    files = embedded_files(PdfFileReader(io.BytesIO(pdf)))
    manifest = json.loads(files[MANIFEST_NAME])
    evidence, certificates = _current_files(review)
    expected = {("evidence", e.pk): e for e in evidence} | {("certificate", c.pk): c for c in certificates}
    assert {(f["role"], f["record_id"]) for f in manifest["files"]} == set(expected)
    assert dossier.embedded_files == len(expected) == len(files) - 2  # besides the manifest and the trail
    for entry in manifest["files"]:
        record = expected[(entry["role"], entry["record_id"])]
        assert entry["embedded"] is True
        assert files[entry["name"]] == _stored(record.file)
        assert entry["sha256"] == record.sha256 == hashlib.sha256(files[entry["name"]]).hexdigest()
        assert entry["size"] == record.size
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    assert "Files inside this dossier" in text
    for record in expected.values():
        assert record.sha256 in text.replace(" ", "")


def test_a_file_over_the_limit_is_listed_with_its_hash_and_a_note_instead(
    requester, legal, security, settings
):
    settings.VETTED_DOSSIER_ATTACHMENT_MAX_MB = 0
    review = approved_review(requester, legal=legal, security=security)
    dossier, pdf = _generated(review)

    files = embedded_files(PdfFileReader(io.BytesIO(pdf)))
    manifest = json.loads(files[MANIFEST_NAME])
    assert set(files) == {MANIFEST_NAME, trail.NAME} and dossier.embedded_files == 0
    assert manifest["files"] and all(
        not f["embedded"] and f["note"] == "too_large" for f in manifest["files"]
    )
    evidence, _certificates = _current_files(review)
    assert {f["sha256"] for f in manifest["files"] if f["role"] == "evidence"} == {e.sha256 for e in evidence}
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Notembedded:largerthan0MB" in "".join(text.split())


def test_one_changed_byte_in_an_embedded_file_fails_verification(requester, legal, security):
    review = approved_review(requester, legal=legal, security=security)
    _dossier, pdf = _generated(review)
    manifest = json.loads(embedded_files(PdfFileReader(io.BytesIO(pdf)))[MANIFEST_NAME])
    victim = manifest["files"][0]["name"]

    report = dossier_verify(_changed_attachment(pdf, victim), trust_roots=[])

    files = [f for f in report.findings if f.check == "attachment"]
    changed = [f for f in files if f.subject == f"Embedded file {victim}"]
    assert len(changed) == 1 and not changed[0].ok and "DOES NOT MATCH" in changed[0].detail
    assert "不一致" in changed[0].zh or changed[0].zh  # a sentence in Chinese too
    others = [f for f in files if f not in changed]
    assert others and all(f.ok for f in others)  # the other files still match, and say so


def test_each_file_inside_is_marked_on_its_own_row_and_only_the_files_left_out_are_listed_again(
    requester, legal, security, settings
):
    review = approved_review(requester, legal=legal, security=security)
    context = dossier_context(review)
    rows = context["evidence"] + context["certificates"]
    assert all((row.file is not None) == (row.status == "current") for row in context["evidence"])
    assert all(row.file is not None and row.file.embedded for row in context["certificates"])
    marked = [row.file for row in rows if row.file is not None]
    assert sorted((f.role, f.record_id) for f in marked) == sorted(
        (f.role, f.record_id) for f in context["files"]
    )
    html = dossier_html(review)
    assert html.count("✓ 已嵌入") == len(context["files"])
    assert f"{len(marked)} of {len(marked)} files embedded." in html
    assert "Why it is not embedded" not in html

    settings.VETTED_DOSSIER_ATTACHMENT_MAX_MB = 0
    html = dossier_html(review)
    assert "✓ 已嵌入" not in html and "Why it is not embedded" in html
    assert f"0 of {len(marked)} files embedded." in html
    assert html.count("Not embedded: larger than 0 MB.") == 2 * len(marked)  # on its row, and in the list
