"""The URL of one object's page, for lists of many rows.

Django's reverse() walks the URL patterns on every call (tens of microseconds each); a list of fifty rows
with two or three links a row spends milliseconds on it. object_url() reverses each view name once, with a
placeholder key, and then only puts each row's key in its place. The reversed form is kept per view name,
script prefix and URLconf, so a deployment under a sub-path, or a test with another URLconf, gets its own;
it is dropped whenever Django drops its own URL caches (clear_url_caches: a changed ROOT_URLCONF)."""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

# Keys no table will reach, whose digits cannot occur elsewhere in a reversed path of this project: one for
# each key a view takes (a review's file: the review's and the file's).
_PLACEHOLDERS = ("9081726354", "9081726355", "9081726356")
_forms: dict[tuple, tuple[str, ...] | None] = {}


def object_url(viewname: str, *keys) -> str:
    """reverse(viewname, args=[*keys]) for a view taking one to three integer keys, without walking the
    patterns for every row. A key that is not an integer goes through reverse() itself."""
    if (
        not keys
        or len(keys) > len(_PLACEHOLDERS)
        or any(not isinstance(k, int) or isinstance(k, bool) for k in keys)
    ):
        return reverse(viewname, args=list(keys))
    key = (viewname, len(keys), get_script_prefix(), get_urlconf())
    try:
        form = _forms[key]
    except KeyError:
        placeholders = _PLACEHOLDERS[: len(keys)]
        form = _forms[key] = _split(reverse(viewname, args=[int(p) for p in placeholders]), placeholders)
    if form is None:  # a placeholder's digits also occur elsewhere in the path: reverse each time
        return reverse(viewname, args=list(keys))
    if len(keys) == 1:
        return f"{form[0]}{keys[0]}{form[1]}"
    return form[0] + "".join(f"{k}{tail}" for k, tail in zip(keys, form[1:], strict=False))


def _split(url: str, placeholders: tuple[str, ...]) -> tuple[str, ...] | None:
    """The path around its placeholders, in their order; None unless each occurs once, in that order."""
    if any(url.count(p) != 1 for p in placeholders):
        return None
    parts, rest = [], url
    for placeholder in placeholders:
        head, found, rest = rest.partition(placeholder)
        if not found:
            return None
        parts.append(head)
    return (*parts, rest)


@receiver(setting_changed)
def _forget_forms(*, setting, **kwargs):
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        _forms.clear()
