"""What a page says after an owner's step through activities.services or activities.extensions: the refusal
(an ActivityError) as an error message, or what was done."""

from collections.abc import Callable

from django.contrib import messages

from ..services import ActivityError


def step_told(request, step: Callable[[], object], done: str) -> None:
    """Run `step`; say its refusal as an error, or `done` as a success."""
    try:
        step()
    except ActivityError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
