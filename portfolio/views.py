"""/portfolio/ and a CSV of each chart's table. Who may see them: reviews.access.can_see_portfolio."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from reviews.access import can_see_portfolio

from .panels import chart_by_key, portfolio_charts
from .selectors import coverage_by_subject


def _allowed(request) -> None:
    if not can_see_portfolio(request.user):
        raise PermissionDenied


@require_GET
@login_required
def portfolio(request):
    _allowed(request)
    today, now = timezone.localdate(), timezone.now()
    return render(
        request,
        "portfolio/portfolio.html",
        {
            "charts": portfolio_charts(today=today, now=now),
            "today": today,
            "subjects": coverage_by_subject(today=today),
        },
    )


@require_GET
@login_required
def chart_csv(request, key: str):
    """The table behind one chart, in the language of the page. UTF-8 with a BOM so that Excel shows Chinese."""
    _allowed(request)
    today = timezone.localdate()
    chart = chart_by_key(key, today=today, now=timezone.now())
    if chart is None:
        raise Http404("No such chart.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="portfolio-{key}-{today:%Y%m%d}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(chart.headers)
    writer.writerows(chart.rows)
    return response
