"""Queueing Celery tasks, with a stand-in worker when there is no broker.

With Redis configured, `enqueue` is `task.delay`: a Celery worker runs the
task. Without one (a first `make run`), Celery runs tasks in-process, which
for a long job such as making 40-odd PDF reports would hold the request that
queued it for minutes. So when `TASKS_IN_BACKGROUND_THREAD` is on, tasks are
handed to one daemon thread in this process that runs them in order, and the
page that queued them can follow their progress as it would with a worker.
Work still queued when the process stops is lost, as it would be with a
worker and no broker; the analyst can queue it again.
"""

import logging
import queue
import threading

from django.conf import settings
from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)

_tasks: queue.Queue = queue.Queue()
_worker: threading.Thread | None = None
_lock = threading.Lock()


def enqueue(task, *args) -> None:
    """Queue `task(*args)`: on the broker, or on this process's own thread."""
    if not settings.TASKS_IN_BACKGROUND_THREAD:
        task.delay(*args)
        return
    _start_worker()
    _tasks.put((task, args))


def _start_worker() -> None:
    global _worker
    with _lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(
                target=_work, name="ria-background-tasks", daemon=True
            )
            _worker.start()


def _work() -> None:
    while True:
        task, args = _tasks.get()
        close_old_connections()
        try:
            task.apply(args=args, throw=True)
        except Exception:
            logger.exception("Background task %s%r failed", task.name, args)
        finally:
            connection.close()
            _tasks.task_done()
