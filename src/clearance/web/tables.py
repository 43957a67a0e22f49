"""The pages' tables, as NetBox shows them: filters in the query string, a sort chosen by
clicking a column heading (``?sort=due`` up, ``?sort=-due`` down), and offset pagination
(``?page=2&per_page=50``) that keeps the filters and the sort. A handler sorts and cuts the
list the library gave it with :func:`table_page`; the template draws the headings and the
page links with the macros of ``_table.html.j2``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

__all__ = ["PER_PAGE", "Column", "TablePage", "table_page"]

T = TypeVar("T")
#: The page sizes offered; the first is the default.
PER_PAGE = (25, 50, 100)


@dataclass(slots=True, frozen=True)
class Column:
    """A sortable column: its key in ``?sort=`` and the value it sorts on (the template
    writes its heading)."""

    key: str
    value: Callable[[Any], Any]


def _sortable(value: Any) -> tuple[int, Any]:
    # Empty values last whichever the direction, others by their value (text without case).
    if value is None or value == "":
        return (1, "")
    return (0, value.casefold() if isinstance(value, str) else value)


@dataclass(slots=True, frozen=True)
class TablePage(Generic[T]):
    """One page of a sorted list, with what the template needs to draw its controls."""

    rows: list[T]
    total: int
    page: int
    pages: int
    per_page: int
    sort: str
    query: Mapping[str, str]  # the filters in force, to keep in every link

    @property
    def sizes(self) -> tuple[int, ...]:
        """The page sizes offered."""
        return PER_PAGE

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.page * self.per_page, self.total)

    def url(self, **changes: str | int | None) -> str:
        """This table's address with ``changes`` to its query (None removes a key)."""
        params: dict[str, Any] = {
            **self.query,
            "sort": self.sort,
            "per_page": self.per_page,
            "page": self.page,
        }
        for key, value in changes.items():
            params[key] = value
        kept = {k: v for k, v in params.items() if v not in (None, "")}
        if kept.get("page") == 1:
            del kept["page"]
        return "?" + urlencode(kept)

    def sort_url(self, key: str) -> str:
        """The address sorting on ``key``: ascending, or descending when it is sorted so."""
        return self.url(sort=f"-{key}" if self.sort == key else key, page=1)

    def direction(self, key: str) -> str:
        """``ascending``, ``descending`` or ``none``: the heading's ``aria-sort``."""
        if self.sort == key:
            return "ascending"
        if self.sort == f"-{key}":
            return "descending"
        return "none"


def table_page(
    items: Sequence[T],
    columns: Sequence[Column],
    *,
    sort: str | None,
    default_sort: str,
    page: int,
    per_page: int,
    query: Mapping[str, str],
) -> TablePage[T]:
    """``items`` sorted on the column ``sort`` names (``-key`` descending; an unknown one:
    ``default_sort``), page ``page`` of ``per_page`` (a size not offered: the default; a page
    past the end: the last)."""
    by_key = {c.key: c for c in columns}
    wanted = sort if sort and sort.lstrip("-") in by_key else default_sort
    column = by_key[wanted.lstrip("-")]
    ordered = sorted(
        items, key=lambda item: _sortable(column.value(item)), reverse=wanted.startswith("-")
    )
    if wanted.startswith("-"):  # empty values stay last
        ordered = [i for i in ordered if _sortable(column.value(i))[0] == 0] + [
            i for i in ordered if _sortable(column.value(i))[0] == 1
        ]
    size = per_page if per_page in PER_PAGE else PER_PAGE[0]
    pages = max(1, -(-len(ordered) // size))
    current = min(max(page, 1), pages)
    start = (current - 1) * size
    return TablePage(
        rows=list(ordered[start : start + size]),
        total=len(ordered),
        page=current,
        pages=pages,
        per_page=size,
        sort=wanted,
        query={k: v for k, v in query.items() if v},
    )
