"""Who answered through a contact link and which reminders went out are columns the services set
(Answer.contact_link, Evidence.contact_link, SignOff.expiry_reminded_*, Review.catch_up_reminded_*): the audit
log records the same and is never read back. Migration 0026 filled the columns in from the log once."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython

from reviews import workflow
from reviews.evidence import evidence_add
from reviews.models import Answer, AuditEvent, Evidence, EvidenceKind, Review, SignOff, StageKind
from reviews.notifications.catch_up import catch_up_remind
from reviews.notifications.renewals import approvals_remind_expiring
from reviews.questionnaire.answers import answers_save
from reviews.selectors import contact_contributions
from reviews.working_days import working_days_before
from tests import builders
from tests.factories import VendorFactory, pdf_upload
from vendors.models import Vendor, VendorStatus

pytestmark = pytest.mark.django_db

Q, DS = StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE


def run_backfill():
    """The RunPython of reviews 0026, run on the models as they were at that migration."""
    loader = MigrationLoader(connection)
    migration = loader.get_migration("reviews", "0028_contact_links_and_reminders_from_the_log")
    [backfill] = [op for op in migration.operations if isinstance(op, RunPython)]
    backfill.code(loader.project_state(("reviews", migration.name)).apps, None)


def authors(review) -> dict:
    return dict(
        Answer.objects.filter(review=review, contact_link__isnull=False).values_list(
            "question__code", "contact_link_id"
        )
    )


# Contact links


@pytest.fixture
def answered(link, requester):
    """The contact answered C1 and C4, then the requester corrected C1."""
    review = link.review
    answers_save(review=review, actor=link, answers={"C1": ("yes", ""), "C4": ("realtime", "")})
    answers_save(review=review, actor=requester, answers={"C1": ("no", "")})
    return review


@pytest.fixture
def uploaded(link, requester, legal, security):
    """The questionnaire passed (the builder answers it as the requester); the contact added the PIPIA."""
    review = link.review
    builders.pass_stage(review, Q, requester, legal=legal, security=security)
    evidence, _ = evidence_add(
        stage=builders.stage_of(review, DS),
        actor=link,
        kind=EvidenceKind.PIPIA,
        upload=pdf_upload("pipia.pdf", text="vendor's PIPIA"),
    )
    return review, evidence


def test_the_services_set_who_answered_through_a_link(answered, link):
    assert authors(answered) == {"C4": link.pk}  # the requester's correction cleared C1
    assert Answer.objects.get(review=answered, question__code="C1").contact_link_id is None


def test_the_services_set_who_uploaded_through_a_link(uploaded, link):
    review, evidence = uploaded

    assert Evidence.objects.get(pk=evidence.pk).contact_link_id == link.pk
    assert Evidence.objects.filter(review=review, contact_link__isnull=True).count() == (
        Evidence.objects.filter(review=review).count() - 1
    )


def test_the_contributions_are_read_from_the_columns_in_two_queries(
    answered, link, django_assert_num_queries
):
    with django_assert_num_queries(2):
        assert contact_contributions(answered).answers == {"C4": link}
    # The column, not the log, is what counts: an answer the log gives the contact, cleared here, is not theirs.
    Answer.objects.filter(review=answered, question__code="C4").update(contact_link=None)

    assert contact_contributions(answered).answers == {}


def test_a_review_without_links_costs_one_query(requester, django_assert_num_queries):
    review = builders.start_review(requester)

    with django_assert_num_queries(1):
        found = contact_contributions(review)

    assert (found.answers, found.evidence) == ({}, {})


@pytest.mark.parametrize("scenario", ["answered", "uploaded"])
def test_the_migration_fills_the_links_in_from_the_log_as_the_services_set_them(scenario, request, link):
    request.getfixturevalue(scenario)
    review = link.review
    set_by_services = (authors(review), contact_contributions(review).evidence)
    assert set_by_services != ({}, {})
    Answer.objects.filter(review=review).update(contact_link=None)
    Evidence.objects.filter(review=review).update(contact_link=None)
    events = AuditEvent.objects.count()

    run_backfill()

    assert (authors(review), contact_contributions(review).evidence) == set_by_services
    assert AuditEvent.objects.count() == events  # the log is read, never written


# Renewal reminders


@pytest.fixture
def approved(requester, legal, security):
    """An approval that ends in 25 days: past the 20-working-day reminder (25 days hold at most 19 weekdays,
    and a make-up day comes with more holidays)."""
    return builders.approved_review(
        requester, legal=legal, security=security, valid_until=builders.today() + timedelta(days=25)
    )


def test_an_expiry_reminder_is_kept_on_the_sign_off(approved):
    assert approvals_remind_expiring(today=builders.today()) == 1

    sign_off = SignOff.objects.get(review=approved)
    assert (sign_off.expiry_reminded_days, sign_off.expiry_reminded_for) == (20, sign_off.valid_until)
    assert approvals_remind_expiring(today=builders.today()) == 0


def test_the_sign_off_s_column_decides_not_the_log(approved):
    approvals_remind_expiring(today=builders.today())
    # Cleared on the sign-off, the reminder goes out again although the log records it.
    SignOff.objects.filter(review=approved).update(expiry_reminded_days=None, expiry_reminded_for=None)

    assert approvals_remind_expiring(today=builders.today()) == 1


def test_an_approval_whose_end_moved_is_reminded_again(approved):
    approvals_remind_expiring(today=builders.today())
    Vendor.objects.filter(pk=approved.vendor_id).update(approved_until=builders.today() + timedelta(days=20))

    assert approvals_remind_expiring(today=builders.today()) == 1
    sign_off = SignOff.objects.get(review=approved)
    assert sign_off.expiry_reminded_for == builders.today() + timedelta(days=20)


def test_the_migration_fills_the_expiry_reminders_in_from_the_log(approved):
    approvals_remind_expiring(today=builders.today())
    approvals_remind_expiring(today=builders.today() + timedelta(days=24))  # then the 5-day one
    SignOff.objects.filter(review=approved).update(expiry_reminded_days=None, expiry_reminded_for=None)

    run_backfill()

    sign_off = SignOff.objects.get(review=approved)
    assert (sign_off.expiry_reminded_days, sign_off.expiry_reminded_for) == (5, sign_off.valid_until)


# Catch-up reminders


@pytest.fixture
def catching_up(requester, legal):
    vendor = VendorFactory(status=VendorStatus.IN_USE, business_owner=requester)
    due = builders.today() + timedelta(days=30)
    review = workflow.review_open_catch_up(vendor=vendor, requester=requester, due=due, actor=legal)
    return review, due


def test_a_catch_up_reminder_is_kept_on_the_review(catching_up):
    review, due = catching_up

    first = working_days_before(due, 10)
    assert catch_up_remind(today=first) == 1

    review.refresh_from_db()
    assert (review.catch_up_reminded_days, review.catch_up_reminded_for) == (10, due)
    assert catch_up_remind(today=first + timedelta(days=1)) == 0


def test_a_new_deadline_starts_the_reminders_again(catching_up):
    review, due = catching_up
    catch_up_remind(today=working_days_before(due, 10))
    later = due + timedelta(days=10)
    Vendor.objects.filter(pk=review.vendor_id).update(catch_up_due=later)

    assert catch_up_remind(today=working_days_before(later, 10)) == 1
    assert Review.objects.get(pk=review.pk).catch_up_reminded_for == later


def test_the_migration_fills_the_catch_up_reminders_in_from_the_log(catching_up):
    review, due = catching_up
    catch_up_remind(today=working_days_before(due, 10))
    catch_up_remind(today=due + timedelta(days=1))  # overdue
    Review.objects.filter(pk=review.pk).update(catch_up_reminded_days=None, catch_up_reminded_for=None)

    run_backfill()

    review.refresh_from_db()
    assert (review.catch_up_reminded_days, review.catch_up_reminded_for) == (-1, due)
