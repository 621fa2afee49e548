"""The scope extensions in the reviewers' desk (activities.admin_extensions): the list by persona, the
read-only page, Security's and Legal's decisions, the documents."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from activities.extensions import extension_legal_decide, extension_request, extension_security_decide
from activities.models import ExtensionStatus, ScopeExtension
from reviews.models import AuditEvent, EvidenceKind
from tests.factories import make_user, png_bytes
from vendors.models import Vendor
from vendors.scope import Channel, DataCategory, Purpose, Scope

from .extension_helpers import ask, documents, good_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def requester_legal(db):
    """A Legal member who also asks for extensions: the segregation-of-duties case (I4)."""
    return make_user("cmo_legal", "Requester", "Legal", is_staff=True)


LIST = reverse("admin:activities_scopeextension_changelist")
SMS = Scope.build(channels=[Channel.SMS])
SENSITIVE = Scope.build(data_categories=[DataCategory.SENSITIVE])


def page_url(extension) -> str:
    return reverse("admin:activities_scopeextension_change", args=[extension.pk])


def decide_url(extension, step) -> str:
    return reverse("admin:activities_scopeextension_decide", args=[extension.pk, step])


def listed(response) -> set[str]:
    return {extension.number for extension in response.context["cl"].result_list}


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def status_of(extension) -> str:
    return ScopeExtension.objects.get(pk=extension.pk).status


@pytest.fixture
def wang(db):
    """A requester with a Chinese name: 王 (family) 晓雯 (given)."""
    return make_user("wangxw", "Requester", first_name="晓雯", last_name="王")


@pytest.fixture
def sms(edm_vendor, wang):
    """Waits for Legal: SMS for the EDM sender, with its licence and samples."""
    return ask(edm_vendor, wang, SMS)


@pytest.fixture
def sensitive(edm_vendor, cmo):
    """Waits for Security: sensitive data."""
    return ask(edm_vendor, cmo, SENSITIVE)


# -- the list -------------------------------------------------------------------------------------------------


def test_legal_opens_the_list_on_what_waits_for_legal(client, legal, sms, sensitive):
    client.force_login(legal)

    response = client.get(LIST)

    assert response.status_code == 200
    assert listed(response) == {sms.number}


def test_security_opens_the_list_on_what_waits_for_security(client, security, sms, sensitive):
    client.force_login(security)

    assert listed(client.get(LIST)) == {sensitive.number}


def test_the_auditor_sees_everything_and_filters_by_status(client, auditor, sms, sensitive):
    client.force_login(auditor)

    assert listed(client.get(LIST)) == {sms.number, sensitive.number}
    assert listed(client.get(LIST, {"status__exact": ExtensionStatus.AWAITING_SECURITY})) == {
        sensitive.number
    }


def test_a_reviewers_own_request_never_waits_on_them(client, requester_legal, edm_vendor, sms):
    own = ask(edm_vendor, requester_legal, Scope.build(purposes=[Purpose.ANALYTICS]))
    client.force_login(requester_legal)

    assert listed(client.get(LIST)) == {sms.number}
    assert listed(client.get(LIST, {"waiting": "all"})) == {sms.number, own.number}


def test_a_row_names_the_requester_family_first_and_what_the_extension_adds(client, legal, sms):
    client.force_login(legal)

    page = client.get(LIST).content.decode()

    assert "王晓雯" in page
    assert str(Channel.SMS.label) in page
    assert sms.vendor.name_zh in page


def test_requesters_are_sent_to_the_admins_sign_in(client, wang, sms):
    client.force_login(wang)

    assert client.get(LIST).url.startswith(reverse("admin:login"))
    assert client.get(page_url(sms)).url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("count", [3, 20])
def test_the_list_runs_a_constant_number_of_queries(
    client, auditor, edm_vendor, cmo, wang, count, django_assert_num_queries
):
    for n in range(count):
        extension_request(
            vendor=edm_vendor,
            requester=cmo if n % 2 else wang,
            additions=Scope.build(purposes=[Purpose.ANALYTICS]),
            reason=f"分析 {n}",
        )
    client.force_login(auditor)

    # The session, the user, its permissions (two) and roles, the two counts, the rows (vendor and requester
    # joined): the same for three extensions or twenty.
    with django_assert_num_queries(8):
        response = client.get(LIST)

    assert response.context["cl"].result_count == count


# -- the page -------------------------------------------------------------------------------------------------


def test_the_page_shows_what_legal_decides_on(client, legal, sms, edm_vendor):
    client.force_login(legal)

    response = client.get(page_url(sms))

    assert response.status_code == 200
    page = response.content.decode()
    # The vendor and its scope in force, and what is added.
    assert edm_vendor.name_zh in page and edm_vendor.uscc in page
    assert str(Channel.EDM.label) in page and str(Channel.SMS.label) in page
    assert "仅限EDM渠道，不得用于短信" in page
    # The rule that applies, with its article and what it asks.
    assert 'id="rule-commercial_messages"' in page and "Advertising Law Art. 43" in page
    # The answers given again beside the approved ones.
    rows = {row.code: row for row in response.context["page"].answers}
    assert set(rows) == {"A3", "C1", "C2", "C4"}
    assert rows["A3"].given_detail == "增值电信业务经营许可证 B2-20240815"
    assert rows["A3"].approved  # the SMS/EDM sender answered A3 when it was vetted
    assert rows["A3"].changed  # another licence number
    assert rows["C1"].given == rows["C1"].approved and not rows["C1"].changed
    # The documents, with their hashes, and links to fetch them.
    for item in sms.files.all():
        assert item.sha256 in page and item.original_name in page
        assert reverse("admin:activities_scopeextension_file_download", args=[sms.pk, item.pk]) in page
        assert reverse("admin:activities_scopeextension_file_preview", args=[sms.pk, item.pk]) in page
    # The audit trail, as sentences.
    assert f"asked to extend the approved scope of {sms.vendor.name_zh} ({sms.number})" in page
    # Legal's decision: every addition ticked to begin with.
    assert 'id="legal-form"' in page
    assert 'name="grant" value="channels:sms"' in page and "checked" in page


def test_security_gets_the_security_form_and_legal_is_told_it_is_not_theirs_yet(
    client, security, legal, sensitive
):
    client.force_login(security)
    assert 'id="security-form"' in client.get(page_url(sensitive)).content.decode()

    client.force_login(legal)
    page = client.get(page_url(sensitive)).content.decode()
    assert 'id="security-form"' not in page and 'id="legal-form"' not in page
    assert "Only Security decides this step." in page


def test_the_auditor_reads_the_page_and_decides_nothing(client, auditor, sms):
    client.force_login(auditor)

    page = client.get(page_url(sms)).content.decode()

    assert sms.number in page
    assert "<form" not in page.split('id="decision"')[1]
    assert "Only Legal decides this step." in page


def test_the_requester_who_is_legal_is_not_offered_the_decision(client, requester_legal, edm_vendor):
    own = ask(edm_vendor, requester_legal, SMS)
    client.force_login(requester_legal)

    page = client.get(page_url(own)).content.decode()

    assert 'id="legal-form"' not in page
    assert "segregation of duties" in page


def test_the_page_says_when_the_approval_is_gone_and_approving_is_impossible(client, legal, sms, edm_vendor):
    Vendor.objects.filter(pk=edm_vendor.pk).update(approved_until=timezone.localdate() - timedelta(days=1))
    client.force_login(legal)

    page = client.get(page_url(sms)).content.decode()

    assert 'id="approval-problem"' in page and "lapsed on" in page
    assert 'value="approve" disabled' in page


def test_the_superuser_holds_no_reviewer_role_and_finds_no_extension(client, sms):
    admin = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(admin)

    assert client.get(LIST).status_code == 200
    assert client.get(page_url(sms)).status_code == 404


def test_nothing_is_added_changed_or_deleted_here(client, legal, sms):
    client.force_login(legal)

    assert client.get(reverse("admin:activities_scopeextension_add")).status_code == 403
    changed = client.post(page_url(sms), {"status": ExtensionStatus.APPROVED})
    assert changed.status_code == 302 and "read-only" in messages_of(changed)[0]
    deleted = client.post(reverse("admin:activities_scopeextension_delete", args=[sms.pk]), {"post": "yes"})
    assert deleted.status_code == 302
    assert status_of(sms) == ExtensionStatus.AWAITING_LEGAL


# -- decisions ------------------------------------------------------------------------------------------------


def test_security_passes_the_extension_on_to_legal(client, security, sensitive):
    client.force_login(security)

    response = client.post(
        decide_url(sensitive, "security"), {"outcome": "pass", "comment": "加密与访问控制充分"}
    )

    assert response.status_code == 302 and response.url == page_url(sensitive)
    assert status_of(sensitive) == ExtensionStatus.AWAITING_LEGAL
    assert AuditEvent.objects.filter(action="extension.security_passed", actor=security).exists()


def test_security_refusing_without_a_comment_gets_the_form_back_and_nothing_changes(
    client, security, sensitive
):
    client.force_login(security)

    response = client.post(decide_url(sensitive, "security"), {"outcome": "refuse", "comment": ""})

    assert response.status_code == 400
    assert "Say why the extension is refused." in response.content.decode()
    assert status_of(sensitive) == ExtensionStatus.AWAITING_SECURITY


def test_security_refuses_with_a_comment(client, security, sensitive):
    client.force_login(security)

    client.post(decide_url(sensitive, "security"), {"outcome": "refuse", "comment": "未提供加密方案"})

    assert status_of(sensitive) == ExtensionStatus.REFUSED


def test_legal_approves_part_of_what_was_asked(client, legal, edm_vendor, wang):
    asked = Scope.build(purposes=[Purpose.ANALYTICS], channels=[Channel.SMS])
    extension = ask(edm_vendor, wang, asked)
    client.force_login(legal)

    response = client.post(
        decide_url(extension, "legal"),
        {"outcome": "approve", "grant": ["purposes:analytics"], "comment": "仅同意数据分析"},
    )

    assert response.status_code == 302
    assert status_of(extension) == ExtensionStatus.APPROVED
    vendor = Vendor.objects.get(pk=edm_vendor.pk)
    assert Purpose.ANALYTICS in vendor.scope.purposes and Channel.SMS not in vendor.scope.channels
    assert AuditEvent.objects.get(action="extension.approved").data["partial"] is True


def test_legal_approving_with_nothing_ticked_keeps_what_was_typed(client, legal, sms):
    client.force_login(legal)

    response = client.post(decide_url(sms, "legal"), {"outcome": "approve", "comment": "我的理由"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Tick at least one" in page and "我的理由" in page
    assert status_of(sms) == ExtensionStatus.AWAITING_LEGAL


def test_legal_refuses_with_a_reason(client, legal, sms, edm_vendor):
    client.force_login(legal)

    client.post(decide_url(sms, "legal"), {"outcome": "refuse", "comment": "短信须另行审核"})

    assert status_of(sms) == ExtensionStatus.REFUSED
    assert Vendor.objects.get(pk=edm_vendor.pk).scope == edm_vendor.scope


def test_a_legal_reason_is_required(client, legal, sms):
    client.force_login(legal)

    response = client.post(decide_url(sms, "legal"), {"outcome": "refuse", "grant": ["channels:sms"]})

    assert response.status_code == 400
    assert status_of(sms) == ExtensionStatus.AWAITING_LEGAL


def test_a_value_that_was_not_asked_is_refused(client, legal, sms):
    client.force_login(legal)

    response = client.post(
        decide_url(sms, "legal"),
        {"outcome": "approve", "grant": ["channels:sms", "cross_border"], "comment": "同意"},
    )

    assert response.status_code == 400
    assert status_of(sms) == ExtensionStatus.AWAITING_LEGAL


def test_a_forced_post_by_the_auditor_is_refused_with_a_message(client, auditor, sms):
    client.force_login(auditor)

    response = client.post(
        decide_url(sms, "legal"), {"outcome": "approve", "grant": ["channels:sms"], "comment": "同意"}
    )

    assert response.status_code == 302
    assert messages_of(response) == ["Only Legal decides this step."]
    assert status_of(sms) == ExtensionStatus.AWAITING_LEGAL


def test_a_forced_post_on_ones_own_request_is_refused_i4(client, requester_legal, edm_vendor):
    own = ask(edm_vendor, requester_legal, SMS)
    client.force_login(requester_legal)

    response = client.post(
        decide_url(own, "legal"), {"outcome": "approve", "grant": ["channels:sms"], "comment": "自批"}
    )

    assert "segregation of duties" in messages_of(response)[0]
    assert status_of(own) == ExtensionStatus.AWAITING_LEGAL


def test_the_second_lawyer_is_told_who_decided_first_i8(client, legal, other_legal, sms):
    extension_legal_decide(extension=sms, actor=legal, approve=False, comment="不予扩展")
    client.force_login(other_legal)

    response = client.post(
        decide_url(sms, "legal"), {"outcome": "approve", "grant": ["channels:sms"], "comment": "同意"}
    )

    assert response.status_code == 302
    assert messages_of(response)[0].startswith("legal already decided this extension at")
    assert status_of(sms) == ExtensionStatus.REFUSED


def test_approving_an_approval_since_replaced_is_refused_with_the_reason(client, legal, sms, edm_vendor):
    Vendor.objects.filter(pk=edm_vendor.pk).update(approval_reference="VET-2099-00009")
    client.force_login(legal)

    response = client.post(
        decide_url(sms, "legal"), {"outcome": "approve", "grant": ["channels:sms"], "comment": "同意"}
    )

    assert response.status_code == 400
    assert any("has been replaced by VET-2099-00009" in m for m in messages_of(response))
    assert status_of(sms) == ExtensionStatus.AWAITING_LEGAL


def test_deciding_is_a_post(client, legal, sms):
    client.force_login(legal)

    assert client.get(decide_url(sms, "legal")).status_code == 405
    assert client.post(decide_url(sms, "sign")).status_code == 404


def test_after_the_decision_the_page_shows_it_and_offers_nothing(client, legal, security, edm_vendor, cmo):
    extension = ask(edm_vendor, cmo, SENSITIVE)
    extension_security_decide(extension=extension, actor=security, approve=True, comment="措施充分")
    extension_legal_decide(extension=extension, actor=legal, approve=True, comment="同意敏感信息处理")
    client.force_login(legal)

    page = client.get(page_url(extension)).content.decode()

    assert 'id="security-decision"' in page and "措施充分" in page
    assert 'id="legal-decision"' in page and "同意敏感信息处理" in page
    assert "<form" not in page.split('id="decision"')[1]
    assert f"approved the scope extension {extension.number}" in page


# -- documents ------------------------------------------------------------------------------------------------


def test_a_document_downloads_as_an_attachment_never_sniffed(client, security, sms):
    item = sms.files.first()
    client.force_login(security)

    response = client.get(reverse("admin:activities_scopeextension_file_download", args=[sms.pk, item.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_document_previews_inline_sandboxed(client, legal, sms):
    item = sms.files.first()
    client.force_login(legal)

    response = client.get(reverse("admin:activities_scopeextension_file_preview", args=[sms.pk, item.pk]))

    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_an_image_previews_as_an_image(client, legal, edm_vendor, wang):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = documents(SMS)
    files[EvidenceKind.MARKETING_SAMPLES] = SimpleUploadedFile("samples.png", png_bytes())
    extension = extension_request(
        vendor=edm_vendor,
        requester=wang,
        additions=SMS,
        reason="短信",
        answers=good_answers(SMS),
        files=files,
    )
    item = extension.files.get(kind=EvidenceKind.MARKETING_SAMPLES)
    client.force_login(legal)

    page = client.get(page_url(extension)).content.decode()

    preview = reverse("admin:activities_scopeextension_file_preview", args=[extension.pk, item.pk])
    assert f'<img src="{preview}"' in page


def test_a_document_of_another_extension_is_not_found(client, legal, sms, edm_vendor, cmo):
    other = ask(edm_vendor, cmo, Scope.build(channels=[Channel.CALLS]))
    item = other.files.first()
    client.force_login(legal)

    url = reverse("admin:activities_scopeextension_file_download", args=[sms.pk, item.pk])

    assert client.get(url).status_code == 404


def test_the_list_and_the_pages_carry_the_policy_and_no_inline_code(client, legal, security, sms, sensitive):
    from tests.test_csp import inline_code

    problems = []
    for user, urls in (
        (legal, [LIST, page_url(sms), page_url(sensitive)]),
        (security, [page_url(sensitive)]),
    ):
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200 and "Content-Security-Policy" in response, url
            problems += [f"{url}: {found}" for found in inline_code(response.content.decode())]

    assert problems == []
