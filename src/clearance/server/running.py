"""Serving the application with uvicorn.

The port is bound first, so ``/healthz`` answers and ``/readyz`` says 503 while the registry
and its index load. With one worker the process loads in a thread while it serves. With
several, the parent answers while it loads, then forks the workers: they accept on the one
shared socket, the least busy first (:mod:`clearance.server.balance`), and read the index
pages loaded before the fork (never copied, never rebuilt).
"""

from __future__ import annotations

import gc
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from errno import EADDRINUSE

import uvicorn
from fastapi import FastAPI

from clearance.errors import OperationalError
from clearance.i18n import gettext as _
from clearance.server.app import create_app
from clearance.server.balance import BalancedListener, ConnectionCounts
from clearance.server.config import ServerConfig
from clearance.server.state import ServerState

__all__ = ["bind", "serve"]

Loader = Callable[[], ServerState]
#: Started in the serving parent only (never in a forked worker), e.g. scheduled monitoring.
Background = Callable[[], None]


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port``, inherited by forked workers.

    Its protocol is named (``IPPROTO_TCP``, not 0): asyncio turns Nagle's algorithm off
    (``TCP_NODELAY``) only on accepted sockets whose protocol says TCP, and with it on, an
    answer written in two parts (headers, then body) waited for the client's delayed ACK,
    about 40 ms a request."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _server(state: ServerState | None, config: ServerConfig) -> tuple[uvicorn.Server, FastAPI]:
    app = create_app(state, config)
    settings = uvicorn.Config(
        app,
        log_level="info",
        proxy_headers=config.proxy_headers,
        forwarded_allow_ips=config.forwarded_allow_ips,
    )
    return uvicorn.Server(settings), app


def _serve_one(
    load: Loader, sock: socket.socket, config: ServerConfig, background: Background | None
) -> None:
    """One process: serve at once, load in a thread; a failed load stops the server."""
    server, app = _server(None, config)
    if background is not None:
        background()
    failed: list[BaseException] = []

    def _load() -> None:
        try:
            app.state.clearance = load()
        except BaseException as exc:  # reported once the server has stopped
            failed.append(exc)
            server.should_exit = True

    threading.Thread(target=_load, name="clearance-load", daemon=True).start()
    server.run(sockets=[sock])
    if failed:
        raise failed[0]


def _load_while_answering(load: Loader, sock: socket.socket, config: ServerConfig) -> ServerState:
    """Load in this thread while a loading server (503 on /readyz) answers on the socket."""
    loading, _app = _server(None, config)
    thread = threading.Thread(target=loading.run, kwargs={"sockets": [sock.dup()]}, daemon=True)
    thread.start()
    try:
        return load()
    finally:
        loading.should_exit = True
        thread.join()


def serve(
    load: Loader,
    *,
    host: str,
    port: int,
    workers: int = 1,
    config: ServerConfig | None = None,
    background: Background | None = None,
) -> None:
    """Bind ``host:port``, load with ``load`` and serve until SIGTERM or SIGINT;
    ``background`` is started once in this (the parent) process, after any fork."""
    config = config or ServerConfig()
    try:
        sock = bind(host, port)
    except OSError as exc:
        hint = _(" (another server on it? --port names another)") if exc.errno == EADDRINUSE else ""
        message = _("Cannot listen on {host}:{port}: {reason}").format(
            host=host, port=port, reason=exc.strerror
        )
        raise OperationalError(message + hint) from exc
    if workers <= 1:
        _serve_one(load, sock, config, background)
        return
    state = _load_while_answering(load, sock, config)
    state.screener.prepare()  # tables screening builds on first use, shared by the workers
    gc.freeze()  # objects alive now stay shared with the workers (never collected there)
    counts = ConnectionCounts(workers)
    children: dict[int, int] = {}  # pid -> worker index
    for index in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker: serve on the shared socket, then leave
            code = 0
            try:
                listener = BalancedListener(sock, counts, index)
                _server(state, config)[0].run(sockets=[listener])
            except BaseException:
                code = 3
            finally:
                os._exit(code)
        children[pid] = index
    sock.close()
    if background is not None:
        background()

    def _stop(signum: int, _frame: object) -> None:
        for child in children:
            os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    waiting = dict(children)  # each worker by itself: os.wait() could reap a child the
    while waiting:  # monitoring thread started and waits for
        for pid in [pid for pid in waiting if os.waitpid(pid, os.WNOHANG)[0] == pid]:
            counts.gone(waiting.pop(pid))  # the others stop leaving connections to it
        time.sleep(0.2)
