"""Serving the application with uvicorn: the state is loaded once in the parent, then
``workers`` forked processes accept on one shared socket and read the same index pages."""

from __future__ import annotations

import gc
import os
import signal
import socket

import uvicorn

from clearance.server.app import create_app
from clearance.server.state import ServerState

__all__ = ["serve"]


def _server(state: ServerState, host: str, port: int) -> uvicorn.Server:
    config = uvicorn.Config(create_app(state), host=host, port=port, log_level="info")
    return uvicorn.Server(config)


def serve(state: ServerState, *, host: str, port: int, workers: int = 1) -> None:
    """Serve until interrupted; with ``workers`` > 1, fork that many after loading."""
    if workers <= 1:
        _server(state, host, port).run()
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    gc.freeze()  # objects alive now stay shared with the workers (never collected there)
    children: list[int] = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker: serve on the shared socket, then leave
            try:
                _server(state, host, port).run(sockets=[sock])
            finally:
                os._exit(0)
        children.append(pid)

    def _stop(signum: int, _frame: object) -> None:
        for child in children:
            os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    for child in children:
        os.waitpid(child, 0)
    sock.close()
