import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from reviews.grants import API_KEY_KEEPERS, permissions_grant


def grant(apps, schema_editor):
    permissions_grant(apps, API_KEY_KEEPERS)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0014_review_catch_up"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="The system that uses the key, e.g. “CDP production”.",
                        max_length=100,
                        verbose_name="name",
                    ),
                ),
                (
                    "prefix",
                    models.CharField(
                        editable=False,
                        help_text="The start of the token, to tell keys apart; it opens nothing.",
                        max_length=16,
                        verbose_name="prefix",
                    ),
                ),
                (
                    "token_hash",
                    models.CharField(editable=False, max_length=64, unique=True, verbose_name="token hash"),
                ),
                ("scopes", models.JSONField(blank=True, default=list, verbose_name="scopes")),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="created"
                    ),
                ),
                (
                    "last_used_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="last used"),
                ),
                (
                    "revoked_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="revoked"),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                (
                    "revoked_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="revoked by",
                    ),
                ),
            ],
            options={
                "verbose_name": "API key",
                "verbose_name_plural": "API keys",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
