"""The audit trail of section 9: printed compactly (a sentence and the first characters of each hash), and
embedded in full in the signed PDF as vetted-audit-trail.json, whose SHA-256 the page prints and the manifest
lists (reviews/dossier/trail.py)."""

import hashlib
import io
import json
import re

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader

from reviews.dossier import trail
from reviews.dossier.attachments import MANIFEST_NAME
from reviews.dossier.render import dossier_context, dossier_render, streams_compressed_once
from reviews.dossier.verify import dossier_verify, embedded_files
from reviews.models import AuditEvent
from reviews.models.audit import audit_key
from tests.builders import approved_review

from .test_attachments import _changed_attachment, _generated

pytestmark = pytest.mark.django_db


def _squeezed(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def test_the_embedded_trail_holds_every_listed_event_in_full_and_the_page_prints_its_sha256(
    requester, legal, security
):
    review = approved_review(requester, legal=legal, security=security)
    _dossier, pdf = _generated(review)

    files = embedded_files(PdfFileReader(io.BytesIO(pdf)))
    data = files[trail.NAME]
    document = json.loads(data)
    listed = json.loads(files[MANIFEST_NAME])["audit_trail"]
    digest = hashlib.sha256(data).hexdigest()
    assert listed == {
        "name": trail.NAME,
        "format": trail.FORMAT,
        "size": len(data),
        "sha256": digest,
        "events": len(document["events"]),
    }
    assert document["format"] == trail.FORMAT and document["review"] == review.number
    assert document["broken_events"] == []
    # Every event of section 9, in order, as the log holds it: its hash, the one before it, its columns.
    ids = [entry["id"] for entry in document["events"]]
    now = [row.event for row in dossier_context(review)["events"]]  # and the dossier's own events since
    assert [e.pk for e in now[: len(ids)]] == ids and len(ids) > 20
    assert all(e.action.startswith("dossier.") for e in now[len(ids) :])
    events = now[: len(ids)]
    stored = {e.pk: e for e in AuditEvent.objects.filter(pk__in=ids)}
    for entry in document["events"]:
        event = stored[entry["id"]]
        assert (entry["hash"], entry["prev_hash"], entry["action"], entry["actor_label"]) == (
            event.hash,
            event.prev_hash,
            event.action,
            event.actor_label,
        )
        assert (entry["object_type"], entry["object_id"]) == (event.object_type, event.object_id)
    assert trail.event_problems(document["events"], audit_key()) == []  # each hash follows from the file
    # The sentences in full: a file's hash as uploaded, in both languages.
    upload = next(entry for entry in document["events"] if entry["action"] == "evidence.added")
    sha256 = stored[upload["id"]].data["sha256"]
    assert sha256 in upload["sentence"]["zh"] and sha256 in upload["sentence"]["en"]
    # The page: the trail's SHA-256 in full, and each event by number with its hash's first characters.
    squeezed = _squeezed(pdf)
    assert digest in squeezed
    for event in events:
        assert f"#{event.pk}·" in squeezed and event.hash[: trail.SHORT] in squeezed, event.action


def test_a_changed_byte_in_the_embedded_trail_fails_verification(requester, legal, security):
    review = approved_review(requester, legal=legal, security=security)
    _dossier, pdf = _generated(review)
    assert [f.ok for f in dossier_verify(pdf, trust_roots=[]).findings if f.check == "audit_trail"] == [True]

    report = dossier_verify(_changed_attachment(pdf, trail.NAME), trust_roots=[])

    found = [f for f in report.findings if f.check == "audit_trail"]
    assert len(found) == 1 and not found[0].ok and "DOES NOT MATCH" in found[0].detail
    assert found[0].zh.startswith("不一致")
    assert report.audit_trail is None  # not handed on to the comparison with the stored log


def test_an_event_whose_columns_were_changed_no_longer_gives_its_hash(requester, legal, security):
    review = approved_review(requester, legal=legal, security=security)
    context = dossier_context(review)
    entries = json.loads(context["audit_trail_file"])["events"]
    assert trail.event_problems(entries, audit_key()) == []

    entries[3]["actor_label"] += "x"
    entries[5]["data"] = {"changed": True}

    assert trail.event_problems(entries, audit_key()) == [entries[3]["id"], entries[5]["id"]]
    assert trail.event_problems(entries, b"another key")  # keyed: the wrong key gives other hashes


def test_the_dossier_is_still_pdf_a_3b_declared_with_the_trail_among_its_associated_files(
    requester, legal, security
):
    review = approved_review(requester, legal=legal, security=security)
    _name, pdf = dossier_render(review, copy=True)

    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    xmp = root["/Metadata"].get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    associated = {
        str(spec.get_object()["/F"]): str(spec.get_object()["/AFRelationship"]) for spec in root["/AF"]
    }
    assert associated[trail.NAME] == "/Data" and associated[MANIFEST_NAME] == "/Data"
    assert trail.NAME in embedded_files(PdfFileReader(io.BytesIO(pdf)))


def test_streams_compressed_once_writes_the_same_pages_and_fonts():
    from weasyprint import HTML

    document = HTML(
        string="<p>一页 <b>one page</b></p><p style='font-family: monospace'>0123abcdef</p>"
    ).render()
    plain = PdfReader(io.BytesIO(document.write_pdf(pdf_variant="pdf/a-3b")))
    once = PdfReader(io.BytesIO(document.write_pdf(pdf_variant="pdf/a-3b", finisher=streams_compressed_once)))

    assert len(plain.pages) == len(once.pages)
    for a, b in zip(plain.pages, once.pages, strict=True):
        assert a.get_contents().get_data() == b.get_contents().get_data()
        assert a.extract_text() == b.extract_text()
        fonts_a, fonts_b = a["/Resources"]["/Font"], b["/Resources"]["/Font"]
        for key in fonts_a:
            descriptor_a = fonts_a[key]["/DescendantFonts"][0]["/FontDescriptor"]
            descriptor_b = fonts_b[key]["/DescendantFonts"][0]["/FontDescriptor"]
            file_key = next(k for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor_a)
            assert descriptor_a[file_key].get_data() == descriptor_b[file_key].get_data()
