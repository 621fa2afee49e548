import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Concat, Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .channel_rules import validate_app_store_ids, validate_icp_filing
from .choices import ChoiceLabels
from .fields import user_reference
from .scope import OwnChannelKind
from .storage import private_storage
from .text import PlainText
from .uscc import normalize_uscc, validate_uscc


class VendorCategory(models.TextChoices):
    DATA_PROVIDER = "data_provider", _("Data provider")
    AD_NETWORK = "ad_network", _("Ad network / DSP")
    SCRM_SAAS = "scrm_saas", _("SCRM / CRM / CDP SaaS")
    SMS_EDM = "sms_edm", _("SMS / EDM sender")
    SOCIAL_AGENCY = "social_agency", _("Social-media / KOL agency")
    APP_DEVELOPER = "app_developer", _("Mini-program / app developer")
    EVENT_AGENCY = "event_agency", _("Event / lead agency")
    OTHER = "other", _("Other")
    # Not a vendor: one of the brand's own channels (OwnChannel), vetted through the same gate; it has no
    # credit code (docs/architecture.md "Own channels").
    OWN_CHANNEL = "own_channel", _("The brand's own channel")


# The categories a vendor may have: every category but the own channel, which only the channel register sets.
VENDOR_CATEGORIES = [choice for choice in VendorCategory.choices if choice[0] != VendorCategory.OWN_CHANNEL]


class VendorStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    APPROVED = "approved", _("Approved")
    SUSPENDED = "suspended", _("Suspended")
    REJECTED = "rejected", _("Rejected")
    # Already used by the business but never reviewed: taken stock of by the inventory import and
    # brought through a catch-up review (补齐审核). Never on the approved list (I1).
    IN_USE = "in_use", _("In use, not vetted")


