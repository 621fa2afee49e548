"""The business owner of a vendor in the admin: typed, with a search of the requesters by name (vendors.people
OwnerField, OwnerInput and the admin's owners view), instead of a drop-down listing every requester."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import VendorFactory, make_user
from vendors.models import Vendor, VendorStatus
from vendors.people import OWNER_MATCHES

pytestmark = pytest.mark.django_db

URL = "admin:vendors_vendor_owners"


def _people(n: int, **extra) -> list:
    return [
        make_user(
            f"req{i:02d}",
            "Requester",
            first_name="晓雯",
            last_name=f"王{i:02d}",
            email=f"w{i}@brand.cn",
            **extra,
        )
        for i in range(n)
    ]


def test_legal_finds_requesters_by_family_name_first_by_user_name_and_by_e_mail(client, legal):
    make_user("anna", "Requester", first_name="Anna", last_name="Schmidt", email="anna.schmidt@brand.de")
    make_user("wxw", "Requester", first_name="晓雯", last_name="王", email="wang.xw@brand.cn")
    client.force_login(legal)

    def names(term):
        answer = client.get(reverse(URL), {"q": term}).json()
        return [person["name"] for person in answer["results"]]

    assert names("王晓雯") == ["王晓雯"]
    assert names("Anna Schmidt") == names("schmidt") == names("brand.de") == ["Anna Schmidt"]
    assert names("wxw") == ["王晓雯"]
    answer = client.get(reverse(URL), {"q": "王"}).json()
    assert answer == {
        "results": [{"value": "wxw", "name": "王晓雯", "email": "wang.xw@brand.cn"}],
        "more": False,
    }


def test_only_active_requesters_are_offered(client, legal, security):
    make_user("gone", "Requester", first_name="Gone", last_name="Away", is_active=False)
    make_user("cmo", "Requester", first_name="Chen", last_name="Mo")
    client.force_login(legal)

    values = [p["value"] for p in client.get(reverse(URL)).json()["results"]]

    assert values == ["cmo"]  # not the inactive requester, not Legal or Security


def test_the_answer_is_capped_and_costs_the_same_queries_for_few_or_many(client, legal):
    _people(3)
    client.force_login(legal)
    client.get(reverse(URL))  # the session and the groups, read once
    with CaptureQueriesContext(connection) as few:
        answer = client.get(reverse(URL), {"q": "王"}).json()
    assert len(answer["results"]) == 3 and not answer["more"]
    for i in range(OWNER_MATCHES + 5):
        make_user(f"more{i:02d}", "Requester", first_name="晓雯", last_name=f"王{i + 10:02d}")
    with CaptureQueriesContext(connection) as many:
        answer = client.get(reverse(URL), {"q": "王"}).json()

    assert len(answer["results"]) == OWNER_MATCHES and answer["more"]
    assert len(many) == len(few) <= 5


@pytest.mark.parametrize(
    ("persona", "status"),
    [("requester", 302), ("security", 403), ("auditor", 403), ("legal", 200)],
)
def test_who_may_search_the_owners(client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse(URL), {"q": "x"})

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/admin/login/")


def test_anonymous_callers_are_sent_to_sign_in(client):
    response = client.get(reverse(URL))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def _change_data(client, vendor) -> dict:
    form = client.get(reverse("admin:vendors_vendor_change", args=[vendor.pk])).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name)
        data[name] = "" if value is None else field.prepare_value(getattr(value, "pk", value))
    return data


def test_the_change_page_lists_nobody_and_costs_the_same_with_many_requesters(client, legal):
    owner = make_user("cmo", "Requester", first_name="敏", last_name="陈")
    vendor = VendorFactory()
    Vendor.objects.filter(pk=vendor.pk).update(status=VendorStatus.IN_USE, business_owner=owner)
    url = reverse("admin:vendors_vendor_change", args=[vendor.pk])
    client.force_login(legal)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    _people(30)
    with CaptureQueriesContext(connection) as many:
        again = client.get(url).content.decode()

    assert len(many) == len(few)
    assert 'name="business_owner"' in html and 'value="cmo"' in html
    assert f'data-person-search="{reverse(URL)}"' in html
    assert '<select name="business_owner"' not in html and "req29" not in again
    assert "js/person-search.js" in html


@pytest.mark.parametrize("typed", ["cmo2", "CMO2@brand.cn", "user-id"])
def test_legal_chooses_an_owner_by_user_name_or_e_mail(client, legal, typed):
    first = make_user("cmo", "Requester")
    second = make_user("cmo2", "Requester", email="cmo2@brand.cn")
    vendor = VendorFactory()
    Vendor.objects.filter(pk=vendor.pk).update(status=VendorStatus.IN_USE, business_owner=first)
    client.force_login(legal)
    data = _change_data(client, vendor)
    data["business_owner"] = str(second.pk) if typed == "user-id" else typed

    response = client.post(reverse("admin:vendors_vendor_change", args=[vendor.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    vendor.refresh_from_db()
    assert vendor.business_owner == second


@pytest.mark.parametrize("typed", ["legal", "nobody", "gone"])
def test_the_server_refuses_an_owner_who_is_no_active_requester(client, legal, typed):
    make_user("gone", "Requester", is_active=False)
    vendor = VendorFactory()
    client.force_login(legal)
    data = _change_data(client, vendor)
    data["business_owner"] = typed

    response = client.post(reverse("admin:vendors_vendor_change", args=[vendor.pk]), data)

    assert response.status_code == 200
    assert "business_owner" in response.context["adminform"].form.errors
    vendor.refresh_from_db()
    assert vendor.business_owner is None


def test_an_owner_recorded_before_may_stay_though_no_longer_a_requester(client, legal):
    former = get_user_model().objects.create(username="former", first_name="Li", last_name="Wei")
    vendor = VendorFactory()
    Vendor.objects.filter(pk=vendor.pk).update(status=VendorStatus.IN_USE, business_owner=former)
    client.force_login(legal)
    data = _change_data(client, vendor)
    assert data["business_owner"] == "former"
    data["connected_systems"] = "CRM"

    response = client.post(reverse("admin:vendors_vendor_change", args=[vendor.pk]), data)

    assert response.status_code == 302
    vendor.refresh_from_db()
    assert (vendor.business_owner, vendor.connected_systems) == (former, "CRM")
