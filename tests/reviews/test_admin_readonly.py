"""The read-only admins of what a review holds: nobody adds, changes or deletes, superusers included."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reviews.models import Answer, AuditEvent, Decision, Dossier, Evidence, Question, SignOff, Stage
from tests.builders import approved_review, start_review
from tests.factories import make_user

pytestmark = pytest.mark.django_db

KEPT = [Stage, Answer, Evidence, Decision, SignOff, AuditEvent, Dossier]


@pytest.fixture
def approved(requester, legal, security):
    return approved_review(requester, legal=legal, security=security)


def url(model, view, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", KEPT, ids=lambda m: m.__name__)
def test_a_superuser_can_neither_add_nor_delete(client, admin_user, approved, model):
    obj = model.objects.first()
    client.force_login(admin_user)

    add = client.get(url(model, "add"))
    delete = client.post(url(model, "delete", obj.pk), {"post": "yes"})
    changelist = client.get(url(model, "changelist"))

    assert add.status_code == 403
    assert delete.status_code == 302
    assert any("kept" in str(m) for m in get_messages(delete.wsgi_request))
    assert model.objects.filter(pk=obj.pk).exists()
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()


@pytest.mark.parametrize("model", KEPT, ids=lambda m: m.__name__)
def test_legal_reads_every_record_of_a_review(client, legal, approved, model):
    obj = model.objects.first()
    client.force_login(legal)

    assert client.get(url(model, "change", obj.pk)).status_code == 200


def test_a_post_to_a_decision_changes_nothing(client, admin_user, approved):
    decision = Decision.objects.first()
    client.force_login(admin_user)

    response = client.post(url(Decision, "change", decision.pk), {"outcome": "failed", "comment": "x"})

    decision.refresh_from_db()
    assert decision.outcome == "passed"
    assert any("read-only" in str(m) for m in get_messages(response.wsgi_request))


def test_the_evidence_page_offers_the_checked_download_not_the_storage_url(client, legal, approved):
    evidence = Evidence.objects.first()
    client.force_login(legal)

    html = client.get(url(Evidence, "change", evidence.pk)).content.decode()

    assert reverse("admin:reviews_review_evidence_download", args=[evidence.review_id, evidence.pk]) in html
    assert evidence.file.name not in html


def test_a_requester_with_staff_access_sees_only_their_own_reviews(client, legal, security, approved):
    staff_requester = make_user("cmo_staff", "Requester", is_staff=True)
    mine = start_review(staff_requester)
    client.force_login(staff_requester)

    stages = client.get(url(Stage, "changelist"))
    reviews = client.get(reverse("admin:reviews_review_changelist"))
    other = client.get(reverse("admin:reviews_review_change", args=[approved.pk]))

    assert stages.status_code == 403  # Requesters have no view permission on stages
    assert {r.pk for r in reviews.context["cl"].result_list} == {mine.pk}
    assert other.status_code == 404


def test_the_questionnaire_is_read_only(client, admin_user):
    question = Question.objects.first()
    client.force_login(admin_user)

    response = client.post(url(Question, "change", question.pk), {"text_en": "changed"})

    question.refresh_from_db()
    assert question.text_en != "changed" and response.status_code == 302


@pytest.mark.parametrize("model", KEPT, ids=lambda m: m.__name__)
def test_the_read_only_lists_run_a_constant_number_of_queries(
    client, requester, legal, security, model, django_assert_max_num_queries
):
    for _ in range(3):
        approved_review(requester, legal=legal, security=security)
    client.force_login(legal)

    with django_assert_max_num_queries(12):
        response = client.get(url(model, "changelist"))

    assert response.status_code == 200 and response.context["cl"].result_count > 0


@pytest.mark.parametrize(
    ("model", "field", "who"),
    [
        (Decision, "decided_by", "legal"),
        (SignOff, "signed_by", "legal"),
        (Evidence, "uploaded_by", "requester"),
        (Stage, "submitted_by", "requester"),
    ],
)
def test_a_record_names_people_as_everywhere_else_not_by_user_name(
    client, legal, requester, approved, model, field, who
):
    person = {"legal": legal, "requester": requester}[who]
    person.first_name, person.last_name = "洋", "刘"
    person.save(update_fields=["first_name", "last_name"])
    obj = model.objects.filter(**{f"{field}__isnull": False}).first()
    client.force_login(legal)

    page = client.get(url(model, "change", obj.pk)).content.decode()

    label = str(model._meta.get_field(field).verbose_name)
    row = page[page.index(f"field-{field}_person") :]
    row = row[: row.index("</div>\n\n")] if "</div>\n\n" in row else row[:2000]
    assert label.capitalize() in row or label in row
    assert "刘洋" in row and f">{person.username}<" not in row
    assert reverse("admin:auth_user_change", args=[person.pk]) not in page
