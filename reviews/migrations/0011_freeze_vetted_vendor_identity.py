"""Freeze the identity of every vendor that already has a review (vendors.Vendor.identity_frozen_at), from
its first review: what was vetted stays what is on the approved list."""

from django.db import migrations
from django.db.models import Min


def freeze(apps, schema_editor):
    Vendor = apps.get_model("vendors", "Vendor")
    Review = apps.get_model("reviews", "Review")
    first = Review.objects.values("vendor_id").annotate(first=Min("created_at"))
    for row in first:
        Vendor.objects.filter(pk=row["vendor_id"], identity_frozen_at__isnull=True).update(
            identity_frozen_at=row["first"]
        )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0010_audit_chain_keyed"), ("vendors", "0003_vendor_identity_frozen_at")]

    operations = [migrations.RunPython(freeze, migrations.RunPython.noop)]
