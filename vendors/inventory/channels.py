"""The brand's own channels in an inventory file (docs/architecture.md "Own channels").

A row whose category is the brand's own channel (自有渠道) has no credit code: it is told apart by its name
among the own channels, and says its kind in the column "Kind of own channel" (a value or a label of
vendors.scope.OwnChannelKind, in either language). The rest of the row reads as a vendor's. Kept apart from
reading.py, which calls it at three points: reading a row, finding the entry it updates, and the duplicates.
"""

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import OwnChannel, Vendor, VendorCategory
from ..scope import OwnChannelKind
from .columns import choice_map, normalize_heading, text


def is_channel_row(values: dict) -> bool:
    return values.get("category") == VendorCategory.OWN_CHANNEL


def read_channel(row) -> None:
    """The channel's kind, and no credit code (a code given is refused: the brand is not its own vendor)."""
    raw, values = row.raw, row.values
    if text(raw.get("uscc")):
        row.errors.append(_("An own channel has no credit code: leave the cell empty."))
    values["uscc"], values["uscc_checksum_ok"] = "", True
    kind = text(raw.get("channel_kind"))
    values["channel_kind"] = choice_map(OwnChannelKind.choices).get(normalize_heading(kind)) if kind else None
    if values["channel_kind"] is None:
        row.errors.append(
            _("Unknown kind of own channel “%(value)s”.") % {"value": kind}
            if kind
            else _("Give the kind of own channel (website, WeChat official account, mini program, app…).")
        )


def channel_duplicates(rows) -> None:
    """The same channel name twice in one file is one channel listed twice."""
    names = Counter(row.values.get("name_zh") for row in rows if is_channel_row(row.values))
    for row in rows:
        if is_channel_row(row.values) and names[row.values.get("name_zh")] > 1:
            row.errors.append(
                ngettext(
                    "The same own channel is listed %(n)d times in this file.",
                    "The same own channel is listed %(n)d times in this file.",
                    names[row.values["name_zh"]],
                )
                % {"n": names[row.values["name_zh"]]}
            )


def existing_channels(rows) -> dict[str, Vendor]:
    """Channel name -> the own channel of the register with that name."""
    names = {row.values.get("name_zh") for row in rows if is_channel_row(row.values)}
    if not names:
        return {}
    return {
        entry.name_zh: entry
        for entry in Vendor.objects.filter(category=VendorCategory.OWN_CHANNEL, name_zh__in=names)
    }


def channel_rows_created(pairs) -> None:
    """The channel rows of the entries an import created: (entry, kind) pairs, the entries saved."""
    OwnChannel.objects.bulk_create([OwnChannel(entry=entry, kind=kind) for entry, kind in pairs])
