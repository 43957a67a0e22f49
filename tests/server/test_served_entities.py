"""Yente entities the server remembers (``ServerState.served``): the same as worked out
afresh from the FtM export, and a caller's additions (score, match …) never stay in them."""

from __future__ import annotations

from typing import Any

from clearance.registry.export_ftm import ftm_records
from clearance.server.entities import ftm_entity
from clearance.server.state import ServerState


def _fresh_party(state: ServerState, entity_id: str) -> dict[str, Any]:
    return next(ftm_records(state.registry, [state.registry.entities[entity_id]]))


def test_a_remembered_entity_is_the_fresh_one(server_state: ServerState) -> None:
    state = ServerState.of(
        server_state.registry, server_state.screener, {"ofac-30946": "hikvision"}
    )
    entity = state.registry.entities["hikvision"]
    first = ftm_entity(state, entity)
    assert first is not None
    assert "hikvision" in state.served
    party = _fresh_party(state, "hikvision")
    assert first["id"] == party["id"] == "clearance-hikvision"
    assert first["properties"] == party["properties"]
    assert first["referents"] == ["clearance-ofac-30946"]
    first["score"] = 0.99  # what /match adds to its copy
    first["properties"] = {}
    again = ftm_entity(state, entity)
    assert again is not None
    assert "score" not in again
    assert again["properties"] == party["properties"]
    assert again == {k: v for k, v in first.items() if k not in {"score", "properties"}} | {
        "properties": party["properties"]
    }


def test_an_entity_not_served_is_remembered_as_none(server_state: ServerState) -> None:
    state = ServerState.of(server_state.registry, server_state.screener)
    category = state.registry.entities["fcc-category-routers"]
    assert ftm_entity(state, category) is None
    assert state.served == {"fcc-category-routers": None}
    assert ftm_entity(state, category) is None
