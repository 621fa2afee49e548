"""Security-stage certificates get a link model with the round they were put forward in.

The plain many-to-many table reviews_stage_certifications becomes the table of StageCertification: its rows
and columns are kept as they are (Django's documented way of moving a many-to-many to a `through` model),
then the two round columns are added. Existing links belong to round 1 and are current."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0003_questionnaire_v1"),
        ("vendors", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="StageCertification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "certification",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="stage_links",
                                to="vendors.certification",
                                verbose_name="certification",
                            ),
                        ),
                        (
                            "stage",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="certificate_links",
                                to="reviews.stage",
                                verbose_name="stage",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "stage certificate",
                        "verbose_name_plural": "stage certificates",
                        "db_table": "reviews_stage_certifications",
                        # The unique index the many-to-many table was created with.
                        "unique_together": {("stage", "certification")},
                    },
                ),
                migrations.AlterField(
                    model_name="stage",
                    name="certifications",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="stages",
                        through="reviews.StageCertification",
                        to="vendors.certification",
                        verbose_name="certifications",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="stagecertification",
            name="round",
            field=models.PositiveSmallIntegerField(default=1, editable=False, verbose_name="round"),
        ),
        migrations.AddField(
            model_name="stagecertification",
            name="dropped_in_round",
            field=models.PositiveSmallIntegerField(
                blank=True, editable=False, null=True, verbose_name="dropped in round"
            ),
        ),
        # The same rule under a name of our own.
        migrations.AlterUniqueTogether(name="stagecertification", unique_together=set()),
        migrations.AddConstraint(
            model_name="stagecertification",
            constraint=models.UniqueConstraint(
                fields=("stage", "certification"), name="stage_certificate_once"
            ),
        ),
    ]
