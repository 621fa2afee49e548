"""I7: nothing of a review is hard-deleted. PIPL Art. 56 and NDSMR Art. 12 keep the assessment and the
processing records at least 3 years, so the rows that make up a review's file refuse deletion outright.

Foreign keys with on_delete=PROTECT already stop a parent (a vendor, a review) from going while anything
refers to it; this guard covers the leaves nothing refers to (an evidence file, a decision, a sign-off).
A pre_delete receiver also catches QuerySet.delete(): Django gives up its fast path when one is connected."""

from django.db.models import ProtectedError
from django.db.models.signals import pre_delete

from vendors.models import Certification

from .models import (
    Answer,
    ContactLink,
    Decision,
    Dossier,
    Evidence,
    Review,
    SignOff,
    Stage,
    StageCertification,
)

# ContactLink: who was let in, by whom, until when, is part of the record of who supplied the answers.
RETAINED = (
    Review,
    Stage,
    StageCertification,
    Answer,
    Evidence,
    Decision,
    SignOff,
    Dossier,
    Certification,
    ContactLink,
)


def _refuse_delete(sender, instance, **kwargs):
    raise ProtectedError(
        f"{sender._meta.verbose_name} #{instance.pk} is part of a review's record and is kept (I7); "
        "withdraw or supersede it instead of deleting it.",
        {instance},
    )


for _model in RETAINED:
    pre_delete.connect(_refuse_delete, sender=_model, dispatch_uid=f"retain-{_model._meta.label_lower}")
