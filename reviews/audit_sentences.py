"""The audit log read as sentences, in the reader's language: "王晓雯 上传了 个人信息保护影响评估报告 pipia.pdf
（154 KB，SHA-256 99bd…）用于 B6" / "Wang Xiaowen uploaded ...". One renderer for the admin's review page
(the raw data folded under each sentence) and the approval dossier (full hashes kept, since an auditor
compares them with the files: PIPL Art. 56 asks that the record be kept and checkable).

Every action the code records has its sentence in SENTENCES; tests/reviews/test_audit_sentences.py finds
the actions in the code and fails on one without a sentence. Callers select_related("actor", "vendor")."""

import re

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field
from django.template.defaultfilters import filesizeformat
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vendors.models import CertificationKind, RiskTier, Vendor, VendorStatus
from vendors.people import person_name
from vendors.scope import Scope, ScopeInvalid
from vendors.text import field_label

from .models import AuditEvent, CalendarDayKind, EvidenceKind, StageKind


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _hash(value: str, full: bool) -> str:
    if not value:
        return "—"
    return value if full else f"{value[:4]}…"


# How reviews.models.ContactLink.audit_label records a vendor contact; the record stays in one language.
_CONTACT = re.compile(r"^Vendor contact (?P<who>.*) \(link #(?P<number>\d+)\)$", re.DOTALL)


def contact_label(label: str) -> str:
    """A vendor contact as the audit log recorded them ("Vendor contact 王敏 <wm@example.cn> (link #1)"), in
    the reader's language; any other label as recorded."""
    match = _CONTACT.match(label or "")
    if match is None:
        return label or ""
    return _("Vendor contact %(contact)s (link #%(number)s)") % {
        "contact": match["who"],
        "number": match["number"],
    }


def actor_name(event: AuditEvent) -> str:
    """The person who acted (named as everywhere else), the vendor contact in the reader's language, or
    Vetted itself."""
    if event.actor_id is not None:
        return person_name(event.actor)
    if event.actor_label in ("", "system"):
        return _("Vetted")
    return contact_label(event.actor_label)


def _stage(data) -> str:
    return _label(StageKind, data.get("stage"))


def _tail(text: str) -> str:
    """A comment or reason appended after a colon, when there is one."""
    text = (text or "").strip()
    return _(": “%(text)s”") % {"text": text} if text else ""


# -- one function per action family -----------------------------------------------------------------------


def _review(event, data, full):
    p = {
        "actor": actor_name(event),
        "number": event.review.number if event.review_id else "",
        "vendor": event.vendor.name_zh if event.vendor_id else data.get("vendor", ""),
    }
    if event.action == "review.created":
        return _("%(actor)s requested review %(number)s of %(vendor)s") % p
    if event.action == "review.withdrawn":
        return _("%(actor)s withdrew request %(number)s") % p + _tail(data.get("reason"))
    return (
        _("%(actor)s signed off %(number)s as %(approval)s, valid until %(date)s")
        % {**p, "approval": data.get("number", ""), "date": data.get("valid_until", "")}
        + (
            _("; conditions: %(conditions)s") % {"conditions": data["conditions"]}
            if data.get("conditions")
            else ""
        )
        + (_("; scope: %(scope)s") % {"scope": _scope_summary(data["scope"])} if data.get("scope") else "")
    )


def _scope_summary(value) -> str:
    """A recorded scope in a line: purposes · channels · data, then the conditions of use."""
    try:
        labels = Scope.from_json(value).labels()
    except (ScopeInvalid, AttributeError, TypeError):
        return str(value)  # recorded with codes this version no longer knows: shown as recorded
    summary = labels.summary() or "—"
    if labels.conditions:
        summary += " (" + "; ".join(labels.conditions) + ")"
    return summary


def _scope(event, data, full):
    p = {"actor": actor_name(event), "approval": data.get("number", "")}
    if event.action == "scope.confirm_refused":
        return _("%(actor)s was refused the confirmation of the scope of %(approval)s") % p + _tail(
            data.get("reason")
        )
    p["old"], p["new"] = _scope_summary(data.get("old")), _scope_summary(data.get("new"))
    if data.get("old") == data.get("new"):
        return (
            _("%(actor)s confirmed the scope of %(approval)s, derived from its answers, as it was: %(new)s")
            % p
        )
    return _("%(actor)s confirmed the scope of %(approval)s, changed from “%(old)s” to “%(new)s”") % p


