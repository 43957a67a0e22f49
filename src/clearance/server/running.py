"""Serving the application with uvicorn.

The port is bound first, so ``/healthz`` answers and ``/readyz`` says 503 while the registry
and its index load. With one worker the process loads in a thread while it serves. With
several, the parent binds one socket per worker on the same port (``SO_REUSEPORT``: the
kernel spreads new connections over them), answers on all of them while it loads, then forks
the workers: each accepts on its own socket and reads the index pages loaded before the fork
(never copied, never rebuilt). On one shared socket, the first worker to wake up accepted
every waiting connection (asyncio accepts up to its backlog at a time) and the others idled.
"""

from __future__ import annotations

import gc
import os
import signal
import socket
import threading
from collections.abc import Callable
from errno import EADDRINUSE

import uvicorn
from fastapi import FastAPI

from clearance.errors import OperationalError
from clearance.server.app import create_app
from clearance.server.config import ServerConfig
from clearance.server.state import ServerState

__all__ = ["bind", "bind_group", "serve"]

Loader = Callable[[], ServerState]
#: Started in the serving parent only (never in a forked worker), e.g. scheduled monitoring.
Background = Callable[[], None]


def bind(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    """A listening TCP socket on ``host:port``, inherited by forked workers.

    Its protocol is named (``IPPROTO_TCP``, not 0): asyncio turns Nagle's algorithm off
    (``TCP_NODELAY``) only on accepted sockets whose protocol says TCP, and with it on, an
    answer written in two parts (headers, then body) waited for the client's delayed ACK,
    about 40 ms a request."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def bind_group(host: str, port: int, count: int) -> list[socket.socket]:
    """``count`` listening sockets on one port (``SO_REUSEPORT``), one per worker.

    The port is first bound alone, so a port another server holds is refused (``OSError``,
    address in use) as :func:`bind` refuses it, instead of joining that server's group and
    taking a share of its connections; port 0 picks one free port for all of them."""
    with bind(host, port) as probe:
        port = int(probe.getsockname()[1])
    group: list[socket.socket] = []
    try:
        for _ in range(count):
            group.append(bind(host, port, reuse_port=True))
    except OSError:
        for sock in group:
            sock.close()
        raise
    return group


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


def _load_while_answering(
    load: Loader, socks: list[socket.socket], config: ServerConfig
) -> ServerState:
    """Load in this thread while a loading server (503 on /readyz) answers on the sockets."""
    loading, _app = _server(None, config)
    dups = [sock.dup() for sock in socks]
    thread = threading.Thread(target=loading.run, kwargs={"sockets": dups}, daemon=True)
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
        socks = [bind(host, port)] if workers <= 1 else bind_group(host, port, workers)
    except OSError as exc:
        hint = " (another server on it? --port names another)" if exc.errno == EADDRINUSE else ""
        raise OperationalError(f"Cannot listen on {host}:{port}: {exc.strerror}{hint}") from exc
    if workers <= 1:
        _serve_one(load, socks[0], config, background)
        return
    state = _load_while_answering(load, socks, config)
    state.screener.prepare()  # tables screening builds on first use, shared by the workers
    gc.freeze()  # objects alive now stay shared with the workers (never collected there)
    children: list[int] = []
    for sock in socks:
        pid = os.fork()
        if pid == 0:  # a worker: serve on its own socket, then leave
            code = 0
            try:
                for other in socks:  # a socket kept open here and never accepted on would
                    if other is not sock:  # hold its share of connections if its worker died
                        other.close()
                _server(state, config)[0].run(sockets=[sock])
            except BaseException:
                code = 3
            finally:
                os._exit(code)
        children.append(pid)
    for sock in socks:
        sock.close()
    if background is not None:
        background()

    def _stop(signum: int, _frame: object) -> None:
        for child in children:
            os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    for child in children:
        os.waitpid(child, 0)
