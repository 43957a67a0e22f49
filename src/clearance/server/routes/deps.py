"""Dependencies shared by the routes: the loaded state, a dataset's lists."""

from __future__ import annotations

from fastapi import HTTPException, Request

from clearance.server.state import ServerState

__all__ = ["DEFAULT", "dataset_lists", "loaded_state", "state_of"]

#: The collection of every list, as yente's ``default``.
DEFAULT = "default"


def state_of(request: Request) -> ServerState:
    """The server's state; 503 while the index is still loading."""
    state: ServerState | None = getattr(request.app.state, "clearance", None)
    if state is None:
        raise HTTPException(503, detail="The screening index is loading.")
    return state


async def loaded_state(request: Request) -> ServerState:
    """:func:`state_of` as a dependency. A coroutine, as it only reads an attribute: FastAPI
    runs a plain function dependency in a thread, a hop and back on every request."""
    return state_of(request)


def dataset_lists(state: ServerState, dataset: str) -> set[str] | None:
    """The lists a dataset covers (``None``: all of them); 404 for an unknown dataset."""
    if dataset == DEFAULT:
        return None
    if dataset in state.registry.lists:
        return {dataset}
    raise HTTPException(404, detail=f"No such dataset: {dataset}")
