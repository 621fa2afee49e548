"""get_FOO_display of the models with choices (vendors.choices.ChoiceLabels) answers what Django's own
answers, in the active language, for every choice and for a value outside the choices."""

import pytest
from django.db import models
from django.utils import translation

from reviews.models import Decision, Dossier, Evidence, Review, Stage
from vendors.models import Certification, Vendor

FIELDS = [
    (Review, "state"),
    (Review, "current_stage_kind"),
    (Review, "current_stage_state"),
    (Stage, "kind"),
    (Stage, "state"),
    (Decision, "outcome"),
    (Evidence, "kind"),
    (Dossier, "status"),
    (Vendor, "category"),
    (Vendor, "status"),
    (Vendor, "risk_tier"),
    (Certification, "kind"),
    (Certification, "edition"),
]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(("model", "name"), FIELDS)
def test_each_label_is_djangos_in_the_active_language(model, name, language):
    field = model._meta.get_field(name)
    values = [value for value, _label in field.flatchoices] + ["not-a-choice", None]
    with translation.override(language):
        for value in values:
            instance = model(**{field.attname: value})
            shown = getattr(instance, f"get_{name}_display")()
            assert shown == models.Model._get_FIELD_display(instance, field)
            assert shown == (
                str(dict(field.flatchoices)[value]) if value in dict(field.flatchoices) else value
            )


def test_the_labels_follow_the_language_after_the_first_call():
    stage = Stage(kind="security", state="submitted")
    with translation.override("en"):
        english = (stage.get_kind_display(), stage.get_state_display())
    with translation.override("zh-hans"):
        chinese = (stage.get_kind_display(), stage.get_state_display())
    assert english == ("Security certification", "Submitted")
    assert chinese != english and all(isinstance(label, str) for label in chinese)