class RiskTier(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class IndividualsRange(models.TextChoices):
    """How many individuals' data the vendor processes: the bands of question A5 (docs/domain.md "The questionnaire")."""

    LT_100K = "lt100k", _("Fewer than 100,000")
    FROM_100K_TO_1M = "100k_1m", _("100,000 to under 1 million")
    FROM_1M_TO_10M = "1m_10m", _("1 million to under 10 million")
    GT_10M = "gt10m", _("10 million or more")


class Vendor(ChoiceLabels, models.Model):
    # Names and systems are printed in the dossier, mails and CSV exports: plain text only (vendors/text.py).
    name_zh = models.CharField(_("legal name (Chinese)"), max_length=200, validators=[PlainText()])
    name_en = models.CharField(_("English name"), max_length=200, blank=True, validators=[PlainText()])
    # Empty for an own channel, and only for one (constraint vendor_credit_code_unless_channel).
    uscc = models.CharField(
        _("Unified Social Credit Code"), max_length=18, blank=True, validators=[validate_uscc]
    )
    uscc_checksum_ok = models.BooleanField(_("check character matches"), default=True, editable=False)
    category = models.CharField(_("category"), max_length=32, choices=VendorCategory.choices)
    website = models.URLField(_("website"), blank=True)
    services = models.TextField(_("services bought"), blank=True)
    # State: written only by vendors.services (I1, docs/architecture.md "Invariants"); read-only in every form and the admin.
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=VendorStatus.choices,
        default=VendorStatus.CANDIDATE,
        editable=False,
    )
    status_reason = models.TextField(_("reason for the status"), blank=True, editable=False)
    approved_until = models.DateField(_("approved until"), null=True, blank=True, editable=False)
    approval_reference = models.CharField(_("approval reference"), max_length=40, blank=True, editable=False)
    risk_tier = models.CharField(
        _("risk tier"), max_length=16, choices=RiskTier.choices, blank=True, editable=False
    )
    # What the approval in force covers (vendors.scope.Scope as JSON): the sign-off's scope widened by every
    # approved extension. Written only by vendors.services (vendor_admit, vendor_widen_scope); a use outside it
    # is refused by the use check (docs/domain.md "Use").
    approved_scope = models.JSONField(_("approved scope"), default=dict, blank=True, editable=False)
    # False for an approval whose scope was derived from its answers (approvals signed before scopes existed)
    # until Legal confirms it; the pages and the API say so.
    scope_confirmed = models.BooleanField(_("scope confirmed by Legal"), default=True, editable=False)
    # Inventory: what the business already uses and who answers for it. Written by the inventory import.
    business_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_vendors",
        verbose_name=_("business owner"),
    )
    personal_data = models.BooleanField(_("personal data involved"), null=True, blank=True)
    individuals = models.CharField(
        _("individuals (range)"), max_length=16, choices=IndividualsRange.choices, blank=True
    )
    in_use_since = models.DateField(_("in use since"), null=True, blank=True)
    contract_ends = models.DateField(_("contract ends"), null=True, blank=True)
    connected_systems = models.TextField(
        _("systems it connects to"), blank=True, validators=[PlainText(multiline=True)]
    )
    # Set when Legal opens the catch-up review; past it, a vendor still in use unvetted is overdue.
    catch_up_due = models.DateField(_("catch-up review due"), null=True, blank=True, editable=False)
    # Set when a catch-up review of a platform in use is rejected: the business must stop using it.
    stop_using = models.BooleanField(_("stop using"), default=False, editable=False)
    # Set when the first review of the vendor opens (vendors.services.vendor_freeze_identity): from then on the
    # credit code, legal names and category are what was vetted, and change only by an audited correction.
    identity_frozen_at = models.DateTimeField(_("identity frozen"), null=True, blank=True, editable=False)
    # The earliest expiry among the certificates that still count (not withdrawn, not yet expired), kept on the
    # vendor so that the approved list shows and sorts by it without aggregating every vendor's certificates
    # before its LIMIT. Written only by vendors.services.vendor_refresh_cert_expiry: when a certificate is added
    # or withdrawn, at admission, and hourly for vendors whose date has passed.
    nearest_cert_expiry = models.DateField(
        _("nearest certificate expiry"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Both legal names upper-cased by the database, as UPPER() of icontains would on every search: the search
    # of /vendors/ (vendors.selectors.vendor_search) reads it instead of upper-casing every name of the register,
    # and on PostgreSQL through a trigram index (vendors 0006).
    search_names = models.GeneratedField(
        expression=Upper(Concat("name_zh", models.Value("\n"), "name_en", output_field=models.TextField())),
        output_field=models.TextField(),
        db_persist=True,
        verbose_name=_("legal names"),
    )

    class Meta:
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        ordering = ["name_zh"]
        indexes = [
            # The counts of both tabs of /vendors/, and the hourly search for lapsed approvals.
            models.Index(fields=["status", "approved_until"], name="vendor_status_until_idx"),
            # The approved list in each of its sort orders (vendors.forms.SORTS), with what its filters read: a
            # page's keys come from an index-only scan, however deep the page (vendors.views.KeysFirst).
            models.Index(
                fields=["name_zh", "id"],
                name="vendor_approved_name_idx",
                include=["approved_until", "category", "risk_tier"],
                condition=models.Q(status="approved"),
            ),
            models.Index(
                fields=["approved_until", "name_zh", "id"],
                name="vendor_approved_until_idx",
                include=["category", "risk_tier"],
                condition=models.Q(status="approved"),
            ),
            models.Index(
                fields=["nearest_cert_expiry", "name_zh", "id"],
                name="vendor_approved_cert_idx",
                include=["approved_until", "category", "risk_tier"],
                condition=models.Q(status="approved"),
            ),
            # The vendors the business must stop using: the other half of the "in use, not vetted" tab.
            models.Index(
                fields=["stop_using"], name="vendor_stop_using_idx", condition=models.Q(stop_using=True)
            ),
            # The counts of both tabs under a search or a filter (every match is counted): read from these
            # indexes alone, without a visit to each matching vendor's row.
            models.Index(
                fields=["approved_until"],
                name="vendor_approved_search_idx",
                include=["search_names", "uscc", "category", "risk_tier"],
                condition=models.Q(status="approved"),
            ),
            models.Index(
                fields=["id"],
                name="vendor_in_use_search_idx",
                include=["search_names", "uscc", "category", "risk_tier"],
                condition=models.Q(status="in_use") | models.Q(stop_using=True),
            ),
            # Approvals in force whose scope Legal has not confirmed yet (Legal's desk, soonest ending first):
            # the few such rows read from their own index, not picked out of every approval.
            models.Index(
                fields=["approved_until", "id"],
                name="vendor_scope_to_confirm_idx",
                condition=models.Q(status="approved", scope_confirmed=False),
            ),
            # Platforms in use by their catch-up review's due date (the desk's overdue catch-ups of Legal and the
            # auditor, the longest overdue first): the overdue rows read from their own index, not picked out of
            # every platform in use.
            models.Index(
                fields=["catch_up_due", "id"],
                name="vendor_catch_up_due_idx",
                condition=models.Q(status="in_use"),
            ),
            # The brand's own channels by name (the activity form's list of registered channels): read from
            # their own index, not from a scan of every vendor.
            models.Index(
                fields=["name_zh"],
                name="vendor_own_channel_name_idx",
                condition=models.Q(category="own_channel"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["uscc"], name="vendor_uscc_unique", condition=~models.Q(uscc="")),
            # A vendor has a credit code; the brand's own channel has none (the brand is not its own vendor).
            models.CheckConstraint(
                name="vendor_credit_code_unless_channel",
                condition=(models.Q(category="own_channel") & models.Q(uscc=""))
                | (~models.Q(category="own_channel") & ~models.Q(uscc="")),
            ),
            models.CheckConstraint(
                name="vendor_approved_has_validity",
                condition=~models.Q(status="approved")
                | (models.Q(approved_until__isnull=False) & ~models.Q(approval_reference="")),
            ),
        ]

    def __str__(self):
        if self.is_own_channel:
            return f"{self.name_zh} ({_('own channel')})"
        return f"{self.name_zh} ({self.uscc})"

    def save(self, *args, **kwargs):
        self.uscc = normalize_uscc(self.uscc)
        super().save(*args, **kwargs)

    def validate_unique(self, exclude=None):
        """A credit code is unique among vendors (vendor_uscc_unique, conditional since own channels have
        none): reported on the field, as the plain unique field did."""
        super().validate_unique(exclude=exclude)
        code = normalize_uscc(self.uscc)
        taken = code and "uscc" not in (exclude or ())
        if taken and Vendor.objects.filter(uscc=code).exclude(pk=self.pk).exists():
            raise ValidationError({"uscc": [self.unique_error_message(Vendor, ["uscc"])]})

    @property
    def is_own_channel(self) -> bool:
        return self.category == VendorCategory.OWN_CHANNEL

    @property
    def questionnaire_category(self) -> str:
        """What the questionnaire's `@category` clauses test: the category, or an own channel's kind."""
        return self.channel.kind if self.is_own_channel else self.category

    @property
    def scope(self):
        from .scope import Scope

        return Scope.from_json(self.approved_scope)

    @property
    def display_name(self):
        return self.name_zh if not self.name_en else f"{self.name_zh} / {self.name_en}"

    def is_catch_up_overdue_on(self, day) -> bool:
        """In use and still not vetted after its catch-up deadline (vendors.selectors.catch_up_overdue)."""
        return (
            self.status == VendorStatus.IN_USE and self.catch_up_due is not None and self.catch_up_due < day
        )

    def is_approved_on(self, day) -> bool:
        return (
            self.status == VendorStatus.APPROVED
            and self.approved_until is not None
            and self.approved_until >= day
        )


class CertificationKind(models.TextChoices):
    ISO27001 = "iso27001", _("ISO/IEC 27001")
    ISO27701 = "iso27701", _("ISO/IEC 27701")
    MLPS_FILING = "mlps_filing", _("MLPS filing certificate (等保备案证明)")
    MLPS_REPORT = "mlps_report", _("MLPS assessment report (等保测评报告)")
    SOC2_TYPE2 = "soc2_type2", _("SOC 2 Type II report")
    CSA_STAR = "csa_star", _("CSA STAR")
    CCRC = "ccrc", _("CCRC certification")
    TELECOM_LICENCE = "telecom_licence", _("Value-added telecom licence")
    OTHER = "other", _("Other")


class CertificationEdition(models.TextChoices):
    """The standard edition or MLPS level a certificate is to; vendors.cert_rules says which kind takes
    which, and why it matters (a 2013-edition ISO/IEC 27001 certificate is void after 2025-10-31)."""

    ISO27001_2013 = "iso27001_2013", _("ISO/IEC 27001:2013")
    ISO27001_2022 = "iso27001_2022", _("ISO/IEC 27001:2022")
    ISO27701_2019 = "iso27701_2019", _("ISO/IEC 27701:2019")
    ISO27701_2025 = "iso27701_2025", _("ISO/IEC 27701:2025")
    MLPS_L1 = "mlps_l1", _("MLPS level 1")
    MLPS_L2 = "mlps_l2", _("MLPS level 2")
    MLPS_L3 = "mlps_l3", _("MLPS level 3")
    MLPS_L4 = "mlps_l4", _("MLPS level 4")
    MLPS_L5 = "mlps_l5", _("MLPS level 5")


class Certification(ChoiceLabels, models.Model):
    """A certificate the vendor holds, with its file. Linked to a review's security stage by reviews;
    frozen once that stage is submitted (I6)."""

    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="certifications", verbose_name=_("vendor")
    )
    kind = models.CharField(_("type"), max_length=32, choices=CertificationKind.choices)
    number = models.CharField(_("certificate number"), max_length=100)
    issuer = models.CharField(_("issuer"), max_length=200)
    scope = models.TextField(_("scope"))
    issued_on = models.DateField(_("issue date"))
    expires_on = models.DateField(
        _("expiry date"),
        null=True,
        blank=True,
        help_text=_("Leave empty only for an MLPS filing certificate."),
    )
    edition = models.CharField(
        _("edition or level"), max_length=20, choices=CertificationEdition.choices, blank=True
    )
    period_start = models.DateField(_("report period start"), null=True, blank=True)
    period_end = models.DateField(_("report period end"), null=True, blank=True)
    bridge_letter = models.BooleanField(
        _("bridge letter"),
        default=False,
        help_text=_("SOC 2: a bridge letter from the auditor covers the time since the report period ended."),
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to="certificates/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = user_reference(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    frozen = models.BooleanField(_("frozen"), default=False, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["expires_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="certification_expiry_after_issue",
                condition=models.Q(expires_on__isnull=True) | models.Q(expires_on__gt=models.F("issued_on")),
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.number}"

    @property
    def title(self) -> str:
        """The kind with its edition, level or report period: what every list shows."""
        if self.edition and self.kind in (CertificationKind.ISO27001, CertificationKind.ISO27701):
            return str(self.get_edition_display())
        if self.edition:
            return f"{self.get_kind_display()} · {self.get_edition_display()}"
        if self.kind == CertificationKind.SOC2_TYPE2 and self.period_start and self.period_end:
            bridge = f" + {_('bridge letter')}" if self.bridge_letter else ""
            return (
                f"{self.get_kind_display()} · {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}{bridge}"
            )
        return str(self.get_kind_display())

    def is_valid_on(self, day) -> bool:
        return self.withdrawn_at is None and (self.expires_on is None or self.expires_on >= day)


class InventoryImport(models.Model):
    """One inventory file Legal uploaded. The file is kept privately with its hash: the preview and the
    confirmation both read it from here, so what is saved is exactly what was previewed from."""

    file = models.FileField(_("file"), storage=private_storage, upload_to="inventory/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    uploaded_by = user_reference(_("uploaded by"), required=True)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    confirmed_by = user_reference(_("confirmed by"), editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)
    created_count = models.PositiveIntegerField(_("vendors added"), default=0, editable=False)
    updated_count = models.PositiveIntegerField(_("vendors updated"), default=0, editable=False)
    unchanged_count = models.PositiveIntegerField(_("vendors unchanged"), default=0, editable=False)
    # The rows as read at upload (vendors.inventory.reading.parsed_json): the preview and the confirmation check
    # them against the register as it is then, without reading the file again.
    parsed = models.JSONField(_("rows read"), default=dict, blank=True, editable=False)
    # What Legal decided in the preview (vendors.inventory.reading.Choices): {"columns": {position: column
    # key or "ignore"}, "owners": {name as written: user id}} for the columns and owners the file leaves open.
    choices = models.JSONField(_("choices in the preview"), default=dict, blank=True, editable=False)
    # An upload Legal discarded instead of confirming: its file is deleted, the record of it kept.
    discarded_by = user_reference(_("discarded by"), editable=False)
    discarded_at = models.DateTimeField(_("discarded"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("inventory import")
        verbose_name_plural = _("inventory imports")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.original_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"


class InventoryWordKind(models.TextChoices):
    HEADING = "heading", _("Column heading")
    CATEGORY = "category", _("Category")


class InventoryWord(models.Model):
    """A word a company's own ledger uses for a column heading or a category (台账用语), added by Legal to
    the ones the import knows (vendors.inventory.columns WORDS): "供应商全称" for the legal name, "私域工具"
    for SCRM. Compared as headings are: without case, spaces, full-width forms or brackets."""

    kind = models.CharField(_("kind"), max_length=16, choices=InventoryWordKind.choices)
    word = models.CharField(_("word in the ledger"), max_length=100, validators=[PlainText()])
    means = models.CharField(_("means"), max_length=32)
    added_by = user_reference(_("added by"), editable=False)
    added_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("ledger word")
        verbose_name_plural = _("ledger words")
        ordering = ["kind", "means", "word"]
        constraints = [models.UniqueConstraint(fields=["kind", "word"], name="inventory_word_once_per_kind")]

    def __str__(self):
        return self.word


# The kinds are the scope vocabulary's (vendors.scope.OwnChannelKind): one list for the register and for the
# activities that use the channels. Kinds that need an ICP filing, kinds found by their store identifiers, kinds with software of their own
# (third-party SDKs, an MLPS filing of the systems behind them): vendors.channel_rules and the questionnaire.
ICP_KINDS = frozenset({OwnChannelKind.WEBSITE, OwnChannelKind.MINI_PROGRAM})
APP_KINDS = frozenset({OwnChannelKind.APP})
SOFTWARE_KINDS = frozenset({OwnChannelKind.WEBSITE, OwnChannelKind.MINI_PROGRAM, OwnChannelKind.APP})


CHANNEL_REFERENCE = re.compile(r"CH-(\d{5,9})")


class OwnChannel(ChoiceLabels, models.Model):
    """One of the brand's own channels (自有渠道): its register entry is a Vendor row of category own_channel,
    without a credit code, which carries the status, the approval and its scope like any vendor's, so that a
    channel goes through the same gate (docs/architecture.md "Own channels"). This row holds what a channel
    has and a vendor has not."""

    entry = models.OneToOneField(
        Vendor,
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="channel",
        verbose_name=_("register entry"),
    )
    kind = models.CharField(_("kind of channel"), max_length=16, choices=OwnChannelKind.choices)
    operator = models.CharField(
        _("platform operator"),
        max_length=200,
        blank=True,
        validators=[PlainText()],
        help_text=_("Who runs the platform the channel lives on, e.g. Tencent, ByteDance."),
    )
    operator_vendor = models.ForeignKey(
        Vendor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operated_channels",
        limit_choices_to=~models.Q(category="own_channel"),
        verbose_name=_("operator in the register"),
    )
    icp_filing = models.CharField(
        _("ICP filing number"), max_length=40, blank=True, validators=[validate_icp_filing]
    )
    app_store_ids = models.TextField(
        _("app store identifiers"), blank=True, validators=[validate_app_store_ids]
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("own channel")
        verbose_name_plural = _("own channels")
        ordering = ["entry__name_zh"]
        indexes = [models.Index(fields=["kind"], name="own_channel_kind_idx")]

    def __str__(self):
        return f"{self.entry.name_zh} ({self.get_kind_display()})"

    @property
    def reference(self) -> str:
        """The channel's reference, as the API and the pages name it: CH- and its number (REFERENCE)."""
        return f"CH-{self.entry_id:05d}"

    @classmethod
    def pk_of_reference(cls, reference: str) -> int | None:
        match = CHANNEL_REFERENCE.fullmatch(reference or "")
        return int(match.group(1)) if match else None

    @property
    def operator_label(self) -> str:
        if self.operator_vendor is not None:
            return self.operator_vendor.name_zh
        return self.operator


class ChannelAdministrator(models.Model):
    """A person who administers a channel's account: a named person with their own login, never a shared
    password (docs/domain.md "Own channels")."""

    channel = models.ForeignKey(
        OwnChannel, on_delete=models.CASCADE, related_name="administrators", verbose_name=_("own channel")
    )
    name = models.CharField(_("name"), max_length=100, validators=[PlainText()])
    email = models.EmailField(_("e-mail address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="administered_channels",
        verbose_name=_("user"),
    )

    class Meta:
        verbose_name = _("account administrator")
        verbose_name_plural = _("account administrators")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "email"], name="channel_administrator_once")
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"
