from .api_key import ApiKey, ApiKeyStatus, ApiScope
from .audit import AppendOnlyError, AuditEvent
from .calendar import CalendarDay, CalendarDayKind
from .contact import ContactLink, ContactLinkStatus
from .evidence import Dossier, DossierStatus, Evidence, EvidenceKind
from .questionnaire import AnswerType, Question, QuestionnaireSubject, QuestionnaireTemplate, Section
from .review import (
    REQUEST_FILLED_QUESTION,
    REQUEST_VOLUME_QUESTION,
    STAGE_ORDER,
    Answer,
    DataTrait,
    Decision,
    DecisionOutcome,
    ExpectedVolume,
    Review,
    ReviewState,
    SignOff,
    Stage,
    StageCertification,
    StageKind,
    StageState,
)
from .roles import AccountChange, DeciderHold, RoleGrant

__all__ = [
    "REQUEST_FILLED_QUESTION",
    "REQUEST_VOLUME_QUESTION",
    "STAGE_ORDER",
    "AccountChange",
    "Answer",
    "AnswerType",
    "ApiKey",
    "ApiKeyStatus",
    "ApiScope",
    "AppendOnlyError",
    "AuditEvent",
    "CalendarDay",
    "CalendarDayKind",
    "ContactLink",
    "ContactLinkStatus",
    "DataTrait",
    "DeciderHold",
    "Decision",
    "DecisionOutcome",
    "Dossier",
    "DossierStatus",
    "Evidence",
    "EvidenceKind",
    "ExpectedVolume",
    "Question",
    "QuestionnaireSubject",
    "QuestionnaireTemplate",
    "Review",
    "ReviewState",
    "RoleGrant",
    "Section",
    "SignOff",
    "Stage",
    "StageCertification",
    "StageKind",
    "StageState",
]
