from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Concat, Upper
from django.utils import timezone


def backfill_nearest_cert_expiry(apps, schema_editor):
    """What the approved list computed on every read until now: the earliest expiry among the vendor's
    certificates not withdrawn and not expired today (vendors.services.vendor_refresh_cert_expiry)."""
    Vendor = apps.get_model("vendors", "Vendor")
    Certification = apps.get_model("vendors", "Certification")
    today = timezone.localdate()
    nearest = (
        Certification.objects.filter(vendor=OuterRef("pk"), withdrawn_at__isnull=True, expires_on__gte=today)
        .order_by("expires_on")
        .values("expires_on")[:1]
    )
    Vendor.objects.update(nearest_cert_expiry=Subquery(nearest))


# The search of /vendors/ (vendors.selectors.vendor_search) is "the names contain the term", a LIKE '%TERM%' no
# B-tree serves: a trigram index on the upper-cased names. PostgreSQL only (pg_trgm, a trusted extension);
# SQLite scans.
TRIGRAM_INDEXES = {"vendor_search_names_trgm": "search_names gin_trgm_ops"}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in TRIGRAM_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON vendors_vendor USING gin ({expression})")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("vendors", "0005_inventory_import"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="vendor",
            name="nearest_cert_expiry",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="nearest certificate expiry"
            ),
        ),
        migrations.RunPython(backfill_nearest_cert_expiry, migrations.RunPython.noop),
        migrations.AddField(
            model_name="vendor",
            name="search_names",
            field=models.GeneratedField(
                db_persist=True,
                expression=Upper(
                    Concat("name_zh", models.Value("\n"), "name_en", output_field=models.TextField())
                ),
                output_field=models.TextField(),
                verbose_name="legal names",
            ),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
        migrations.AddIndex(
            model_name="vendor",
            index=models.Index(fields=["status", "approved_until"], name="vendor_status_until_idx"),
        ),
        migrations.AddIndex(
            model_name="vendor",
            index=models.Index(
                condition=models.Q(("status", "approved")),
                fields=["name_zh", "id"],
                include=("approved_until", "category", "risk_tier"),
                name="vendor_approved_name_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="vendor",
            index=models.Index(
                condition=models.Q(("status", "approved")),
                fields=["approved_until", "name_zh", "id"],
                include=("category", "risk_tier"),
                name="vendor_approved_until_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="vendor",
            index=models.Index(
                condition=models.Q(("status", "approved")),
                fields=["nearest_cert_expiry", "name_zh", "id"],
                include=("approved_until", "category", "risk_tier"),
                name="vendor_approved_cert_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="vendor",
            index=models.Index(
                condition=models.Q(("stop_using", True)), fields=["stop_using"], name="vendor_stop_using_idx"
            ),
        ),
    ]
