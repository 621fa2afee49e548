"""The review's view models (reviews.review_view) and the file the admin's pages read (reviews.admin.review_file):
what they hold, that they are frozen, and the queries they take."""

import dataclasses

import pytest
from django.urls import reverse

from reviews import workflow
from reviews.admin.review_file import review_file, review_queryset
from reviews.evidence import evidence_add
from reviews.models import AuditEvent, Evidence, EvidenceKind, StageKind, StageState
from reviews.review_view import (
    AuditLine,
    EvidenceItem,
    Reader,
    StageView,
    evidence_items,
    returned_decision,
    stage_views,
)
from reviews.selectors import ContactContributions, contact_contributions, review_for_page
from tests.builders import (
    approved_review,
    fill_questionnaire,
    invite_contact,
    stage_of,
    start_review,
    submit_stage,
)
from tests.factories import pdf_upload

pytestmark = pytest.mark.django_db


def _file(review, user, **options):
    return review_file(review_queryset().get(pk=review.pk), user=user, **options)


def test_the_file_of_an_approved_review_is_read_in_a_fixed_number_of_queries(
    requester, legal, security, django_assert_num_queries
):
    review = approved_review(requester, legal=legal, security=security)
    loaded = review_queryset().get(pk=review.pk)

    # The files, the decisions, the dossiers, the audit trail, the answers and the questionnaire's questions,
    # and the security stage's certificates; no contact link, so nobody acted through one.
    with django_assert_num_queries(7):
        file = review_file(loaded, user=legal)

    assert [view.stage.kind for view in file.stages] == [
        StageKind.QUESTIONNAIRE,
        StageKind.DATA_SOURCE,
        StageKind.SECURITY,
        StageKind.SIGN_OFF,
    ]
    assert all(
        isinstance(view, StageView) and view.turn == "" for view in file.stages
    )  # closed: nobody's turn
    assert file.stages[-1].latest_decision is not None
    assert file.sign_off is not None and file.certificates and file.answers
    assert file.evidence and all(isinstance(item, EvidenceItem) for item in file.evidence)
    assert file.audit_events and all(
        isinstance(line, AuditLine) and line.sentence for line in file.audit_events
    )
    assert [line.event.pk for line in file.audit_events] == sorted(
        line.event.pk for line in file.audit_events
    )


def test_the_file_names_where_the_admin_downloads_and_previews_each_file(requester, legal):
    review = start_review(requester)
    fill_questionnaire(review, requester)

    file = _file(review, legal)

    item = file.evidence[0]
    assert item.download_url == reverse(
        "admin:reviews_review_evidence_download", args=[review.pk, item.evidence.pk]
    )
    assert item.preview_url == reverse(
        "admin:reviews_review_evidence_preview", args=[review.pk, item.evidence.pk]
    )
    assert item.round_label == "round 1" and item.preview_label == f"Preview {item.evidence.original_name}"
    assert item.original_name == item.evidence.original_name  # it reads as the file it shows


def test_without_the_audit_trail_the_file_reads_no_event(requester, legal):
    review = start_review(requester)
    loaded = review_queryset().get(pk=review.pk)

    file = review_file(loaded, user=legal, with_audit=False)

    assert file.audit_events == ()
    assert AuditEvent.objects.filter(review=review).exists()


def test_view_models_are_frozen_and_set_nothing_on_the_records(requester, legal):
    review = start_review(requester)
    fill_questionnaire(review, requester)

    file = _file(review, legal)

    with pytest.raises(dataclasses.FrozenInstanceError):
        file.evidence[0].download_url = "/elsewhere/"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        file.stages[0].turn = ""  # type: ignore[misc]
    for name in ("download_url", "via_contact", "round_label"):
        assert name not in vars(file.evidence[0].evidence)
    assert "turn" not in vars(file.stages[0].stage)
    assert "sentence" not in vars(file.audit_events[0].event)


@pytest.mark.parametrize(
    ("reader", "download", "preview"),
    [
        (Reader.ADMIN, "admin:reviews_review_evidence_download", "admin:reviews_review_evidence_preview"),
        (Reader.REQUESTER, "evidence_download", None),
        (Reader.CONTACT, None, None),
        (Reader.DOSSIER, None, None),
    ],
)
def test_where_a_file_is_downloaded_depends_on_its_reader(requester, reader, download, preview):
    review = start_review(requester)
    evidence, _duplicate = evidence_add(
        stage=stage_of(review, StageKind.QUESTIONNAIRE),
        actor=requester,
        kind=EvidenceKind.OTHER,
        upload=pdf_upload("a.pdf", "a"),
    )

    (item,) = evidence_items([evidence], ContactContributions(), reader=reader)

    args = [review.pk, evidence.pk]
    assert item.download_url == (reverse(download, args=args) if download else "")
    assert item.preview_url == (reverse(preview, args=args) if preview else "")


def test_a_file_given_through_a_contact_link_names_the_link(requester):
    review = start_review(requester)
    link, _token = invite_contact(review, requester)
    stage = stage_of(review, StageKind.QUESTIONNAIRE)
    mine, _ = evidence_add(
        stage=stage, actor=requester, kind=EvidenceKind.OTHER, upload=pdf_upload("m.pdf", "m")
    )
    theirs, _ = evidence_add(
        stage=stage, actor=link, kind=EvidenceKind.OTHER, upload=pdf_upload("t.pdf", "t")
    )

    items = evidence_items(
        Evidence.objects.filter(pk__in=[mine.pk, theirs.pk]).order_by("pk"),
        contact_contributions(review),
        reader=Reader.REQUESTER,
    )

    assert [item.via_contact for item in items] == [None, link]


def test_each_stage_says_whose_turn_it_is_from_where_the_reader_stands(requester, legal):
    review = start_review(requester)

    def turns(user):
        loaded = review_for_page(review.pk).get()
        return {view.stage.kind: view.turn for view in stage_views(loaded, user=user)}

    assert turns(requester)[StageKind.QUESTIONNAIRE] == "Your turn"
    assert turns(legal)[StageKind.QUESTIONNAIRE].startswith("Waiting for ")  # the requester, by name
    assert turns(requester)[StageKind.DATA_SOURCE] == ""  # locked: nobody's turn yet
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    assert turns(requester)[StageKind.QUESTIONNAIRE] == "Waiting for Legal"


def test_the_stages_of_a_page_are_read_without_a_query_of_their_own(requester, django_assert_num_queries):
    review = start_review(requester)
    loaded = review_for_page(review.pk).get()

    with django_assert_num_queries(0):
        views = stage_views(loaded, user=requester, urls={StageKind.QUESTIONNAIRE: "/q/"})

    assert [view.stage.order for view in views] == [1, 2, 3, 4]
    assert views[0].url == "/q/" and views[0].step_label.startswith("1. ")
    assert views[0].since == views[0].stage.opened_at


def test_a_returned_stage_carries_the_decision_that_returned_it(requester, legal):
    review = start_review(requester)
    submit_stage(review, StageKind.QUESTIONNAIRE, requester)
    workflow.stage_return(
        stage=stage_of(review, StageKind.QUESTIONNAIRE), actor=legal, comment="D3: please attach the filing"
    )

    views = stage_views(review_for_page(review.pk).get(), user=requester)

    returned = returned_decision(views, StageKind.QUESTIONNAIRE)
    assert views[0].stage.state == StageState.RETURNED
    assert returned is not None and returned.comment == "D3: please attach the filing"
    assert returned_decision(views, StageKind.DATA_SOURCE) is None
