"""``clearance serve``: the screening server (yente's matching API) on uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from clearance.cli.context import state

__all__ = ["serve"]


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)
    ] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", help="Worker processes sharing one index.", min=1)
    ] = 1,
) -> None:
    """Serve screening over HTTP, in yente's API (POST /match/{dataset}, /search,
    /entities, /catalog, /algorithms), for yente-client and other yente callers.

    The registry and its index are loaded once, before the workers are forked; /healthz
    answers as soon as the port is bound, /readyz with 503 until the index is loaded. The
    matching routes are open to anonymous callers (open by configuration, for an internal
    network).

    Example:

        clearance serve --port 8000 --workers 2
    """
    from clearance.server.running import serve as run
    from clearance.server.state import load_state

    settings = state(ctx).settings
    run(lambda: load_state(settings), host=host, port=port, workers=workers)