def _stage_event(event, data, full):
    p = {"actor": actor_name(event), "stage": _stage(data), "round": data.get("round", 1)}
    templates = {
        "stage.submitted": _("%(actor)s submitted “%(stage)s” (round %(round)s)"),
        "stage.passed": _("%(actor)s passed “%(stage)s” (round %(round)s)"),
        "stage.returned": _("%(actor)s returned “%(stage)s” to the requester (round %(round)s)"),
        "stage.failed": _("%(actor)s failed “%(stage)s” (round %(round)s)"),
    }
    text = data.get("reason") if event.action == "stage.failed" else data.get("comment")
    return templates[event.action] % p + _tail(text)


def _refusal(event, data, full):
    p = {"actor": actor_name(event), "stage": _stage(data)}
    if event.action == "signoff.refused":
        return _("%(actor)s was refused the sign-off") % p + _tail(data.get("reason"))
    return _("%(actor)s was refused a decision on “%(stage)s”") % p + _tail(data.get("reason"))


def _evidence(event, data, full):
    p = {
        "actor": actor_name(event),
        "kind": _label(EvidenceKind, data.get("kind")),
        "name": data.get("name", ""),
        "size": filesizeformat(data.get("size") or 0),
        "hash": _hash(data.get("sha256", ""), full),
        "version": data.get("version", 1),
        "question": data.get("question") or "",
        "stage": _stage(data),
    }
    if event.action == "evidence.withdrawn":
        return _("%(actor)s withdrew %(kind)s v%(version)s (SHA-256 %(hash)s)") % p
    if p["question"]:
        return _("%(actor)s uploaded %(kind)s %(name)s (%(size)s, SHA-256 %(hash)s) for %(question)s") % p
    return _("%(actor)s uploaded %(kind)s %(name)s (%(size)s, SHA-256 %(hash)s) to “%(stage)s”") % p


def _certificate(event, data, full):
    p = {
        "actor": actor_name(event),
        "kind": _label(CertificationKind, data.get("kind")),
        "number": data.get("number", ""),
        "hash": _hash(data.get("sha256", ""), full),
        "date": data.get("expires_on") or _("no printed expiry"),
        "round": data.get("round", ""),
    }
    templates = {
        "stage.certificate_attached": _(
            "%(actor)s attached certificate %(kind)s no. %(number)s, valid until %(date)s (SHA-256 %(hash)s)"
        ),
        "stage.certificate_set_aside": _(
            "%(actor)s set aside certificate %(kind)s no. %(number)s from round %(round)s"
        ),
        "certification.added": _(
            "%(actor)s added certificate %(kind)s no. %(number)s, valid until %(date)s (SHA-256 %(hash)s)"
        ),
        "certification.withdrawn": _(
            "%(actor)s withdrew certificate %(kind)s no. %(number)s (SHA-256 %(hash)s)"
        ),
    }
    return templates[event.action] % p


def _answers(event, data, full):
    questions = data.get("questions") or []
    p = {
        "actor": actor_name(event),
        "questions": ", ".join(questions) or "—",
        "score": data.get("risk_score", 0),
        "tier": _label(RiskTier, data.get("tier")),
    }
    text = _("%(actor)s saved answers to %(questions)s; score %(score)s, tier %(tier)s") % p
    if data.get("red_flags"):
        text += _("; red flags: %(codes)s") % {"codes": ", ".join(data["red_flags"])}
    return text


def _contact(event, data, full):
    p = {
        "actor": actor_name(event),
        "contact": data.get("contact", ""),
        "email": data.get("email", ""),
        "date": str(data.get("expires_at", ""))[:10],
    }
    if event.action == "contact_link.revoked":
        return _("%(actor)s revoked the link of vendor contact %(contact)s <%(email)s>") % p
    text = _("%(actor)s created a link for vendor contact %(contact)s <%(email)s>, valid until %(date)s") % p
    return text + (_(", sent by e-mail") if data.get("emailed") else "")


RESCORE_CAUSES = {
    "stage.submitted": gettext_lazy("a stage was submitted"),
    "stage.returned": gettext_lazy("a stage was returned for a new round"),
    "evidence.added": gettext_lazy("a file was uploaded"),
    "evidence.withdrawn": gettext_lazy("a file was withdrawn"),
}


