"""Placeholder until the extension pages land (branch act-web): every route answers 404."""

from django.http import Http404


def _not_yet(request, *args, **kwargs):
    raise Http404("Not built yet.")


extension_new = extension_detail = extension_withdraw = extension_file = _not_yet
