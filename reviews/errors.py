class WorkflowError(Exception):
    """A transition refused by a rule of the workflow. The message is written for the user who tried."""

    def __init__(self, message, *, code: str = "refused", details: list | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.details = details or []


class ContactLinkInvalid(WorkflowError):
    """A vendor contact's link that opens nothing: unknown, expired, revoked, or its review closed. One error
    with one message for all of them, so that the answer tells nobody which it was."""
