"""The portfolio as a PDF for the board pack, in Chinese or in English: the headline figures, the trend and
every chart with its table open, as of the moment it is made. Made on request from the same figures as the
page (portfolio.panels) and never stored: the figures change by the hour, and the page can always make it
again.

Rendered by WeasyPrint as the approval dossier is (reviews/dossier/render.py): fonts from the system (Noto
Sans CJK SC, embedded as subsets), and no URL of any protocol fetched, so nothing in the data could make the
renderer read a file."""

from dataclasses import dataclass
from datetime import date, datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation

from .panels import Figures, headline, portfolio_charts


@dataclass(frozen=True)
class PortfolioPdf:
    filename: str
    pdf: bytes


def portfolio_html(*, language: str, today: date, now: datetime) -> str:
    with translation.override(language):
        figures = Figures(today=today, now=now)
        local = timezone.localtime(now)
        return render_to_string(
            "portfolio/pdf.html",
            {
                "headline": headline(figures),
                "charts": portfolio_charts(figures),
                "today": today,
                "made_at": local,
                "language": language,
                "pdf": True,
            },
        )


def portfolio_pdf(*, language: str, today: date | None = None, now: datetime | None = None) -> PortfolioPdf:
    from weasyprint import HTML, URLFetcher  # imported here: it loads Pango, which most processes never need

    now = now or timezone.now()
    today = today or timezone.localdate(now)
    html = portfolio_html(language=language, today=today, now=now)
    pdf = HTML(string=html, base_url=None, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
    return PortfolioPdf(f"portfolio-{today:%Y%m%d}-{language}.pdf", pdf)
