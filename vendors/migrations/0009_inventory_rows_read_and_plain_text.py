"""The rows of an inventory file as read at upload, kept for its preview and confirmation (the file is not read
again); a vendor's names and systems are plain text (vendors/text.py PlainText), in the forms and the import
alike. No data changes: the validators apply to what is saved from now on."""

from django.db import migrations, models

import vendors.text


class Migration(migrations.Migration):
    dependencies = [
        ("vendors", "0008_vendor_approved_scope"),
    ]

    operations = [
        migrations.AddField(
            model_name="inventoryimport",
            name="parsed",
            field=models.JSONField(blank=True, default=dict, editable=False, verbose_name="rows read"),
        ),
        migrations.AlterField(
            model_name="vendor",
            name="connected_systems",
            field=models.TextField(
                blank=True,
                validators=[vendors.text.PlainText(multiline=True)],
                verbose_name="systems it connects to",
            ),
        ),
        migrations.AlterField(
            model_name="vendor",
            name="name_en",
            field=models.CharField(
                blank=True, max_length=200, validators=[vendors.text.PlainText()], verbose_name="English name"
            ),
        ),
        migrations.AlterField(
            model_name="vendor",
            name="name_zh",
            field=models.CharField(
                max_length=200, validators=[vendors.text.PlainText()], verbose_name="legal name (Chinese)"
            ),
        ),
    ]