def _rescored(event, data, full):
    """A change of score, tier or red flags after a submission, a return or a file
    (reviews.questionnaire.answers.review_rescore)."""
    previous = data.get("previous") or {}
    flags = data.get("red_flags") or []
    p = {
        "cause": str(RESCORE_CAUSES.get(data.get("cause"), data.get("cause", ""))),
        "old_score": previous.get("risk_score", "—"),
        "score": data.get("risk_score", 0),
        "old_tier": _label(RiskTier, previous.get("tier")) or "—",
        "tier": _label(RiskTier, data.get("tier")),
        "flags": ", ".join(flags) if flags else _("none"),
    }
    return (
        _(
            "The risk assessment changed after %(cause)s: score %(old_score)s → %(score)s, tier %(old_tier)s → "
            "%(tier)s, red flags: %(flags)s"
        )
        % p
    )


def _dossier(event, data, full):
    p = {
        "actor": actor_name(event),
        "size": filesizeformat(data.get("size") or 0),
        "hash": _hash(data.get("sha256", ""), full),
        "attempts": data.get("attempts", 1),
        "error": data.get("error", ""),
        "level": data.get("pades_level", ""),
        "tsa": data.get("tsa", ""),
        "previous": _hash(data.get("previous_sha256", ""), full),
        "fingerprint": _hash(data.get("signer_fingerprint", ""), full),
        "signer": data.get("signer", ""),
    }
    if event.action == "dossier.requested":
        return _("%(actor)s asked for the approval dossier") % p
    if event.action == "dossier.reissued":
        return (
            _(
                "%(actor)s re-issued the approval dossier (%(size)s, SHA-256 %(hash)s), signed by %(signer)s "
                "(certificate SHA-256 %(fingerprint)s)"
            )
            % p
        )
    if event.action == "dossier.timestamped" and data.get("reason") == "pending":
        return (
            _(
                "The approval dossier received the timestamp it was owed, from %(tsa)s (PAdES %(level)s; "
                "SHA-256 %(hash)s, before %(previous)s)"
            )
            % p
        )
    if event.action == "dossier.timestamped":
        return (
            _(
                "An archive timestamp from %(tsa)s was added to the approval dossier (PAdES %(level)s; "
                "SHA-256 %(hash)s, before %(previous)s)"
            )
            % p
        )
    if event.action == "dossier.generated" and data.get("timestamp_pending"):
        return (
            _(
                "The approval dossier was generated and signed (%(size)s, SHA-256 %(hash)s); no time-stamping "
                "authority answered, so its timestamp is pending"
            )
            % p
        )
    if event.action == "dossier.generated" and p["level"]:
        return (
            _("The approval dossier was generated (%(size)s, SHA-256 %(hash)s), signed to PAdES %(level)s")
            % p
        )
    if event.action == "dossier.generated":
        return _("The approval dossier was generated (%(size)s, SHA-256 %(hash)s)") % p
    return _("The approval dossier could not be generated after %(attempts)s attempt(s): %(error)s") % p


def _vendor(event, data, full):
    if event.action == "vendor.expiry_reminded":
        return _("Reminder sent: approval %(approval)s ends on %(date)s (%(days)s days left)") % {
            "approval": data.get("approval", ""),
            "date": data.get("valid_until", ""),
            "days": data.get("days_left", data.get("days", "")),
        }
    p = {
        "actor": actor_name(event),
        "vendor": event.vendor.name_zh if event.vendor_id else "",
        "from": _label(VendorStatus, data.get("from")),
        "to": _label(VendorStatus, data.get("to")),
    }
    return _("%(vendor)s went from %(from)s to %(to)s (by %(actor)s)") % p + _tail(data.get("reason"))


def _field_value(name: str, value) -> str:
    """A recorded value of a vendor's field as a reader wants it: a choice by its label, nothing as a dash, a
    long text shortened."""
    if value in (None, ""):
        return "—"
    try:
        field = Vendor._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    # A relation's reverse side (get_field finds it too) has no choices of its own.
    if isinstance(field, Field) and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return Truncator(str(value)).chars(60)


