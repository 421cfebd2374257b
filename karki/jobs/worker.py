"""The background worker run by `manage.py db_worker`: django-tasks-db's worker, polling without locks.

django-tasks-db's own worker opens an EXCLUSIVE transaction on every poll (each second) to look for
work. On SQLite that is the database's single write lock, so a person saving a form at that moment
could wait or fail with "database is locked". This worker looks with a plain read, which takes no
lock (SQLite in WAL mode lets readers and a writer work side by side), and opens a short write
transaction only to claim a task it has seen. On PostgreSQL the claim locks the row with
`SELECT ... FOR UPDATE SKIP LOCKED`, so two workers never take the same task.

Each worker also records that it is alive (`WorkerHeartbeat`) every `WORKER_HEARTBEAT_SECONDS`, from a
thread of its own so that a long task does not make it look dead; `/healthz/` reads these rows.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, close_old_connections, connections, transaction
from django_tasks_db.management.commands.db_worker import Worker as BaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

from karki.lib import dates

from .models import WorkerHeartbeat

logger = logging.getLogger("django_tasks_db")  # its level follows db_worker -v


@contextmanager
def write_transaction(using: str = "default"):
    """A transaction that takes SQLite's write lock at once (BEGIN IMMEDIATE), so that reading the task
    and claiming it cannot be interleaved with another writer; elsewhere an ordinary transaction."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        with transaction.atomic(using=using):
            yield
        return
    if not hasattr(connection, "transaction_mode"):
        connection.get_connection_params()
    previous = connection.transaction_mode
    connection.transaction_mode = "IMMEDIATE"
    try:
        with transaction.atomic(using=using):
            yield
    finally:
        connection.transaction_mode = previous


def beat(worker_id: str, *, started_at=None) -> None:
    """Record that the worker is alive now (one short write)."""
    now = dates.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "last_seen": now},
        create_defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "last_seen": now,
                         "started_at": started_at or now},
    )


class Heartbeat(threading.Thread):
    """Calls `beat` every `interval` seconds until stopped; a failed beat is logged and tried again."""

    def __init__(self, worker_id: str, interval: float):
        super().__init__(name="karki-worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.started_at = dates.now()
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                beat(self.worker_id, started_at=self.started_at)
            except Exception:
                logger.warning("The worker's heartbeat could not be recorded", exc_info=True)
            finally:
                # Hold no connection between beats: nothing stays open on SQLite or in PostgreSQL's pool.
                connections.close_all()
            self.stopping.wait(self.interval)

    def stop(self) -> None:
        self.stopping.set()


class Worker(BaseWorker):
    """django-tasks-db's worker with a lock-free poll and a heartbeat; otherwise the same behaviour
    (queues, batch mode, --max-tasks, graceful shutdown on SIGINT/SIGTERM)."""

    heartbeat_seconds: float = 10

    def ready_tasks(self):
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        return tasks

    def claim_next(self) -> DBTaskResult | None:
        """The next ready task, claimed for this worker, or None. Looks first without any lock."""
        tasks = self.ready_tasks()
        if not tasks.exists():
            return None
        try:
            with write_transaction(tasks.db):
                task_result = tasks.select_for_update(skip_locked=True).first()
                if task_result is not None:
                    task_result.claim(self.worker_id)
                return task_result
        except OperationalError as error:
            if is_locked_database_exception(error):
                return None  # busy for longer than the timeout: look again at the next poll
            raise

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        heartbeat = None
        if self.batch:
            beat(self.worker_id)
        else:
            heartbeat = Heartbeat(self.worker_id, getattr(settings, "WORKER_HEARTBEAT_SECONDS", 10))
            heartbeat.start()
        try:
            self._loop()
        finally:
            if heartbeat is not None:
                heartbeat.stop()
            try:
                WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
            except Exception:
                logger.warning("The worker's heartbeat could not be removed", exc_info=True)

    def _loop(self) -> None:
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # spreads workers started together
        while self.running:
            close_old_connections()
            task_result = self.claim_next()
            if task_result is not None:
                self.run_task(task_result)
            if self.batch and task_result is None:
                logger.info("No more tasks to run for worker_id=%s - exiting gracefully.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Run maximum tasks (%d) on worker=%s - exiting gracefully.", self._run_tasks,
                            self.worker_id)
                return
            close_old_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)
