"""Cursor pagination for every list the REST API serves.

A list takes ``?limit=`` (default 50, at most 500) and ``?cursor=`` and answers
``{"items": [...], "next_cursor": str | null}``. The cursor is opaque to the caller: the
base64url (unpadded) of a JSON array holding the last item's sort key, its id last. The next
page holds the items whose key is greater (keyset pagination), so an insert between two
requests never repeats or skips an item already there; an item inserted behind the cursor is
simply not on the pages still to come. A cursor that does not decode, or does not fit the list
it is sent to, is refused with 422.

A route takes :func:`page_request` as a dependency, then either pages a list it already holds,
sorted or not (:func:`paginate`), or lets the database do it (:func:`keyset` on a SQLAlchemy
``select``, then :func:`page_of` on the rows)::

    @router.get("/sites")
    def sites(page: Annotated[PageRequest, Depends(page_request)], ...) -> dict[str, Any]:
        return paginate(list_sites(engine), page, key=lambda s: (s.name, s.id),
                        dump=lambda s: s.to_json())
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from fastapi import HTTPException, Query
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, and_, or_

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "Page",
    "PageRequest",
    "SortKey",
    "decode_cursor",
    "encode_cursor",
    "keyset",
    "page_of",
    "page_request",
    "paginate",
]

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

#: One value of a sort key as a cursor holds it (dates go in as ISO strings).
Scalar = str | int | float | bool | None
#: A sort key: the sorted-on values, the item's id last.
SortKey = tuple[Scalar, ...]

T = TypeVar("T")


class Page(BaseModel):
    """One page of a list (the response model of every list route)."""

    items: list[dict[str, Any]]
    next_cursor: str | None = None


@dataclass(slots=True, frozen=True)
class PageRequest:
    """What page the caller asks for: at most ``limit`` items after the key ``after``."""

    limit: int = DEFAULT_LIMIT
    after: SortKey | None = None


def _bad_cursor(reason: str) -> HTTPException:
    return HTTPException(422, detail=f"Invalid cursor: {reason}.")


def encode_cursor(key: SortKey) -> str:
    """The opaque cursor for a sort key."""
    text = json.dumps(list(key), separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> SortKey:
    """The sort key a cursor holds; 422 for one that is not a cursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError) as error:
        raise _bad_cursor("not a cursor this server gave") from error
    if not isinstance(value, list) or not value:
        raise _bad_cursor("not a cursor this server gave")
    if not all(v is None or isinstance(v, str | int | float | bool) for v in value):
        raise _bad_cursor("not a cursor this server gave")
    return tuple(value)


def page_request(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="How many items a page holds.")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(max_length=2048, description="The previous page's next_cursor.")
    ] = None,
) -> PageRequest:
    """A FastAPI dependency: the page asked for by ``?limit=`` and ``?cursor=``."""
    return PageRequest(limit=limit, after=decode_cursor(cursor) if cursor else None)


def _order(value: Scalar) -> tuple[int, Any]:
    # None sorts first, as NULLS FIRST would; a bool is compared as the number it is.
    return (0, 0) if value is None else (1, value)


def _comparable(key: SortKey) -> tuple[tuple[int, Any], ...]:
    return tuple(_order(v) for v in key)


def _check_width(page: PageRequest, width: int) -> None:
    if page.after is not None and len(page.after) != width:
        raise _bad_cursor("it belongs to another list")


def page_of(
    rows: Sequence[T], page: PageRequest, *, key: Callable[[T], SortKey], dump: Callable[[T], Any]
) -> dict[str, Any]:
    """The page made of ``rows``: the items after the cursor in key order, of which at most
    ``limit`` are sent; a next cursor when there were more (``rows`` may hold ``limit + 1``)."""
    shown = rows[: page.limit]
    more = len(rows) > page.limit
    return {
        "items": [dump(item) for item in shown],
        "next_cursor": encode_cursor(key(shown[-1])) if more and shown else None,
    }


def paginate(
    items: Iterable[T],
    page: PageRequest,
    *,
    key: Callable[[T], SortKey],
    dump: Callable[[T], Any],
) -> dict[str, Any]:
    """One page of ``items`` (any order) sorted by ``key``: those after the cursor, at most
    ``limit``. ``key`` must be unique per item (end it with the id)."""
    keyed = [(_comparable(key(item)), item) for item in items]
    if page.after is not None:
        if keyed:
            _check_width(page, len(keyed[0][0]))
        after = _comparable(page.after)
        try:
            keyed = [pair for pair in keyed if pair[0] > after]
        except TypeError as error:  # a string where the list sorts on a number
            raise _bad_cursor("it belongs to another list") from error
    keyed.sort(key=lambda pair: pair[0])
    return page_of([item for _, item in keyed[: page.limit + 1]], page, key=key, dump=dump)


def _bound(column: ColumnElement[Any], value: Scalar) -> Any:
    # The cursor's value as the column's Python type (a date travels as its ISO string).
    try:
        kind = column.type.python_type
    except NotImplementedError:
        return value
    try:
        if kind is datetime and isinstance(value, str):
            return datetime.fromisoformat(value)
        if kind is date and isinstance(value, str):
            return date.fromisoformat(value)
    except ValueError as error:
        raise _bad_cursor("it belongs to another list") from error
    if kind in (int, float) and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if kind is str and isinstance(value, str):
        return value
    if kind is bool and isinstance(value, bool):
        return value
    raise _bad_cursor("it belongs to another list")


def _after(columns: Sequence[ColumnElement[Any]], key: SortKey) -> ColumnElement[bool]:
    # (c1, c2, …) > (k1, k2, …) written out, which every backend plans (and NULL-free).
    clauses: list[ColumnElement[bool]] = []
    for i, column in enumerate(columns):
        equal = [columns[j] == key[j] for j in range(i)]
        clauses.append(and_(*equal, column > key[i]))
    return or_(*clauses)


def keyset(
    query: Select[Any], columns: Sequence[ColumnElement[Any]], page: PageRequest
) -> Select[Any]:
    """``query`` ordered by ``columns`` (the id last; none of them NULL), after the cursor,
    fetching one row more than the page so :func:`page_of` knows whether another follows.
    ``key`` given to :func:`page_of` must give these columns' values (dates as ISO strings)."""
    _check_width(page, len(columns))
    if page.after is not None:
        bound = tuple(_bound(c, v) for c, v in zip(columns, page.after, strict=True))
        query = query.where(_after(columns, bound))
    return query.order_by(*columns).limit(page.limit + 1)
