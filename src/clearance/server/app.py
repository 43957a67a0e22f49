"""The FastAPI application: yente's matching API over Clearance's registry, plus
``/healthz`` (the process is up) and ``/readyz`` (503 until the index is loaded), the REST API
(``/api/v1``) and, for a server with a store, the web pages (:mod:`clearance.web`)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from clearance import __version__
from clearance.server.config import ServerConfig
from clearance.server.errors import install as install_error_handler
from clearance.server.routes import api, catalog, entities, match, reconcile
from clearance.server.state import ServerState

__all__ = ["create_app"]


def create_app(state: ServerState | None = None, config: ServerConfig | None = None) -> FastAPI:
    """The application; without ``state`` it answers 503 until ``app.state.clearance`` is
    set (by whoever loads the registry). ``config`` names the store and what is open."""
    app = FastAPI(title="Clearance", version=__version__)
    app.state.clearance = state
    app.state.config = config or ServerConfig()
    install_error_handler(app)

    @app.get("/healthz", tags=["System information"])
    def healthz() -> dict[str, Any]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["System information"], response_model=None)
    def readyz() -> dict[str, Any] | JSONResponse:
        """Ready once the screening index is loaded (503 before)."""
        monitor = app.state.config.monitor
        told = {"monitoring": monitor.status()} if monitor is not None else {}
        state: ServerState | None = app.state.clearance
        if state is None:
            return JSONResponse({"status": "loading", **told}, status_code=503)
        return {"status": "ok", "registry_version": state.registry.version, **told}

    cfg = app.state.config
    if cfg.follow_every and cfg.settings is not None:
        from clearance.server.reload import follow_registry
        from clearance.server.state import load_state

        settings = cfg.settings
        follow_registry(app, lambda: load_state(settings), cfg.follow_every)
    app.include_router(match.router)
    app.include_router(entities.router)
    app.include_router(catalog.router)
    app.include_router(reconcile.router)
    app.include_router(api.router)
    if app.state.config.settings is not None:  # the pages need the store
        from clearance.web import mount

        mount(app)
    return app
