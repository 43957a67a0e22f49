"""Workers follow the store's active registry: after a list update (by this server's
schedule, another replica's or ``clearance lists update``), each worker notices the new
active version and swaps in a state loaded for it.

Chosen: a version check, not a signal, so it works for one process, forked workers and
replicas alike. A request looks at the clock; at most every ``every`` seconds one request
(in the thread pool) reads the active version (one indexed row). When it differs from the
served one, a thread loads the new registry and its index while the old state keeps
answering, then the state is swapped in one assignment. The cost: each worker loads and
holds its own copy of the new index (the pages shared before the fork are not shared for
the new one) and requests may see the old registry for up to ``every`` seconds plus the
load time; restarting the server shares one index again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool

from clearance.server.state import ServerState
from clearance.server.store import store

__all__ = ["RegistryReloader", "follow_registry"]

log = logging.getLogger("clearance.server")

Loader = Callable[[], ServerState]


class RegistryReloader:
    """Keeps ``app.state.clearance`` on the store's active registry version."""

    def __init__(self, app: FastAPI, load: Loader, every: float) -> None:
        self.app = app
        self.load = load
        self.every = every
        self._next = time.monotonic() + every
        self._lock = threading.Lock()
        self.loading: threading.Thread | None = None
        self.reloads = 0

    def due(self) -> bool:
        """Whether a check is due (no database read: a request pays nothing otherwise)."""
        return time.monotonic() >= self._next and self.loading is None

    def check(self, request: Request) -> bool:
        """Read the active version; start a reload when it is not the served one. Returns
        whether a reload started."""
        with self._lock:
            if not self.due():
                return False
            self._next = time.monotonic() + self.every
        from clearance.store.registry_store import active_version

        served = self.app.state.clearance
        active = active_version(store(request))
        if served is None or active is None or active.version == served.registry.version:
            return False
        with self._lock:
            if self.loading is not None:
                return False
            self.loading = threading.Thread(
                target=self._reload, args=(active.version,), name="clearance-reload", daemon=True
            )
            self.loading.start()
        return True

    def _reload(self, version: str) -> None:
        try:
            state = self.load()
            self.app.state.clearance = state  # one assignment: a request sees old or new
            self.reloads += 1
            log.info("registry %s loaded (active: %s)", state.registry.version, version)
        except Exception:  # the old state keeps answering; the next check tries again
            log.exception("reloading the registry failed")
        finally:
            with self._lock:
                self.loading = None


def follow_registry(app: FastAPI, load: Loader, every: float) -> RegistryReloader:
    """Make ``app`` follow the store's active registry, checking every ``every`` seconds."""
    reloader = RegistryReloader(app, load, every)
    app.state.reloader = reloader

    @app.middleware("http")
    async def _follow(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if reloader.due() and app.state.clearance is not None:
            await run_in_threadpool(reloader.check, request)
        return await call_next(request)

    return reloader
