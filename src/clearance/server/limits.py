"""What the store can hold, for the routes to check before a query reaches it: a value past
these would fail in the database (PostgreSQL refuses both) and answer 500 instead of 422.

- Row ids are ``INTEGER`` columns: 1 to :data:`MAX_ID` (2**31 - 1).
- Text holds no NUL character (PostgreSQL's ``text`` cannot; SQLite's can, so a test on
  SQLite alone does not show it): parameters and fields take :data:`NO_NUL` as ``pattern``,
  and every route under ``/api/v1`` depends on :func:`query_fits_store`, which refuses a NUL
  in any query parameter (a filter added later included).
"""

from __future__ import annotations

from fastapi import HTTPException, Request

__all__ = ["MAX_ID", "NO_NUL", "has_nul", "query_fits_store"]

#: The largest row id (an ``INTEGER`` primary key).
MAX_ID = 2**31 - 1

#: A ``pattern`` for text parameters and fields: anything but NUL.
NO_NUL = r"^[^\x00]*$"


def has_nul(*values: object) -> bool:
    """Whether any of ``values`` (strings among them) holds a NUL character."""
    return any(isinstance(v, str) and "\x00" in v for v in values)


def query_fits_store(request: Request) -> None:
    """A FastAPI dependency: 422 for a query parameter holding a NUL character."""
    for name, value in request.query_params.multi_items():
        if has_nul(name, value):
            raise HTTPException(422, detail=f"Query parameter {name!r} holds a NUL character.")
