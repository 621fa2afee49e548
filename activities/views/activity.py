"""Placeholder until the activity pages land (branch act-web): every route answers 404."""

from django.http import Http404


def _not_yet(request, *args, **kwargs):
    raise Http404("Not built yet.")


activity_list = activity_new = vendor_lookup = activity_detail = activity_edit = _not_yet
activity_acknowledge = activity_withdraw = _not_yet
