"""Upload rules end to end, through the evidence page the requester uses (vendors/files.py does the checks).

Every refused file leaves nothing behind: no Evidence row and no file on disk."""

import gzip
import hashlib
import io
import re
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.models import Evidence, StageKind
from tests.builders import pass_stage, start_review
from tests.factories import docx_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def _zip(**members) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, content in members.items():
            zf.writestr(name.replace("__", "/"), content)
    return buf.getvalue()


XLSX = _zip(**{"[Content_Types].xml": "<Types/>", "xl__workbook.xml": "<workbook/>"})
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


@pytest.fixture
def review(requester, legal, security):
    review = start_review(requester)
    pass_stage(review, StageKind.QUESTIONNAIRE, requester, legal=legal, security=security)
    return review


def _upload(client, review, name, data):
    return client.post(
        reverse("data_source", args=[review.pk]),
        {"kind": "pipia", "files": [SimpleUploadedFile(name, data)]},
        follow=True,
    )


def _stored_files() -> list:
    root = settings.PRIVATE_MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.pdf", png_bytes(), "The file name ends in “.pdf” but the content is PNG."),
        ("report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 60, "Programs and scripts are not accepted."),
        ("report.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 60, "Programs and scripts are not accepted."),
        ("run.pdf", b"#!/bin/sh\nrm -rf /\n", "Programs and scripts are not accepted."),
        ("docs.zip", _zip(a__b="x"), "Archives (ZIP, RAR, 7z, ...) are not accepted."),
        ("docs.docx", _zip(a__b="x"), "Archives (ZIP, RAR, 7z, ...) are not accepted."),
        ("docs.pdf", gzip.compress(b"hello", mtime=0), "Archives (ZIP, RAR, 7z, ...) are not accepted."),
        ("docs.rar", b"Rar!\x1a\x07\x00" + b"\x00" * 20, "Archives (ZIP, RAR, 7z, ...) are not accepted."),
        (
            "page.pdf",
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            "HTML and SVG files are not accepted",
        ),
        (
            "logo.png",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>',
            "HTML and SVG files are not accepted",
        ),
        ("empty.pdf", b"", "The file is empty."),
        ("notes.pdf", b"just some plain text", "This file type is not accepted."),
        (
            "macro.docx",
            _zip(
                **{
                    "[Content_Types].xml": "<Types/>",
                    "word__document.xml": "<d/>",
                    "word__vbaProject.bin": "x",
                }
            ),
            "Documents with macros are not accepted.",
        ),
    ],
)
def test_refused_file_is_told_and_nothing_is_stored(client, review, requester, name, data, message):
    before = _stored_files()
    client.force_login(requester)
    response = _upload(client, review, name, data)
    assert message in response.content.decode()
    assert not Evidence.objects.filter(stage__kind=StageKind.DATA_SOURCE).exists()
    assert _stored_files() == before


def test_too_large_file_is_refused_with_the_limit(client, review, requester, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    before = _stored_files()
    client.force_login(requester)
    response = _upload(client, review, "big.pdf", pdf_bytes("x" * 2000))
    assert "the limit is 1.0\xa0KB" in response.content.decode()
    assert not Evidence.objects.filter(stage__kind=StageKind.DATA_SOURCE).exists()
    assert _stored_files() == before


def test_default_limit_is_25_mb():
    assert settings.UPLOAD_MAX_BYTES == 25 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("a.pdf", pdf_bytes("a"), "application/pdf"),
        ("b.PNG", png_bytes(), "image/png"),
        ("c.jpg", JPEG, "image/jpeg"),
        ("d.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("e.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_accepted_file_is_stored_privately_under_a_random_name_with_its_hash(
    client, review, requester, name, data, content_type
):
    before = set(_stored_files())
    client.force_login(requester)
    _upload(client, review, name, data)
    evidence = Evidence.objects.get(stage__kind=StageKind.DATA_SOURCE)
    assert evidence.content_type == content_type and evidence.original_name == name
    assert evidence.sha256 == hashlib.sha256(data).hexdigest() and evidence.size == len(data)
    [stored] = set(_stored_files()) - before
    assert stored.read_bytes() == data
    assert re.fullmatch(r"[0-9a-f]{32}\.(pdf|png|jpeg|docx|xlsx)", stored.name)  # random, not the user's name
    assert settings.PRIVATE_MEDIA_ROOT not in (settings.STATIC_ROOT, *settings.STATICFILES_DIRS)


def test_identical_file_is_flagged_to_the_user(client, review, requester):
    client.force_login(requester)
    _upload(client, review, "first.pdf", pdf_bytes("same"))
    response = _upload(client, review, "second.pdf", pdf_bytes("same"))
    assert "“second.pdf” is identical to “first.pdf”" in response.content.decode()
