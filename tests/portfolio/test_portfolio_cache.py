"""The portfolio's figures are computed once per change of the data they read (portfolio.freshness): a page
whose data has not changed reads them from the cache and asks the database for nothing but the session and
the user; a committed write of that data, by any means, shows on the very next request. These tests commit
for real (transaction=True): the version changes when a write is committed, as it does in production."""

import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from portfolio import freshness
from portfolio.panels import Figures
from reviews.models import Stage, StageKind
from tests import builders
from tests.factories import VendorFactory
from vendors.models import Vendor, VendorStatus

from .test_view_portfolio import _populate

pytestmark = pytest.mark.django_db(transaction=True)
URL = reverse("portfolio:page")
# Session, user, the user's groups: what any signed-in page asks.
SIGNED_IN = 3
# Then one query per figure: register, snapshots, months, stage days, waiting, activities.
FIGURES = 6


def _in_use(**fields):
    return VendorFactory(
        status=VendorStatus.IN_USE, catch_up_due=builders.today() + timedelta(days=30), **fields
    )


def _coverage_rows(html: str) -> list[tuple[str, str]]:
    coverage = re.findall(r'<figure[^>]*id="chart-coverage".*?</figure>', html, re.DOTALL)[0]
    return re.findall(r'<th scope="row"[^>]*>(.*?)</th>\s*<td[^>]*>(\d+)</td>', coverage)


def _page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


@pytest.fixture
def reader(client, legal):
    from reviews.working_days import working_calendar

    working_calendar()  # the working calendar is cached on its own (reviews.working_days): read it first
    client.force_login(legal)
    return client


@pytest.mark.parametrize("size", [1, 4])
def test_an_unchanged_page_does_not_compute_its_figures_again(
    reader, legal, requester, security, size, django_assert_num_queries
):
    _populate(size, requester=requester, legal=legal, security=security)
    with django_assert_num_queries(SIGNED_IN + FIGURES):
        first = _page(reader)
    with django_assert_num_queries(SIGNED_IN):
        again = _page(reader)
    assert again == first
    # The chart's CSV and the figures of the PDF read the same kept figures.
    with django_assert_num_queries(SIGNED_IN):
        assert reader.get(reverse("portfolio:csv", args=["waiting"])).status_code == 200
    with django_assert_num_queries(0):
        Figures(today=builders.today(), now=timezone.now()).activities  # noqa: B018


def test_a_saved_change_shows_on_the_next_request(reader, django_assert_num_queries):
    _in_use()
    assert ("In use, not vetted", "1") in _coverage_rows(_page(reader))
    _in_use()
    with django_assert_num_queries(SIGNED_IN + FIGURES):
        html = _page(reader)
    assert ("In use, not vetted", "2") in _coverage_rows(html)
    vendor = Vendor.objects.filter(status=VendorStatus.IN_USE).first()
    vendor.delete()
    assert ("In use, not vetted", "1") in _coverage_rows(_page(reader))


def test_a_queryset_update_shows_on_the_next_request(reader):
    """No model signal is sent for an UPDATE of a queryset (nor for bulk_create): the statement itself is
    seen."""
    vendor = _in_use()
    assert ("In use, catch-up review overdue", "0") in _coverage_rows(_page(reader))
    Vendor.objects.filter(pk=vendor.pk).update(catch_up_due=builders.today() - timedelta(days=1))
    assert ("In use, catch-up review overdue", "1") in _coverage_rows(_page(reader))
    unsaved = VendorFactory.build_batch(
        2, status=VendorStatus.IN_USE, catch_up_due=builders.today() + timedelta(days=30)
    )
    Vendor.objects.bulk_create(unsaved)
    assert ("In use, not vetted", "2") in _coverage_rows(_page(reader))


def test_a_change_commits_before_it_counts_and_a_rollback_leaves_the_kept_figures(
    reader, django_assert_num_queries
):
    _in_use()
    before = _page(reader)
    with pytest.raises(RuntimeError), transaction.atomic():
        _in_use()
        assert freshness.writes_pending()
        # Inside the transaction that wrote, the figures are its own and are not kept.
        with django_assert_num_queries(1):
            assert Figures(today=builders.today(), now=timezone.now()).coverage.in_use == 2
        raise RuntimeError("undo")
    assert not freshness.writes_pending()
    with django_assert_num_queries(SIGNED_IN):
        assert _page(reader) == before


def test_a_write_elsewhere_keeps_the_version():
    version = freshness.data_version()
    from django.contrib.auth import get_user_model

    get_user_model().objects.create(username="someone")
    assert freshness.data_version() == version
    _in_use()
    assert freshness.data_version() != version


