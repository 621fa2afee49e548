"""The scope on the sign-off form (reviews/admin/sign_off.py, reviews/admin/scope_form.py): prefilled with the
proposal, narrowed by Legal, validated, and what reaches SignOff.scope and Vendor.approved_scope."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import AuditEvent, SignOff
from reviews.scope_proposal import scope_proposed
from reviews.submission import sign_off_validity_cap
from tests.builders import review_ready_for_sign_off, scope_form_data
from tests.factories import PASSWORD, VendorFactory
from vendors.models import Vendor
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose, Scope, ScopeCondition

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(requester, legal, security):
    """An ad network whose answers vetted no profiling: the proposal leaves retargeting out, and says why."""
    review = review_ready_for_sign_off(
        requester,
        legal=legal,
        security=security,
        vendor=VendorFactory(category="ad_network", name_zh="广告联盟有限公司"),
    )
    review.answers.filter(question__code="E1").update(value="no")
    return review


def url_of(review) -> str:
    return reverse("admin:reviews_review_sign_off", args=[review.pk])


def post(client, review, scope_data):
    data = {
        "statement": "准予入库 / admitted",
        "conditions": "每季度提供同意日志抽样",
        "valid_until": sign_off_validity_cap(review, today=timezone.localdate()).date.isoformat(),
        "password": PASSWORD,
        **scope_data,
    }
    return client.post(url_of(review), data)


def checked(html: str, name: str) -> set[str]:
    """The values of the ticked boxes named `name` on the page."""
    return {m.group(1) for m in re.finditer(rf'<input[^>]*name="{name}" value="([^"]+)"[^>]*checked', html)}


def test_the_form_is_prefilled_with_the_proposal_and_says_what_the_answers_took_away(client, legal, ready):
    client.force_login(legal)

    response = client.get(url_of(ready))

    html = response.content.decode()
    proposed = scope_proposed(ready)
    assert checked(html, "purposes") == set(proposed.purposes) == {Purpose.ACQUISITION}
    assert checked(html, "channels") == set(proposed.channels) == {Channel.PROGRAMMATIC}
    assert checked(html, "scope_conditions") == set(proposed.conditions)
    assert f'<option value="{proposed.ceiling}" selected>' in html
    # Under the purposes: retargeting was left out because E1 vetted no profiling, with the article.
    assert "Not proposed: Retargeting. E1: no profiling or targeting was vetted" in html
    assert "(PIPL Art. 24)" in html
    # Every box of the scope belongs to the sign-off form, though laid out beside the file.
    assert 'form="sign-off-form"' in html and 'id="sign-off-form"' in html


def test_a_bought_list_is_never_offered_as_an_audience(client, legal, ready):
    client.force_login(legal)

    html = client.get(url_of(ready)).content.decode()

    assert 'name="audience_sources" value="own_consented"' in html
    assert 'value="purchased"' not in html


def test_the_free_text_field_says_the_conditions_of_use_belong_in_the_scope(client, legal, ready):
    client.force_login(legal)

    html = client.get(url_of(ready)).content.decode()

    assert "Obligations of the vendor (free text)" in html
    assert "Conditions of use go in the scope" in html


def test_legal_narrows_the_scope_and_the_vendor_is_admitted_for_that_only(client, legal, ready):
    narrowed = Scope.build(
        purposes=[Purpose.ACQUISITION],
        channels=[Channel.PROGRAMMATIC],
        data_categories=[DataCategory.DEVICE],
        audience_sources=[AudienceSource.OWN_CONSENTED],
        ceiling=Ceiling.LT_100K,
        conditions=[ScopeCondition.NO_EXTERNAL_LISTS, ScopeCondition.NO_SENSITIVE],
        other_conditions="仅限品牌自有人群包",
    )
    client.force_login(legal)

    response = post(client, ready, scope_form_data(narrowed))

    assert response.status_code == 302
    sign_off = SignOff.objects.get(review=ready)
    assert Scope.from_json(sign_off.scope) == narrowed and sign_off.scope_confirmed is True
    vendor = Vendor.objects.get(pk=ready.vendor_id)
    assert vendor.scope == narrowed and vendor.scope_confirmed is True
    assert sign_off.conditions == "每季度提供同意日志抽样"  # the free text stays as the dossier prints it
    event = AuditEvent.objects.get(review=ready, action="review.signed_off")
    assert event.data["scope"] == narrowed.as_json()


def test_cross_border_is_covered_only_when_ticked(client, legal, ready):
    client.force_login(legal)
    data = scope_form_data(scope_proposed(ready))
    data["cross_border"] = "on"

    post(client, ready, data)

    assert Vendor.objects.get(pk=ready.vendor_id).scope.cross_border is True


@pytest.mark.parametrize(
    "field, message",
    [
        ("purposes", "Tick at least one purpose the vendor is approved for."),
        ("channels", "Tick at least one channel the vendor is approved for."),
        ("ceiling", "Choose the most individuals a use of this vendor may reach."),
    ],
)
def test_a_scope_without_purpose_channel_or_ceiling_is_refused_and_nothing_signed(
    client, legal, ready, field, message
):
    client.force_login(legal)
    data = scope_form_data(scope_proposed(ready))
    data[field] = [] if field != "ceiling" else ""

    response = post(client, ready, data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    assert 'id="scope-errors"' in html and message in html
    assert not SignOff.objects.exists()
    # What was ticked is kept, the password never echoed back.
    assert checked(html, "scope_conditions") == set(scope_proposed(ready).conditions)
    assert PASSWORD not in html


def test_a_forged_bought_list_or_unknown_code_is_refused(client, legal, ready):
    client.force_login(legal)
    for field, value in (("audience_sources", "purchased"), ("purposes", "resale"), ("channels", "fax")):
        data = scope_form_data(scope_proposed(ready))
        data[field] = [value]

        response = post(client, ready, data)

        assert response.status_code == 200 and field in response.context["form"].errors, field
    assert not SignOff.objects.exists()
    assert Vendor.objects.get(pk=ready.vendor_id).approved_scope == {}


def test_the_sign_off_page_in_chinese_names_the_dimensions(client, legal, ready):
    client.force_login(legal)

    html = client.get(url_of(ready), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "审批涵盖的范围" in html
    for label in ("用途", "渠道", "数据类别", "受众来源", "涵盖数据出境", "规模上限", "使用条件"):
        assert label in html, label
    assert "未建议：再营销" in html


def test_a_ceiling_other_than_the_requested_volume_is_pointed_out(client, legal, ready):
    ready.answers.filter(question__code="A5").update(value="lt100k")  # the request expects 100k to 1M
    client.force_login(legal)

    html = client.get(url_of(ready)).content.decode()

    assert (
        "The request expects 100,000 to 1 million; the vendor answered “Fewer than 100,000 individuals” at "
        "A5, which the proposal takes."
    ) in html


def test_no_volume_note_when_the_answer_and_the_request_agree(client, legal, ready):
    ready.answers.filter(question__code="A5").update(value=ready.expected_volume)
    client.force_login(legal)

    html = client.get(url_of(ready)).content.decode()

    assert "The request expects" not in html
