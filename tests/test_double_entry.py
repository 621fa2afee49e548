"""Entered once: what the request gave is not asked again in the questionnaire."""

import pytest
from django.urls import reverse

from reviews.models import Answer
from tests.builders import start_review

pytestmark = pytest.mark.django_db


def test_a5_starts_from_the_volume_the_request_gave(client, requester):
    review = start_review(requester, expected_volume="1m_10m")

    assert Answer.objects.get(review=review, question__code="A5").value == "1m_10m"
    client.force_login(requester)
    html = client.get(reverse("questionnaire_section", args=[review.pk, "A"])).content.decode()
    assert 'id="volume-from-request"' in html
    choices = html.split('id="volume-from-request"')[0].rsplit("q-choices", 1)[1]
    checked = [tag for tag in choices.split("<input")[1:] if " checked" in tag.split(">")[0]]
    assert len(checked) == 1 and 'value="1m_10m"' in checked[0]


def test_the_requester_may_still_change_a5(client, requester):
    from reviews.questionnaire.answers import answers_save

    review = start_review(requester, expected_volume="lt100k")
    answers_save(review=review, actor=requester, answers={"A5": ("gt10m", "")})

    assert Answer.objects.get(review=review, question__code="A5").value == "gt10m"
