"""Vendor contact links in the reviewers' desk: read-only for everyone, superusers included (I7)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reviews.models import ContactLink
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(requester):
    return builders.invite_contact(builders.start_review(requester), requester)[0]


def url(view, *args) -> str:
    return reverse(f"admin:reviews_contactlink_{view}", args=args)


def test_a_superuser_can_neither_add_change_nor_delete(client, admin_user, link):
    client.force_login(admin_user)

    add = client.get(url("add"))
    change = client.post(url("change", link.pk), {"contact_email": "evil@example.com"})
    delete = client.post(url("delete", link.pk), {"post": "yes"})
    changelist = client.get(url("changelist"))

    assert add.status_code == 403
    assert any("read-only" in str(m) for m in get_messages(change.wsgi_request))
    assert any("kept" in str(m) for m in get_messages(delete.wsgi_request))
    assert ContactLink.objects.get(pk=link.pk).contact_email == "zhang@example.com"
    assert "delete_selected" not in changelist.content.decode()


@pytest.mark.parametrize("reader", ["legal", "security", "auditor"])
def test_readers_of_every_review_see_who_was_let_in_but_not_the_hash(client, link, reader, request):
    client.force_login(request.getfixturevalue(reader))

    page = client.get(url("change", link.pk))

    assert page.status_code == 200
    body = page.content.decode()
    assert "zhang@example.com" in body and link.token_hash not in body


def test_a_requester_with_staff_access_has_no_view(client, link):
    from tests.factories import make_user

    client.force_login(make_user("cmo_staff", "Requester", is_staff=True))

    assert client.get(url("changelist")).status_code == 403


def test_the_list_runs_a_constant_number_of_queries(client, requester, legal, django_assert_max_num_queries):
    for _ in range(3):
        review = builders.start_review(requester)
        builders.invite_contact(review, requester)
        builders.invite_contact(review, requester, name="李四", email="li@example.com")
    client.force_login(legal)

    with django_assert_max_num_queries(9):
        response = client.get(url("changelist"))

    assert response.status_code == 200 and response.context["cl"].result_count == 6
