from .audit import AppendOnlyError, AuditEvent
from .evidence import Dossier, DossierStatus, Evidence, EvidenceKind
from .questionnaire import AnswerType, Question, QuestionnaireTemplate, Section
from .review import (
    STAGE_ORDER,
    Answer,
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

__all__ = [
    "STAGE_ORDER", "Answer", "AnswerType", "AppendOnlyError", "AuditEvent", "Decision", "DecisionOutcome",
    "Dossier", "DossierStatus", "Evidence", "EvidenceKind", "ExpectedVolume", "Question", "QuestionnaireTemplate",
    "Review", "ReviewState", "Section", "SignOff", "Stage", "StageCertification", "StageKind", "StageState",
]
