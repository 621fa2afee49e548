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
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .admin_lists import AdminMixin

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


def person_column(field: str, description):
    """An admin list column naming the user in `field` as everywhere else, not by user name."""

    @admin.display(description=description, ordering=field)
    def column(self, obj):
        return person_name(getattr(obj, field)) or "—"

    return column


PERSON_SUFFIX = "_person"


class PersonFieldsMixin(AdminMixin):
    """For a ModelAdmin of a record: each field naming a user (uploaded by, decided by, signed by ...) is shown
    on the record's page as the person, as everywhere else, not as the account's user name behind a link to the
    accounts' admin. A list names them with person_column."""

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        from django.contrib.auth import get_user_model

        self.person_fields = [
            field.name
            for field in model._meta.concrete_fields
            if field.many_to_one and field.related_model is get_user_model()
        ]
        for name in self.person_fields:
            field = model._meta.get_field(name)
            setattr(self, name + PERSON_SUFFIX, person_column(name, field.verbose_name).__get__(self))

    def get_readonly_fields(self, request, obj=None):
        return [
            *super().get_readonly_fields(request, obj),
            *(name + PERSON_SUFFIX for name in self.person_fields),
        ]

    def get_fields(self, request, obj=None):
        shown = [
            name + PERSON_SUFFIX if isinstance(name, str) and name in self.person_fields else name
            for name in super().get_fields(request, obj)
        ]
        return list(dict.fromkeys(shown))


# Who may answer for a vendor as its business owner: an active requester, the business side that uses it (the
# group reviews.roles.Role.REQUESTER makes; vendors does not import reviews, so its name is spelled here).
OWNER_GROUP = "Requester"
# How many people one answer of the owner search returns: enough to choose from, never the whole staff list.
OWNER_MATCHES = 10


def owner_candidates():
    """The people a vendor's business owner may be chosen from (active requesters), by family name."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=OWNER_GROUP)
        .order_by(*PEOPLE_ORDER)
        .only("username", "first_name", "last_name", "email")
    )


def people_matching(queryset, term: str):
    """The people of `queryset` whose name (either order, with or without a space), user name or e-mail
    contains `term`, case-insensitively; everyone for an empty term."""
    from django.db.models import Q, Value
    from django.db.models.functions import Concat

    term = " ".join(term.split())
    if not term:
        return queryset
    joined = term.replace(" ", "")
    return queryset.annotate(
        _family_first=Concat("last_name", "first_name"),
        _given_first=Concat("first_name", Value(" "), "last_name"),
    ).filter(
        Q(_family_first__icontains=joined)
        | Q(_given_first__icontains=term)
        | Q(username__icontains=term)
        | Q(email__icontains=term)
    )


def person_choice(user) -> dict:
    """A person as the owner search returns them: what to type (the user name), and how they are named."""
    return {"value": user.get_username(), "name": person_name(user), "email": user.email or ""}


class OwnerInput(forms.TextInput):
    """The business owner typed as a user name or e-mail: a plain input that works without script, which
    static/js/person-search.js turns into a search of people by name (a list under the input, filled from the
    owner search of the admin) when script runs."""

    class Media:
        js = ["js/person-search.js"]

    def __init__(self, attrs=None, *, search_url: str = ""):
        extra = {"autocomplete": "off", "spellcheck": "false", "data-person-search": search_url}
        super().__init__({**extra, **(attrs or {})})
        self.names: dict[str, str] = {}  # user name -> the person's name, for the one shown (OwnerField)

    def render(self, name, value, attrs=None, renderer=None):
        """The input, and the name of the person it holds beside it (family name first), which the script
        keeps up to date as one types."""
        from django.utils.html import format_html

        field = super().render(name, value, attrs, renderer)
        widget_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        said = self.names.get(str(value or ""), "")
        return format_html(
            '{} <span class="person-search-name" id="{}-name" aria-live="polite">{}</span>',
            field,
            widget_id,
            said,
        )


class PersonCombobox(OwnerInput):
    """The person typed as a user name or e-mail: a plain text input that works without script (the server
    finds the person by user name or e-mail, OwnerField), which static/js/person-combobox.js makes an ARIA
    combobox with a list of suggestions (WAI-ARIA Authoring Practices, "editable combobox with list
    autocomplete"): the people whose name, user name or e-mail holds what is typed, found by the search at
    `search_url` ({"results": [{"value", "name", "email"}], "more"}), listed under the input, chosen with the
    arrow keys and Enter or by a click; Escape closes the list. The person's name is said beside the input.
    Served from the site's own static files, no CDN."""

    class Media:
        extend = False
        js = ["js/person-combobox.js"]

    def __init__(self, attrs=None, *, search_url: "str | Promise" = ""):
        super().__init__(attrs)
        del self.attrs["data-person-search"]  # not person-search.js's <datalist>
        self.attrs.update(
            {
                "data-person-combobox": search_url,
                "data-none": _("Nobody matches: type a requester's name, user name or e-mail."),
                "data-more": _("More people match: type more of the name."),
            }
        )

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.names = {}  # each form's own (the field's widget is copied for each form)
        return copied


class OwnerField(forms.Field):
    """A person chosen among `queryset` (plus `also`, the owner already recorded, who may stay), typed as a
    user name, an e-mail address or, from a form posted as the admin renders a foreign key, the account's id.
    The server checks it: someone outside the candidates is refused, whatever the browser sent. Shown as
    the user name of the person chosen."""

    default_error_messages = {
        "unknown": _(
            "No requester is known by “%(value)s”: choose one from the list, or type a user name or e-mail."
        ),
        "ambiguous": _("Several people have the e-mail “%(value)s”: type the user name instead."),
    }

    def __init__(self, *, queryset, search_url: str = "", **kwargs):
        kwargs.setdefault("widget", OwnerInput(search_url=search_url))
        super().__init__(**kwargs)
        self.queryset = queryset
        self.also = None  # the id of the owner already recorded

    def _allowed(self):
        from django.db.models import Q

        where = Q(pk__in=self.queryset.values("pk"))
        if self.also is not None:
            where |= Q(pk=self.also)
        return self.queryset.model._default_manager.filter(where)

    def prepare_value(self, value):
        if value in self.empty_values:
            return ""
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            # Named only among the people who may be chosen: an id typed or forged is not turned into the name
            # of whoever holds it.
            people = self._allowed().filter(pk=value)
            value = next(iter(people.only("username", "first_name", "last_name")), value)
        if hasattr(value, "get_username"):
            if isinstance(self.widget, OwnerInput):
                self.widget.names[value.get_username()] = person_name(value)
            return value.get_username()
        return value

    def to_python(self, value):
        text = (value or "").strip() if isinstance(value, str) else value
        if text in self.empty_values:
            return None
        if hasattr(text, "pk"):
            return text
        allowed = self._allowed()
        text = str(text)
        found = list(allowed.filter(username=text)[:1])
        if not found:
            found = list(allowed.filter(email__iexact=text)[:2])
            if len(found) > 1:
                raise ValidationError(
                    self.error_messages["ambiguous"], code="ambiguous", params={"value": text}
                )
        if not found and text.isdigit():
            found = list(allowed.filter(pk=int(text))[:1])
        if not found:
            raise ValidationError(self.error_messages["unknown"], code="unknown", params={"value": text})
        return found[0]

    def has_changed(self, initial, data) -> bool:
        initial_pk = getattr(initial, "pk", initial)
        try:
            chosen = self.to_python(data)
        except ValidationError:
            return True
        return (None if chosen is None else chosen.pk) != (
            initial_pk if initial_pk not in ("", None) else None
        )
