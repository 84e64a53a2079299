"""Property-based fuzzing of the web API from its own OpenAPI schema (schemathesis): for
requests that the schema allows, and for many it does not, no answer is a server error, and
every answer is documented by the schema. Bounded: 25 examples per operation, no deadline,
a fixed seed, so the file runs in seconds and the same way every time."""

from __future__ import annotations

import atexit
import tempfile
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accord.web import create_app  # noqa: E402

SMALL_TEXT = "accord: 1\nid: fuzzed\ntitle: t\nissues: [{id: a, options: [x, y]}]\n" \
                  "actors: [{id: p, preferences: {a: {x: 0, y: 100}}}, " \
                  "{id: q, preferences: {a: {x: 100, y: 0}}}]\n"


def _app():
    """The app on a store in a temporary folder (removed when the test run ends), with a
    saved scenario so that some generated names exist."""
    folder = tempfile.TemporaryDirectory(prefix="accord-fuzz-")
    atexit.register(folder.cleanup)
    app = create_app(Path(folder.name) / "fuzz.db")
    app.state.store.save_scenario(SMALL_TEXT)
    return app


# Built when the module is collected: schemathesis parametrizes the test by operation, and its
# fixture-based loader does not work with this pytest.
schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_error(case) -> None:
    """No 5xx, and every answer is one the schema documents (status, type, body)."""
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance,
                                             content_type_conformance,
                                             response_schema_conformance])


def test_fuzz_covers_every_compute_route() -> None:
    """Every computation of the API is among the operations fuzzed above (the schema lists
    each route the app registers from `COMPUTE_ROUTES`), the games among them."""
    from accord.web.routes import COMPUTE_ROUTES

    fuzzed = {(r.ok().method.upper(), r.ok().path) for r in schema.get_all_operations()}
    for path in ("repair", "inverse", "tournament", "game", "trust", "crisis", "coalition"):
        assert ("POST", f"/api/{path}") in fuzzed
    assert {("POST", f"/api/{p[0]}") for p in COMPUTE_ROUTES} <= fuzzed