def _field_changes(changes: dict) -> str:
    """ "website: — → https://example.cn; business owner: cmo → cmo2", in the order of the vendor's fields
    (the log's JSON keeps no order of its own on PostgreSQL)."""
    order = {field.name: index for index, field in enumerate(Vendor._meta.concrete_fields)}
    parts = []
    for name, (old, new) in sorted(
        (changes or {}).items(), key=lambda item: (order.get(item[0], len(order)), item[0])
    ):
        try:
            label = field_label(Vendor, name)
        except FieldDoesNotExist:
            label = name
        parts.append(
            _("%(field)s: %(old)s → %(new)s")
            % {"field": label, "old": _field_value(name, old), "new": _field_value(name, new)}
        )
    return "; ".join(parts)


def _vendor_change(event, data, full):
    """The register's own changes (vendors.services): a vendor added, edited, its identity frozen or corrected."""
    p = {
        "actor": actor_name(event),
        "vendor": event.vendor.name_zh if event.vendor_id else "",
        "changes": _field_changes(data.get("changes")),
    }
    if event.action == "vendor.created":
        return _("%(actor)s added %(vendor)s to the register") % p
    if event.action == "vendor.identity_frozen":
        return _("The identity of %(vendor)s is frozen: a review is vetting it") % p
    if event.action == "vendor.identity_corrected":
        return _("%(actor)s corrected the identity of %(vendor)s: %(changes)s") % p + _tail(
            data.get("reason")
        )
    if data.get("inventory_import"):
        return _("%(actor)s changed %(vendor)s by importing the inventory %(file)s: %(changes)s") % {
            **p,
            "file": data["inventory_import"].get("file", ""),
        }
    return _("%(actor)s changed %(vendor)s: %(changes)s") % p


def _access(event, data, full):
    """Sign-in lockouts (reviews.throttle) and API keys (reviews.api_keys)."""
    p = {
        "actor": actor_name(event),
        "user": data.get("username", ""),
        "ip": data.get("ip_address", ""),
        "failures": data.get("failures", ""),
        "name": data.get("name", ""),
        "prefix": data.get("prefix", ""),
    }
    if event.action == "login.locked_out":
        if data.get("lock") == "session":
            return (
                _(
                    "Password entry in the session of %(user)s locked after %(failures)s wrong passwords "
                    "(sign-off or password change)"
                )
                % p
            )
        if data.get("lock") == "browser":
            return _("Sign-in locked for %(user)s in one browser after %(failures)s failed attempts") % p
        return _("Sign-in locked for %(user)s from %(ip)s after %(failures)s failed attempts") % p
    if event.action == "login.unlocked":
        if data.get("lock") in ("session", "browser"):
            return _("%(actor)s unlocked the sign-in of %(user)s") % p
        return _("%(actor)s unlocked the sign-in of %(user)s (%(ip)s)") % p
    if event.action == "api_key.created":
        return _("%(actor)s created the API key “%(name)s” (%(prefix)s…)") % p
    return _("%(actor)s revoked the API key “%(name)s” (%(prefix)s…)") % p


def _calendar(event, data, full):
    """The working-day calendar's days Legal enters (reviews.admin.calendar)."""
    p = {
        "actor": actor_name(event),
        "day": data.get("day", ""),
        "name": data.get("name", ""),
        "kind": _label(CalendarDayKind, data.get("kind")),
    }
    if event.action == "calendar.day_added":
        return _("%(actor)s entered %(day)s in the working-day calendar: %(kind)s, %(name)s") % p
    if event.action == "calendar.day_changed":
        return _("%(actor)s changed %(day)s in the working-day calendar: %(kind)s, %(name)s") % p
    return _("%(actor)s removed %(day)s (%(name)s) from the working-day calendar") % p


def _inventory(event, data, full):
    if event.action == "inventory.discarded":
        return _(
            "%(actor)s discarded the inventory upload %(file)s (SHA-256 %(hash)s) without importing it"
        ) % {
            "actor": actor_name(event),
            "file": data.get("file", ""),
            "hash": _hash(data.get("sha256", ""), full),
        }
    p = {
        "actor": actor_name(event),
        "file": data.get("file", ""),
        "rows": data.get("rows", 0),
        "created": len(data.get("created") or ()),
        "updated": len(data.get("updated") or ()),
        "hash": _hash(data.get("sha256", ""), full),
    }
    return (
        _(
            "%(actor)s imported the inventory %(file)s (SHA-256 %(hash)s): %(rows)s rows, %(created)s vendors "
            "added, %(updated)s updated"
        )
        % p
    )


