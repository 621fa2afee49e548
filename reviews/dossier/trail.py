"""The audit trail embedded in the dossier: every event of section 9 exactly as the log holds it.

Why: the printed trail is read by people, the embedded one by machines and by an auditor who wants to
check it. Section 9 prints each event as a sentence in both languages with the first characters of its
hash (hundreds of events made half of a dossier's pages and of its rendering time, bench/dossier.py); the
file `vetted-audit-trail.json` holds each event in full: every column its hash covers (docs/operations.md
"Verifying the audit log"), its scheme and hash, and its sentences with the hashes in full. It is embedded in the PDF,
so the signature covers it; section 9 prints its SHA-256 and the manifest lists it, so that verify_dossier
checks it byte for byte and, with the database at hand, recomputes every event's hash from the file
(`event_problems`).
"""

import datetime as dt
import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder

from ..models.audit import AuditScheme, keyed_hash, keyed_payload, legacy_hash

NAME = "vetted-audit-trail.json"
FORMAT = "vetted-audit-trail/1"
SHORT = 12  # hex characters of each hash section 9 prints


def event_entry(event, *, zh: str, en: str) -> dict:
    """One event as the file holds it: the columns in the form its hash covers them (`at` in UTC to the
    microsecond, `data` as JSON values), then its sentences with the hashes in full."""
    return {
        "id": event.pk,
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "review_id": event.review_id,
        "vendor_id": event.vendor_id,
        "object_type": event.object_type,
        "object_id": str(event.object_id),
        "data": json.loads(json.dumps(event.data, cls=DjangoJSONEncoder)),
        "prev_hash": event.prev_hash,
        "scheme": event.scheme,
        "hash": event.hash,
        "sentence": {"zh": zh, "en": en},
    }


def trail_bytes(entries: list[dict], *, about: dict, generated_at: dt.datetime, broken: list[int]) -> bytes:
    """The file: what it documents (`about`), when, the events whose hash did not match at rendering, and
    the events in order. Sorted keys, so that the same trail always gives the same bytes."""
    trail = {
        "format": FORMAT,
        **about,
        "generated_at": generated_at.isoformat(),
        "broken_events": broken,
        "events": entries,
    }
    return json.dumps(trail, ensure_ascii=False, indent=1, sort_keys=True).encode()


def manifest_entry(data: bytes, events: int) -> dict:
    """How the manifest lists the trail (reviews/dossier/verify.py checks the file against it)."""
    return {
        "name": NAME,
        "format": FORMAT,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "events": events,
    }


def event_problems(entries: list[dict], key: bytes) -> list:
    """The ids of the events of an embedded trail whose hash does not follow from their columns: each is
    recomputed with its scheme (the keyed ones with `key`, VETTED_AUDIT_KEY), as the log's own check does
    (reviews.audit.audit_verify)."""
    problems = []  # ids as the file gives them (an int, unless the file was altered)
    for entry in entries:
        try:
            columns = (
                dt.datetime.fromisoformat(entry["at"]),
                entry["actor_id"],
                entry["actor_label"],
                entry["action"],
                entry["review_id"],
                entry["vendor_id"],
                entry["object_type"],
                entry["object_id"],
                entry["data"],
                entry["prev_hash"],
            )
            if entry["scheme"] == AuditScheme.HMAC_SHA256:
                computed = keyed_hash(keyed_payload(*columns), key)
            else:
                computed = legacy_hash(*columns)
        except (KeyError, TypeError, ValueError):
            computed = None
        if computed != entry.get("hash"):
            problems.append(entry.get("id"))
    return problems
