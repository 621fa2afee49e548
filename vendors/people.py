"""How a person is named on every page, mail, dossier, admin list, drop-down and audit sentence: one rule,
here.

Chinese names are written family name first with no space (王晓雯); other names given name first (Anna
Schmidt). The username stands in only when an account has no name. It lives in vendors, the lower layer,
so that both apps (and their templates, through the `people` tag library) name people the same way. Nothing
else names a person: not `get_full_name` (given name first: "晓雯 王"), not the account's user name ("cmo"),
not `str(user)`; tests/test_person_names.py holds every page to it."""

import re

from django import forms
from django.contrib import admin

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def person_name(user) -> str:
    """The name to show for `user` (a User, or None for the system)."""
    if user is None:
        return ""
    given = (getattr(user, "first_name", "") or "").strip()
    family = (getattr(user, "last_name", "") or "").strip()
    if not (given or family):
        return user.get_username()
    if _CJK.search(given + family):
        return f"{family}{given}"
    return " ".join(part for part in (given, family) if part)


# The order people are listed in: by family name, then given name, the nameless accounts by user name.
PEOPLE_ORDER = ("last_name", "first_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    """A drop-down of people named as everywhere else, ordered by family name."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset.order_by(*PEOPLE_ORDER), **kwargs)

    def label_from_instance(self, obj) -> str:
        return person_name(obj)


def person_column(field: str, description):
    """An admin list column naming the user in `field` as everywhere else, not by user name."""

    @admin.display(description=description, ordering=field)
    def column(self, obj):
        return person_name(getattr(obj, field)) or "—"

    return column