def _reopening(event, data, full):
    """Catch-up reviews of platforms in use, and the review opened after an identity correction."""
    p = {
        "actor": actor_name(event),
        "due": str(data.get("due", ""))[:10],
        "requester": data.get("requester", ""),
    }
    if event.action == "review.catch_up_opened":
        return _("%(actor)s opened a catch-up review, due %(due)s, for its business owner %(requester)s") % p
    if event.action == "review.catch_up_reminded":
        return _("Reminder sent: the catch-up review is due %(due)s") % p
    if event.action == "review.returned_after_correction":
        p["number"] = event.review.number if event.review_id else ""
        p["stages"] = ", ".join(_label(StageKind, kind) for kind in data.get("stages") or ())
        if not p["stages"]:
            return _(
                "%(actor)s corrected the vendor's identity while review %(number)s was under way; nothing "
                "had been decided yet, so it goes on with the corrected identity"
            ) % p + _tail(data.get("reason"))
        return _(
            "%(actor)s corrected the vendor's identity while review %(number)s was under way: the decisions "
            "were about the identity as it was, so these stages went back to the requester: %(stages)s"
        ) % p + _tail(data.get("reason"))
    if event.action == "review.opened_after_correction":
        return _("A new review was opened after the vendor's identity was corrected") + _tail(
            data.get("reason")
        )
    return _("No new review was opened after the identity correction") + _tail(data.get("why"))


# The pre-check's outcomes, by the codes activities records: reviews reads no activities module (the layers of
# docs/architecture.md), so the labels are the same msgids as activities.models.Outcome's, kept here.
PRECHECK_OUTCOMES = {
    "go": gettext_lazy("Go"),
    "conditions": gettext_lazy("Go with conditions"),
    "needs_legal": gettext_lazy("Needs Legal"),
    "no_go": gettext_lazy("No-go"),
}


def _activity(event, data, full):
    """Marketing activities (activities.services): registered and revised with the pre-check's outcome,
    acknowledged, decided by Legal with a reason, withdrawn, flagged when a vendor stops being usable."""
    outcome = data.get("outcome")
    p = {
        "actor": actor_name(event),
        "reference": data.get("reference", ""),
        "outcome": str(PRECHECK_OUTCOMES.get(outcome, outcome or "")),
        "uscc": data.get("vendor", ""),
    }
    templates = {
        "activity.registered": _(
            "%(actor)s registered the marketing activity %(reference)s; pre-check: %(outcome)s"
        ),
        "activity.revised": _(
            "%(actor)s revised the marketing activity %(reference)s; pre-check again: %(outcome)s"
        ),
        "activity.acknowledged": _(
            "%(actor)s acknowledged the conditions of the marketing activity %(reference)s"
        ),
        "activity.approved": _("%(actor)s approved the marketing activity %(reference)s"),
        "activity.refused": _("%(actor)s refused the marketing activity %(reference)s"),
        "activity.withdrawn": _("%(actor)s withdrew the marketing activity %(reference)s"),
        "activity.flagged": _(
            "The marketing activity %(reference)s was flagged: the vendor %(uscc)s may no longer be used"
        ),
    }
    return templates[event.action] % p + _tail(data.get("reason"))


def _extension(event, data, full):
    """Scope extensions (activities.extensions): requested, passed or refused by Security, decided by Legal
    (all or part of what was asked), withdrawn, and refused decision attempts."""
    p = {
        "actor": actor_name(event),
        "number": data.get("number", ""),
        "vendor": event.vendor.name_zh if event.vendor_id else "",
    }
    if event.action == "extension.requested":
        if data.get("additions"):
            text = _("%(actor)s asked to extend the approved scope of %(vendor)s (%(number)s): %(items)s") % {
                **p,
                "items": _scope_summary(data.get("additions")),
            }
        else:
            text = _("%(actor)s asked to extend the approved scope of %(vendor)s (%(number)s)") % p
        return text + (_("; Security reviews it first") if data.get("security") else "")
    if event.action == "extension.approved" and data.get("partial"):
        return _("%(actor)s approved part of the scope extension %(number)s, granting %(granted)s") % {
            **p,
            "granted": _scope_summary(data.get("granted")),
        } + _tail(data.get("comment"))
    if event.action == "extension.decision_refused":
        return _("A decision by %(actor)s on the scope extension %(number)s was refused") % p + _tail(
            data.get("reason")
        )
    templates = {
        "extension.security_passed": _("%(actor)s passed the scope extension %(number)s for Security"),
        "extension.security_refused": _("%(actor)s refused the scope extension %(number)s for Security"),
        "extension.approved": _(
            "%(actor)s approved the scope extension %(number)s: the approved scope of %(vendor)s is widened"
        ),
        "extension.refused": _("%(actor)s refused the scope extension %(number)s"),
        "extension.withdrawn": _("%(actor)s withdrew the scope extension %(number)s"),
    }
    return templates[event.action] % p + _tail(data.get("comment"))


