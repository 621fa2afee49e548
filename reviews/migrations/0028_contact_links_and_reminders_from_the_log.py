"""Fill in the columns of 0025 from the audit log, once: before them, who answered through a contact link and
which reminders went out were read back from the log's events. From here on the services set the columns and
the log is only a record. The log is read, never changed."""

from datetime import date

from django.db import migrations

CONTACT_ACTIONS = ("answers.saved", "evidence.added")
EXPIRY_REMINDED = "vendor.expiry_reminded"
CATCH_UP_REMINDED = "review.catch_up_reminded"


def contact_links(apps):
    AuditEvent = apps.get_model("reviews", "AuditEvent")
    ContactLink = apps.get_model("reviews", "ContactLink")
    Answer = apps.get_model("reviews", "Answer")
    Evidence = apps.get_model("reviews", "Evidence")
    review_of_link = dict(ContactLink.objects.values_list("pk", "review_id"))
    if not review_of_link:
        return
    authors = {}  # (review id, question code) -> the link that changed the answer last, or None
    events = (
        AuditEvent.objects.filter(action__in=CONTACT_ACTIONS, review_id__in=set(review_of_link.values()))
        .order_by("pk")
        .values_list("review_id", "action", "object_id", "data")
    )
    for review_id, action, object_id, data in events.iterator(chunk_size=2000):
        link = data.get("contact_link")
        if review_of_link.get(link) != review_id:
            link = None  # the requester (or a link of another review, which cannot be)
        if action == "evidence.added":
            if link is not None:
                Evidence.objects.filter(pk=int(object_id), review_id=review_id).update(contact_link_id=link)
            continue
        for code in data.get("questions", []):
            authors[review_id, code] = link
    for (review_id, code), link in authors.items():
        if link is not None:
            Answer.objects.filter(review_id=review_id, question__code=code).update(contact_link_id=link)


def _nearest(sent, key, about, days):
    """Fold one reminder into {key: (days, about)}: a reminder for another date replaces what was sent for the
    earlier one; for the same date the nearest reminder counts."""
    current = sent.get(key)
    sent[key] = (min(days, current[0]), about) if current and current[1] == about else (days, about)


def reminders(apps):
    AuditEvent = apps.get_model("reviews", "AuditEvent")
    SignOff = apps.get_model("reviews", "SignOff")
    Review = apps.get_model("reviews", "Review")
    expiry, catch_up = {}, {}
    events = (
        AuditEvent.objects.filter(action__in=(EXPIRY_REMINDED, CATCH_UP_REMINDED))
        .order_by("pk")
        .values_list("action", "vendor_id", "review_id", "data")
    )
    for action, vendor_id, review_id, data in events.iterator(chunk_size=2000):
        if action == CATCH_UP_REMINDED:
            _nearest(catch_up, review_id, date.fromisoformat(data["due"]), data["days"])
            continue
        end = date.fromisoformat(data["valid_until"])
        sign_offs = SignOff.objects.filter(review__vendor_id=vendor_id)
        sign_off = (
            (
                sign_offs.filter(number=data["approval"])
                if data.get("approval")
                else sign_offs.filter(valid_until=end)
            )
            .values_list("pk", flat=True)
            .first()
        )
        if sign_off is not None:
            _nearest(expiry, sign_off, end, data["days"])
    for pk, (days, end) in expiry.items():
        SignOff.objects.filter(pk=pk).update(expiry_reminded_days=days, expiry_reminded_for=end)
    for pk, (days, due) in catch_up.items():
        Review.objects.filter(pk=pk).update(catch_up_reminded_days=days, catch_up_reminded_for=due)


def backfill(apps, schema_editor):
    contact_links(apps)
    reminders(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0027_contact_link_and_reminder_columns"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
