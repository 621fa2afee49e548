"""/portfolio/, a CSV of each chart's table, and the PDF for the board in either language. Who may see them:
reviews.access.can_see_portfolio."""

import csv

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from reviews.access import can_see_portfolio
from reviews.views.downloads import attachment_response

from .panels import Figures, chart_by_key, headline, portfolio_charts
from .pdf import portfolio_pdf


def _allowed(request) -> None:
    if not can_see_portfolio(request.user):
        raise PermissionDenied


def _figures() -> Figures:
    return Figures(today=timezone.localdate(), now=timezone.now())


@require_GET
@login_required
def portfolio(request):
    _allowed(request)
    figures = _figures()
    languages = [{"code": code, "name": name} for code, name in settings.LANGUAGES]
    return render(
        request,
        "portfolio/portfolio.html",
        {
            "headline": headline(figures),
            "charts": portfolio_charts(figures),
            "today": figures.today,
            "pdf_languages": languages,
            "subjects": figures.subjects,
        },
    )


@require_GET
@login_required
def chart_csv(request, key: str):
    """The table behind one chart, in the language of the page. UTF-8 with a BOM so that Excel shows Chinese."""
    _allowed(request)
    figures = _figures()
    chart = chart_by_key(key, figures)
    if chart is None:
        raise Http404("No such chart.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="portfolio-{key}-{figures.today:%Y%m%d}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(chart.headers)
    writer.writerows(chart.rows)
    return response


@require_GET
@login_required
def pdf(request, language: str):
    """The portfolio as a PDF for the board pack, in `language` (one of settings.LANGUAGES)."""
    _allowed(request)
    if language not in dict(settings.LANGUAGES):
        raise Http404("No such language.")
    made = portfolio_pdf(language=language)
    return attachment_response(made.pdf, name=made.filename, content_type="application/pdf")
