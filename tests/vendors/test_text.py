"""Control characters are refused in every text field: by one validator on the forms (a clear message,
nothing stored) and by the services, whichever way the text arrives."""

import pytest
from django.urls import reverse

from reviews import workflow
from reviews.errors import WorkflowError
from reviews.forms import ReasonForm, ReviewRequestForm
from reviews.models import Review, StageKind
from tests import builders
from tests.factories import VendorFactory
from vendors import services
from vendors.models import Vendor
from vendors.text import control_characters

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "multiline", "found"),
    [
        ("上海某某科技有限公司 Ltd.", False, []),
        ("第一行\r\n第二行\tcol", True, []),
        ("第一行\n第二行", False, ["U+000A"]),
        ("name\rbody{display:none}", True, ["U+000D"]),
        ("a\fb\x00c\u2028", False, ["U+000C", "U+0000", "U+2028"]),
    ],
)
def test_control_characters_are_named(text, multiline, found):
    assert control_characters(text, multiline=multiline) == found


def test_the_request_form_refuses_a_name_with_a_form_feed_with_a_clear_message():
    form = ReviewRequestForm(
        data={
            "name_zh": "恶意\f公司",
            "uscc": "914403001922038216",
            "category": "other",
            "purpose": "营销 / marketing",
            "expected_volume": "lt_100k",
        }
    )

    assert not form.is_valid()
    assert "Remove the control characters (U+000C)" in str(form.errors["name_zh"])


def test_a_multi_line_field_keeps_the_line_breaks_a_browser_sends():
    assert ReasonForm(data={"reason": "第一行\r\n第二行\t完"}).is_valid()
    assert not ReasonForm(data={"reason": "第一行\r第二行"}).is_valid()


def test_the_admin_vendor_form_stores_nothing_with_a_carriage_return(client, legal):
    vendor = VendorFactory()
    client.force_login(legal)

    response = client.post(
        reverse("admin:vendors_vendor_change", args=[vendor.pk]),
        {
            "name_zh": "恶意\r}body{display:none}",
            "name_en": vendor.name_en,
            "uscc": vendor.uscc,
            "category": vendor.category,
            "website": vendor.website,
            "services": vendor.services,
        },
    )

    assert response.status_code == 200 and "U+000D" in response.content.decode()
    assert Vendor.objects.get(pk=vendor.pk).name_zh == vendor.name_zh


def test_the_services_refuse_control_characters(requester, legal, security):
    review = builders.start_review(requester)
    stage = builders.submit_stage(review, StageKind.QUESTIONNAIRE, requester)

    with pytest.raises(WorkflowError, match=r"U\+000C") as refused:
        workflow.stage_return(stage=stage, actor=legal, comment="请补充\f")
    with pytest.raises(services.VendorError, match=r"U\+000D"):
        services.vendor_update(vendor=review.vendor, actor=legal, website="https://x.example.com\r")

    assert refused.value.code == "text"
    assert Review.objects.get(pk=review.pk).stages.get(kind=StageKind.QUESTIONNAIRE).round == 1
