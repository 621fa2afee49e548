"""The admin's lists of tables that grow without bound (vendors.admin_lists.LargeListMixin): one count per
list, an estimate for the whole of a large table on PostgreSQL, no scan of a table for a filter's choices,
the indexed search column for vendors; and accounts that are closed, never deleted."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.audit_sentences import SENTENCES
from reviews.models import Answer, AuditEvent
from tests.builders import approved_review
from tests.factories import VendorFactory
from vendors import admin_lists
from vendors.admin_lists import EstimatedCountPaginator, estimated_rows

pytestmark = pytest.mark.django_db

# The answers list: the session, the user, the permissions (the user's, the groups'), the roles, one count, the
# page; on PostgreSQL also the planner's estimate of the table's rows, asked before counting.
ANSWER_LIST_QUERIES = 7


@pytest.fixture
def approved(requester, legal, security):
    return approved_review(requester, legal=legal, security=security)


def counts(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]


def test_a_filtered_list_counts_once_not_the_whole_table_again(client, legal, approved):
    client.force_login(legal)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:reviews_auditevent_changelist"), {"action": "review.created"})

    assert response.status_code == 200
    assert len(counts(captured)) == 1
    assert response.context["cl"].result_count == AuditEvent.objects.filter(action="review.created").count()


def test_the_action_filter_offers_the_recorded_actions_without_reading_the_events(client, legal, approved):
    client.force_login(legal)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:reviews_auditevent_changelist"))

    assert not [q for q in captured.captured_queries if "DISTINCT" in q["sql"].upper()]
    (action_filter,) = response.context["cl"].filter_specs
    offered = {value for value, _label in action_filter.lookup_choices}
    assert offered == set(SENTENCES)
    assert "review.created" in offered


def test_a_reader_of_every_review_lists_the_table_without_joining_the_reviews(client, legal, approved):
    client.force_login(legal)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:reviews_answer_changelist"))

    assert response.status_code == 200
    listing = [q["sql"] for q in captured.captured_queries if 'FROM "reviews_answer"' in q["sql"]]
    assert listing
    assert not [sql for sql in listing if " WHERE " in sql]
    assert response.context["cl"].result_count == Answer.objects.count()


def test_a_requester_still_sees_only_their_own_records(client, approved, other_requester):
    # The read-only admins keep their filter for anyone who does not read every review.
    from django.contrib import admin

    request = type("Request", (), {"user": other_requester})()
    answers = admin.site._registry[Answer].get_queryset(request)
    assert Answer.objects.exists()
    assert not answers.exists()


def test_the_paginator_counts_on_sqlite_and_for_a_filtered_list():
    paginator = EstimatedCountPaginator(AuditEvent.objects.filter(action="x"), 25)

    assert paginator.count == 0
    assert paginator.estimated is False


@pytest.mark.postgres
def test_on_postgresql_the_whole_of_a_large_table_is_estimated(monkeypatch, approved):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reviews_auditevent")
    exact = AuditEvent.objects.count()
    monkeypatch.setattr(admin_lists, "ESTIMATE_FROM", 1)

    whole = EstimatedCountPaginator(AuditEvent.objects.all(), 25)
    filtered = EstimatedCountPaginator(AuditEvent.objects.filter(action="review.created"), 25)

    assert estimated_rows(AuditEvent.objects.all()) is not None
    assert whole.count == estimated_rows(AuditEvent.objects.all())
    assert whole.estimated is True
    assert filtered.estimated is False
    assert filtered.count == AuditEvent.objects.filter(action="review.created").count() < exact


@pytest.mark.postgres
def test_the_list_says_about_before_an_estimate(monkeypatch, client, legal, approved):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reviews_auditevent")
    monkeypatch.setattr(admin_lists, "ESTIMATE_FROM", 1)
    client.force_login(legal)

    response = client.get(reverse("admin:reviews_auditevent_changelist"))

    assert response.context["cl"].paginator.estimated is True
    assert "about" in response.content.decode()


def test_the_admin_vendor_search_reads_the_indexed_names(client, legal):
    VendorFactory(name_zh="上海星云数据科技有限公司", name_en="Nebula Data")
    VendorFactory(name_zh="北京某某公司", name_en="Other")
    client.force_login(legal)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:vendors_vendor_changelist"), {"q": "nebula"})

    names = [v.name_en for v in response.context["cl"].result_list]
    assert names == ["Nebula Data"]
    assert any("search_names" in q["sql"] for q in captured.captured_queries)


def test_an_account_is_never_deleted_not_even_by_a_superuser(client, admin_user, requester, approved):
    client.force_login(admin_user)
    change = client.get(reverse("admin:auth_user_change", args=[requester.pk]))
    delete = client.post(reverse("admin:auth_user_delete", args=[requester.pk]), {"post": "yes"})

    assert change.status_code == 200
    assert reverse("admin:auth_user_delete", args=[requester.pk]) not in change.content.decode()
    assert delete.status_code == 403
    assert get_user_model().objects.filter(pk=requester.pk).exists()


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:reviews_answer_changelist",
        "admin:reviews_auditevent_changelist",
        "admin:reviews_stage_changelist",
        "admin:reviews_decision_changelist",
        "admin:reviews_signoff_changelist",
        "admin:vendors_certification_changelist",
    ],
)
def test_a_large_table_is_listed_twenty_five_rows_a_page(client, legal, approved, changelist):
    # Issue 23: a page of a large table costs the same at any size; Django's hundred rows a page made the
    # lists four times the review queue's page, and longer at 10,000 vendors than at demo size.
    client.force_login(legal)

    response = client.get(reverse(changelist))

    cl = response.context["cl"]
    assert response.status_code == 200
    assert cl.list_per_page == admin_lists.LARGE_LIST_PAGE == 25
    assert len(cl.result_list) == min(25, cl.result_count)


def test_the_answers_list_shows_its_first_page_in_as_many_queries_at_any_size(client, legal, approved):
    client.force_login(legal)
    assert Answer.objects.count() > 25
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:reviews_answer_changelist"))

    assert len(response.context["cl"].result_list) == 25
    assert len(captured) == ANSWER_LIST_QUERIES + (connection.vendor == "postgresql")


def test_the_accounts_list_shows_twenty_five_a_page(client, admin_user, legal):
    get_user_model().objects.bulk_create(
        get_user_model()(username=f"person{n}", email=f"person{n}@example.com") for n in range(30)
    )
    client.force_login(admin_user)

    response = client.get(reverse("admin:auth_user_changelist"))

    assert len(response.context["cl"].result_list) == 25
    assert response.context["cl"].result_count == get_user_model().objects.count()


def test_the_audit_event_list_names_each_action_in_the_readers_language(client, legal, approved):
    client.force_login(legal)
    response = client.get(
        reverse("admin:reviews_auditevent_changelist"),
        {"action": "review.created"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    rows = response.content.decode().split('id="result_list"')[1].split("<tbody>")[1].split("</tbody>")[0]
    assert '<td class="field-action_shown">创建审查单</td>' in rows
    assert approved.number in rows and approved.vendor.name_zh in rows
    (action_filter,) = response.context["cl"].filter_specs
    assert ("review.created", "创建审查单") in [(v, str(label)) for v, label in action_filter.lookup_choices]


def test_an_audit_events_page_says_what_happened_and_shows_the_record_as_stored(client, legal, approved):
    event = AuditEvent.objects.filter(action="review.created").get()
    client.force_login(legal)

    html = client.get(
        reverse("admin:reviews_auditevent_change", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()

    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split('id="content"')[1]))
    assert "查看审计事件" in text and f"#{event.pk} 创建审查单" in text  # the title and the event, in Chinese
    assert "事件经过" in text and approved.number in text  # the sentence names the review
    assert "创建审查单 (review.created)" in text  # the action as recorded, named
    assert "记录的操作人" in text and event.actor_label in text
    assert event.hash in text and event.prev_hash in text  # the chain as stored
