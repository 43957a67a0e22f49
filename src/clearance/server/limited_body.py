"""Request bodies with a size limit, gzip-compressed or not.

A router made with ``route_class=LimitedBodyRoute`` reads each request's body through
:class:`LimitedBodyRequest`: a ``Content-Length`` over the limit is refused before anything
is read, a body that grows past it while streaming too, and a gzip body (``Content-Encoding:
gzip``) is decompressed with the same limit on what comes out (so a small bomb cannot expand
into memory). The limit is the server's ``upload_max_bytes`` setting (0: none).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.routing import APIRoute

__all__ = ["LimitedBodyRequest", "LimitedBodyRoute"]

_DEFAULT_LIMIT = 200_000_000


def _too_large(limit: int) -> HTTPException:
    return HTTPException(413, detail=f"The request body is larger than {limit:,} bytes.")


class LimitedBodyRequest(Request):
    """A request whose :meth:`body` is read with the server's size limit."""

    @property
    def limit(self) -> int:
        config = getattr(self.app.state, "config", None)
        settings = getattr(config, "settings", None)
        return int(getattr(settings, "upload_max_bytes", _DEFAULT_LIMIT))

    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            limit = self.limit
            declared = self.headers.get("content-length", "")
            if limit and declared.isdigit() and int(declared) > limit:
                raise _too_large(limit)
            encoding = self.headers.get("content-encoding", "identity").strip().lower()
            if encoding not in ("identity", "gzip"):
                raise HTTPException(415, detail=f"Unsupported Content-Encoding: {encoding}.")
            inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding == "gzip" else None
            chunks: list[bytes] = []
            size = 0
            async for chunk in self.stream():
                if inflate is not None:
                    # one byte past the limit is enough to know the body is too large
                    chunk = self._inflate(inflate, chunk, limit - size + 1 if limit else 0)
                size += len(chunk)
                if limit and size > limit:
                    raise _too_large(limit)
                chunks.append(chunk)
            if inflate is not None and not inflate.eof:
                raise HTTPException(400, detail="The gzip body is truncated.")
            self._body = b"".join(chunks)
        return self._body

    @staticmethod
    def _inflate(inflate: Any, chunk: bytes, max_length: int) -> bytes:
        """Decompress ``chunk``, at most ``max_length`` bytes of it (0: all)."""
        try:
            return bytes(inflate.decompress(chunk, max_length))
        except zlib.error as exc:
            raise HTTPException(400, detail=f"The gzip body cannot be read: {exc}.") from exc


class LimitedBodyRoute(APIRoute):
    """A route whose request body is a :class:`LimitedBodyRequest`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def limited(request: Request) -> Response:
            return await handler(LimitedBodyRequest(request.scope, request.receive))

        return limited
