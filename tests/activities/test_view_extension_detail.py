"""/activities/extensions/<pk>/ and its documents and withdrawal: what the extension adds and needs, its
answers and files, Security's and Legal's decisions; the requester withdraws it while open; readers read it."""

import pytest
from django.urls import reverse

from activities.extensions import extension_legal_decide, extension_request, extension_security_decide
from activities.models import ExtensionStatus
from tests.factories import make_user, pdf_bytes, pdf_upload
from vendors.scope import Scope

from .web import sms_extension


def _url(extension, name="extension"):
    return reverse(f"activities:{name}", args=[extension.pk])


def test_the_requester_reads_what_it_adds_needs_answers_and_files(client, cmo, edm_vendor):
    extension = sms_extension(cmo, edm_vendor)
    client.force_login(cmo)
    body = client.get(_url(extension)).content.decode()
    assert extension.number in body and "云信科技有限公司" in body and "Waiting for Legal" in body
    assert (
        '<dt class="col-sm-4">Channels</dt><dd class="col-sm-8">SMS</dd>' in body
        and "会员生日关怀短信" in body
    )
    assert "Legal reviews it alone." in body
    assert "Telecom licence, SMS short-code certificate or algorithm filing" in body
    assert "持有增值电信业务经营许可证" in body
    for file in extension.files.all():
        assert reverse("activities:extension_file", args=[extension.pk, file.pk]) in body
    assert "电信许可证.pdf" in body
    assert _url(extension, "extension_withdraw") in body
    assert _url(extension, "addendum") not in body


def test_an_approved_extension_shows_legals_decision_and_the_addendum(client, cmo, legal, edm_vendor):
    extension = extension_legal_decide(
        extension=sms_extension(cmo, edm_vendor), actor=legal, approve=True, comment="同意增加短信渠道"
    )
    client.force_login(cmo)
    body = client.get(_url(extension)).content.decode()
    assert "Legal approved the extension" in body and "同意增加短信渠道" in body
    assert _url(extension, "addendum") in body
    assert _url(extension, "extension_withdraw") not in body
    # The vendor's scope now has SMS.
    assert "E-mail (EDM), SMS" in body or "SMS, E-mail (EDM)" in body


def test_a_refusal_by_security_is_shown_with_its_comment(client, cmo, security, edm_vendor):
    extension = extension_request(
        vendor=edm_vendor,
        requester=cmo,
        reason="会员健康关怀",
        additions=Scope.build(data_categories=["sensitive"]),
        answers={"B5": {"value": "yes"}, "D6": {"value": ["encryption"]}},
        files={"separate_consent": pdf_upload(), "pipia": pdf_upload("pipia.pdf")},
    )
    extension_security_decide(extension=extension, actor=security, approve=False, comment="加密措施不足")
    client.force_login(cmo)
    body = client.get(_url(extension)).content.decode()
    assert "Security refused the extension" in body and "加密措施不足" in body
    assert (
        "Refused: the vendor&#x27;s scope stays as it was." in body or "Refused: the vendor's scope" in body
    )


@pytest.mark.parametrize("persona", ["legal", "security"])
def test_a_reader_reads_it_without_a_button(client, request, cmo, edm_vendor, persona):
    extension = sms_extension(cmo, edm_vendor)
    client.force_login(request.getfixturevalue(persona))
    body = client.get(_url(extension)).content.decode()
    assert extension.number in body
    assert "<form" not in body.split("<main")[1].split("</main>")[0]


def test_strangers_get_404_and_the_anonymous_sign_in(client, cmo, edm_vendor):
    extension = sms_extension(cmo, edm_vendor)
    file = extension.files.first()
    client.force_login(make_user("cmo2", "Requester"))
    assert client.get(_url(extension)).status_code == 404
    assert client.get(reverse("activities:extension_file", args=[extension.pk, file.pk])).status_code == 404
    client.logout()
    assert client.get(_url(extension))["Location"].startswith(reverse("login"))


# --- the documents ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["cmo", "legal", "security"])
def test_those_who_read_it_download_a_document_as_an_attachment_never_sniffed(
    client, request, cmo, edm_vendor, persona
):
    extension = sms_extension(cmo, edm_vendor)
    file = extension.files.get(kind="telecom_licence")
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("activities:extension_file", args=[extension.pk, file.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes("evidence")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Type"] == "application/pdf"


def test_a_document_is_only_found_under_its_own_extension(client, cmo, edm_vendor):
    first = sms_extension(cmo, edm_vendor)
    second = extension_request(
        vendor=edm_vendor, requester=cmo, reason="ABM", additions=Scope.build(purposes=["abm"])
    )
    client.force_login(cmo)
    file = first.files.first()
    assert client.get(reverse("activities:extension_file", args=[second.pk, file.pk])).status_code == 404


# --- withdrawing -----------------------------------------------------------------------------------------------


def test_the_requester_withdraws_an_open_extension(client, cmo, edm_vendor):
    extension = sms_extension(cmo, edm_vendor)
    client.force_login(cmo)
    assert client.get(_url(extension, "extension_withdraw")).status_code == 405
    response = client.post(_url(extension, "extension_withdraw"), follow=True)
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.WITHDRAWN
    assert [str(m) for m in response.context["messages"]] == [
        f"Scope extension {extension.number} withdrawn."
    ]
    assert (
        "Withdrawn: nothing changes in the vendor&#x27;s scope." in response.content.decode()
        or "Withdrawn: nothing changes in the vendor's scope." in response.content.decode()
    )
    response = client.post(_url(extension, "extension_withdraw"), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "The extension is Withdrawn and cannot be withdrawn."
    ]


def test_a_reader_cannot_withdraw_it(client, cmo, legal, edm_vendor):
    extension = sms_extension(cmo, edm_vendor)
    client.force_login(legal)
    response = client.post(_url(extension, "extension_withdraw"), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Only the requester can withdraw the extension."
    ]
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.AWAITING_LEGAL


def test_it_reads_in_chinese(client, cmo, edm_vendor):
    extension = sms_extension(cmo, edm_vendor)
    client.force_login(cmo)
    body = client.get(_url(extension), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "云信科技有限公司 的范围扩展" in body and "待法务决定" in body
    assert '<dt class="col-sm-4">渠道</dt><dd class="col-sm-8">短信</dd>' in body
    assert "回答：" in body and "法律依据" not in body
