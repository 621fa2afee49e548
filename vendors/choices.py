"""get_FOO_display() without translating every label of the field on each call."""

from django.utils.encoding import force_str


class ChoiceLabels:
    """get_FOO_display() from a dict of the field's choices built once per field. Django's own builds the dict
    on every call and hashes each (lazy) label while doing so, which translates every label of the field: a
    requester's dashboard shows a few hundred states and kinds, and spent a quarter of its time there; a page
    of the approved list, two labels a vendor. The labels stay lazy in the dict, so each call still answers in
    the active language. A mixin for any model with choices (before models.Model in its bases)."""

    _choice_labels: dict = {}

    def _get_FIELD_display(self, field):
        labels = ChoiceLabels._choice_labels.get(field)
        if labels is None:
            labels = ChoiceLabels._choice_labels[field] = dict(field.flatchoices)
        value = getattr(self, field.attname)
        return force_str(labels.get(value, value), strings_only=True)
