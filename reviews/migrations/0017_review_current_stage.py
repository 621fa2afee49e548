"""The review keeps its current stage (kind, state, waiting since) so that lists need no subquery per row
(reviews.current_stage). Existing reviews are filled in from their stages, in batches, before the indexes
are built; going back drops the columns, so there is nothing to undo."""

from django.conf import settings
from django.db import migrations, models

BATCH_SIZE = 1000


def backfill(apps, schema_editor):
    from reviews.current_stage import reviews_refresh_current_stage

    review_model, stage_model = apps.get_model("reviews", "Review"), apps.get_model("reviews", "Stage")
    reviews_refresh_current_stage(review_model.objects.all(), stage_model=stage_model, batch_size=BATCH_SIZE)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0016_executive_group"),
        ("vendors", "0005_inventory_import"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="review",
            name="current_stage_kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("questionnaire", "Due-diligence questionnaire"),
                    ("data_source", "Data-source legality evidence"),
                    ("security", "Security certification"),
                    ("sign_off", "Legal sign-off"),
                ],
                editable=False,
                max_length=16,
                null=True,
                verbose_name="current stage",
            ),
        ),
        migrations.AddField(
            model_name="review",
            name="current_stage_state",
            field=models.CharField(
                blank=True,
                choices=[
                    ("locked", "Locked"),
                    ("open", "Open"),
                    ("submitted", "Submitted"),
                    ("passed", "Passed"),
                    ("returned", "Returned"),
                    ("failed", "Failed"),
                ],
                editable=False,
                max_length=16,
                null=True,
                verbose_name="current stage state",
            ),
        ),
        migrations.AddField(
            model_name="review",
            name="current_stage_waiting_since",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="waiting since"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(
                fields=["current_stage_state", "current_stage_waiting_since", "id"],
                name="review_current_stage_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(fields=["current_stage_waiting_since", "id"], name="review_waiting_since_idx"),
        ),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(
                condition=models.Q(("state__in", ["draft", "in_progress"])),
                fields=["updated_at", "id"],
                name="review_open_updated_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(fields=["requester", "created_at", "id"], name="review_requester_created_idx"),
        ),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(
                fields=["requester", "state", "current_stage_state"], name="review_requester_current_idx"
            ),
        ),
    ]