def test_the_statements_that_change_the_figures():
    assert freshness._writes_watched('UPDATE "vendors_vendor" SET "status" = %s WHERE "id" = %s')
    assert freshness._writes_watched('INSERT INTO "reviews_stage" ("review_id") VALUES (%s)')
    assert freshness._writes_watched('DELETE FROM "activities_activity" WHERE "id" IN (%s)')
    assert freshness._writes_watched('TRUNCATE "auth_user", "activities_scopeextension";')
    assert not freshness._writes_watched('SELECT * FROM "vendors_vendor"')
    assert not freshness._writes_watched('UPDATE "django_session" SET "expire_date" = %s')
    assert not freshness._writes_watched('INSERT INTO "reviews_auditevent" ("vendor_id") VALUES (%s)')


def test_the_stage_days_are_kept_until_the_earliest_stage_counted_leaves_the_90_days(
    requester, legal, security, django_assert_num_queries
):
    now = timezone.now()
    review = builders.review_ready_for_sign_off(requester, legal=legal, security=security)
    Stage.objects.filter(review=review, kind=StageKind.QUESTIONNAIRE).update(
        opened_at=now - timedelta(days=12), decided_at=now - timedelta(days=10)
    )

    def counted(at):
        return Figures(today=timezone.localdate(at), now=at).stage_days[StageKind.QUESTIONNAIRE][1]

    with django_assert_num_queries(1):
        assert counted(now) == 1
    with django_assert_num_queries(0):  # kept: the same stages are in the window 79 days later
        assert counted(now + timedelta(days=79)) == 1
    with django_assert_num_queries(1):  # 81 days later the stage passed 91 days before: out of the window
        assert counted(now + timedelta(days=81)) == 0
    with django_assert_num_queries(1):  # a time before the one kept is computed, not read
        assert counted(now - timedelta(hours=1)) == 1


def test_the_next_day_computes_the_figures_of_the_day(django_assert_num_queries):
    _in_use()
    today = builders.today()
    with django_assert_num_queries(1):
        assert Figures(today=today, now=timezone.now()).coverage.in_use == 1
    with django_assert_num_queries(0):
        assert Figures(today=today, now=timezone.now()).coverage.in_use == 1
    with django_assert_num_queries(1):
        assert Figures(today=today + timedelta(days=31), now=timezone.now()).coverage.overdue == 1


def test_every_connection_is_watched():
    assert freshness._watch in connection.execute_wrappers


@pytest.fixture
def renders(monkeypatch):
    """The PDFs WeasyPrint lays out, counted."""
    from weasyprint import HTML

    made = []
    write_pdf = HTML.write_pdf

    def counted(self, *args, **kwargs):
        made.append(self)
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", counted)
    return made


def _pdf(client, language="zh-hans") -> bytes:
    response = client.get(reverse("portfolio:pdf", args=[language]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def _pdf_text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "")


def test_the_board_pdf_is_laid_out_once_while_nothing_it_prints_changes(reader, renders):
    _in_use()
    first = _pdf(reader)
    assert _pdf(reader) == first  # the second member of the board gets the same file, laid out once
    assert len(renders) == 1
    english = _pdf(reader, "en")  # another language is another document
    assert english != first and len(renders) == 2
    assert re.search(r"Asof\d{4}-\d\d-\d\d\d\d:\d\d\n", _pdf_text(english))  # the moment it was made

    _in_use()  # a figure changes: the next download is a new PDF with the new figure
    again = _pdf(reader)
    assert len(renders) == 3 and again != first
    assert "在用平台已审比例" in _pdf_text(again)


def test_the_board_pdf_is_made_anew_on_another_day(reader, renders, monkeypatch):
    from portfolio.pdf import portfolio_pdf

    _in_use()
    today = builders.today()
    first = portfolio_pdf(language="zh-hans", today=today)
    assert portfolio_pdf(language="zh-hans", today=today).pdf == first.pdf
    tomorrow = portfolio_pdf(language="zh-hans", today=today + timedelta(days=1))
    assert len(renders) == 2 and tomorrow.pdf != first.pdf
    assert tomorrow.filename.endswith(f"{today + timedelta(days=1):%Y%m%d}-zh-hans.pdf")


def test_no_board_pdf_is_kept_from_a_transaction_that_wrote_the_figures(reader, renders):
    from portfolio.pdf import portfolio_pdf

    with pytest.raises(RuntimeError), transaction.atomic():
        _in_use()
        portfolio_pdf(language="zh-hans")
        raise RuntimeError("undo")
    portfolio_pdf(language="zh-hans")  # the rolled-back vendor was not kept in a PDF either
    assert len(renders) == 2
