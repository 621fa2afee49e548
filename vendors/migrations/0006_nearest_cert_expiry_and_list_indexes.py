from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.utils import timezone


def backfill_nearest_cert_expiry(apps, schema_editor):
    """What the approved list computed on every read until now: the earliest expiry among the vendor's
    certificates not withdrawn and not expired today (vendors.services.vendor_refresh_cert_expiry)."""
    Vendor = apps.get_model("vendors", "Vendor")
    Certification = apps.get_model("vendors", "Certification")
    today = timezone.localdate()
    nearest = (Certification.objects.filter(vendor=OuterRef("pk"), withdrawn_at__isnull=True, expires_on__gte=today)
               .order_by("expires_on").values("expires_on")[:1])
    Vendor.objects.update(nearest_cert_expiry=Subquery(nearest))


class Migration(migrations.Migration):

    dependencies = [
        ('vendors', '0005_inventory_import'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='vendor',
            name='nearest_cert_expiry',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='nearest certificate expiry'),
        ),
        migrations.RunPython(backfill_nearest_cert_expiry, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='vendor',
            index=models.Index(fields=['status', 'approved_until'], name='vendor_status_until_idx'),
        ),
        migrations.AddIndex(
            model_name='vendor',
            index=models.Index(condition=models.Q(('status', 'approved')), fields=['name_zh', 'id'], name='vendor_approved_name_idx'),
        ),
        migrations.AddIndex(
            model_name='vendor',
            index=models.Index(condition=models.Q(('status', 'approved')), fields=['approved_until', 'name_zh', 'id'], name='vendor_approved_until_idx'),
        ),
        migrations.AddIndex(
            model_name='vendor',
            index=models.Index(condition=models.Q(('status', 'approved')), fields=['nearest_cert_expiry', 'name_zh', 'id'], name='vendor_approved_cert_idx'),
        ),
        migrations.AddIndex(
            model_name='vendor',
            index=models.Index(condition=models.Q(('stop_using', True)), fields=['stop_using'], name='vendor_stop_using_idx'),
        ),
    ]
