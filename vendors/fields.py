"""Model fields that several apps' models declare alike."""

from django.conf import settings
from django.db import models


def user_reference(verbose_name, *, required: bool = False, editable: bool = True) -> models.ForeignKey:
    """The user who did something a record keeps (uploaded it, decided it, acknowledged it...), empty until
    someone has unless `required`. The user can never be deleted while a record names them, and is not linked
    back."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=not required,
        blank=not required,
        related_name="+",
        editable=editable,
        verbose_name=verbose_name,
    )
