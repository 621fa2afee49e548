"""/activities/extensions/new/<vendor>/: a requester asks to widen an approved vendor's scope. Step 1: what to
add (prefilled from an activity's link) and why; step 2: only the questions and documents that addition needs,
worked out on the server; sent, the extension is requested. Nothing typed is lost; files are chosen again."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import ExtensionFile, ExtensionStatus, ScopeExtension
from tests.factories import VendorFactory, make_user, pdf_upload


def _url(vendor):
    return reverse("activities:extension_new", args=[vendor.pk])


SMS = {"step": "1", "channels": ["sms"], "reason": "会员生日关怀短信"}
SMS_ANSWERS = {
    "q_A3": "yes",
    "d_A3": "持有增值电信业务经营许可证",
    "q_C1": "yes",
    "q_C2": "yes",
    "q_C4": "realtime",
}


def _step2(data=SMS, **answers):
    return {**data, "step": "2", **answers}


def _files():
    return {
        "f_telecom_licence": pdf_upload("电信许可证.pdf"),
        "f_marketing_samples": pdf_upload("samples.pdf"),
    }


def test_step_one_shows_the_current_scope_and_is_prefilled_from_the_activitys_link(client, cmo, edm_vendor):
    client.force_login(cmo)
    response = client.get(
        _url(edm_vendor),
        {"purpose": "abm", "channels": "programmatic", "volume": "1m_10m", "audience_source": "purchased"},
    )
    form = response.context["form"]
    assert form["purposes"].value() == ["abm"] and form["channels"].value() == ["programmatic"]
    assert form["ceiling"].value() == "1m_10m"
    assert form["audience_sources"].value() in ([], None)  # a bought list is never within a scope
    body = response.content.decode()
    assert "What the approval covers now" in body and "仅限EDM渠道，不得用于短信" in body
    # What the approval covers already is not offered again.
    assert 'value="member_marketing"' not in body and 'value="edm"' not in body


def test_step_one_needs_something_to_add_and_a_reason(client, cmo, edm_vendor):
    client.force_login(cmo)
    response = client.post(_url(edm_vendor), {"step": "1"})
    form = response.context["form"]
    assert form.errors["reason"] and response.context["step"] == 1
    response = client.post(_url(edm_vendor), {"step": "1", "reason": "x"})
    assert response.context["form"].non_field_errors() == [
        "Tick at least one thing to add to the approved scope."
    ]


def test_step_two_asks_only_what_the_addition_needs(client, cmo, edm_vendor):
    client.force_login(cmo)
    response = client.post(_url(edm_vendor), SMS)
    assert response.context["step"] == 2
    assert [q.code for q in response.context["needs_form"].questions] == ["A3", "C1", "C2", "C4"]
    body = response.content.decode()
    assert "Telecom licence, SMS short-code certificate or algorithm filing" in body
    assert "Marketing message screenshots" in body
    assert "Legal decides this extension alone" in body
    # Bilingual, with the answer the approval rests on.
    assert "短信、电子邮件、电话等营销信息是否仅向已同意或主动请求接收的用户发送？" in body
    assert "Answer the approval rests on" in body
    # Step 1's choices travel with the form, to be checked again.
    assert '<input type="hidden" name="channels" value="sms">' in body
    assert not ScopeExtension.objects.exists()


def test_more_sensitive_data_brings_security_in(client, cmo, edm_vendor):
    client.force_login(cmo)
    response = client.post(_url(edm_vendor), {"step": "1", "data_categories": ["sensitive"], "reason": "x"})
    assert response.context["needs"].security
    assert "Security reviews this extension first" in response.content.decode()


def test_the_extension_is_requested_with_its_answers_and_files(client, cmo, edm_vendor):
    client.force_login(cmo)
    response = client.post(_url(edm_vendor), {**_step2(**SMS_ANSWERS), **_files()})

    extension = ScopeExtension.objects.get()
    assert response["Location"] == reverse("activities:extension", args=[extension.pk])
    assert extension.additions["channels"] == ["sms"] and extension.reason == "会员生日关怀短信"
    assert extension.answers["A3"] == {"value": "yes", "detail": "持有增值电信业务经营许可证"}
    assert extension.answers["C4"] == {"value": "realtime", "detail": ""}
    assert extension.status == ExtensionStatus.AWAITING_LEGAL and not extension.needs_security
    assert sorted(ExtensionFile.objects.values_list("kind", flat=True)) == [
        "marketing_samples",
        "telecom_licence",
    ]


def test_a_missing_answer_keeps_the_others_and_asks_for_the_files_again(client, cmo, edm_vendor):
    client.force_login(cmo)
    answers = {**SMS_ANSWERS, "q_C4": ""}
    response = client.post(_url(edm_vendor), {**_step2(**answers), **_files()})
    assert response.status_code == 200 and not ScopeExtension.objects.exists()
    form = response.context["needs_form"]
    assert list(form.errors) == ["q_C4"]
    assert form["d_A3"].value() == "持有增值电信业务经营许可证"
    body = response.content.decode()
    assert "a browser never sends files back: choose the documents again" in body
    assert "会员生日关怀短信" in body


def test_a_file_refused_is_named_on_its_document(client, cmo, edm_vendor):
    client.force_login(cmo)
    files = {**_files(), "f_marketing_samples": SimpleUploadedFile("x.pdf", b"<html><script>1</script>")}
    response = client.post(_url(edm_vendor), {**_step2(**SMS_ANSWERS), **files})
    errors = response.context["needs_form"].errors
    assert (
        list(errors) == ["f_marketing_samples"]
        and "HTML and SVG files are not accepted" in errors["f_marketing_samples"][0]
    )
    assert not ScopeExtension.objects.exists()


def test_change_goes_back_to_step_one_with_the_choices(client, cmo, edm_vendor):
    client.force_login(cmo)
    response = client.post(_url(edm_vendor), {**_step2(**SMS_ANSWERS), "back": "1"})
    assert response.context["step"] == 1
    assert response.context["form"]["channels"].value() == ["sms"]
    assert not ScopeExtension.objects.exists()


def test_what_the_approval_covers_already_cannot_be_sent(client, cmo, edm_vendor):
    client.force_login(cmo)
    response = client.post(_url(edm_vendor), _step2({"channels": ["edm"], "reason": "x"}))
    assert response.context["step"] == 1 and not ScopeExtension.objects.exists()


def test_a_vendor_not_approved_is_pointed_to_a_review(client, cmo):
    vendor = VendorFactory()
    client.force_login(cmo)
    response = client.get(_url(vendor))
    body = response.content.decode()
    assert response.status_code == 200 and "only an approval in force can be extended" in body
    assert f"{reverse('review_new')}?vendor={vendor.pk}" in body
    assert client.post(_url(vendor), SMS).status_code == 200 and not ScopeExtension.objects.exists()


def test_only_a_requester_asks(client, legal, edm_vendor):
    client.force_login(legal)
    assert client.get(_url(edm_vendor)).status_code == 403
    client.force_login(make_user("auditor", "Auditor", is_staff=True))
    assert client.post(_url(edm_vendor), {**_step2(**SMS_ANSWERS), **_files()}).status_code == 403
    assert not ScopeExtension.objects.exists()


def test_an_unknown_vendor_is_404(client, cmo):
    client.force_login(cmo)
    assert client.get(reverse("activities:extension_new", args=[99999])).status_code == 404


def test_step_two_reads_in_chinese(client, cmo, edm_vendor):
    client.force_login(cmo)
    body = client.post(_url(edm_vendor), SMS, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "扩展 云信科技有限公司 的适用范围" in body and "需要重新回答的问题" in body
    assert "本次扩展仅由法务决定" in body
