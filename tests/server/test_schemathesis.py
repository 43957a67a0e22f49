"""schemathesis over ``/openapi.json`` (issue 18's acceptance): requests generated from the
schema for every operation, sent by an admin to the app on a populated store with the seed
registry loaded, through ASGI (no network), never get a 5xx.

The run stays short (a few examples an operation, no deadline): it looks for crashes, not for
coverage of every input; a failure names the request that caused it. Random path parameters
name nothing (404 at once), so half the cases get one that exists instead (the ``default``
dataset, Hikvision, a run, a stored version …), and half the ``/match`` queries a party's
schema and names, so that the code behind the lookups is reached too. The operations are read
from the schema of ``create_app()`` when the tests are collected, one test each (schemathesis'
own pytest plugin does not run under this pytest), so operations added later are covered too.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.server.app import create_app
from clearance.server.config import ServerConfig
from clearance.server.shapes import MATCHABLE
from clearance.server.state import ServerState
from clearance.store import list_versions, open_store
from tests.server.principals import USER_HEADER, TestUsers
from tests.server.sample_store import sample_store

ADMIN = {USER_HEADER: "admin"}
#: Examples generated for each operation.
EXAMPLES = 8

OPERATIONS = sorted(
    (method.upper(), path)
    for path, item in create_app().openapi()["paths"].items()
    for method in item
)


#: Path parameters that name something in the sample store or the seed registry.
KNOWN: dict[str, list[Any]] = {
    "dataset": ["default", "us-fcc-covered"],
    "entity_id": ["hikvision", "clearance-hikvision", "ofac-30946", "ezviz"],
    "run_id": [1, 2, 5],
    "report_id": [1],
}


@pytest.fixture(scope="module")
def api_schema(server_state: ServerState, tmp_path_factory: pytest.TempPathFactory) -> Any:
    store = sample_store(tmp_path_factory.mktemp("schemathesis"))
    engine = open_store(store.settings.db_url)
    try:
        KNOWN["version"] = [v.version for v in list_versions(engine)]
    finally:
        engine.dispose()
    app = create_app(server_state, ServerConfig(settings=store.settings))
    return schemathesis.openapi.from_asgi("/openapi.json", TestUsers(app))


def _known(case: Any, data: st.DataObject) -> None:
    """Give the case path parameters that exist, and /match queries a party's schema."""
    for name in case.path_parameters or {}:
        if name in KNOWN:
            case.path_parameters[name] = data.draw(st.sampled_from(KNOWN[name]))
    queries = case.body.get("queries") if isinstance(case.body, dict) else None
    if isinstance(queries, dict):
        case.body.update(config={}, weights={})
        if not queries:
            queries["q"] = {}
        if case.query:
            case.query.pop("algorithm", None)
        for query in queries.values():
            if isinstance(query, dict):
                query["schema"] = data.draw(st.sampled_from(sorted(MATCHABLE)))
                properties = query.setdefault("properties", {})
                if isinstance(properties, dict):
                    names = st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=3)
                    properties["name"] = data.draw(names)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_request_gets_a_server_error(api_schema: Any, method: str, path: str) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(), known=st.booleans(), data=st.data())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def no_server_error(case: Any, known: bool, data: st.DataObject) -> None:
        if known:
            _known(case, data)
        response = case.call(headers=ADMIN)
        assert response.status_code < 500, (
            f"{case.as_curl_command()}\n-> {response.status_code} {response.text[:2000]}"
        )

    no_server_error()
