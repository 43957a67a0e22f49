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
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL shared with the CLI and other replicas (default: the root "
            "--db / CLEARANCE_DB), e.g. postgresql+psycopg://clearance@db/clearance.",
        ),
    ] = None,
    open_matching: Annotated[
        bool,
        typer.Option(
            "--open-matching/--closed-matching",
            envvar="CLEARANCE_OPEN_MATCHING",
            help="Let callers without a token use the matching routes (/match, /search, "
            "/entities, /catalog, /algorithms, /reconcile), for an internal network.",
        ),
    ] = False,
    proxy_headers: Annotated[
        bool,
        typer.Option(
            "--proxy-headers/--no-proxy-headers",
            help="Believe X-Forwarded-Proto and X-Forwarded-For from the addresses of "
            "--forwarded-allow-ips (a reverse proxy terminating TLS).",
        ),
    ] = True,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            envvar="FORWARDED_ALLOW_IPS",
            help="Comma-separated addresses (or networks) of the reverse proxies whose "
            "X-Forwarded-* headers are believed; '*' for any (default: 127.0.0.1).",
        ),
    ] = None,
) -> None:
    """Serve screening over HTTP, in yente's API (POST /match/{dataset}, /search,
    /entities, /catalog, /algorithms), for yente-client and other yente callers, and as a
    reconciliation service (/reconcile/{dataset}) for OpenRefine.

    The registry and its index are loaded once, before the workers are forked; /healthz
    answers as soon as the port is bound, /readyz with 503 until the index is loaded. Every
    other route wants a token (`clearance tokens create`) sent as `Authorization: Bearer …`
    or `ApiKey …`; --open-matching lets anonymous callers use the matching routes. Behind a
    reverse proxy on another host, name it with --forwarded-allow-ips (deploy/README.md).

    Example:

        clearance serve --port 8000 --workers 2 --open-matching
    """
    from dataclasses import replace

    from clearance.server.config import ServerConfig
    from clearance.server.running import serve as run
    from clearance.server.state import load_state
    from clearance.store.db import open_store

    settings = state(ctx).settings
    if db is not None:
        settings = replace(settings, db_url=db)
    open_store(settings.db_url).dispose()  # migrated, and a bad URL fails here, before binding
    config = ServerConfig(
        settings=settings,
        open_matching=open_matching,
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips,
    )
    run(lambda: load_state(settings), host=host, port=port, workers=workers, config=config)
