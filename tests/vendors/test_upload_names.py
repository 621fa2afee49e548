"""File names that cannot be kept as sent get a clear error on every upload form, the rest of the input kept
(vendors/upload_names.py). The bodies are built by hand: the test client's own encoder would not carry a
control character in a file name the way a client can."""

import pytest
from django.urls import reverse

from reviews.models import Evidence, StageKind
from tests import builders
from tests.factories import cert_fields, pdf_bytes
from vendors.models import Certification

pytestmark = pytest.mark.django_db

BOUNDARY = "----vetted-test-boundary"
TOO_LONG = "年度个人信息保护影响评估报告" * 20 + ".pdf"  # 284 characters
TOO_LONG_MESSAGE = "The file name is 284 characters long; at most 255 are accepted."
HIDDEN_MESSAGE = "The file name contains control or invisible characters"


def multipart(fields: dict, files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for field, file_name, data in files:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="{file_name}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={BOUNDARY}"


def post(client, url, fields, files):
    body, content_type = multipart(fields, files)
    return client.post(url, body, content_type=content_type)


@pytest.fixture
def data_source_open(requester, legal, security):
    review = builders.start_review(requester)
    builders.pass_stage(review, StageKind.QUESTIONNAIRE, requester, legal=legal, security=security)
    return review


@pytest.mark.parametrize(
    ("file_name", "message"),
    [
        (TOO_LONG, TOO_LONG_MESSAGE),
        ("scan\x07.pdf", HIDDEN_MESSAGE),
        ("报告\u202efdp.exe", HIDDEN_MESSAGE),  # a right-to-left mark that disguises the real extension
        ("line\nbreak.pdf", HIDDEN_MESSAGE),
    ],
)
def test_a_refused_name_is_told_on_the_evidence_page_and_nothing_is_stored(
    client, requester, data_source_open, file_name, message
):
    client.force_login(requester)
    response = post(
        client,
        reverse("data_source", args=[data_source_open.pk]),
        {"kind": "pipia"},
        [("files", file_name, pdf_bytes())],
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Evidence.objects.filter(stage__kind=StageKind.DATA_SOURCE).exists()


def test_a_large_file_with_a_long_extension_is_refused_instead_of_failing(
    client, requester, data_source_open
):
    # Past FILE_UPLOAD_MAX_MEMORY_SIZE the file would be spooled to disk under a temporary name ending in its
    # extension, which the file system refuses when the extension is this long.
    client.force_login(requester)
    response = post(
        client,
        reverse("data_source", args=[data_source_open.pk]),
        {"kind": "pipia"},
        [("files", "报告." + "最终版" * 40, pdf_bytes() + b"%" * 3_000_000)],
    )
    assert response.status_code == 200
    assert "does not end in the extension of its type" in response.content.decode()


def test_a_good_file_beside_a_refused_one_is_stored(client, requester, data_source_open):
    client.force_login(requester)
    response = post(
        client,
        reverse("data_source", args=[data_source_open.pk]),
        {"kind": "pipia"},
        [("files", TOO_LONG, pdf_bytes("a")), ("files", "pipia.pdf", pdf_bytes("b"))],
    )
    assert TOO_LONG_MESSAGE in response.content.decode()
    stored = Evidence.objects.filter(stage__kind=StageKind.DATA_SOURCE).values_list(
        "original_name", flat=True
    )
    assert list(stored) == ["pipia.pdf"]


def test_the_certificate_form_tells_the_name_and_keeps_what_was_typed(client, requester, legal, security):
    review = builders.start_review(requester)
    for kind in (StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE):
        builders.pass_stage(review, kind, requester, legal=legal, security=security)
    client.force_login(requester)
    fields = {k: v for k, v in cert_fields(number="ISMS-2024-4711").items() if k != "file"}
    response = post(
        client, reverse("security", args=[review.pk]), fields, [("file", "iso\x1b.pdf", pdf_bytes())]
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert HIDDEN_MESSAGE in body
    assert 'value="ISMS-2024-4711"' in body
    assert not Certification.objects.exists()


def test_a_questionnaire_file_with_a_long_name_is_told(client, requester):
    review = builders.start_review(requester)
    client.force_login(requester)
    response = post(
        client,
        reverse("questionnaire_section", args=[review.pk, "A"]),
        {"q_A2": "yes", "save": "1"},
        [("f_A2", TOO_LONG, pdf_bytes())],
    )
    assert TOO_LONG_MESSAGE in response.content.decode()
    assert not Evidence.objects.filter(question__code="A2").exists()


def test_the_vendor_contact_is_told_too(client, requester, data_source_open):
    _link, token = builders.invite_contact(data_source_open, requester)
    response = post(
        client,
        reverse("contact_data_source", args=[token]),
        {"kind": "pipia"},
        [("files", "pipia\t.pdf", pdf_bytes())],
    )
    assert response.status_code == 200
    assert HIDDEN_MESSAGE in response.content.decode()
    assert not Evidence.objects.filter(stage__kind=StageKind.DATA_SOURCE).exists()


def test_the_message_is_translated(client, requester, data_source_open):
    client.force_login(requester)
    client.cookies["django_language"] = "zh-hans"
    response = post(
        client,
        reverse("data_source", args=[data_source_open.pk]),
        {"kind": "pipia"},
        [("files", "scan\x07.pdf", pdf_bytes())],
    )
    assert "文件名包含控制字符或不可见字符" in response.content.decode()