def _scope_derived(event, data, full):
    """The demo's approval left with a derived scope (reviews.approval_scope.demo_mark_scope_derived)."""
    sentence = _(
        "The scope of approval %(number)s was derived from its answers and waits for Legal's confirmation"
    ) % {"number": data.get("number", "")}
    return sentence + (_(" (demo data)") if data.get("demo") else "")


def _account(event, data, full):
    """Changes that affect who may decide (reviews.role_changes): roles, role groups, flags, e-mail, password."""
    from .roles import Role

    p = {
        "actor": actor_name(event),
        "target": data.get("target", ""),
        "role": _label(Role, data.get("role")),
        "old": data.get("old") or "—",
        "new": data.get("new") or "—",
    }
    action = event.action
    if action == "role.granted":
        return _("%(actor)s gave %(target)s the role %(role)s") % p
    if action == "role.revoked":
        return _("%(actor)s removed %(target)s from the role %(role)s") % p
    if action == "role.permissions_changed":
        old, new = set(data.get("old") or ()), set(data.get("new") or ())
        p.update(added=", ".join(sorted(new - old)) or "—", removed=", ".join(sorted(old - new)) or "—")
        return (
            _(
                "%(actor)s changed the permissions of the role %(role)s (added: %(added)s; removed: "
                "%(removed)s); its members decide again only after the waiting period"
            )
            % p
        )
    if action == "group.renamed":
        return _("%(actor)s renamed the group “%(old)s” to “%(new)s”") % p
    if action == "user.email_changed":
        return _("%(actor)s changed the e-mail address of %(target)s: %(old)s → %(new)s") % p
    if action == "user.password_set":
        return (
            _(
                "%(actor)s set the password of %(target)s: it must be changed at the next sign-in, and the "
                "account decides nothing until then"
            )
            % p
        )
    if action == "user.password_renewed":
        return _("%(target)s set their own password after someone else had set it") % p
    sentences = {
        "user.superuser_granted": _("%(actor)s made %(target)s a superuser"),
        "user.superuser_revoked": _("%(actor)s took the superuser rights of %(target)s"),
        "user.staff_granted": _("%(actor)s gave %(target)s access to the admin"),
        "user.staff_revoked": _("%(actor)s took the admin access of %(target)s"),
        "user.deactivated": _("%(actor)s deactivated %(target)s"),
        "user.reactivated": _("%(actor)s reactivated %(target)s"),
    }
    return sentences[action] % p


def _checkpointed(event, data, full):
    """A checkpoint of the chain written outside the database, announced in it (reviews.audit_checkpoints)."""
    return _("Audit checkpoint %(number)s written outside the database: %(count)s events, HMAC %(mac)s") % {
        "number": data.get("number", ""),
        "count": data.get("count", ""),
        "mac": _hash(data.get("mac", ""), full),
    }


# Every action of reviews.role_changes: the dossier lists those of its deciders (reviews/dossier/render.py).
ACCOUNT_ACTIONS = (
    "role.granted",
    "role.revoked",
    "role.permissions_changed",
    "group.renamed",
    "user.superuser_granted",
    "user.superuser_revoked",
    "user.staff_granted",
    "user.staff_revoked",
    "user.deactivated",
    "user.reactivated",
    "user.email_changed",
    "user.password_set",
    "user.password_renewed",
)


