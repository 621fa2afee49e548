"""Every error of the API as JSON: {"error": <code>, "detail": <message>}, with the HTTP status of DRF's
exception (400, 401, 403, 404, 429). Codes are stable for machines; messages are for the people reading logs.
A 400 about a query parameter also names it ("parameter"), so that a machine need not parse the message."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        return " ".join(_first_message(value) for value in detail.values())
    if isinstance(detail, list):
        return " ".join(_first_message(value) for value in detail)
    return str(detail)


def _code(detail, default: str) -> str:
    if isinstance(detail, dict):
        detail = next(iter(detail.values()), default)
    if isinstance(detail, list):
        detail = detail[0] if detail else default
    return getattr(detail, "code", None) or default


def api_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.APIException):
        response.data = {"error": _code(exc.detail, exc.default_code), "detail": _first_message(exc.detail)}
        if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict) and exc.detail:
            response.data["parameter"] = next(iter(exc.detail))
    return response
