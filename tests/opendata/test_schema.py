"""The OpenAPI schema against the API itself, by schemathesis: generated requests to every
operation — valid ones, invalid ones, and the examples the schema gives — and every answer
checked: never a server error, always as the schema says (status, content type, body), never a
trace of the drafts, scheduled stories and quotes to check the archive holds."""

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from opendata.api import api
from tests.opendata.conftest import assert_no_secret

# A minute or two: run with --slow (`PYTEST_ARGS=--slow make test`); CI always runs it.
pytestmark = pytest.mark.slow

# Bounded: about fifteen operations, each with its explicit examples, the boundary values of
# its parameters, and this many generated requests.
EXAMPLES_PER_OPERATION = 30

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 1,
        "generation": {"max-examples": EXAMPLES_PER_OPERATION},
        "phases": {"stateful": {"enabled": False}},
        "checks": {
            # A cursor is opaque: one the API never gave matches the schema yet names no place
            # in any list, and is refused with 400 (the one answer the schema cannot foresee
            # from the parameters alone); a slug or id that names nothing is a 404.
            "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "404"]},
        },
    }
)


@pytest.fixture
def wsgi_application():
    """The site as a WSGI server runs it, every middleware included. A request's end closes
    the database connection in production; here it would end the test's transaction, so it
    is unhooked for the test, as Django's own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# The schema the API serves at /api/v1/openapi.json (test_the_schema_is_served_at_a_stable_address).
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)


@schema.parametrize()
@settings(
    deadline=None,
    database=None,  # nothing kept between runs: the seed makes each run the same
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_answers_as_its_schema_says(case, archive, api_settings, wsgi_application):
    response = case.call(app=wsgi_application)
    case.validate_response(response)
    assert_no_secret(response.text)


def test_the_schema_is_served_at_a_stable_address(client, api_settings, db):
    served = client.get("/api/v1/openapi.json").json()
    assert served == json.loads(json.dumps(api.get_openapi_schema()))
    assert served["openapi"].startswith("3.")
    operations = {path for path, methods in served["paths"].items() if "get" in methods}
    assert {
        "/api/v1/people/",
        "/api/v1/people/{slug}/",
        "/api/v1/relationships/",
        "/api/v1/relationships/{id}/",
        "/api/v1/stories/",
        "/api/v1/stories/{id}/",
        "/api/v1/quotes/",
        "/api/v1/quotes/{id}/",
        "/api/v1/outlets/",
        "/api/v1/outlets/{slug}/",
        "/api/v1/tags/",
        "/api/v1/tags/{slug}/",
    } <= operations
