"""Schemathesis over the OpenAPI schema, as several roles, on the demo world (SPEC §8).

Every operation of the published schema is called with bounded generated input (valid and
invalid bodies, paths and queries) by each role. No call may answer 5xx, and whatever it
answers must be a status and a body the schema documents: a client can rely on the schema.

The number of examples per operation is ``BANGBAN_FUZZ_EXAMPLES`` (default 5): CI keeps it
bounded; a longer run (``BANGBAN_FUZZ_EXAMPLES=200``) is the same test, only deeper.
"""

from __future__ import annotations

import io
import os

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from bangban.accounts.models import User

EXAMPLES = int(os.environ.get("BANGBAN_FUZZ_EXAMPLES", "5"))

#: The roles the run calls the API as (demo user names): the agent acts on most operations,
#: the department officer on cases, the enterprise on its own commission, the centre admin
#: and the supervisor read their region.
ROLES = ["agent", "officer", "enterprise", "admin", "supervisor"]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _schema():
    spec = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(spec)
    schema.app = get_wsgi_application()
    return schema


def _summary(error: BaseException) -> str:
    """The first lines of each failure schemathesis found (its full report is long)."""
    parts = getattr(error, "exceptions", None) or [error]
    lines = []
    for part in parts:
        text = str(part).strip().splitlines()
        lines.append(f"{type(part).__name__}: {' '.join(text[:3])[:400]}")
    return "; ".join(lines)


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Schemathesis calls the WSGI application directly; like Django's test client, keep the
    request signals from closing the database connection that holds the test's transaction
    (on PostgreSQL, closing it would end the test's transaction and fail every later call)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_no_server_error_and_schema_conformance(username, wsgi_keeps_the_test_connection):
    call_command("demo_data", stdout=io.StringIO())
    user = User.objects.get(username=username)
    headers = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    failures: list[str] = []
    operations = 0
    for result in _schema().get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)

        try:
            call()
        except (Exception, BaseExceptionGroup) as error:  # every operation's failures
            failures.append(f"{operation.label}: {_summary(error)}")
    assert operations >= 60, f"the schema lists only {operations} operations"
    assert not failures, f"{len(failures)} operations failed as {username}:\n\n" + "\n\n".join(
        failures
    )
