"""`/healthz/` for load balancers and monitoring: is the database reachable, are its migrations applied,
has a background worker been seen recently. JSON with true/false for each and nothing more (no versions,
no names, no errors); 200 when the host can serve, 503 when it cannot.

A missing worker makes the answer 503 only with HEALTHZ_REQUIRE_WORKER: a load balancer should not take
an app host out because the workers (other hosts) are down, but a single-host monitor may want to know.

Answered by a middleware placed before the host check and the HTTPS redirect: load balancers ask by
address and over plain HTTP, and no session or cookie is involved."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse

from karki.lib import dates

logger = logging.getLogger(__name__)
PATH = "/healthz/"
_migrated = False  # once all are applied they stay so for the life of the process; the check is costly


def database_reachable() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.warning("Health check: the database cannot be reached", exc_info=True)
        return False


def migrations_applied() -> bool:
    global _migrated
    if _migrated:
        return True
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        logger.warning("Health check: the migrations could not be read", exc_info=True)
        return False
    return _migrated


def worker_seen() -> bool:
    from karki.jobs.models import WorkerHeartbeat

    since = dates.now() - timedelta(seconds=settings.HEALTHZ_WORKER_SECONDS)
    try:
        return WorkerHeartbeat.objects.filter(last_seen__gte=since).exists()
    except Exception:
        return False


def healthz(request) -> JsonResponse:
    database = database_reachable()
    migrations = database and migrations_applied()
    worker = database and worker_seen()
    healthy = database and migrations and (worker or not settings.HEALTHZ_REQUIRE_WORKER)
    response = JsonResponse({"status": "ok" if healthy else "unavailable", "database": database,
                             "migrations": migrations, "worker": worker}, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthzMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
