"""Queueing the approval dossier. Rendering lives in reviews/dossier_render.py, the task in reviews/tasks.py."""

from django.db import transaction

from .audit import audit_record
from .models import Dossier, Review


def dossier_request(*, review: Review, actor) -> Dossier:
    """Create a queued dossier row and queue its generation once the surrounding transaction commits."""
    from .tasks import dossier_generate

    with transaction.atomic():
        dossier = Dossier.objects.create(review=review, requested_by=actor if getattr(actor, "pk", None) else None)
        audit_record(action="dossier.requested", actor=actor, review=review, obj=dossier)
        transaction.on_commit(lambda: dossier_generate.delay(dossier.pk))
    return dossier
