"""I7 for scope extensions: an extension and its documents are part of the approval's record (its dossier's
addendum), kept at least three years (PIPL Art. 56), so they refuse deletion as a review's rows do
(reviews.retention). A document is also frozen from the moment it is stored: the file Legal and Security
read, and whose SHA-256 the audit log holds, is never replaced by another under the same row."""

from django.db.models import ProtectedError
from django.db.models.signals import pre_delete, pre_save

from .models import ExtensionFile, ScopeExtension

RETAINED = (ScopeExtension, ExtensionFile)
FROZEN_FIELDS = (
    "extension_id",
    "kind",
    "file",
    "original_name",
    "size",
    "content_type",
    "sha256",
    "uploaded_by_id",
    "uploaded_at",
)


def _refuse_delete(sender, instance, **kwargs):
    raise ProtectedError(
        f"{sender._meta.verbose_name} #{instance.pk} is part of an approval's record and is kept (I7).",
        {instance},
    )


def _refuse_replacing(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    kept = ExtensionFile.objects.filter(pk=instance.pk).values(*FROZEN_FIELDS).first()
    if kept is None:
        return
    now = {name: getattr(instance, name) for name in FROZEN_FIELDS}
    now["file"] = getattr(now["file"], "name", now["file"])
    changed = sorted(name for name in FROZEN_FIELDS if kept[name] != now[name])
    if changed:
        raise ProtectedError(
            f"extension document #{instance.pk} is frozen (I7): {', '.join(changed)} cannot change.",
            {instance},
        )


for _model in RETAINED:
    pre_delete.connect(_refuse_delete, sender=_model, dispatch_uid=f"retain-{_model._meta.label_lower}")
pre_save.connect(_refuse_replacing, sender=ExtensionFile, dispatch_uid="freeze-activities.extensionfile")
