from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vendors.choices import ChoiceLabels
from vendors.fields import user_reference
from vendors.models import Certification, RiskTier, Vendor, VendorStatus

from .questionnaire import Question, QuestionnaireTemplate


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_PROGRESS = "in_progress", _("In progress")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class StageKind(models.TextChoices):
    QUESTIONNAIRE = "questionnaire", _("Due-diligence questionnaire")
    DATA_SOURCE = "data_source", _("Data-source legality evidence")
    SECURITY = "security", _("Security certification")
    SIGN_OFF = "sign_off", _("Legal sign-off")


# The question the request answers (its credit code): filled at creation, read-only in the questionnaire.
REQUEST_FILLED_QUESTION = "A1"
# The questionnaire's volume question: its choices are the request's expected volume, so the request's answer
# is given there first (the requester changes it when the vendor handles more people in all).
REQUEST_VOLUME_QUESTION = "A5"

STAGE_ORDER = [StageKind.QUESTIONNAIRE, StageKind.DATA_SOURCE, StageKind.SECURITY, StageKind.SIGN_OFF]


class StageState(models.TextChoices):
    LOCKED = "locked", _("Locked")
    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Submitted")
    PASSED = "passed", _("Passed")
    RETURNED = "returned", _("Returned")
    FAILED = "failed", _("Failed")


class ExpectedVolume(models.TextChoices):
    UNDER_100K = "lt100k", _("Fewer than 100,000 individuals")
    UNDER_1M = "100k_1m", _("100,000 to 1 million")
    UNDER_10M = "1m_10m", _("1 to 10 million")
    OVER_10M = "gt10m", _("More than 10 million")


class DataTrait(models.TextChoices):
    """What the requester says the vendor will touch, on the request: facts that set the inherent risk before
    any answer (reviews.questionnaire.tiering cites the article of each)."""

    CROSS_BORDER = "cross_border", _("Data leaves China or is reachable from abroad (PIPL Art. 38-40)")
    SENSITIVE = (
        "sensitive",
        _(
            "Sensitive personal information: biometrics, health, financial accounts, location "
            "tracks, religion, specific identity (PIPL Art. 28)"
        ),
    )
    MINORS = "minors", _("Personal information of children under 14 (PIPL Art. 31)")
    PROFILING = "profiling", _("Profiling, personalised push or automated decisions (PIPL Art. 24)")


STANDING_LAPSED, STANDING_SUSPENDED = "lapsed", "suspended"
STANDING_LABELS = {
    STANDING_LAPSED: _("Approval lapsed"),
    STANDING_SUSPENDED: _("Approval suspended"),
}


