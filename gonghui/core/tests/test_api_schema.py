"""schemathesis over the generated OpenAPI schema: no input makes the API answer 5xx, and every
answer matches its documented schema."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from gonghui.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
EXAMPLES = int(os.environ.get("GONGHUI_SCHEMATHESIS_EXAMPLES", "30"))


@pytest.fixture
def keep_connection():
    """Calling the WSGI app directly would close the test's connection at request end (the Django test
    client avoids that the same way)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token_headers(world, keep_connection):
    from gonghui.accounts.services import create_api_token

    _token, raw = create_api_token(
        actor=world.users["security"], name="schemathesis", organization=world.orgs["city"],
        permissions=["orgs.view", "enterprises.view", "enterprises.manage"], days=1,
    )
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_on_any_input(case, token_headers):
    response = case.call(headers=token_headers)
    case.validate_response(response, checks=[schemathesis.checks.not_a_server_error])
    assert response.status_code < 500
