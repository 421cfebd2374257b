"""Schemathesis against the app (WSGI, in this test's rolled-back transaction): every operation of the
OpenAPI schema, with values the schema allows and with values it forbids, signed in with the programme
office's token. No answer may be a server error, and every answer must be one the schema documents
(status, content type, body). Bounded: a few examples per operation, a couple of minutes in all."""

from __future__ import annotations

import time

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from karki.accounts.tokens import create_token

PROGRAMME = "ita-uusimaa-2023-2026"
ORGANISATION = "ita-uusimaa"
EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 4}
CONFORMANCE = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CHECKS = {GenerationMode.POSITIVE: CONFORMANCE, GenerationMode.NEGATIVE: [*CONFORMANCE, negative_data_rejection]}


@pytest.fixture
def connection_kept_open():
    """Requests made through WSGI fire request_started/finished, whose close_old_connections would close the
    database connection once CONN_MAX_AGE has passed (PostgreSQL; SQLite's test database is never closed) and
    with it this test's transaction. Django's test client disconnects it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_schemathesis__every_operation__no_server_error_no_schema_violation(pmo, draft, connection_kept_open):
    _token, value = create_token(user=pmo, name="schemathesis", days=30)
    schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    schema.app = get_wsgi_application()
    headers = {"Authorization": f"Token {value}", "Accept-Language": "en"}
    operations = [result.ok() for result in schema.get_all_operations()]
    requests, started, failures = 0, time.monotonic(), []

    for operation in operations:
        slug = ORGANISATION if operation.path.startswith("/api/v1/organisations/") else PROGRAMME
        fixed = {"slug": slug} if "{slug}" in operation.path else None
        for mode, examples in EXAMPLES.items():
            try:
                requests += _run(operation.as_strategy(generation_mode=mode, path_parameters=fixed), examples,
                                 CHECKS[mode], headers)
            except Unsatisfiable:  # nothing of the operation can be made invalid (only the fixed slug)
                assert mode == GenerationMode.NEGATIVE, operation.label
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - every failure is collected and shown
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {error}")

    took = time.monotonic() - started
    print(f"schemathesis: {len(operations)} operations, {requests} requests, {took:.0f} s, {len(failures)} failures")
    assert len(operations) >= 40
    assert not failures, "\n\n".join(failures)


def _run(strategy, examples: int, checks: list, headers: dict) -> int:
    """Send `examples` generated requests and validate each answer; the number sent."""
    sent = 0

    @given(case=strategy)
    @settings(max_examples=examples, deadline=None, database=None, derandomize=True, print_blob=False,
              suppress_health_check=list(HealthCheck))
    def run(case):
        nonlocal sent
        sent += 1
        case.call_and_validate(headers=headers, checks=checks)

    run()
    return sent
