"""The use check's query, read strictly: a marketing system that misspells a parameter or a code must learn
it at once (400, naming the parameter and the accepted values), never get an answer to a question it did not
ask. A parameter that takes several values is repeated (`channel=sms&channel=edm`), as OpenAPI's default
for query arrays (style form, explode) has it; "sms,edm" is one unknown value, and the error says to repeat.

The same table feeds the OpenAPI parameters (api.views), so the documented enums are the accepted ones."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import exceptions

from activities.rules import Use
from vendors.scope import AudienceSource, Ceiling, Channel, DataCategory, Purpose
from vendors.uscc import check_uscc

BOOLEAN = ("true", "false")
# How much of a refused value the error repeats: enough to recognise it, never a page of someone's input.
ECHO_LENGTH = 40


@dataclass(frozen=True)
class Parameter:
    name: str
    values: tuple[str, ...] | None  # the accepted codes; None for the credit code (vendors.uscc)
    many: bool = False
    required: bool = True


USE_CHECK_PARAMETERS = (
    Parameter("uscc", None),
    Parameter("purpose", tuple(Purpose.values)),
    Parameter("channel", tuple(Channel.values), many=True),
    Parameter("data", tuple(DataCategory.values), many=True),
    Parameter("audience", tuple(AudienceSource.values)),
    Parameter("cross_border", BOOLEAN, required=False),
    Parameter("volume", tuple(Ceiling.values), required=False),
)


@dataclass(frozen=True)
class UseQuery:
    uscc: str
    use: Use


def _echo(value: str) -> str:
    return value if len(value) <= ECHO_LENGTH else value[:ECHO_LENGTH] + "…"


def _error(message: str, code: str) -> list:
    return [exceptions.ErrorDetail(message, code=code)]


def _check(parameter: Parameter, given: list[str]) -> tuple[str | tuple[str, ...] | None, list | None]:
    """(the value read, None) or (None, the error)."""
    accepted = ", ".join(parameter.values or ())
    if not given:
        if not parameter.required:
            return None, None
        if parameter.values is None:
            return None, _error(
                _(
                    "The parameter %(parameter)s is required: the vendor's 18-character Unified "
                    "Social Credit Code."
                )
                % {"parameter": parameter.name},
                "parameter_missing",
            )
        return None, _error(
            _("The parameter %(parameter)s is required; accepted values: %(values)s.")
            % {"parameter": parameter.name, "values": accepted},
            "parameter_missing",
        )
    if not parameter.many and len(given) > 1:
        return None, _error(
            _("The parameter %(parameter)s takes one value; it was given %(count)d times.")
            % {"parameter": parameter.name, "count": len(given)},
            "parameter_repeated",
        )
    if parameter.values is None:
        try:
            return check_uscc(given[0]).code, None
        except DjangoValidationError as error:
            return None, _error(" ".join(error.messages), "uscc_invalid")
    for value in given:
        if value not in parameter.values:
            if parameter.many:
                message = _(
                    "%(parameter)s: “%(value)s” is not accepted; accepted values: %(values)s. For several "
                    "values, repeat the parameter: %(example)s."
                )
            else:
                message = _("%(parameter)s: “%(value)s” is not accepted; accepted values: %(values)s.")
            example = f"{parameter.name}={parameter.values[0]}&{parameter.name}={parameter.values[1]}"
            return None, _error(
                message
                % {
                    "parameter": parameter.name,
                    "value": _echo(value),
                    "values": accepted,
                    "example": example,
                },
                "parameter_invalid",
            )
    if parameter.many:
        return tuple(code for code in parameter.values if code in given), None
    return given[0], None


def checked_uscc(raw: str) -> str:
    """The normalised credit code, or a 400 `uscc_invalid` saying what is wrong with it."""
    try:
        return check_uscc(raw).code
    except DjangoValidationError as error:
        raise exceptions.ValidationError({"uscc": _error(" ".join(error.messages), "uscc_invalid")}) from None


def use_query(params: QueryDict) -> UseQuery:
    """The use asked about, or DRF's ValidationError with one entry per parameter in error (the first names
    the error's code). Parameters this endpoint does not know are refused too: a misspelt `cross-border`
    must not read as "data stays in China"."""
    errors: dict[str, list] = {}
    one: dict[str, str] = {}  # a parameter's value ("" when an optional one is not given)
    many: dict[str, tuple[str, ...]] = {}  # a repeated parameter's codes
    for parameter in USE_CHECK_PARAMETERS:
        value, error = _check(parameter, params.getlist(parameter.name))
        if error:
            errors[parameter.name] = error
        if isinstance(value, tuple):
            many[parameter.name] = value
        else:
            one[parameter.name] = value or ""
    known = [parameter.name for parameter in USE_CHECK_PARAMETERS]
    for name in params:
        if name not in known:
            errors[name] = _error(
                _("Unknown parameter %(parameter)s; this endpoint accepts %(accepted)s.")
                % {"parameter": _echo(name), "accepted": ", ".join(known)},
                "parameter_unknown",
            )
    if errors:
        raise exceptions.ValidationError(errors)
    use = Use(
        purpose=one["purpose"],
        channels=many["channel"],
        data_categories=many["data"],
        audience_source=one["audience"],
        cross_border=one["cross_border"] == "true",
        volume=one["volume"],
    )
    return UseQuery(uscc=one["uscc"], use=use)
