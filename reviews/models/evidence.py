from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vendors.choices import ChoiceLabels
from vendors.fields import user_reference
from vendors.models import private_storage

from .questionnaire import Question
from .review import Review, Stage


class EvidenceKind(models.TextChoices):
    # Data-source legality (docs/domain.md "Evidence")
    CONSENT_TEXT = "consent_text", _("Notice and consent texts with versions and screenshots")
    CONSENT_LOG = "consent_log", _("Consent-log samples")
    UPSTREAM_AGREEMENT = "upstream_agreement", _("Upstream data-supply agreement and source statement")
    SEPARATE_CONSENT = "separate_consent", _("Separate-consent proof (PIPL Art. 23)")
    PROCESSING_AGREEMENT = "processing_agreement", _("Entrusted-processing agreement (PIPL Art. 21)")
    PROVISION_AGREEMENT = "provision_agreement", _("Data-provision agreement")
    JOINT_AGREEMENT = "joint_agreement", _("Joint-handling agreement (PIPL Art. 20)")
    PIPIA = "pipia", _("PI protection impact assessment (PIPIA) report")
    PRIVACY_POLICY = "privacy_policy", _("Privacy policy and third-party SDK list")
    COMPLIANCE_AUDIT = "compliance_audit", _("Latest compliance audit report")
    PIPO_FILING = "pipo_filing", _("PI protection officer filing receipt")
    CROSS_BORDER = "cross_border", _("Cross-border transfer approval or filing")
    # Questionnaire attachments
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    TELECOM_LICENCE = "telecom_licence", _("Telecom licence, SMS short-code certificate or algorithm filing")
    MARKETING_SAMPLES = "marketing_samples", _("Marketing message screenshots")
    MLPS = "mlps", _("MLPS filing and assessment")
    CERTIFICATE = "certificate", _("Certificate")
    SUB_PROCESSORS = "sub_processors", _("Sub-processor list")
    INCIDENT_PLAN = "incident_plan", _("Incident plan and drill record")
    PERSONALISATION = "personalisation", _("Personalisation opt-out screenshots")
    # An own channel's (docs/domain.md "Own channels")
    SDK_LIST = "sdk_list", _("Third-party SDK list")
    ACCOUNT_SECURITY = "account_security", _("Account-security evidence (administrators, two-factor login)")
    OTHER = "other", _("Other document")


class Evidence(ChoiceLabels, models.Model):
    """An uploaded document. Never deleted (I7); frozen once its stage is submitted (I6); a returned
    stage takes new versions while the old ones stay."""

    review = models.ForeignKey(
        Review, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("review")
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("stage")
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=EvidenceKind.choices)
    round = models.PositiveSmallIntegerField(_("round"), editable=False)
    version = models.PositiveSmallIntegerField(_("version"), editable=False)
    file = models.FileField(_("file"), storage=private_storage, upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    uploaded_by = user_reference(_("uploaded by"))
    # The vendor contact's link when the file was uploaded through one.
    contact_link = models.ForeignKey(
        "reviews.ContactLink",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded through the contact link"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    frozen = models.BooleanField(_("frozen"), default=False, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["stage__order", "kind", "version"]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}: {self.original_name}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None and self.round == self.stage.round


class DossierStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Dossier(ChoiceLabels, models.Model):
    """The PDF approval dossier. Each generation is a new row; older ones stay (I7)."""

    review = models.ForeignKey(
        Review, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("review")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DossierStatus.choices,
        default=DossierStatus.QUEUED,
        editable=False,
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to="dossiers/%Y/", blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    requested_by = user_reference(_("requested by"))
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)
    # The PAdES signature (reviews/dossier/signing.py): who signed and when, as the signing certificate says.
    # False in development without a key: that copy says "UNSIGNED" on its cover.
    signed = models.BooleanField(_("digitally signed"), default=False, editable=False)
    signer = models.CharField(_("signer (certificate)"), max_length=300, blank=True, editable=False)
    signer_fingerprint = models.CharField(
        _("signing certificate (SHA-256)"), max_length=64, blank=True, editable=False
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True, editable=False)
    timestamped = models.BooleanField(_("timestamped"), default=False, editable=False)
    # The PAdES baseline level reached (reviews.dossier.signing.Level): B-B, B-T, B-LT, B-LTA.
    pades_level = models.CharField(_("PAdES level"), max_length=8, blank=True, editable=False)
    # A TSA was configured but none answered: signed, with a timestamp owed; reviews.dossier.archive adds it.
    timestamp_pending = models.BooleanField(_("timestamp pending"), default=False, editable=False)
    # The newest document timestamp (B-LTA) added for archiving, or None.
    archived_at = models.DateTimeField(_("last archive timestamp"), null=True, blank=True, editable=False)
    # A re-issue of a copy through `manage.py dossier --reissue` rather than the approval's own generation.
    reissued = models.BooleanField(_("re-issued"), default=False, editable=False)
    embedded_files = models.PositiveSmallIntegerField(_("embedded files"), default=0, editable=False)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self):
        return gettext("%(review)s dossier #%(number)s") % {"review": self.review.number, "number": self.pk}
