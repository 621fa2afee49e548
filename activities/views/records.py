"""Placeholder until the PDF records land (branch records): every route answers 404."""

from django.http import Http404


def _not_yet(request, *args, **kwargs):
    raise Http404("Not built yet.")


activity_record = extension_addendum = _not_yet
