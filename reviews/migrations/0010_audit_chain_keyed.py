"""Key the audit chain with HMAC-SHA256 (VETTED_AUDIT_KEY) from here on.

The events already written were hashed with plain SHA-256, which anyone with the database can recompute. They
are not re-hashed: rewriting them would mean updating rows of an append-only log (the trigger of 0002 refuses
it, rightly), and a re-keyed history would prove only that someone holding the key rewrote it. Instead each
event records its scheme: the existing ones stay SHA-256 and are verified as before, and this migration
appends one keyed event, "audit.keyed", that names the last of them (count, id, hash). Its HMAC covers that
hash, so the unkeyed history before it can no longer be rewritten unnoticed either: changing any of it breaks
the link into the first keyed event, which nobody can recompute without the key. Verification refuses an
unkeyed event after a keyed one (a downgrade)."""

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

SHA256, HMAC_SHA256 = 1, 2


def anchor_unkeyed_history(apps, schema_editor):
    from reviews.models.audit import keyed_hash, keyed_payload

    AuditEvent = apps.get_model("reviews", "AuditEvent")
    db = schema_editor.connection.alias
    head = AuditEvent.objects.using(db).order_by("-pk").values("pk", "hash").first()
    if head is None:
        return  # a new installation: every event will be keyed
    count = AuditEvent.objects.using(db).count()
    event = AuditEvent(
        at=timezone.now(),
        actor=None,
        actor_label="system",
        action="audit.keyed",
        review=None,
        vendor=None,
        object_type="auditevent",
        object_id=str(head["pk"]),
        data={"unkeyed_events": count, "unkeyed_head_id": head["pk"], "unkeyed_head_hash": head["hash"]},
        prev_hash=head["hash"],
        scheme=HMAC_SHA256,
    )
    event.hash = keyed_hash(
        keyed_payload(
            event.at,
            None,
            event.actor_label,
            event.action,
            None,
            None,
            event.object_type,
            event.object_id,
            event.data,
            event.prev_hash,
        ),
        settings.VETTED_AUDIT_KEY.encode(),
    )
    event.save(using=db)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0009_review_data_traits")]

    operations = [
        # Existing rows get SHA256 from the column default (no UPDATE of the append-only rows), new ones HMAC.
        migrations.AddField(
            model_name="auditevent",
            name="scheme",
            field=models.PositiveSmallIntegerField(
                choices=[(SHA256, "SHA-256 (before keying)"), (HMAC_SHA256, "HMAC-SHA256")],
                default=SHA256,
                verbose_name="hash scheme",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="scheme",
            field=models.PositiveSmallIntegerField(
                choices=[(SHA256, "SHA-256 (before keying)"), (HMAC_SHA256, "HMAC-SHA256")],
                default=HMAC_SHA256,
                verbose_name="hash scheme",
            ),
        ),
        migrations.RunPython(anchor_unkeyed_history, migrations.RunPython.noop),
    ]
