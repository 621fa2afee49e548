"""The URL of one object's page, for lists of many rows.

Django's reverse() walks the URL patterns on every call (tens of microseconds each); a list of fifty rows
with two or three links a row spends milliseconds on it. object_url() reverses each view name once, with a
placeholder key, and then only puts each row's key in its place. The reversed form is kept per view name,
script prefix and URLconf, so a deployment under a sub-path, or a test with another URLconf, gets its own;
it is dropped whenever Django drops its own URL caches (clear_url_caches: a changed ROOT_URLCONF)."""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

# A key no table will reach, whose digits cannot occur elsewhere in a reversed path of this project.
_PLACEHOLDER = "9081726354"
_forms: dict[tuple, tuple[str, str] | None] = {}


def object_url(viewname: str, pk) -> str:
    """reverse(viewname, args=[pk]) for a view taking one integer key, without walking the patterns for
    every row. A key that is not an integer goes through reverse() itself."""
    if not isinstance(pk, int) or isinstance(pk, bool):
        return reverse(viewname, args=[pk])
    key = (viewname, get_script_prefix(), get_urlconf())
    try:
        form = _forms[key]
    except KeyError:
        form = _forms[key] = _split(reverse(viewname, args=[int(_PLACEHOLDER)]))
    if form is None:  # the placeholder's digits also occur elsewhere in the path: reverse each time
        return reverse(viewname, args=[pk])
    return f"{form[0]}{pk}{form[1]}"


def _split(url: str) -> tuple[str, str] | None:
    if url.count(_PLACEHOLDER) != 1:
        return None
    head, _sep, tail = url.partition(_PLACEHOLDER)
    return head, tail


@receiver(setting_changed)
def _forget_forms(*, setting, **kwargs):
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        _forms.clear()
