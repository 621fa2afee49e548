"""Text typed into the application is refused when it holds control characters.

A carriage return or form feed in a vendor's name ends a CSS string in the dossier's stylesheet and can hide its
pages (issue of the running header); other control characters corrupt CSV cells, mail headers and logs, and no
legal name, statement or comment needs them. Multi-line fields keep the line feed and the tab. One rule, used
by every form (the validator) and every service that takes text (clean_text), so that nothing stores such text
whichever way it arrives."""

import re
import unicodedata
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MULTILINE_ALLOWED = frozenset("\n\t")


def control_characters(text: str, *, multiline: bool = False) -> list[str]:
    """The control characters of `text` (Unicode category Cc, and the line and paragraph separators), as
    U+XXXX, in order of appearance; a single-line field allows none, a multi-line one the line feed and tab.
    Browsers send a textarea's line breaks as CR LF, which is a line break too; a carriage return alone is
    refused (it is what breaks out of a CSS string)."""
    allowed = MULTILINE_ALLOWED if multiline else frozenset()
    if multiline:
        text = (text or "").replace("\r\n", "\n")
    found = []
    for char in text or "":
        if char in allowed:
            continue
        if unicodedata.category(char) == "Cc" or char in "\u2028\u2029":
            code = f"U+{ord(char):04X}"
            if code not in found:
                found.append(code)
    return found


def control_characters_message(found: list[str]) -> str:
    return _(
        "Remove the control characters (%(chars)s): they are invisible and are not accepted in this field."
    ) % {"chars": ", ".join(found)}


class NoControlCharacters:
    """Form and model validator: refuses control characters (multi-line fields keep line feeds and tabs)."""

    def __init__(self, *, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value):
        found = control_characters(str(value), multiline=self.multiline)
        if found:
            raise ValidationError(control_characters_message(found), code="control_characters")

    def __eq__(self, other):  # so that migrations see no change between two instances
        return isinstance(other, NoControlCharacters) and other.multiline == self.multiline

    def __hash__(self):
        return hash((NoControlCharacters, self.multiline))

    def deconstruct(self):
        return (
            "vendors.text.NoControlCharacters",
            (),
            {"multiline": self.multiline} if self.multiline else {},
        )


def clean_text(value: str, *, error, multiline: bool = False) -> str:
    """For services: the text stripped, or `error` (the caller's domain error) raised with the message."""
    found = control_characters(value or "", multiline=multiline)
    if found:
        raise error(control_characters_message(found))
    value = (value or "").strip()
    return value.replace("\r\n", "\n") if multiline else value


if TYPE_CHECKING:
    from django.db.models import Model
    from django.forms import BaseForm as _Form
else:
    _Form = object


class ControlCharactersRefused(_Form):
    """Form mixin: every text field of the form refuses control characters; a field with a textarea is
    multi-line. Attached when the form is cleaned, so that fields a form adds in its own __init__ (the
    questionnaire's) are covered too."""

    def full_clean(self) -> None:
        from django import forms

        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not any(
                isinstance(v, NoControlCharacters) for v in field.validators
            ):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(NoControlCharacters(multiline=multiline))
        super().full_clean()


# Markup: a tag, a closing tag, a comment or a processing instruction ("<b", "</", "<!", "<?"). A "<" before a
# digit or a space ("< 100万") is ordinary text.
_MARKUP = re.compile(r"<[A-Za-z/!?]")
# What makes a spreadsheet run a cell as a formula when it comes first (CSV injection, OWASP): "=", "+", "-",
# "@". Spreadsheets skip blanks and invisible characters before looking, so those are skipped here too.
FORMULA_STARTS = frozenset("=+-@")


def formula_start(text: str) -> str | None:
    """The character that would make a spreadsheet run `text` as a formula, or None."""
    for char in text or "":
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf"):
            continue
        return char if char in FORMULA_STARTS else None
    return None


def plain_text_problems(text: str, *, multiline: bool = False) -> list[str]:
    """What keeps `text` from being stored as a vendor's name or a record of its systems: control characters,
    markup, a formula start. Such text breaks the pages and files it is printed in (the dossier, the CSV export,
    mails) or runs in the spreadsheets Legal opens them with; no name or list of systems needs it."""
    text = str(text or "")
    problems = []
    found = control_characters(text, multiline=multiline)
    if found:
        problems.append(control_characters_message(found))
    markup = _MARKUP.search(text)
    if markup:
        problems.append(
            _("Remove the markup (“%(markup)s…”): this text is kept and shown as written, never as HTML.")
            % {"markup": text[markup.start() : markup.start() + 12]}
        )
    start = formula_start(text)
    if start:
        problems.append(
            _(
                "Do not begin with “%(char)s”: a spreadsheet opening the register would run the text "
                "as a formula."
            )
            % {"char": start}
        )
    return problems


class PlainText:
    """Model and form validator for a vendor's names and systems (the forms, the services through full_clean,
    and the inventory import apply the same rule): no control characters, no markup, no formula start."""

    def __init__(self, *, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value):
        problems = plain_text_problems(str(value), multiline=self.multiline)
        if problems:
            raise ValidationError(problems, code="plain_text")

    def __eq__(self, other):  # so that migrations see no change between two instances
        return isinstance(other, PlainText) and other.multiline == self.multiline

    def __hash__(self):
        return hash((PlainText, self.multiline))

    def deconstruct(self):
        return ("vendors.text.PlainText", (), {"multiline": self.multiline} if self.multiline else {})


def field_label(model: "type[Model]", name: str) -> str:
    """The label of a model's field as people read it (its verbose name), for messages and pages."""
    from django.db.models import Field

    field = model._meta.get_field(name)
    return str(field.verbose_name if isinstance(field, Field) else field.name)
