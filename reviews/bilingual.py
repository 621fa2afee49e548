"""Texts in Chinese and English at once, for what is read outside the browser's language choice: the
approval dossier (read years later by whoever audits) and e-mails (read by people whose language the sender
does not know). Each gettext message is rendered under both languages."""

from dataclasses import dataclass

from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext

ZH, EN = "zh-hans", "en"


@dataclass(frozen=True)
class Bi:
    """A text in Chinese and English. Printed as both, stacked; once when they are the same."""

    zh: str
    en: str

    def __str__(self):
        if not self.zh or self.zh == self.en:
            return format_html('<span class="en">{}</span>', self.en or self.zh)
        if not self.en:
            return format_html("{}", self.zh)
        # The Chinese is bare text (one box fewer per label: the PDF's layout cost grows with the boxes); the
        # space sits inside the English span so that {% spaceless %} keeps it.
        return format_html('{}<span class="en"> {}</span>', self.zh, self.en)

    @property
    def lines(self) -> list[str]:
        """Plain text, Chinese above English (an e-mail's body); one line when they are the same."""
        return [self.en or self.zh] if not self.zh or self.zh == self.en else [self.zh, self.en]

    @property
    def inline(self) -> str:
        """Plain text for one line (running header, PDF metadata, e-mail subject)."""
        return self.en if not self.zh or self.zh == self.en else f"{self.zh} / {self.en}"


def bi(message, **params) -> Bi:
    """A gettext message (or a lazy choice label) in both languages. `params` fill the message's
    placeholders in each language; lazy ones (a stage's label) are translated with it."""
    return Bi(_in(ZH, message, params), _in(EN, message, params))


def _in(language: str, message, params: dict) -> str:
    with translation.override(language):
        text = gettext(message) if isinstance(message, str) else str(message)
        return text % {key: str(value) for key, value in params.items()} if params else text
