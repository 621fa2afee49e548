"""An approval has a scope (docs/domain.md "Use"). Approvals signed before scopes existed get the scope their
answers establish (reviews.scope_proposal, which works on plain values for this migration), marked
unconfirmed until Legal confirms it (reviews.approval_scope)."""

from django.db import migrations, models


def derive_scopes(apps, schema_editor):
    from reviews.scope_proposal import scope_from_facts

    SignOff = apps.get_model("reviews", "SignOff")
    Answer = apps.get_model("reviews", "Answer")
    Vendor = apps.get_model("vendors", "Vendor")
    for sign_off in SignOff.objects.select_related("review__vendor").iterator():
        review = sign_off.review
        values = dict(Answer.objects.filter(review_id=review.pk).values_list("question__code", "value"))
        scope = scope_from_facts(
            category=review.vendor.category,
            values=values,
            traits=review.data_traits or (),
            volume=review.expected_volume,
        ).as_json()
        SignOff.objects.filter(pk=sign_off.pk).update(scope=scope, scope_confirmed=False)
        Vendor.objects.filter(pk=review.vendor_id, approval_reference=sign_off.number).update(
            approved_scope=scope, scope_confirmed=False
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0020_api_key_rate"),
        ("vendors", "0008_vendor_approved_scope"),
    ]

    operations = [
        migrations.AddField(
            model_name="signoff",
            name="scope",
            field=models.JSONField(blank=True, default=dict, verbose_name="approved scope"),
        ),
        migrations.AddField(
            model_name="signoff",
            name="scope_confirmed",
            field=models.BooleanField(default=True, verbose_name="scope confirmed by Legal"),
        ),
        migrations.RunPython(derive_scopes, migrations.RunPython.noop),
    ]