class Review(ChoiceLabels, models.Model):
    """One onboarding cycle of one vendor (docs/architecture.md "The request path")."""

    number = models.CharField(_("review number"), max_length=20, unique=True, editable=False)
    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("vendor")
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="requested_reviews",
        verbose_name=_("requester"),
    )
    template = models.ForeignKey(
        QuestionnaireTemplate,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("questionnaire"),
    )
    purpose = models.TextField(_("purpose of use"))
    personal_data = models.TextField(_("personal data involved"), blank=True)
    expected_volume = models.CharField(_("expected volume"), max_length=16, choices=ExpectedVolume.choices)
    data_traits = models.JSONField(
        _("what the vendor will touch"),
        default=list,
        blank=True,
        help_text=_("DataTrait values ticked on the request."),
    )
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    state = models.CharField(
        _("state"), max_length=16, choices=ReviewState.choices, default=ReviewState.DRAFT, editable=False
    )
    risk_score = models.PositiveIntegerField(_("risk score"), default=0, editable=False)
    risk_tier = models.CharField(
        _("risk tier"), max_length=16, choices=RiskTier.choices, default=RiskTier.LOW, editable=False
    )
    red_flag_count = models.PositiveSmallIntegerField(_("red flags"), default=0, editable=False)
    # A catch-up review (补齐审核) of a platform already in use, opened by Legal for its business owner;
    # it runs the same four stages as any review.
    catch_up = models.BooleanField(_("catch-up review"), default=False, editable=False)
    # The catch-up reminders sent (reviews.notifications.catch_up): the nearest one, as working days before
    # the deadline (-1 once past it), and the deadline it was for; a new deadline starts the reminders again.
    catch_up_reminded_days = models.SmallIntegerField(
        _("catch-up reminder sent (working days before the deadline)"), null=True, blank=True, editable=False
    )
    catch_up_reminded_for = models.DateField(
        _("catch-up reminder sent for the deadline"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    # The current stage (the first not passed), kept here so that lists filter and sort on it without a
    # subquery per row; set only by reviews.current_stage.review_refresh_current_stage, which the services
    # call in the transaction that changes a stage. Empty once every stage has passed.
    current_stage_kind = models.CharField(  # noqa: DJ001 (NULL: no current stage, as the lists filter on it)
        _("current stage"), max_length=16, choices=StageKind.choices, null=True, blank=True, editable=False
    )
    current_stage_state = models.CharField(  # noqa: DJ001
        _("current stage state"),
        max_length=16,
        choices=StageState.choices,
        null=True,
        blank=True,
        editable=False,
    )
    current_stage_waiting_since = models.DateTimeField(
        _("waiting since"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at"]
        indexes = [
            # The desk and "waiting on me": submitted current stages, longest waiting first.
            models.Index(
                fields=["current_stage_state", "current_stage_waiting_since", "id"],
                name="review_current_stage_idx",
            ),
            # The review queue's "everything": every review, longest waiting first.
            models.Index(fields=["current_stage_waiting_since", "id"], name="review_waiting_since_idx"),
            # The desk's count per stage and first rows per stage, and the queue's count: open reviews whose
            # current stage waits for a decision, by stage, longest waiting first, with the requester (left
            # out of their own) in the index: read from the index alone, already in the window's order,
            # instead of a scan of every review and a sort.
            models.Index(
                fields=["current_stage_kind", "current_stage_waiting_since", "id"],
                include=["requester", "current_stage_state"],
                name="review_waiting_kind_idx",
                condition=models.Q(current_stage_state="submitted", state__in=["draft", "in_progress"]),
            ),
            # Legal's and the auditor's dashboard: open reviews, oldest change first. Partial, on the open
            # states only: an index on (state, updated_at) cannot give two states in one order, and the
            # plan then sorts every open review before its LIMIT.
            models.Index(
                fields=["updated_at", "id"],
                name="review_open_updated_idx",
                condition=models.Q(state__in=["draft", "in_progress"]),
            ),
            # A requester's dashboard: their requests newest first, and what waits on them.
            models.Index(fields=["requester", "created_at", "id"], name="review_requester_created_idx"),
            models.Index(
                fields=["requester", "state", "current_stage_state"], name="review_requester_current_idx"
            ),
        ]
        permissions = [
            ("decide_security_stage", _("Can decide the security-certification stage")),
            ("decide_legal_stages", _("Can decide the questionnaire and data-source stages")),
            ("sign_off_review", _("Can sign off a review")),
            ("read_all_reviews", _("Can read every review")),
            ("request_review", _("Can request vendor reviews")),
        ]

    def __str__(self):
        return f"{self.number} {self.vendor.name_zh}"

    @property
    def data_trait_labels(self) -> list[str]:
        return [str(DataTrait(value).label) for value in self.data_traits or () if value in DataTrait.values]

    @property
    def is_open(self) -> bool:
        return self.state in (ReviewState.DRAFT, ReviewState.IN_PROGRESS)

    @property
    def standing(self) -> str:
        """The review's state as its requester must read it: an approved review whose approval has since
        lapsed or been suspended says so (its vendor is off the approved list), not "approved"."""
        if self.state != ReviewState.APPROVED:
            return self.state
        vendor = self.vendor
        if vendor.approved_until is not None and vendor.approved_until < timezone.localdate():
            return STANDING_LAPSED
        if vendor.status == VendorStatus.SUSPENDED:
            return STANDING_SUSPENDED
        return self.state

    @property
    def standing_label(self) -> str:
        return str(STANDING_LABELS.get(self.standing) or self.get_state_display())

    def stage(self, kind) -> "Stage":
        for stage in self.stages.all():
            if stage.kind == kind:
                return stage
        raise Stage.DoesNotExist(kind)

    def current_stage(self) -> "Stage | None":
        """The first stage not passed yet (uses the prefetched stages when there are)."""
        for stage in sorted(self.stages.all(), key=lambda s: s.order):
            if stage.state != StageState.PASSED:
                return stage
        return None

    def admission_problems(self) -> list[str]:
        """vendors.services.Admission: why this review cannot admit its vendor (I1)."""
        problems = []
        stages = list(self.stages.all())
        if self.state != ReviewState.APPROVED:
            problems.append(str(_("The review is not approved.")))
        if len(stages) != 4 or any(s.state != StageState.PASSED for s in stages):
            problems.append(str(_("Not every stage has passed.")))
        sign_off = SignOff.objects.filter(review=self).first()
        if sign_off is None:
            problems.append(str(_("There is no legal sign-off.")))
        elif sign_off.valid_until < timezone.localdate():
            problems.append(str(_("The legal sign-off has expired.")))
        return problems


class Stage(ChoiceLabels, models.Model):
    review = models.ForeignKey(
        Review, on_delete=models.PROTECT, related_name="stages", verbose_name=_("review")
    )
    kind = models.CharField(_("stage"), max_length=16, choices=StageKind.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    state = models.CharField(
        _("state"), max_length=16, choices=StageState.choices, default=StageState.LOCKED, editable=False
    )
    # Each return starts a new round; evidence of earlier rounds stays, frozen (I6).
    round = models.PositiveSmallIntegerField(_("round"), default=1, editable=False)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    submitted_by = user_reference(_("submitted by"), editable=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    certifications = models.ManyToManyField(
        Certification,
        blank=True,
        related_name="stages",
        through="StageCertification",
        verbose_name=_("certifications"),
    )

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["review", "order"]
        constraints = [models.UniqueConstraint(fields=["review", "kind"], name="stage_kind_unique")]
        indexes = [
            # The portfolio's figures (portfolio.selectors), read from the index alone instead of every stage:
            # the stages passed lately, for the median days per stage...
            models.Index(
                fields=["decided_at"],
                include=["kind", "opened_at"],
                name="stage_passed_decided_idx",
                condition=models.Q(state="passed"),
            ),
            # ...and the stages waiting, by kind, with what their age is counted from.
            models.Index(
                fields=["kind"],
                include=["state", "opened_at", "submitted_at", "decided_at", "review"],
                name="stage_waiting_kind_idx",
                condition=models.Q(state__in=["open", "returned", "submitted"]),
            ),
        ]

    def __str__(self):
        return f"{self.review.number} · {self.get_kind_display()}"

    @property
    def is_editable(self) -> bool:
        return self.state in (StageState.OPEN, StageState.RETURNED) and self.review.is_open

    @property
    def waiting_since(self):
        return self.submitted_at if self.state == StageState.SUBMITTED else self.opened_at

    def current_certifications(self):
        """The certificates this round of the security stage puts forward: not withdrawn, not set aside."""
        return Certification.objects.filter(
            stage_links__stage=self, stage_links__dropped_in_round__isnull=True, withdrawn_at__isnull=True
        )


class StageCertification(models.Model):
    """A certificate put forward for a security stage. The link is kept for good (I6, I7): a certificate
    withdrawn before submission, or a submitted one set aside after the stage was returned, is marked with
    the round it was dropped in, so the record shows what each round rested on."""

    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, related_name="certificate_links", verbose_name=_("stage")
    )
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="stage_links", verbose_name=_("certification")
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1, editable=False)
    dropped_in_round = models.PositiveSmallIntegerField(
        _("dropped in round"), null=True, blank=True, editable=False
    )

    class Meta:
        # The table of the plain many-to-many this model replaced (migration 0004 keeps its rows).
        db_table = "reviews_stage_certifications"
        verbose_name = _("stage certificate")
        verbose_name_plural = _("stage certificates")
        constraints = [
            models.UniqueConstraint(fields=["stage", "certification"], name="stage_certificate_once")
        ]

    def __str__(self):
        return f"{self.stage} · {self.certification}"

    @property
    def is_current(self) -> bool:
        return self.dropped_in_round is None and self.certification.withdrawn_at is None


class Answer(models.Model):
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # "yes"/"no", a choice value, or a list of values for MULTI; empty for text-only questions.
    value = models.JSONField(_("answer"), null=True, blank=True)
    detail = models.TextField(_("details"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The vendor contact's link when the answer was last saved through one; empty when the requester saved it
    # last (the requester may correct what the contact gave).
    contact_link = models.ForeignKey(
        "reviews.ContactLink",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered through the contact link"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["review", "question"], name="answer_unique")]

    def __str__(self):
        return f"{self.question.code}: {self.value!r}"


class DecisionOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    RETURNED = "returned", _("Returned")
    FAILED = "failed", _("Failed")


class Decision(ChoiceLabels, models.Model):
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("stage")
    )
    round = models.PositiveSmallIntegerField(_("round"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=DecisionOutcome.choices)
    comment = models.TextField(_("comment"), blank=True)
    # A return names what must change (question codes of the questionnaire, evidence kinds of the data-source
    # stage); only those reopen, and everything else given stays counted. Empty: the whole stage reopens.
    reopened = models.JSONField(_("reopened"), default=list, blank=True, editable=False)
    decided_by = user_reference(_("decided by"), required=True)
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["decided_at", "pk"]
        # One decision per stage and round: the database backs up the row lock of I8.
        constraints = [models.UniqueConstraint(fields=["stage", "round"], name="decision_once_per_round")]
        indexes = [
            # The desk's latest decisions of a reviewer (reviews.desk.desk_for): read newest first in index
            # order up to the LIMIT, not every decision they ever made joined and sorted.
            models.Index(fields=["decided_by", "-decided_at", "-id"], name="decision_by_recent_idx"),
        ]

    def __str__(self):
        return f"{self.stage} → {self.get_outcome_display()}"


class SignOff(models.Model):
    review = models.OneToOneField(
        Review, on_delete=models.PROTECT, related_name="sign_off", verbose_name=_("review")
    )
    number = models.CharField(_("dossier number"), max_length=30, unique=True)
    signed_by = user_reference(_("signed by"), required=True)
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)
    statement = models.TextField(_("statement"))
    conditions = models.TextField(_("conditions"), blank=True)
    valid_until = models.DateField(_("valid until"))
    # What the approval covers (vendors.scope.Scope as JSON): proposed from the vetting
    # (reviews.scope_proposal), narrowed by Legal on the sign-off form. Approvals signed before scopes existed
    # got the proposal by migration with scope_confirmed False, until Legal confirms it.
    scope = models.JSONField(_("approved scope"), default=dict, blank=True)
    scope_confirmed = models.BooleanField(_("scope confirmed by Legal"), default=True)
    # The expiry reminders sent for this approval (reviews.notifications.renewals): the nearest one, as working
    # days before the end, and the end it was for; an approval whose end moves is reminded again.
    expiry_reminded_days = models.PositiveSmallIntegerField(
        _("expiry reminder sent (working days before the end)"), null=True, blank=True, editable=False
    )
    expiry_reminded_for = models.DateField(
        _("expiry reminder sent for the end"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")

    def __str__(self):
        return self.number
