"""The store a server process reads and writes: one SQLAlchemy engine per process, made on
first use (after any fork, so forked workers never share a connection pool)."""

from __future__ import annotations

import os
import threading

from fastapi import HTTPException, Request
from sqlalchemy import Engine

from clearance.server.config import ServerConfig

__all__ = ["config", "store"]

_LOCK = threading.Lock()


def config(request: Request) -> ServerConfig:
    """The server's configuration."""
    cfg: ServerConfig = request.app.state.config
    return cfg


def store(request: Request) -> Engine:
    """This process's engine on the server's store; 503 for an app that has no store."""
    cfg = config(request)
    if cfg.settings is None:
        raise HTTPException(503, detail="This server has no store.")
    app_state = request.app.state
    pid = os.getpid()
    engines: dict[int, Engine] = app_state.__dict__.setdefault("_engines", {})
    engine = engines.get(pid)
    if engine is None:
        with _LOCK:
            engine = engines.get(pid)
            if engine is None:
                from clearance.store.db import open_store

                engine = open_store(cfg.settings.db_url, migrate=False)
                engines[pid] = engine
    return engine
