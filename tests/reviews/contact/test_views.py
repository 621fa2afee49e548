"""The vendor contact's pages (/contact/<token>/, no account) and the requester's link panel on the review
page."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviews import workflow
from reviews.contact.services import contact_link_revoke
from reviews.models import Answer, AuditEvent, ContactLink, Evidence, StageKind
from reviews.models.contact import token_hash
from tests import builders
from tests.factories import pdf_upload

pytestmark = pytest.mark.django_db

Q, DS = StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE


@pytest.fixture
def review(link):
    return link.review


@pytest.fixture
def data_source_open(review, requester, legal, security):
    builders.pass_stage(review, Q, requester, legal=legal, security=security)
    return review


def home(token):
    return reverse("contact_home", args=[token])


def section(token, code):
    return reverse("contact_section", args=[token, code])


def documents(token):
    return reverse("contact_data_source", args=[token])


def main_of(response) -> str:
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


def test_the_contact_opens_the_review_without_an_account(client, review, token):
    response = client.get(home(token))

    assert response.status_code == 200
    body = response.content.decode()
    assert review.vendor.name_zh in body and "张三" in body
    assert response["X-Robots-Tag"].startswith("noindex") and response["Referrer-Policy"] == "no-referrer"
    assert 'href="/"' not in body and "/reviews/" not in body  # no way into the site's own pages


def _expire(link, requester):
    ContactLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(minutes=1))


def _revoke(link, requester):
    contact_link_revoke(link=link, actor=requester)


def _withdraw(link, requester):
    workflow.review_withdraw(review=link.review, actor=requester, reason="")


@pytest.mark.parametrize("spoil", [_expire, _revoke, _withdraw], ids=["expired", "revoked", "withdrawn"])
def test_a_dead_link_gets_the_same_page_as_an_unknown_one(client, link, token, requester, spoil):
    unknown = client.get(home("A" * 43))
    spoil(link, requester)

    pages = [client.get(url) for url in (home(token), section(token, "A"), documents(token))]

    assert unknown.status_code == 404 and "This link does not work" in unknown.content.decode()
    for page in pages:
        assert page.status_code == 404 and main_of(page) == main_of(unknown)
        assert page["Referrer-Policy"] == "no-referrer" and page["X-Robots-Tag"].startswith("noindex")


def test_the_invalid_link_page_is_translated(client):
    response = client.get(home("nope"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 404 and "此链接无法使用" in response.content.decode()


def test_a_form_posted_with_no_referer_is_accepted(review, token):
    # Referrer-Policy: no-referrer makes browsers send "Origin: null" with the contact's forms.
    client = Client(enforce_csrf_checks=True)

    response = client.post(section(token, "C"), {"q_C1": "yes", "save": "1"}, HTTP_ORIGIN="null")

    assert response.status_code == 302
    assert Answer.objects.get(review=review, question__code="C1").value == "yes"


def test_the_contact_switches_language_with_a_link(client, token):
    response = client.get(home(token) + "?lang=en")

    assert response.status_code == 302 and response.url == home(token)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert 'lang="en"' in client.get(home(token)).content.decode()


def test_a_contact_saves_answers_that_the_requester_sees_as_theirs(client, review, link, token, requester):
    response = client.post(section(token, "C"), {"q_C1": "yes", "q_C2": "yes", "next": "1"})

    assert response.status_code == 302 and response.url == section(token, "D")
    assert Answer.objects.get(review=review, question__code="C1").value == "yes"
    assert (
        AuditEvent.objects.latest("pk").actor_label
        == f"Vendor contact 张三 <zhang@example.com> (link #{link.pk})"
    )
    client.force_login(requester)
    rows = client.get(reverse("questionnaire_section", args=[review.pk, "C"])).context["rows"]
    by_code = {row["question"].code: row["via_contact"] for row in rows}
    assert by_code["C1"] == link and by_code["C3"] is None


def test_a_contact_adds_a_data_source_file_that_the_requester_sees(
    client, data_source_open, link, token, requester
):
    response = client.post(documents(token), {"kind": "pipia", "files": [pdf_upload("pipia.pdf", "v1")]})

    assert response.status_code == 302 and response.url.endswith("#kind-pipia")
    evidence = Evidence.objects.get(stage__kind=DS)
    assert evidence.uploaded_by is None
    client.force_login(requester)
    page = client.get(reverse("data_source", args=[data_source_open.pk]))
    pipia = next(slot for slot in page.context["slots"] if slot["kind"] == "pipia")
    assert [e.via_contact for e in pipia["current"]] == [link]
    assert "from vendor contact 张三" in page.content.decode()


def test_a_refused_upload_keeps_what_the_contact_typed(client, review, token):
    bad = SimpleUploadedFile("licence.pdf", b"<html><script>alert(1)</script></html>")

    response = client.post(
        section(token, "A"), {"q_A2": "yes", "d_A4": "none at all", "f_A2": [bad], "save": "1"}
    )

    assert response.status_code == 200
    assert "HTML and SVG files are not accepted" in response.content.decode()
    assert response.context["form"]["d_A4"].value() == "none at all"
    assert Answer.objects.get(review=review, question__code="A2").value == "yes"
    assert not Evidence.objects.exists()


def test_the_contact_sees_no_flags_downloads_or_withdrawals(client, review, requester, token):
    builders.fill_questionnaire(review, requester)
    client.post(section(token, "C"), {"q_C1": "no", "save": "1"})

    response = client.get(section(token, "A"))
    body = response.content.decode()

    assert "Red flag" not in body and "⚑" not in body and "Risk +" not in body
    assert "/evidence/" not in body and "Withdraw" not in body
    assert "stage_submit" not in body and "/submit/" not in body
    assert all(row["flags"] == [] for row in response.context["rows"])


def test_the_contact_reaches_nothing_else_of_the_site(client, review, token, requester):
    builders.fill_questionnaire(review, requester)
    evidence = Evidence.objects.filter(review=review).first()
    client.get(home(token))

    for url in (
        reverse("review_detail", args=[review.pk]),
        reverse("questionnaire", args=[review.pk]),
        reverse("evidence_download", args=[review.pk, evidence.pk]),
        reverse("stage_submit", args=[review.pk, "questionnaire"]),
    ):
        response = client.post(url) if url.endswith("/submit/") else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url
    assert builders.stage_of(review, Q).state == "open"


def test_revocation_takes_effect_at_once(client, review, link, token, requester):
    assert client.get(section(token, "C")).status_code == 200

    contact_link_revoke(link=link, actor=requester)
    response = client.post(section(token, "C"), {"q_C1": "yes", "save": "1"})

    assert response.status_code == 404
    assert (
        not Answer.objects.filter(review=review).exclude(question__code__in=("A1", "A5")).exists()
    )  # A1, A5: the request


def test_a_submitted_questionnaire_is_read_only_for_the_contact(client, review, requester, token):
    builders.submit_stage(review, Q, requester)

    page = client.get(section(token, "C"))
    response = client.post(section(token, "C"), {"q_C1": "no"}, follow=True)

    assert page.context["editable"] is False and 'name="save"' not in page.content.decode()
    assert "cannot be changed" in response.content.decode()
    assert Answer.objects.get(review=review, question__code="C1").value == "yes"


def test_a_returned_stage_shows_what_legal_asked_but_not_who(client, review, requester, legal, token):
    builders.submit_stage(review, Q, requester)
    workflow.stage_return(stage=builders.stage_of(review, Q), actor=legal, comment="请补充 B3 同意日志样本")
    legal.first_name = "Fang"
    legal.save()

    body = client.get(section(token, "B")).content.decode()

    assert "请补充 B3 同意日志样本" in body and "Fang" not in body and "Returned by" not in body


def test_the_contact_pages_run_a_fixed_number_of_queries(
    client, data_source_open, requester, token, django_assert_num_queries
):
    builders.fill_data_source(data_source_open, requester)
    client.get(home(token))  # marks the link used: the pages below do not write

    # The link (read live, with its review) and its time of last use, the stages and their decisions; then
    # home: the review's files, answers, questions and sections; a section: its sections and questions,
    # the files, the answers and what came through links (the answers and files they gave; no link to read:
    # none came through another link than this one, reviews.selectors.contact_contributions);
    # the documents: the review's files read once, its answers and questions for what they require, and what
    # came through links (likewise, reviews.views.evidence).
    for url, queries in ((home(token), 8), (section(token, "B"), 9), (documents(token), 8)):
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_a_page_that_records_the_links_use_runs_the_same_queries(
    client, review, link, token, django_assert_num_queries
):
    """The time of last use is written at most once a minute, by an UPDATE whose own condition says when:
    the first page of the minute runs the same statements as the next ones."""
    for url, queries in ((home(token), 8), (section(token, "B"), 9)):
        ContactLink.objects.filter(pk=link.pk).update(last_used_at=None)
        with django_assert_num_queries(queries) as first:
            assert client.get(url).status_code == 200
        with django_assert_num_queries(queries) as next_one:
            assert client.get(url).status_code == 200

        assert ContactLink.objects.get(pk=link.pk).last_used_at is not None
        assert [q["sql"].split()[0] for q in first] == [q["sql"].split()[0] for q in next_one]
        assert sum(q["sql"].startswith("UPDATE") for q in first) == 1


def test_the_time_of_last_use_is_written_once_a_minute(client, link, token):
    long_ago = timezone.now() - timedelta(minutes=5)
    ContactLink.objects.filter(pk=link.pk).update(last_used_at=long_ago)

    client.get(home(token))
    written = ContactLink.objects.get(pk=link.pk).last_used_at
    client.get(home(token))

    assert written > long_ago and ContactLink.objects.get(pk=link.pk).last_used_at == written


# The requester's side: the panel on the review page.


def panel_url(review):
    return reverse("contact_link_create", args=[review.pk])


def test_the_requester_creates_a_link_and_sees_it_once(client, requester):
    review = builders.start_review(requester)
    client.force_login(requester)

    response = client.post(panel_url(review), {"name": "李四", "email": "li@example.com", "days": "7"})

    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    url = response.context["url"]
    token = re.search(r"/contact/([^/]+)/$", url).group(1)
    link = ContactLink.objects.get(review=review)
    assert link.token_hash == token_hash(token) and (link.expires_at - link.created_at).days == 7
    assert url in response.content.decode() and "data-copy" in response.content.decode()
    again = client.get(reverse("review_detail", args=[review.pk])).content.decode()
    assert token not in again and "li@example.com" in again


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "张三", "email": "zhang@", "days": "14"}, "email", "valid email"),
        ({"name": "", "email": "zhang@example.com", "days": "14"}, "name", "required"),
        ({"name": "张三", "email": "zhang@example.com", "days": "31"}, "days", "at most 30 days"),
        ({"name": "张三", "email": "zhang@example.com", "days": "0"}, "days", "at least 1 day"),
    ],
)
def test_a_wrong_invitation_is_shown_again_with_its_error(client, requester, data, field, message):
    review = builders.start_review(requester)
    client.force_login(requester)

    response = client.post(panel_url(review), data)

    assert response.status_code == 200
    assert message in " ".join(response.context["contact_form"].errors[field])
    assert not ContactLink.objects.filter(review=review).exists()


def test_readers_see_the_links_but_cannot_create_or_revoke(client, review, link, legal):
    client.force_login(legal)

    page = client.get(reverse("review_detail", args=[review.pk])).content.decode()
    client.post(panel_url(review), {"name": "李四", "email": "li@example.com", "days": "14"})
    client.post(reverse("contact_link_revoke", args=[review.pk, link.pk]))

    assert "zhang@example.com" in page and "contact-link-form" not in page and "Revoke" not in page
    assert ContactLink.objects.count() == 1 and ContactLink.objects.get().revoked_at is None


def test_another_requester_gets_404(client, review, link, other_requester):
    client.force_login(other_requester)

    assert (
        client.post(panel_url(review), {"name": "李四", "email": "li@example.com", "days": "1"}).status_code
        == 404
    )
    assert client.post(reverse("contact_link_revoke", args=[review.pk, link.pk])).status_code == 404
    assert ContactLink.objects.count() == 1


def test_the_requester_revokes_a_link(client, review, link, token, requester):
    client.force_login(requester)

    response = client.post(reverse("contact_link_revoke", args=[review.pk, link.pk]), follow=True)

    assert "was revoked" in response.content.decode()
    assert "link-revoked" in response.content.decode()
    client.logout()
    assert client.get(home(token)).status_code == 404


def test_the_review_page_with_links_runs_a_fixed_number_of_queries(
    client, review, requester, django_assert_max_num_queries
):
    for n in range(5):
        builders.invite_contact(review, requester, name=f"联系人{n}", email=f"c{n}@example.com")
    client.force_login(requester)

    # 8, and the questionnaire's reading behind the tier and its reasons (answers, files, questions).
    with django_assert_max_num_queries(11):
        assert client.get(reverse("review_detail", args=[review.pk])).status_code == 200
