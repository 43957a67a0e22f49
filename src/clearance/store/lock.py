"""Serialised write transactions for the tracking tables.

A tracking write reads before it writes (which asset does this MAC belong to? is this finding
open?), so two processes writing at once must not interleave. Every such transaction starts
by updating its row in ``store_locks``: on SQLite that first write takes the database's write
lock at once (waiting up to ``busy_timeout`` for another writer), on PostgreSQL it takes a row
lock that the other writer waits for. Either way the second transaction reads what the first
committed, and nothing is lost or duplicated.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, update
from sqlalchemy.exc import SQLAlchemyError

from clearance.errors import StoreError
from clearance.store.schema import store_locks

__all__ = ["TRACKING", "write_transaction"]

TRACKING = "tracking"


@contextmanager
def write_transaction(engine: Engine, lock: str = TRACKING) -> Iterator[Connection]:
    """A transaction that holds the ``lock`` row until it commits or rolls back.

    Database errors inside it become :class:`StoreError`; other errors pass through, and
    either way the transaction is rolled back.
    """
    try:
        with engine.begin() as conn:
            taken = conn.execute(
                update(store_locks)
                .where(store_locks.c.name == lock)
                .values(counter=store_locks.c.counter + 1)
            ).rowcount
            if taken != 1:
                raise StoreError(f"the store has no lock row {lock!r}; is it migrated?")
            yield conn
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot write to the store: {exc}") from exc
