"""vendors.files: the type of an upload is decided by its bytes, never by its name."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import docx_bytes, pdf_bytes, png_bytes
from vendors.files import CONTENT_TYPES, check_upload, sniff, store_upload


def upload(name, data):
    return SimpleUploadedFile(name, data)


def zip_bytes(files: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return buf.getvalue()


def refusal(name, data):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(name, data))
    return refused.value


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("a.pdf", pdf_bytes(), "pdf"),
        ("a.png", png_bytes(), "png"),
        ("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "jpeg"),
        ("a.jpeg", b"\xff\xd8\xff\xe1" + b"\x00" * 32, "jpeg"),
        ("a.docx", docx_bytes(), "docx"),
        ("a.xlsx", zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}), "xlsx"),
        ("REPORT.PDF", pdf_bytes(), "pdf"),
    ],
)
def test_inert_document_formats_are_accepted(name, data, kind):
    assert check_upload(upload(name, data)) == kind


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"MZ\x90\x00" + b"\x00" * 60, "executable"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 60, "executable"),
        (b"#!/bin/sh\nrm -rf /\n", "executable"),
        (zip_bytes({"a.txt": "hello"}), "archive"),
        (b"Rar!\x1a\x07\x00" + b"\x00" * 20, "archive"),
        (b"7z\xbc\xaf\x27\x1c" + b"\x00" * 20, "archive"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 20, "archive"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "markup"),
        (b"\xef\xbb\xbf  <svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "markup"),
        (b'<?xml version="1.0"?><root/>', "markup"),
        (b"just some text", "type"),
    ],
)
def test_dangerous_or_unknown_content_is_refused_saying_why(data, code):
    error = sniff_refusal(data)
    assert error.code == code
    assert error.messages[0]


def sniff_refusal(data):
    with pytest.raises(ValidationError) as refused:
        sniff(upload("file.pdf", data))
    return refused.value


def test_a_tar_archive_is_refused():
    data = b"a.txt".ljust(257, b"\x00") + b"ustar\x0000" + b"\x00" * 300
    assert sniff_refusal(data).code == "archive"


def test_an_office_file_with_macros_is_refused():
    data = zip_bytes(
        {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>", "word/vbaProject.bin": "macro"}
    )
    error = refusal("contract.docx", data)
    assert error.code == "macro"
    assert "macros" in error.messages[0]


def test_an_empty_file_is_refused():
    assert refusal("empty.pdf", b"").code == "empty"


def test_a_file_over_the_limit_is_refused_with_both_sizes(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    error = refusal("big.pdf", pdf_bytes("x" * 2000))
    assert error.code == "too_large"
    assert "1.0\xa0KB" in error.messages[0]


@pytest.mark.parametrize("name", ["scan.png", "scan", "scan.pdf.exe", "report.html"])
def test_a_name_that_claims_another_type_is_refused(name):
    error = refusal(name, pdf_bytes())
    assert error.code == "mismatch"
    assert "PDF" in error.messages[0]


def test_a_pdf_renamed_from_html_is_not_smuggled_in_by_its_name():
    error = refusal("policy.pdf", b"<html><body>not a pdf</body></html>")
    assert error.code == "markup"


def test_store_upload_keeps_the_bytes_under_a_random_name_with_their_hash():
    import hashlib

    data = pdf_bytes("stored")
    stored = store_upload(upload("../../etc/合同.pdf", data), folder="evidence")

    assert stored.original_name == "合同.pdf"
    assert stored.name.startswith("evidence/") and stored.name.endswith(".pdf")
    assert "合同" not in stored.name
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert (stored.size, stored.content_type) == (len(data), CONTENT_TYPES["pdf"])
    with storages["private"].open(stored.name) as fh:
        assert fh.read() == data


def test_a_refused_upload_stores_nothing(tmp_path):
    with pytest.raises(ValidationError):
        store_upload(upload("x.pdf", b"MZ\x90\x00"), folder="evidence")
    root = tmp_path / "private"
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))