SENTENCES = {
    "review.created": _review,
    "review.withdrawn": _review,
    "review.signed_off": _review,
    "stage.submitted": _stage_event,
    "stage.passed": _stage_event,
    "stage.returned": _stage_event,
    "stage.failed": _stage_event,
    "stage.decision_refused": _refusal,
    "signoff.refused": _refusal,
    "evidence.added": _evidence,
    "evidence.withdrawn": _evidence,
    "stage.certificate_attached": _certificate,
    "stage.certificate_set_aside": _certificate,
    "certification.added": _certificate,
    "certification.withdrawn": _certificate,
    "answers.saved": _answers,
    "review.rescored": _rescored,
    "contact_link.created": _contact,
    "contact_link.revoked": _contact,
    "dossier.requested": _dossier,
    "dossier.generated": _dossier,
    "dossier.failed": _dossier,
    "dossier.timestamped": _dossier,
    "dossier.reissued": _dossier,
    "vendor.expiry_reminded": _vendor,
    "login.locked_out": _access,
    "login.unlocked": _access,
    "api_key.created": _access,
    "api_key.revoked": _access,
    "inventory.imported": _inventory,
    "inventory.discarded": _inventory,
    "calendar.day_added": _calendar,
    "calendar.day_changed": _calendar,
    "calendar.day_removed": _calendar,
    "scope.confirmed": _scope,
    "scope.confirm_refused": _scope,
    "review.catch_up_opened": _reopening,
    "review.catch_up_reminded": _reopening,
    "review.opened_after_correction": _reopening,
    "review.not_reopened": _reopening,
    "review.returned_after_correction": _reopening,
    **{f"vendor.{status}": _vendor for status in VendorStatus.values},
    "vendor.created": _vendor_change,
    "vendor.updated": _vendor_change,
    "vendor.identity_frozen": _vendor_change,
    "vendor.identity_corrected": _vendor_change,
    **{
        f"activity.{action}": _activity
        for action in ("registered", "revised", "acknowledged", "approved", "refused", "withdrawn", "flagged")
    },
    **{
        f"extension.{action}": _extension
        for action in (
            "requested",
            "security_passed",
            "security_refused",
            "approved",
            "refused",
            "withdrawn",
            "decision_refused",
        )
    },
    "scope.derived": _scope_derived,
    **dict.fromkeys(ACCOUNT_ACTIONS, _account),
    "audit.checkpointed": _checkpointed,
}


def audit_sentence(event: AuditEvent, *, full_hashes: bool = False) -> str:
    """The event as one sentence in the active language; an action without a sentence (recorded by an
    older version) is named as recorded."""
    render = SENTENCES.get(event.action)
    if render is None:
        return _("%(actor)s: %(action)s") % {"actor": actor_name(event), "action": event.action}
    return render(event, event.data or {}, full_hashes)


