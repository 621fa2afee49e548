"""The reminders count China's working days (reviews/notifications/reminders.py): the reminders already sent,
recorded as calendar days before the date (30 and 7 before an approval's end, 14 and 3 before a catch-up
deadline), are recorded again as the working-day reminders that replace them (20 and 5, 10 and 3), so that
none goes out a second time for the same date. A catch-up's overdue notice (-1) stays as it is."""

from django.db import migrations, models

# Calendar days as the reminders were set until now -> the working days of the reminder that replaces it.
EXPIRY = {30: 20, 7: 5}
CATCH_UP = {14: 10, 3: 3}


def to_working_days(apps, schema_editor):
    SignOff = apps.get_model("reviews", "SignOff")
    Review = apps.get_model("reviews", "Review")
    for old, new in EXPIRY.items():
        SignOff.objects.filter(expiry_reminded_days=old).update(expiry_reminded_days=new)
    for old, new in CATCH_UP.items():
        if old != new:
            Review.objects.filter(catch_up_reminded_days=old).update(catch_up_reminded_days=new)


def to_calendar_days(apps, schema_editor):
    SignOff = apps.get_model("reviews", "SignOff")
    Review = apps.get_model("reviews", "Review")
    for old, new in EXPIRY.items():
        SignOff.objects.filter(expiry_reminded_days=new).update(expiry_reminded_days=old)
    for old, new in CATCH_UP.items():
        if old != new:
            Review.objects.filter(catch_up_reminded_days=new).update(catch_up_reminded_days=old)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0031_own_channel_questionnaire_v1"),
    ]

    operations = [
        migrations.AlterField(
            model_name="review",
            name="catch_up_reminded_days",
            field=models.SmallIntegerField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="catch-up reminder sent (working days before the deadline)",
            ),
        ),
        migrations.AlterField(
            model_name="signoff",
            name="expiry_reminded_days",
            field=models.PositiveSmallIntegerField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="expiry reminder sent (working days before the end)",
            ),
        ),
        migrations.RunPython(to_working_days, to_calendar_days),
    ]
