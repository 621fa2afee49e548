"""The two records as PDF: HTML from the view models of activities.records.activity and .addendum, then
WeasyPrint, then the organisation's signature, as the approval dossier is made (reviews/dossier/render.py).

Generated on request and never stored: everything they print is stored already (the activity, the extension
and its documents), so a record issued twice says the same but for its time of issue, and its footer's
SHA-256 of the recorded facts is the same. Like the dossier they fetch nothing (fonts come from the system,
no URL is allowed) and are PDF/A-3b, the archival profile that allows embedded files: the recorded facts as
JSON, and in an addendum the extension's documents, with the dossier's manifest so that verify_dossier
checks them."""

import datetime as dt
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from reviews.bilingual import bi
from reviews.dossier import signing
from reviews.dossier.attachments import MANIFEST_NAME, manifest_bytes, pdf_attachments
from reviews.dossier.render import control_characters_shown

from ..models import Activity, ScopeExtension
from .activity import ActivityRecord, activity_record
from .addendum import Addendum, extension_addendum
from .labels import LABELS

RECORD_TEMPLATE = "activities/records/activity_record.html"
ADDENDUM_TEMPLATE = "activities/records/addendum.html"


@dataclass(frozen=True)
class RenderedRecord:
    filename: str
    pdf: bytes
    signature: signing.SignatureInfo


def _context(view, *, creds, issued_at: dt.datetime, header: str) -> dict:
    signer = creds.subject if creds else ""
    t = {key: bi(message) for key, message in LABELS.items()}
    local = timezone.localtime(issued_at)
    offset = local.strftime("%z")
    zone = f"{timezone.get_current_timezone_name()} (UTC{offset[:3]}:{offset[3:]})"
    return {
        "t": t,
        "record": view,
        "signer": signer,
        "signed_note": bi(LABELS["signed_note"], signer=signer) if signer else None,
        # Written into CSS strings of the page's margins by the css_string filter.
        "header": header,
        "issued_line": f"{t['issued_at'].inline}: {view.issued_at} ({zone})",
        "digest_label": f"{t['record_digest'].inline}:",
        "digest_line": f"{view.recorded.name}: {view.recorded.sha256}",
        "page_label": t["page"].inline + " ",
    }


def _pdf(template: str, context: dict, *, files: list, about: dict, issued_at: dt.datetime) -> bytes:
    from weasyprint import HTML, URLFetcher  # imported here: it loads Pango, which most processes never need

    html = control_characters_shown(render_to_string(template, context))
    manifest = manifest_bytes(files, generated_at=issued_at, about=about)
    no_fetching = URLFetcher(allowed_protocols=())
    return HTML(string=html, base_url=None, url_fetcher=no_fetching).write_pdf(
        pdf_variant="pdf/a-3b", attachments=pdf_attachments(files, manifest, no_fetching)
    )


def _issued(
    view,
    template: str,
    context: dict,
    creds,
    *,
    files: list,
    about: dict,
    issued_at: dt.datetime,
    reason: str,
) -> RenderedRecord:
    """`view` printed with `template` as PDF/A, `files` embedded, then signed with `creds` (unsigned without)."""
    pdf = _pdf(template, context, files=files, about=about, issued_at=issued_at)
    signature = signing.UNSIGNED
    if creds is not None:
        # Signed where the dossier is (VETTED_SIGNING_LOCATION, signing.SigningConfig.location), never at a URL.
        pdf, signature = signing.pdf_sign(pdf, creds=creds, reason=reason)
    return RenderedRecord(view.filename, pdf, signature)


def _reason(title: str, reference: str) -> str:
    """The signature's reason, as a PDF reader shows it: what the file is, in both languages."""
    label = bi(title)
    return f"{label.en} {reference} / {label.zh} {reference}"


def activity_record_render(activity: Activity, *, issued_at: dt.datetime | None = None) -> RenderedRecord:
    """The signed compliance confirmation (营销活动合规确认单) of a decided activity. Raises
    RecordNotAvailable for an activity not decided, SigningKeyError when signing is required and the key
    cannot be used."""
    creds = signing.credentials()  # first: a production key problem fails before any work
    issued_at = issued_at or timezone.now()
    record: ActivityRecord = activity_record(activity, issued_at=issued_at)
    context = _context(record, creds=creds, issued_at=issued_at, header=f"{record.reference} · {record.name}")
    return _issued(
        record,
        RECORD_TEMPLATE,
        context,
        creds,
        files=[record.recorded.as_file(record_id=activity.pk)],
        about={"activity": record.reference},
        issued_at=issued_at,
        reason=_reason(LABELS["record_title"], record.reference),
    )


def extension_addendum_render(
    extension: ScopeExtension, *, issued_at: dt.datetime | None = None
) -> RenderedRecord:
    """The signed addendum of an approved scope extension to its approval's dossier, its documents
    embedded. Raises RecordNotAvailable for an extension not approved."""
    creds = signing.credentials()
    issued_at = issued_at or timezone.now()
    addendum: Addendum = extension_addendum(extension, issued_at=issued_at)
    header = f"{addendum.dossier} · {addendum.number} · {addendum.vendor_zh}"
    context = _context(addendum, creds=creds, issued_at=issued_at, header=header)
    context["subtitle"] = bi(LABELS["addendum_subtitle"], dossier=addendum.dossier)
    context["files_note"] = bi(LABELS["files_note"], manifest=MANIFEST_NAME)
    return _issued(
        addendum,
        ADDENDUM_TEMPLATE,
        context,
        creds,
        files=list(addendum.files),
        about={"extension": addendum.number, "sign_off": addendum.dossier, "vendor_uscc": addendum.uscc},
        issued_at=issued_at,
        reason=_reason(LABELS["addendum_title"], f"{addendum.dossier} {addendum.number}"),
    )
