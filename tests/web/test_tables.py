"""The pages' table sorting and paging (clearance.web.tables)."""

from __future__ import annotations

from clearance.web.tables import Column, table_page

ROWS = [{"id": i, "name": n} for i, n in enumerate(["b", None, "A", "c", "", "a"], start=1)]
COLUMNS = [Column("id", lambda r: r["id"]), Column("name", lambda r: r["name"])]


def _page(sort: str | None, page: int = 1, per_page: int = 25) -> list[int]:
    t = table_page(
        ROWS, COLUMNS, sort=sort, default_sort="id", page=page, per_page=per_page, query={}
    )
    return [r["id"] for r in t.rows]


def test_sorts_without_case_and_keeps_empty_values_last_both_ways() -> None:
    assert _page("name") == [3, 6, 1, 4, 2, 5]
    assert _page("-name") == [4, 1, 3, 6, 2, 5]


def test_an_unknown_sort_or_page_size_falls_back() -> None:
    assert _page("password") == [1, 2, 3, 4, 5, 6]
    t = table_page(ROWS, COLUMNS, sort=None, default_sort="id", page=9, per_page=7, query={})
    assert (t.per_page, t.page, t.pages) == (25, 1, 1)


def test_links_keep_the_filters_and_turn_the_sort_around() -> None:
    many = [{"id": i, "name": str(i)} for i in range(1, 61)]
    t = table_page(
        many, COLUMNS, sort="name", default_sort="id", page=2, per_page=25, query={"q": "a b"}
    )
    assert (t.first, t.last, t.pages) == (26, 50, 3)
    assert t.url(page=3) == "?q=a+b&sort=name&per_page=25&page=3"
    assert t.sort_url("name") == "?q=a+b&sort=-name&per_page=25"
    assert t.direction("name") == "ascending"
    assert t.direction("id") == "none"
