"""Use: marketing activities and the extensions of an approval's scope (docs/domain.md "Use").

An approval covers a scope (vendors.scope); a marketing activity (营销活动) is checked against the scope of
every vendor it uses and the rules of activities.rules before it starts; a use outside a scope is either
refused or brought through a scope extension, a short review of only what changes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vendors.choices import ChoiceLabels
from vendors.fields import user_reference
from vendors.models import Vendor, private_storage
from vendors.scope import AudienceSource, Ceiling, Purpose


class Outcome(models.TextChoices):
    """What the pre-check of an activity (or a use check) concludes, from the mildest to the hardest."""

    GO = "go", _("Go")
    CONDITIONS = "conditions", _("Go with conditions")
    NEEDS_LEGAL = "needs_legal", _("Needs Legal")
    NO_GO = "no_go", _("No-go")


OUTCOME_ORDER: list[str] = [Outcome.GO, Outcome.CONDITIONS, Outcome.NEEDS_LEGAL, Outcome.NO_GO]


class ActivityStatus(models.TextChoices):
    AWAITING_ACK = "awaiting_ack", _("Conditions to acknowledge")
    AWAITING_LEGAL = "awaiting_legal", _("Waiting for Legal")
    CLEARED = "cleared", _("Cleared to start")
    BLOCKED = "blocked", _("No-go")
    REFUSED = "refused", _("Refused by Legal")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_ACTIVITY_STATES = (ActivityStatus.AWAITING_ACK, ActivityStatus.AWAITING_LEGAL, ActivityStatus.CLEARED)


class Activity(ChoiceLabels, models.Model):
    """A planned marketing activity, pre-checked when registered. Its facts are what the requester said; its
    findings are what activities.precheck concluded from them ({rule, outcome, vendor, values} rows, turned
    into sentences only when shown)."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="activities", verbose_name=_("owner")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    vendors = models.ManyToManyField(Vendor, blank=True, related_name="activities", verbose_name=_("vendors"))
    own_channels = models.JSONField(_("own channels"), default=list, blank=True)
    # The registered own channels it uses, by name (docs/architecture.md "Own channels"); their kinds are in
    # own_channels too. A channel not approved makes the pre-check a no-go (activities.rules CHANNEL_RULE).
    named_channels = models.ManyToManyField(
        Vendor,
        blank=True,
        related_name="channel_activities",
        limit_choices_to={"category": "own_channel"},
        verbose_name=_("own channels in the register"),
    )
    audience_source = models.CharField(_("audience source"), max_length=32, choices=AudienceSource.choices)
    audience = models.TextField(_("audience"), blank=True)
    data_categories = models.JSONField(_("data categories"), default=list, blank=True)
    volume = models.CharField(_("individuals reached"), max_length=16, choices=Ceiling.choices)
    profiling = models.BooleanField(_("profiling or personalised ads"), default=False)
    personalised_pricing = models.BooleanField(_("prices or terms differ by personal traits"), default=False)
    pricing_justification = models.TextField(_("objective justification of the price difference"), blank=True)
    minors = models.BooleanField(_("children under 14 involved"), default=False)
    cross_border = models.BooleanField(_("data leaves China"), default=False)
    # What the pre-check concluded; written only by activities.services.
    outcome = models.CharField(_("pre-check outcome"), max_length=16, choices=Outcome.choices, editable=False)
    findings = models.JSONField(_("findings"), default=list, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=ActivityStatus.choices, editable=False)
    checked_at = models.DateTimeField(_("checked"), default=timezone.now, editable=False)
    acknowledged_by = user_reference(_("conditions acknowledged by"), editable=False)
    acknowledged_at = models.DateTimeField(
        _("conditions acknowledged"), null=True, blank=True, editable=False
    )
    decided_by = user_reference(_("decided by"), editable=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    decision_reason = models.TextField(_("Legal's reason"), blank=True, editable=False)
    # Set when a vendor it uses is suspended or its approval lapses: the owner is told, the lists flag it.
    flagged_at = models.DateTimeField(_("flagged"), null=True, blank=True, editable=False)
    flag_reason = models.TextField(_("why it is flagged"), blank=True, editable=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("marketing activity")
        verbose_name_plural = _("marketing activities")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at", "-id"], name="activity_owner_recent_idx"),
            models.Index(fields=["status", "-created_at", "-id"], name="activity_status_recent_idx"),
            models.Index(
                fields=["flagged_at"],
                name="activity_flagged_idx",
                condition=models.Q(flagged_at__isnull=False),
            ),
            # Every activity, newest first: the list of those who read them all (Legal, Security, the Auditor),
            # read a page at a time rather than sorting the whole table on every request.
            models.Index(fields=["-created_at", "-id"], name="activity_recent_idx"),
            # What waits for Legal, longest waiting first (since its last pre-check): Legal's list by default and
            # the desk's panel, each with its count, from a small index of those rows alone.
            models.Index(
                fields=["checked_at", "id"],
                name="activity_waiting_legal_idx",
                condition=models.Q(status=ActivityStatus.AWAITING_LEGAL.value),
            ),
            # The requester's dashboard panel: their open activities that have not ended.
            models.Index(
                fields=["owner", "ends_on"],
                name="activity_owner_open_idx",
                condition=models.Q(status__in=[status.value for status in OPEN_ACTIVITY_STATES]),
            ),
        ]
        permissions = [
            ("decide_activity", _("Can decide marketing activities that need Legal")),
        ]

    def __str__(self):
        return f"{self.reference} {self.name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTIVITY_STATES


class ExtensionStatus(models.TextChoices):
    AWAITING_SECURITY = "awaiting_security", _("Waiting for Security")
    AWAITING_LEGAL = "awaiting_legal", _("Waiting for Legal")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_EXTENSION_STATES = (ExtensionStatus.AWAITING_SECURITY, ExtensionStatus.AWAITING_LEGAL)


class ScopeExtension(ChoiceLabels, models.Model):
    """A request to widen an approved vendor's scope without waiting for a renewal: only what changes is
    reviewed (activities.extension_rules says which questions and documents the addition needs, and whether
    Security must look too), Legal decides, and the addendum joins the approval's dossier."""

    number = models.CharField(_("number"), max_length=30, unique=True, editable=False)
    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="scope_extensions", verbose_name=_("vendor")
    )
    # The approval it widens (a reviews.SignOff number): an extension never outlives it.
    approval_reference = models.CharField(_("approval reference"), max_length=40, editable=False)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="scope_extensions",
        verbose_name=_("requester"),
    )
    additions = models.JSONField(_("what it adds"), default=dict, editable=False)
    reason = models.TextField(_("why it is needed"))
    # {question code: {"value": ..., "detail": ...}}: the answers the addition needs, given again.
    answers = models.JSONField(_("answers"), default=dict, blank=True, editable=False)
    needs_security = models.BooleanField(_("Security must review"), default=False, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=ExtensionStatus.choices, editable=False)
    security_decided_by = user_reference(_("Security's reviewer"), editable=False)
    security_decided_at = models.DateTimeField(_("Security decided"), null=True, blank=True, editable=False)
    security_comment = models.TextField(_("Security's comment"), blank=True, editable=False)
    decided_by = user_reference(_("decided by"), editable=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    decision_comment = models.TextField(_("Legal's comment"), blank=True, editable=False)
    created_at = models.DateTimeField(_("requested"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("scope extension")
        verbose_name_plural = _("scope extensions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="extension_status_idx")]
        permissions = [("decide_extension", _("Can decide scope extensions"))]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_EXTENSION_STATES


class ExtensionFile(models.Model):
    """A document an extension needs (a telecom licence for SMS, Art. 23 consent proof for a vendor-supplied
    audience, ...), stored like evidence: by content type, hashed, private, never deleted (I7)."""

    extension = models.ForeignKey(
        ScopeExtension, on_delete=models.PROTECT, related_name="files", verbose_name=_("scope extension")
    )
    kind = models.CharField(_("document"), max_length=32)
    file = models.FileField(_("file"), storage=private_storage, upload_to="extensions/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = user_reference(_("uploaded by"), required=True)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("extension document")
        verbose_name_plural = _("extension documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name
