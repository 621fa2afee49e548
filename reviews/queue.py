"""Queue a Celery task by its registered name once the current transaction commits.

Services queue work (render a dossier, send a mail) and tasks run services; if a service imported the task
module, the two would import each other. So every task is registered under an explicit, stable name
(`reviews.tasks.dossier_generate`, ...) that outlives moves of the code, and services queue it by that name.
The tasks modules are imported at start-up by reviews.apps, in web processes and workers alike, so the name
is always known.

Where the work runs: on the real stack, a Celery worker takes it from the Redis broker. In the embedded
default (`make run`, no REDIS_URL) there is no worker, so VETTED_TASKS_IN_THREADS has the web process run it
itself, in a background thread of its own (docs/operations.md "The embedded default"): the request that
queued it answers at once (a sign-off does not wait for its dossier), and the page shows the work's progress.
A task is run there exactly as a worker would (`apply`: its retries and failure handler included). Tests run
tasks inline instead (CELERY_TASK_ALWAYS_EAGER, VETTED_TASKS_IN_THREADS off)."""

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from celery import current_app
from django.conf import settings
from django.db import connections, transaction

logger = logging.getLogger(__name__)

_pools: dict[str, ThreadPoolExecutor] = {}  # one, made at the first use
_pool_lock = threading.Lock()
_pending: set[Future] = set()


def _background_pool() -> ThreadPoolExecutor:
    with _pool_lock:
        if "tasks" not in _pools:
            _pools["tasks"] = ThreadPoolExecutor(
                max_workers=settings.VETTED_TASK_THREADS, thread_name_prefix="vetted-task"
            )
        return _pools["tasks"]


def _run_in_thread(name: str, args: tuple) -> None:
    try:
        current_app.tasks[name].apply(args=args)
    except Exception:
        logger.exception("background task %s%r failed", name, args)
    finally:
        # The thread's own database connection: nothing else would close it.
        connections.close_all()


def _start(name: str, args: tuple) -> None:
    if settings.VETTED_TASKS_IN_THREADS:
        future = _background_pool().submit(_run_in_thread, name, args)
        with _pool_lock:
            _pending.add(future)
        future.add_done_callback(_forget)
    else:
        current_app.tasks[name].delay(*args)


def _forget(future: Future) -> None:
    with _pool_lock:
        _pending.discard(future)


def background_tasks_wait(timeout: float | None = None) -> bool:
    """Wait for the tasks running in background threads (the embedded default) to finish; True when none is
    left. For commands that end the process, and for tests."""
    from concurrent.futures import wait

    with _pool_lock:
        pending = set(_pending)
    _done, not_done = wait(pending, timeout=timeout)
    return not not_done


def task_queue(name: str, *args, robust: bool = False) -> None:
    """Run task `name` with `args` after commit. `robust`: a failure to queue is logged, not raised, for side
    effects that must never undo what the caller committed (an e-mail to a vendor contact)."""
    transaction.on_commit(lambda: _start(name, args), robust=robust)
