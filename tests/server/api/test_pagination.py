"""Cursor pagination: walking every page sees each item exactly once, inserts between
requests included, in memory and in the database; a cursor that is not one is refused."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import httpx
import pytest
from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    insert,
    select,
)

from clearance.server.pagination import (
    MAX_LIMIT,
    PageRequest,
    decode_cursor,
    encode_cursor,
    keyset,
    page_of,
    page_request,
    paginate,
)


def _walk(fetch: Any, limit: int, between: Any = None) -> list[Any]:
    seen: list[Any] = []
    cursor: str | None = None
    while True:
        after = decode_cursor(cursor) if cursor else None
        page = fetch(PageRequest(limit=limit, after=after))
        assert len(page["items"]) <= limit
        seen.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return seen
        if between is not None:
            between()


def test_a_cursor_round_trips_and_is_url_safe() -> None:
    key = ("Hangzhou 海康威视 / +?", 12, None, 1.5)
    cursor = encode_cursor(key)
    assert not set(cursor) & set("=/+")
    assert decode_cursor(cursor) == key


@pytest.mark.parametrize("cursor", ["!!", "bm90IGpzb24", encode_cursor(("a",))[:-1] + "*", "e30"])
def test_a_broken_cursor_is_refused_with_422(cursor: str) -> None:
    with pytest.raises(HTTPException) as caught:
        decode_cursor(cursor)
    assert caught.value.status_code == 422


def test_paginate_walks_every_item_once_in_key_order_with_inserts_between() -> None:
    names = ["delta", "alpha", None, "charlie", "bravo", "alpha", "echo"]
    items = [{"id": i + 1, "name": n} for i, n in enumerate(names)]

    def insert_one() -> None:  # one before the cursor's position, one after
        next_id = len(items) + 1
        items.append({"id": next_id, "name": "aaa" if next_id % 2 else "zzz"})

    def fetch(page: PageRequest) -> dict[str, Any]:
        return paginate(list(items), page, key=lambda it: (it["name"], it["id"]), dump=dict)

    before = {it["id"] for it in items}
    seen = _walk(fetch, limit=2, between=insert_one)
    ids = [it["id"] for it in seen]
    assert len(ids) == len(set(ids))  # none twice
    assert before <= set(ids)  # none there from the start is skipped
    keys = [(it["name"] is not None, it["name"] or "", it["id"]) for it in seen]
    assert keys == sorted(keys)  # None first, then by name, then id


def test_the_last_full_page_has_no_next_cursor() -> None:
    page = paginate(range(1, 5), PageRequest(limit=4), key=lambda i: (i,), dump=lambda i: i)
    assert page == {"items": [1, 2, 3, 4], "next_cursor": None}
    empty = paginate([], PageRequest(limit=4, after=(3,)), key=lambda i: (i,), dump=str)
    assert empty == {"items": [], "next_cursor": None}


def test_a_cursor_of_another_list_is_refused() -> None:
    page = PageRequest(limit=2, after=("name", 3))
    with pytest.raises(HTTPException) as caught:  # wrong width
        paginate([1, 2], page, key=lambda i: (i,), dump=str)
    assert caught.value.status_code == 422
    with pytest.raises(HTTPException) as caught:  # a string where numbers are sorted
        paginate([1, 2], PageRequest(after=("x",)), key=lambda i: (i,), dump=str)
    assert caught.value.status_code == 422


def _table() -> tuple[Any, Table]:
    engine = create_engine("sqlite://")
    table = Table(
        "things",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("name", String, nullable=False),
        Column("at", DateTime, nullable=False),
    )
    table.metadata.create_all(engine)
    return engine, table


def test_keyset_walks_the_database_once_with_inserts_between() -> None:
    engine, table = _table()
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        for i, name in enumerate(["m", "b", "x", "b", "c", "a", "q"]):
            conn.execute(insert(table).values(name=name, at=at.replace(hour=i % 3)))

    def insert_one() -> None:
        with engine.begin() as conn:
            conn.execute(insert(table).values(name="a0", at=at))
            conn.execute(insert(table).values(name="zz", at=at))

    def key(row: Any) -> tuple[str, str, int]:
        return (row.name, row.at.isoformat(), row.id)

    def fetch(page: PageRequest) -> dict[str, Any]:
        query = keyset(select(table), [table.c.name, table.c.at, table.c.id], page)
        with engine.connect() as conn:
            rows = conn.execute(query).all()
        return page_of(rows, page, key=key, dump=key)

    seen = _walk(fetch, limit=3, between=insert_one)
    assert len(seen) == len(set(seen))
    assert {(n, i) for n, _, i in seen} >= {(n, i + 1) for i, n in enumerate("mbxbcaq")}
    assert seen == sorted(seen)


def test_keyset_refuses_a_cursor_of_the_wrong_type() -> None:
    _, table = _table()
    with pytest.raises(HTTPException) as caught:
        keyset(select(table), [table.c.id], PageRequest(after=("seven",)))
    assert caught.value.status_code == 422


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_limit_and_cursor_come_from_the_query_string() -> None:
    app = FastAPI()

    @app.get("/numbers")
    def numbers(page: Annotated[PageRequest, Depends(page_request)]) -> dict[str, Any]:
        return paginate(range(1, 1001), page, key=lambda i: (i,), dump=lambda i: i)

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        first = (await client.get("/numbers")).json()
        assert first["items"] == list(range(1, 51))  # 50 by default
        second = (await client.get("/numbers", params={"cursor": first["next_cursor"]})).json()
        assert second["items"][0] == 51
        assert len((await client.get(f"/numbers?limit={MAX_LIMIT}")).json()["items"]) == 500
        assert (await client.get(f"/numbers?limit={MAX_LIMIT + 1}")).status_code == 422
        assert (await client.get("/numbers?limit=0")).status_code == 422
        assert (await client.get("/numbers?cursor=%%%")).status_code == 422