# What each recorded action is, named in the reader's language: the admin's list of audit events and its filter
# show these, not the codes the log stores. tests/reviews/test_audit_sentences.py holds them to SENTENCES.
ACTION_NAMES = {
    "activity.acknowledged": gettext_lazy("Activity conditions acknowledged"),
    "activity.approved": gettext_lazy("Activity approved by Legal"),
    "activity.flagged": gettext_lazy("Activity flagged"),
    "activity.refused": gettext_lazy("Activity refused by Legal"),
    "activity.registered": gettext_lazy("Activity registered"),
    "activity.revised": gettext_lazy("Activity revised"),
    "activity.withdrawn": gettext_lazy("Activity withdrawn"),
    "answers.saved": gettext_lazy("Answers saved"),
    "api_key.created": gettext_lazy("API key created"),
    "api_key.revoked": gettext_lazy("API key revoked"),
    "audit.checkpointed": gettext_lazy("Audit checkpoint written"),
    "calendar.day_added": gettext_lazy("Calendar day added"),
    "calendar.day_changed": gettext_lazy("Calendar day changed"),
    "calendar.day_removed": gettext_lazy("Calendar day removed"),
    "certification.added": gettext_lazy("Certification added"),
    "certification.withdrawn": gettext_lazy("Certification withdrawn"),
    "contact_link.created": gettext_lazy("Vendor contact link created"),
    "contact_link.revoked": gettext_lazy("Vendor contact link revoked"),
    "dossier.failed": gettext_lazy("Dossier could not be made"),
    "dossier.generated": gettext_lazy("Dossier made"),
    "dossier.reissued": gettext_lazy("Dossier reissued"),
    "dossier.requested": gettext_lazy("Dossier requested"),
    "dossier.timestamped": gettext_lazy("Dossier timestamped"),
    "evidence.added": gettext_lazy("Evidence uploaded"),
    "evidence.withdrawn": gettext_lazy("Evidence withdrawn"),
    "extension.approved": gettext_lazy("Scope extension approved"),
    "extension.decision_refused": gettext_lazy("Decision on a scope extension refused"),
    "extension.refused": gettext_lazy("Scope extension refused"),
    "extension.requested": gettext_lazy("Scope extension requested"),
    "extension.security_passed": gettext_lazy("Scope extension passed by Security"),
    "extension.security_refused": gettext_lazy("Scope extension refused by Security"),
    "extension.withdrawn": gettext_lazy("Scope extension withdrawn"),
    "group.renamed": gettext_lazy("Group renamed"),
    "inventory.discarded": gettext_lazy("Inventory import discarded"),
    "inventory.imported": gettext_lazy("Inventory imported"),
    "login.locked_out": gettext_lazy("Sign-in locked"),
    "login.unlocked": gettext_lazy("Sign-in unlocked"),
    "review.catch_up_opened": gettext_lazy("Catch-up review opened"),
    "review.catch_up_reminded": gettext_lazy("Catch-up review reminder sent"),
    "review.created": gettext_lazy("Review opened"),
    "review.not_reopened": gettext_lazy("Review not reopened"),
    "review.opened_after_correction": gettext_lazy("Review opened after a correction"),
    "review.rescored": gettext_lazy("Review rescored"),
    "review.returned_after_correction": gettext_lazy("Review returned after a correction"),
    "review.signed_off": gettext_lazy("Review signed off"),
    "review.withdrawn": gettext_lazy("Review withdrawn"),
    "role.granted": gettext_lazy("Role granted"),
    "role.permissions_changed": gettext_lazy("Role permissions changed"),
    "role.revoked": gettext_lazy("Role revoked"),
    "scope.confirm_refused": gettext_lazy("Scope confirmation refused"),
    "scope.confirmed": gettext_lazy("Scope confirmed"),
    "scope.derived": gettext_lazy("Scope derived from the answers"),
    "signoff.refused": gettext_lazy("Sign-off refused"),
    "stage.certificate_attached": gettext_lazy("Certificate attached to a stage"),
    "stage.certificate_set_aside": gettext_lazy("Certificate set aside"),
    "stage.decision_refused": gettext_lazy("Stage decision refused"),
    "stage.failed": gettext_lazy("Stage failed"),
    "stage.passed": gettext_lazy("Stage passed"),
    "stage.returned": gettext_lazy("Stage returned"),
    "stage.submitted": gettext_lazy("Stage submitted"),
    "user.deactivated": gettext_lazy("Account deactivated"),
    "user.email_changed": gettext_lazy("E-mail address changed"),
    "user.password_renewed": gettext_lazy("Password renewed by its owner"),
    "user.password_set": gettext_lazy("Password set by someone else"),
    "user.reactivated": gettext_lazy("Account reactivated"),
    "user.staff_granted": gettext_lazy("Admin access granted"),
    "user.staff_revoked": gettext_lazy("Admin access revoked"),
    "user.superuser_granted": gettext_lazy("Superuser rights granted"),
    "user.superuser_revoked": gettext_lazy("Superuser rights revoked"),
    "vendor.approved": gettext_lazy("Vendor approved"),
    "vendor.candidate": gettext_lazy("Vendor back to candidate"),
    "vendor.created": gettext_lazy("Vendor created"),
    "vendor.expiry_reminded": gettext_lazy("Approval expiry reminder sent"),
    "vendor.identity_corrected": gettext_lazy("Vendor identity corrected"),
    "vendor.identity_frozen": gettext_lazy("Vendor identity frozen"),
    "vendor.in_use": gettext_lazy("Vendor recorded as in use"),
    "vendor.rejected": gettext_lazy("Vendor rejected"),
    "vendor.suspended": gettext_lazy("Vendor suspended"),
    "vendor.updated": gettext_lazy("Vendor updated"),
}


def action_name(action: str) -> str:
    """The action named in the active language; one recorded by an older version, as recorded."""
    name = ACTION_NAMES.get(action)
    return str(name) if name is not None else action
