import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from vendors.text import ControlCharactersRefused

from .services import DEFAULT_DAYS as CONTACT_LINK_DEFAULT_DAYS
from .services import MAX_DAYS as CONTACT_LINK_MAX_DAYS


class ContactLinkForm(ControlCharactersRefused, forms.Form):
    """The requester invites the vendor's contact (reviews.contact.services.contact_link_create)."""

    name = forms.CharField(
        label=_("Contact's name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email = forms.EmailField(
        label=_("Contact's e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=CONTACT_LINK_MAX_DAYS,
        initial=CONTACT_LINK_DEFAULT_DAYS,
        error_messages={
            "max_value": _("A link is valid for at most %(limit_value)s days."),
            "min_value": _("A link is valid for at least %(limit_value)s day."),
        },
    )
    send = forms.BooleanField(label=_("E-mail the link to the contact"), required=False, initial=True)
    request_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:  # a fresh form gets a fresh key; a form shown again with errors keeps its own
            self.initial.setdefault("request_key", secrets.token_urlsafe(24))
