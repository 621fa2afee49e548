"""Unified Social Credit Code (统一社会信用代码), GB 32100-2015; docs/domain.md "Unified Social Credit Code".

A malformed code is refused. A well-formed code whose check character does not match is only a warning:
some early Fujian pilot codes are valid yet fail the check, so the user is asked to verify it on the
national credit registry instead of being blocked."""

import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {c: i for i, c in enumerate(CHARSET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, ... 28
FORBIDDEN = set("IOSVZ")
LENGTH = 18


@dataclass(frozen=True)
class UsccCheck:
    code: str
    checksum_ok: bool
    expected_check: str


def normalize_uscc(raw: str) -> str:
    """The code as stored: full-width characters typed with a Chinese input method made half-width (NFKC:
    "９１４４" is "9144"), spaces dropped, letters upper-case. Every place a code is entered goes through here."""
    return "".join(unicodedata.normalize("NFKC", raw or "").split()).upper()


def check_character(first17: str) -> str:
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=False))
    return CHARSET[(31 - total % 31) % 31]


def check_uscc(raw: str) -> UsccCheck:
    """Normalise and check a code. Raises ValidationError saying why when the code is malformed."""
    code = normalize_uscc(raw)
    if not code:
        raise ValidationError(_("Enter the 18-character Unified Social Credit Code."), code="required")
    if len(code) != LENGTH:
        raise ValidationError(
            _("A Unified Social Credit Code has 18 characters; this one has %(n)d."),
            code="length",
            params={"n": len(code)},
        )
    bad = sorted({c for c in code if c in FORBIDDEN})
    if bad:
        raise ValidationError(
            _("The letters I, O, S, V and Z never occur in a Unified Social Credit Code (found %(chars)s)."),
            code="forbidden_letter",
            params={"chars": ", ".join(bad)},
        )
    other = sorted({c for c in code if c not in VALUES})
    if other:
        raise ValidationError(
            _("Only digits and the capital letters of GB 32100 are allowed (found %(chars)s)."),
            code="bad_character",
            params={"chars": " ".join(other)},
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("Characters 3 to 8 are the administrative division code and must be digits."),
            code="division",
        )
    expected = check_character(code[:17])
    return UsccCheck(code=code, checksum_ok=code[17] == expected, expected_check=expected)


def validate_uscc(raw: str) -> None:
    """Model-field validator: refuses malformed codes, lets a checksum mismatch through (it is a warning)."""
    check_uscc(raw)


def checksum_warning(check: UsccCheck) -> str:
    return str(
        _(
            "The check character does not match (expected %(expected)s). Some early codes are valid anyway: "
            "verify this code on the national enterprise credit registry before relying on it."
        )
        % {"expected": check.expected_check}
    )
