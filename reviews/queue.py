"""Queue a Celery task by its registered name once the current transaction commits.

Services queue work (render a dossier, send a mail) and tasks run services; if a service imported the task
module, the two would import each other. So every task is registered under an explicit, stable name
(`reviews.tasks.dossier_generate`, ...) that outlives moves of the code, and services queue it by that name.
The tasks modules are imported at start-up by reviews.apps, in web processes and workers alike, so the name
is always known; in the embedded default (no broker) the task then runs in-process, as `.delay()` would.
"""

from celery import current_app
from django.db import transaction


def task_queue(name: str, *args, robust: bool = False) -> None:
    """Run task `name` with `args` after commit. `robust`: a failure to queue is logged, not raised, for side
    effects that must never undo what the caller committed (an e-mail to a vendor contact)."""
    transaction.on_commit(lambda: current_app.tasks[name].delay(*args), robust=robust)
