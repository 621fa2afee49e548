"""What both records are made of: the rows, steps and recorded facts of their view models
(activities.records.activity, activities.records.addendum), and the helpers that give each label and coded
value in Chinese and English at once (reviews.bilingual.Bi). Free text (names, reasons, comments) is printed as
it was typed.

`recorded` keeps the facts as stored, as canonical JSON, whose SHA-256 the footer prints and which is embedded
in the PDF, so that an auditor can recompute the digest from the file alone. It holds the codes and times as
stored, never labels or the time of issue: the same facts give the same digest whenever and in whichever
language the record is issued."""

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone, translation

from reviews.bilingual import EN, ZH, Bi, bi
from reviews.dossier.attachments import DossierFile
from vendors.people import person_name
from vendors.scope import Scope

from .labels import LABELS


class RecordNotAvailable(Exception):
    """The activity is not decided, or the extension not approved: there is nothing to confirm yet."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Row:
    label: Bi
    value: Bi


@dataclass(frozen=True)
class Step:
    """An acknowledgement or a decision: who, when, what and why."""

    outcome: Bi | None
    by: str
    at: str
    text: str = ""
    code: str = ""  # approved | refused | passed, for the page's colour (the words say it too)


@dataclass(frozen=True)
class Recorded:
    """The facts as stored (canonical JSON), embedded in the PDF under `name`; `sha256` is in its footer."""

    name: str
    data: bytes
    sha256: str

    def as_file(self, *, record_id: int) -> DossierFile:
        """The JSON as a file of the PDF's manifest, so that verify_dossier checks it with the others."""
        return DossierFile(
            name=self.name,
            original_name=self.name,
            role="record",
            record_id=record_id,
            kind="record",
            size=len(self.data),
            sha256=self.sha256,
            embedded=True,
            stored_sha256=self.sha256,
            data=self.data,
        )


def label(key: str, **params) -> Bi:
    return bi(LABELS[key], **params)


def in_both(make: Callable[[], str]) -> Bi:
    """What `make` says under Chinese, then under English."""
    with translation.override(ZH):
        zh = make()
    with translation.override(EN):
        en = make()
    return Bi(zh, en)


def local_time(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def person(user) -> str:
    return person_name(user) if user is not None else "—"


def username(user) -> str | None:
    return user.get_username() if user is not None else None


def utc_iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat() if moment else None


def joined(zh: list[str], en: list[str]) -> Bi:
    """Labels listed as each language lists them; "None" when there are none."""
    return Bi("、".join(zh), ", ".join(en)) if en else label("none")


def labels_of(choices, codes: Iterable[str]) -> Bi:
    items = [bi(choices(code).label) for code in codes if code in choices.values]
    return joined([item.zh for item in items], [item.en for item in items])


def yes_no(value: bool) -> Bi:
    return label("yes" if value else "no")


def as_typed(value: str) -> Bi:
    return Bi(value, value)


def scope_rows(scope: Scope, *, all_rows: bool = True) -> tuple[Row, ...]:
    """A scope as Scope.labels() reads it, in both languages, one row per dimension; `all_rows=False` leaves
    out what it does not name (an addition)."""
    with translation.override(ZH):
        zh = scope.labels()
    with translation.override(EN):
        en = scope.labels()
    result = [
        Row(label(key), joined(getattr(zh, name), getattr(en, name)))
        for key, name in (
            ("scope_purposes", "purposes"),
            ("scope_channels", "channels"),
            ("scope_data", "data_categories"),
            ("scope_audiences", "audience_sources"),
        )
        if getattr(en, name) or all_rows
    ]
    if scope.cross_border or all_rows:
        result.append(Row(label("scope_cross_border"), yes_no(scope.cross_border)))
    if scope.ceiling:
        result.append(Row(label("scope_ceiling"), Bi(zh.ceiling, en.ceiling)))
    if scope.conditions:
        result.append(Row(label("scope_conditions"), joined(zh.conditions, en.conditions)))
    if scope.other_conditions:
        result.append(Row(label("scope_other"), as_typed(scope.other_conditions)))
    return tuple(result)


def recorded(name: str, facts: dict) -> Recorded:
    """The facts as canonical JSON with their SHA-256."""
    data = json.dumps(facts, ensure_ascii=False, sort_keys=True, indent=1).encode()
    return Recorded(name=name, data=data, sha256=hashlib.sha256(data).hexdigest())
