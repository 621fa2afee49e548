"""The portfolio as a PDF for the board pack, in Chinese or in English: the headline figures, the trend and
every chart with its table open, as of the moment it is made. Made on request from the same figures as the
page (portfolio.panels), and kept in the cache for the next request that would print the same thing: the
key is the hash of the document's markup, all of it but the moment it was made, so a change of any figure,
of the day or of the wording makes a new PDF, and a board whose members each download the pack while nothing
has changed gets the first one (its "as of" time is when its figures were read; they have not changed
since). Nothing is kept while the request's own transaction has written data the figures read
(portfolio.freshness.writes_pending): a rollback could undo it.

Rendered by WeasyPrint as the approval dossier is (reviews/dossier/render.py): fonts from the system (Noto
Sans CJK SC, embedded as subsets), and no URL of any protocol fetched, so nothing in the data could make the
renderer read a file."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation

from . import freshness
from .panels import FIGURES_TIMEOUT, Figures, headline, portfolio_charts

PDF_KEY = "portfolio:pdf:{digest}"
# Stands for the moment the PDF is made while the markup is hashed; replaced by that moment before it is laid out.
_AS_OF = "\x00as-of\x00"


@dataclass(frozen=True)
class PortfolioPdf:
    filename: str
    pdf: bytes


def portfolio_html(*, language: str, today: date, now: datetime, as_of: str) -> str:
    """The PDF's markup; `as_of` is the moment printed under the title."""
    with translation.override(language):
        figures = Figures(today=today, now=now)
        return render_to_string(
            "portfolio/pdf.html",
            {
                "headline": headline(figures),
                "charts": portfolio_charts(figures),
                "today": today,
                "as_of": as_of,
                "language": language,
                "pdf": True,
            },
        )


def _moment(now: datetime) -> str:
    return dateformat.format(timezone.localtime(now), "Y-m-d H:i")


def portfolio_pdf(*, language: str, today: date | None = None, now: datetime | None = None) -> PortfolioPdf:
    from weasyprint import HTML, URLFetcher  # imported here: it loads Pango, which most processes never need

    now = now or timezone.now()
    today = today or timezone.localdate(now)
    markup = portfolio_html(language=language, today=today, now=now, as_of=_AS_OF)
    filename = f"portfolio-{today:%Y%m%d}-{language}.pdf"
    key = None
    if not freshness.writes_pending():
        key = PDF_KEY.format(digest=hashlib.sha256(markup.encode()).hexdigest())
        kept = cache.get(key)
        if kept is not None:
            return PortfolioPdf(filename, kept)
    html = markup.replace(_AS_OF, _moment(now))
    pdf = HTML(string=html, base_url=None, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
    if key is not None:
        cache.set(key, pdf, FIGURES_TIMEOUT)
    return PortfolioPdf(filename, pdf)
