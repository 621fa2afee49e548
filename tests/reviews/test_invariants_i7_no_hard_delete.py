"""I7: nothing is hard-deleted; a review's record is kept at least 3 years (PIPL Art. 56)."""

import pytest
from django.db import transaction
from django.db.models import ProtectedError

from reviews.models import Answer, Decision, Dossier, Evidence, Review, SignOff, Stage
from tests import builders
from vendors.models import Certification, Vendor

pytestmark = pytest.mark.django_db

RECORD = [Review, Stage, Answer, Evidence, Decision, SignOff, Dossier, Certification, Vendor]


@pytest.fixture
def approved(requester, legal, security):
    return builders.approved_review(requester, legal=legal, security=security)


def one_of(model, review):
    if model is Vendor:
        return review.vendor
    if model is Review:
        return review
    if model is Certification:
        return Certification.objects.filter(vendor=review.vendor).first()
    if model is Decision:
        return Decision.objects.filter(stage__review=review).first()
    return model.objects.filter(review=review).first()


@pytest.mark.parametrize("model", RECORD, ids=lambda m: m.__name__)
def test_a_record_row_cannot_be_deleted(model, approved):
    row = one_of(model, approved)
    assert row is not None

    with pytest.raises(ProtectedError), transaction.atomic():
        row.delete()
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("model", RECORD, ids=lambda m: m.__name__)
def test_a_bulk_delete_of_record_rows_is_refused(model, approved):
    count = model.objects.count()

    with pytest.raises(ProtectedError), transaction.atomic():
        model.objects.all().delete()
    assert model.objects.count() == count


def test_a_requester_with_reviews_cannot_be_deleted(approved, requester):
    with pytest.raises(ProtectedError), transaction.atomic():
        requester.delete()
    assert type(requester).objects.filter(pk=requester.pk).exists()
