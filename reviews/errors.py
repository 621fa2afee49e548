from dataclasses import dataclass


@dataclass(frozen=True)
class Detail:
    """One item of a refusal (WorkflowError.details): the sentence for the user, and what it is about, so that a
    page links it to where it is put right without reading the sentence."""

    message: str
    question: str = ""  # the questionnaire question it is about (its code)
    evidence_kind: str = ""  # the data-source document it is about (an EvidenceKind value)

    def __str__(self) -> str:
        return self.message


class WorkflowError(Exception):
    """A transition refused by a rule of the workflow. The message is written for the user who tried; the
    details list what is missing or wrong, one Detail each."""

    def __init__(self, message, *, code: str = "refused", details: list[Detail] | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.details: list[Detail] = details or []


class ContactLinkInvalid(WorkflowError):
    """A vendor contact's link that opens nothing: unknown, expired, revoked, or its review closed. One error
    with one message for all of them, so that the answer tells nobody which it was."""
