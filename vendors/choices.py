"""get_FOO_display() without translating every label of the field on each call."""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.encoding import force_str
from django.utils.translation import get_language


class ChoiceLabels:
    """get_FOO_display() from a dict of the field's choices, translated once per field and language. Django's
    own builds the dict on every call and hashes each (lazy) label while doing so, which translates every label
    of the field: a requester's dashboard shows a few hundred states and kinds, and spent a quarter of its time
    there; a page of the approved list, two labels a vendor. Translating even the one label shown costs some
    10 µs, which a review page paid some sixty times. The dict is kept per active language, so each call still
    answers in it; it is dropped whenever Django drops its translations (a changed LANGUAGES, LANGUAGE_CODE,
    LOCALE_PATHS or USE_I18N, in tests). A mixin for any model with choices (before models.Model in its
    bases)."""

    _choice_labels: dict = {}

    def _get_FIELD_display(self, field):
        key = (field, get_language())
        labels = ChoiceLabels._choice_labels.get(key)
        if labels is None:
            labels = ChoiceLabels._choice_labels[key] = {
                value: force_str(label, strings_only=True) for value, label in field.flatchoices
            }
        value = getattr(self, field.attname)
        try:
            return labels[value]
        except (KeyError, TypeError):  # a value outside the choices (TypeError: one that cannot be a key)
            return force_str(value, strings_only=True)


@receiver(setting_changed)
def _forget_choice_labels(*, setting, **kwargs):
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "USE_I18N"}:
        ChoiceLabels._choice_labels.clear()
