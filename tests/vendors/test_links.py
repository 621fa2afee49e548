"""vendors.links.object_url: the URL reverse() gives, without walking the patterns for every row; and the
admin lists' row links (vendors.admin_lists), which keep the list's filters as Django's own links do."""

import re

import pytest
from django.urls import reverse, set_script_prefix

from reviews.models import StageKind
from tests.builders import start_review, submit_stage
from vendors.links import object_url

NAMES = [
    "vendor_detail",
    "review_detail",
    "questionnaire",
    "security",
    "admin:reviews_review_change",
    "admin:vendors_vendor_change",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [1, 7, 42, 9081726354, 10**12])
def test_it_gives_what_reverse_gives(name, pk):
    assert object_url(name, pk) == reverse(name, args=[pk])


TWO_KEYS = [
    "admin:reviews_review_evidence_download",
    "admin:reviews_review_evidence_preview",
    "admin:reviews_review_certificate_download",
    "dossier_download",
]


@pytest.mark.parametrize("name", TWO_KEYS)
@pytest.mark.parametrize("keys", [(1, 2), (42, 42), (9081726355, 9081726354), (10**12, 7)])
def test_a_view_with_two_keys_gets_what_reverse_gives(name, keys):
    assert object_url(name, *keys) == reverse(name, args=list(keys))


def test_three_keys_and_a_key_that_is_not_an_integer_go_through_reverse():
    url = reverse("admin:reviews_review_decide", args=[3, 4, "pass"])
    assert object_url("admin:reviews_review_decide", 3, 4, "pass") == url


def test_a_key_that_is_not_an_integer_goes_through_reverse():
    assert object_url("admin:reviews_review_change", "12") == reverse(
        "admin:reviews_review_change", args=["12"]
    )


def test_it_follows_the_script_prefix_of_a_deployment_under_a_sub_path():
    try:
        set_script_prefix("/vetted/")
        assert object_url("review_detail", 5) == "/vetted/reviews/5/" == reverse("review_detail", args=[5])
    finally:
        set_script_prefix("/")
    assert object_url("review_detail", 5) == "/reviews/5/"


def test_another_urlconf_gets_its_own_form(settings):
    settings.ROOT_URLCONF = "tests.vendors.links_urls"
    assert object_url("review_detail", 5) == "/elsewhere/5/"
    settings.ROOT_URLCONF = "config.urls"
    assert object_url("review_detail", 5) == "/reviews/5/"


@pytest.mark.django_db
def test_the_queue_rows_link_to_the_review_with_the_lists_filters(client, requester, legal):
    review = start_review(requester)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    client.force_login(legal)
    page = client.get(reverse("admin:reviews_review_changelist") + "?waiting=all&state=in_progress")
    links = re.findall(r'<a href="([^"]+)">' + review.number + "</a>", page.content.decode())
    change = reverse("admin:reviews_review_change", args=[review.pk])
    # As Django's own add_preserved_filters writes it: the list's query, kept for the way back.
    assert links == [f"{change}?_changelist_filters=waiting%3Dall%26state%3Din_progress"]
    unfiltered = client.get(reverse("admin:reviews_review_changelist")).content.decode()
    assert f'<a href="{change}">{review.number}</a>' in unfiltered
    # The way back: the change page's own links keep the filters it was given.
    back = client.get(links[0].replace("&amp;", "&"))
    assert back.status_code == 200
