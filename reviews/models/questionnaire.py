from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _bilingual(obj, field: str) -> str:
    lang = (get_language() or "zh-hans").lower()
    zh, en = getattr(obj, f"{field}_zh"), getattr(obj, f"{field}_en")
    return (en or zh) if lang.startswith("en") else (zh or en)


class QuestionnaireSubject(models.TextChoices):
    """Whom a questionnaire is about: a vendor, or one of the brand's own channels (docs/domain.md)."""

    VENDOR = "vendor", _("Vendor")
    OWN_CHANNEL = "own_channel", _("Own channel")


class QuestionnaireTemplate(models.Model):
    """A published questionnaire. Reviews keep the version they were started with, so a later edit of the
    questions never changes what an old review asked. Each subject has its own versions."""

    subject = models.CharField(
        _("subject"), max_length=16, choices=QuestionnaireSubject.choices, default=QuestionnaireSubject.VENDOR
    )
    version = models.PositiveIntegerField(_("version"))
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    is_active = models.BooleanField(_("active"), default=False)
    published_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire template")
        verbose_name_plural = _("questionnaire templates")
        ordering = ["subject", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "version"], name="questionnaire_version_unique")
        ]

    def __str__(self):
        return f"v{self.version} {self.title}"

    @property
    def title(self):
        return _bilingual(self, "title")


class Section(models.Model):
    template = models.ForeignKey(QuestionnaireTemplate, on_delete=models.PROTECT, related_name="sections")
    code = models.CharField(_("code"), max_length=4)
    order = models.PositiveSmallIntegerField(_("order"))
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="section_code_unique")]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def title(self):
        return _bilingual(self, "title")


class AnswerType(models.TextChoices):
    YES_NO = "yn", _("Yes / no")
    CHOICE = "choice", _("Choice")
    MULTI = "multi", _("Several choices")
    TEXT = "text", _("Text")
    FILE = "file", _("File")


class Question(models.Model):
    """One question. `rules` and `show_if` are small declarative conditions evaluated by reviews.questionnaire.scoring:

    show_if: [{"q": "D1", "op": "in", "value": ["recipient"]}]        (all must hold)
    rules:   [{"effect": "red_flag" | "risk", "points": 10, "when": [clause, ...],
               "message_zh": ..., "message_en": ...}]
    clause:  {"q": code | "self" | "@category", "op": eq|ne|in|not_in|lacks|blank|no_file, "value": ...}
    """

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="questions")
    code = models.CharField(_("code"), max_length=8)
    order = models.PositiveSmallIntegerField(_("order"))
    text_zh = models.TextField(_("question (Chinese)"))
    text_en = models.TextField(_("question (English)"))
    help_zh = models.TextField(_("help (Chinese)"), blank=True)
    help_en = models.TextField(_("help (English)"), blank=True)
    answer_type = models.CharField(_("answer type"), max_length=8, choices=AnswerType.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    has_detail = models.BooleanField(_("asks for details"), default=False)
    detail_required = models.BooleanField(_("details required"), default=False)
    has_file = models.BooleanField(_("takes files"), default=False)
    file_required = models.BooleanField(_("file required"), default=False)
    evidence_kind = models.CharField(_("evidence kind of its files"), max_length=40, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    rules = models.JSONField(_("red-flag and risk rules"), default=list, blank=True)
    show_if = models.JSONField(_("shown only if"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section__order", "order"]
        constraints = [models.UniqueConstraint(fields=["section", "code"], name="question_code_unique")]

    def __str__(self):
        return f"{self.code} {self.text}"

    @property
    def text(self):
        return _bilingual(self, "text")

    @property
    def help(self):
        return _bilingual(self, "help")

    def choice_label(self, value) -> str:
        lang_en = (get_language() or "").startswith("en")
        for choice in self.choices:
            if choice["value"] == value:
                return choice["en"] if lang_en else choice["zh"]
        return str(value)

    def localized_choices(self) -> list[tuple[str, str]]:
        if self.answer_type == AnswerType.YES_NO:
            return [("yes", str(_("Yes"))), ("no", str(_("No")))]
        return [(c["value"], self.choice_label(c["value"])) for c in self.choices]
