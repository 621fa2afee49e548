"""The requester's form for one of the brand's own channels: the channel's register entry and the reasons
for its review, in one page (/channels/new/). It validates input and hands it to the services."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from vendors.channel_rules import app_store_ids, validate_icp_filing
from vendors.models import OwnChannelKind
from vendors.people import OwnerField, PersonCombobox, owner_candidates
from vendors.selectors import vendor_by_uscc
from vendors.text import ControlCharactersRefused
from vendors.uscc import check_uscc

from .forms import ReviewRequestForm, _TagHelperMixin

# Words that say a line holds a secret rather than a person: administrators are people, never passwords.
SECRET_WORDS = re.compile(r"密码|口令|password|passwd|pwd", re.IGNORECASE)


def parse_administrators(text: str) -> list[tuple[str, str]]:
    """One administrator a line, "name, e-mail" (a comma, a Chinese comma or a tab between them)."""
    people, problems = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if SECRET_WORDS.search(line):
            problems.append(
                _(
                    "Line %(n)d looks like a password: list the people who administer the account, never a password."
                )
                % {"n": number}
            )
            continue
        parts = [part.strip() for part in re.split(r"[,，\t;；]", line) if part.strip()]
        email = next((part for part in parts if "@" in part), "")
        name = " ".join(part for part in parts if part != email)
        try:
            validate_email(email)
        except ValidationError:
            email = ""
        if not name or not email:
            problems.append(
                _(
                    "Line %(n)d: write the person's name and their e-mail address, e.g. “王芳, wang.fang@brand.cn”."
                )
                % {"n": number}
            )
            continue
        people.append((name, email.lower()))
    if problems:
        raise ValidationError(problems)
    if len({email for _name, email in people}) != len(people):
        raise ValidationError(_("Each administrator is listed once."))
    return people


class ChannelRequestForm(ControlCharactersRefused, _TagHelperMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of channel"), choices=[("", "---------"), *OwnChannelKind.choices])
    name_zh = forms.CharField(
        label=_("Channel name"),
        max_length=200,
        help_text=_("As users see it, e.g. “品牌官方旗舰店小程序”, “品牌官方抖音号”."),
    )
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    website = forms.URLField(
        label=_("Address"),
        required=False,
        assume_scheme="https",
        help_text=_("The site or the account's page."),
    )
    operator = forms.CharField(
        label=_("Platform operator"),
        max_length=200,
        required=False,
        help_text=_("Who runs the platform, e.g. 深圳市腾讯计算机系统有限公司 or 北京微播视界科技有限公司."),
    )
    operator_uscc = forms.CharField(
        label=_("Operator's credit code (optional)"),
        max_length=40,
        required=False,
        help_text=_("When the operator is a vendor in our register, its credit code links the two."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "mono"}),
    )
    icp_filing = forms.CharField(
        label=_("ICP filing number (ICP备案号)"),
        max_length=40,
        required=False,
        help_text=_("Websites and mini programs: e.g. 沪ICP备12345678号-1."),
    )
    app_store_ids = forms.CharField(
        label=_("App store identifiers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Apps: the App Store ID (id1234567890) and the Android package name (com.brand.app), one a line."
        ),
    )
    # Typed and searched by name (a combobox; without script, a user name or e-mail), never a drop-down of every
    # requester, which grew with the staff. Checked on the server: an active requester only.
    business_owner = OwnerField(
        label=_("Business owner"),
        queryset=owner_candidates(),
        widget=PersonCombobox(search_url=reverse_lazy("channel_owners")),
        help_text=_("Type a name, user name or e-mail and choose the requester from the list."),
    )
    administrators = forms.CharField(
        label=_("Account administrators"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One person a line: name, e-mail address. People with their own login, never a password."
        ),
    )
    connected_systems = forms.CharField(
        label=_("Systems it feeds"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where its follower, member or user data goes, e.g. CDP, CRM, loyalty system."),
    )
    purpose = ReviewRequestForm.base_fields["purpose"]
    personal_data = ReviewRequestForm.base_fields["personal_data"]
    expected_volume = ReviewRequestForm.base_fields["expected_volume"]
    data_traits = ReviewRequestForm.base_fields["data_traits"]

    # What registers the channel; a channel already in the register keeps its details (a new review of it).
    REGISTER_FIELDS = (
        "kind",
        "name_zh",
        "name_en",
        "website",
        "operator",
        "operator_uscc",
        "icp_filing",
        "app_store_ids",
        "business_owner",
        "administrators",
        "connected_systems",
    )

    def __init__(self, *args, user=None, existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = existing
        if existing is not None:
            for name in self.REGISTER_FIELDS:
                del self.fields[name]
        if "business_owner" in self.fields and user is not None and not self.is_bound:
            self.fields["business_owner"].initial = user  # the requester, named beside the input
        self.fields["purpose"].help_text = _(
            "What the channel is for: campaigns, membership, customer service."
        )
        self.fields["data_traits"].label = _("The channel will touch")

    def clean_icp_filing(self):
        value = self.cleaned_data["icp_filing"].strip()
        validate_icp_filing(value)
        return value

    def clean_app_store_ids(self):
        return "\n".join(app_store_ids(self.cleaned_data["app_store_ids"]))

    def clean_administrators(self):
        people = parse_administrators(self.cleaned_data["administrators"])
        if not people:
            raise ValidationError(_("Name at least one person who administers the account."))
        return people

    def clean_operator_uscc(self):
        raw = self.cleaned_data["operator_uscc"].strip()
        if not raw:
            return None
        operator = vendor_by_uscc(check_uscc(raw).code)
        if operator is None:
            raise ValidationError(
                _("No vendor with this credit code is in the register: leave it empty and name the operator.")
            )
        return operator
