"""Every label of the approval dossier, in one place: the dossier prints each one in Chinese and English
(reviews/bilingual.py), so an auditor reads it whatever their language."""

from django.utils.translation import gettext_noop

from .attachments import LABELS as FILE_LABELS

# Every label of the dossier. gettext_noop marks them for makemessages; bi() translates them both ways.
# The dossier of one of the brand's own channels: the same sections, named for what was reviewed.
CHANNEL_LABELS = {
    "title": gettext_noop("Own-channel approval dossier"),
    "subtitle": gettext_noop(
        "Personal information protection review of one of the brand's own channels (PIPL)"
    ),
    "vendor_profile": gettext_noop("Channel profile"),
    "vendor": gettext_noop("Own channel"),
    "name_zh": gettext_noop("Channel name"),
}

LABELS = {
    "title": gettext_noop("Vendor approval dossier"),
    "subtitle": gettext_noop("Personal information protection review of a marketing vendor (PIPL)"),
    "toc": gettext_noop("Contents"),
    "cover": gettext_noop("Cover"),
    "summary": gettext_noop("Summary"),
    "vendor_profile": gettext_noop("Vendor profile"),
    # An own channel's dossier says what it is about (CHANNEL_LABELS replace their namesakes).
    "channel_kind": gettext_noop("Kind of channel"),
    "operator": gettext_noop("Platform operator"),
    "icp_filing": gettext_noop("ICP filing number"),
    "app_store_ids": gettext_noop("App store identifiers"),
    "administrators": gettext_noop("Account administrators"),
    "connected_systems": gettext_noop("Systems it feeds"),
    "business_owner": gettext_noop("Business owner"),
    "questionnaire": gettext_noop("Questionnaire and answers"),
    "evidence": gettext_noop("Evidence manifest"),
    "certificates": gettext_noop("Security certificates"),
    "decisions": gettext_noop("Stage decisions"),
    "sign_off": gettext_noop("Legal sign-off"),
    "audit": gettext_noop("Audit trail"),
    "vendor": gettext_noop("Vendor"),
    "uscc": gettext_noop("Unified Social Credit Code"),
    "uscc_warning": gettext_noop(
        "The check character does not match: verify the code on the national credit registry."
    ),
    "decision": gettext_noop("Decision"),
    "validity": gettext_noop("Valid until"),
    "dossier_number": gettext_noop("Dossier number"),
    "review_number": gettext_noop("Review number"),
    "requester": gettext_noop("Requester"),
    "approver": gettext_noop("Approved by"),
    "signed_at": gettext_noop("Signed at"),
    "generated_at": gettext_noop("Generated at"),
    "generation": gettext_noop("Generation"),
    "risk_score": gettext_noop("Risk score"),
    "risk_tier": gettext_noop("Risk tier"),
    "tier_why": gettext_noop("Why this tier"),
    "conditions": gettext_noop("Conditions"),
    "no_conditions": gettext_noop("No conditions."),
    "red_flags": gettext_noop("Red flags"),
    "no_red_flags": gettext_noop("No red flag was raised."),
    "risks": gettext_noop("Risk findings"),
    "no_risks": gettext_noop("No risk finding."),
    "points": gettext_noop("points"),
    "name_zh": gettext_noop("Legal name (Chinese)"),
    "name_en": gettext_noop("English name"),
    "category": gettext_noop("Category"),
    "website": gettext_noop("Website"),
    "services": gettext_noop("Services bought"),
    "purpose": gettext_noop("Purpose of use"),
    "personal_data": gettext_noop("Personal data involved"),
    "volume": gettext_noop("Expected volume"),
    "questionnaire_version": gettext_noop("Questionnaire version"),
    "opened": gettext_noop("Requested"),
    "closed": gettext_noop("Closed"),
    "code": gettext_noop("Code"),
    "question": gettext_noop("Question"),
    "answer": gettext_noop("Answer"),
    "detail": gettext_noop("Details"),
    "files": gettext_noop("Files"),
    "flag": gettext_noop("Flag"),
    "legal_basis": gettext_noop("Legal basis"),
    "red_flag": gettext_noop("Red flag"),
    "risk": gettext_noop("Risk"),
    "not_shown": gettext_noop("Not asked: the condition for this question was not met."),
    "not_answered": gettext_noop("Not answered"),
    "yes": gettext_noop("Yes"),
    "no": gettext_noop("No"),
    "file_name": gettext_noop("File name"),
    "kind": gettext_noop("Kind"),
    "stage": gettext_noop("Stage"),
    "version": gettext_noop("Version"),
    "round": gettext_noop("Round"),
    "size": gettext_noop("Size (bytes)"),
    "uploaded": gettext_noop("Uploaded by, at"),
    "answered_by": gettext_noop("Answered by"),
    "status": gettext_noop("Status"),
    "current": gettext_noop("Current"),
    "superseded": gettext_noop("Superseded"),
    "withdrawn": gettext_noop("Withdrawn"),
    "not_asked": gettext_noop("For a question no longer asked (not part of the approval)"),
    "set_aside": gettext_noop("Set aside in round %(round)s"),
    "no_evidence": gettext_noop("No evidence was uploaded."),
    "evidence_note": gettext_noop(
        "Every version is listed, including withdrawn and superseded ones. Compare a file with its entry by "
        "computing its SHA-256 (for example: sha256sum FILE)."
    ),
    "cert_type": gettext_noop("Type"),
    "cert_number": gettext_noop("Certificate number"),
    "issuer": gettext_noop("Issuer"),
    "scope": gettext_noop("Scope"),
    "issued_on": gettext_noop("Issue date"),
    "expires_on": gettext_noop("Expiry date"),
    "no_expiry": gettext_noop("No printed expiry"),
    "valid_at_sign_off": gettext_noop("Valid at sign-off"),
    "expired_at_sign_off": gettext_noop("Expired at sign-off"),
    "no_certificates": gettext_noop("No certificate is attached."),
    "outcome": gettext_noop("Outcome"),
    "reviewer": gettext_noop("Reviewer"),
    "time": gettext_noop("Time"),
    "comment": gettext_noop("Comment"),
    "submitted": gettext_noop("Submitted"),
    "no_decision": gettext_noop("No decision recorded."),
    "role_changes": gettext_noop("Role changes of the deciders"),
    "role_changes_note": gettext_noop(
        "Every change to the roles, the role groups, the superuser, staff or active "
        "flag, the e-mail address or the password of a person who decided this "
        "review, in the year before their decisions."
    ),
    "no_role_changes": gettext_noop("None: no decider's role or account changed in the year before."),
    "statement": gettext_noop("Statement"),
    "signature_note": gettext_noop(
        "Signed in Vetted by the approver, who re-entered their password to sign."
    ),
    "event": gettext_noop("Event"),
    "actor": gettext_noop("Actor"),
    "object": gettext_noop("Object"),
    "details": gettext_noop("Details"),
    "hash": gettext_noop("Hash (SHA-256)"),
    "prev_hash": gettext_noop("Previous hash"),
    "audit_note": gettext_noop(
        "Events of this review and of its vendor, in order. Each hash covers the event and the hash of the "
        "event before it in the whole log, so a changed or removed event breaks the chain; the application's "
        "verify_audit command checks it."
    ),
    "hashes_ok": gettext_noop("Every listed event matched its hash when this dossier was generated."),
    "hashes_broken": gettext_noop("These events did NOT match their hash when this dossier was generated:"),
    "page": gettext_noop("Page"),
    "dossier_id": gettext_noop("Dossier record"),
    "bytes": gettext_noop("bytes"),
    "flag_basis": gettext_noop("Flag and legal basis"),
    "file_kind_stage": gettext_noop("File, kind and stage"),
    "version_round": gettext_noop("Version / round"),
    "type_number": gettext_noop("Type and number"),
    "issuer_scope": gettext_noop("Issuer and scope"),
    "issue_expiry": gettext_noop("Issued and expires"),
    "file_hash": gettext_noop("File and SHA-256"),
    "event_actor": gettext_noop(
        "Event: number, time, what happened, the first characters of its hash (the full ones in %(name)s)"
    ),
    "audit_trail_note": gettext_noop(
        "This trail is embedded in full in this PDF as %(name)s (%(events)s events; its SHA-256 follows): "
        "each event's columns as its hash covers them, its action, actor and object codes, its hash and the "
        "one before it, and its sentences with every hash in full. Here each hash is shortened to its first "
        "%(chars)s characters, and a file's hash to its first four as the application shows it (the files' "
        "hashes are in full in sections 4 and 5). verify_dossier checks the file and recomputes each hash."
    ),
    "time_zone": gettext_noop("Times are given in the time zone %(zone)s."),
    # What the approval covers (vendors.scope), after the sign-off's statement.
    "approval_scope": gettext_noop("Scope of approval"),
    "approval_scope_note": gettext_noop(
        "The vendor is approved for these uses only; a use outside them needs a scope extension reviewed "
        "before it starts (PIPL Art. 6, 14, 21)."
    ),
    "approval_scope_unconfirmed": gettext_noop("Derived from the answers, to be confirmed by Legal"),
    "scope_purposes": gettext_noop("Purposes"),
    "scope_channels": gettext_noop("Channels"),
    "scope_data": gettext_noop("Data categories"),
    "scope_audiences": gettext_noop("Audience sources"),
    "scope_cross_border": gettext_noop("Cross-border transfer"),
    "scope_ceiling": gettext_noop("Volume ceiling"),
    "scope_conditions": gettext_noop("Conditions of use"),
    "scope_covered": gettext_noop("Covered"),
    "scope_not_covered": gettext_noop("Not covered"),
    "scope_no_personal_data": gettext_noop("No personal information (anonymous or aggregated data only)"),
    "scope_none": gettext_noop("None"),
    "scope_not_recorded": gettext_noop("No scope was recorded for this approval."),
    **FILE_LABELS,  # the files inside the dossier and the signature notes
}
