"""Serialised write transactions for the tracking tables.

A tracking write reads before it writes (which asset does this MAC belong to? is this finding
open?), so two processes writing at once must not interleave. Every such transaction starts
by updating its row in ``store_locks``: on SQLite that first write takes the database's write
lock at once (waiting up to ``busy_timeout`` for another writer), on PostgreSQL it takes a row
lock that the other writer waits for. Either way the second transaction reads what the first
committed, and nothing is lost or duplicated.

:func:`exclusive_transaction` needs no table, so it also guards creating the schema and
storing the first registry: on SQLite it starts with ``BEGIN IMMEDIATE`` (the write lock), on
PostgreSQL it takes a transaction-scoped advisory lock named after the job.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, func, select, update
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from clearance.errors import StoreError, one_line
from clearance.i18n import gettext as _
from clearance.store.schema import store_locks

__all__ = ["TRACKING", "exclusive_transaction", "take_exclusive", "write_transaction"]

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
                raise StoreError(
                    _("the store has no lock row {lock!r}; is it migrated?").format(lock=lock)
                )
            yield conn
    except SQLAlchemyError as exc:
        raise StoreError(_("cannot write to the store: {exc}").format(exc=one_line(exc))) from exc


def _advisory_key(name: str) -> int:
    """A stable 32-bit advisory-lock key for ``name`` (the same in every process)."""
    return zlib.crc32(f"clearance:{name}".encode())


def take_exclusive(conn: Connection, name: str, *, wait: float = 0.0) -> None:
    """Make ``conn``'s new transaction run alone among the holders of lock ``name``.

    SQLite: ``BEGIN IMMEDIATE`` (its one write lock) now rather than at the first write,
    tried again while another writer holds it, for up to ``wait`` seconds beyond the
    ``busy_timeout`` each try waits itself. PostgreSQL: a transaction-scoped advisory lock
    named after ``name``, which waits as long as it takes.
    """
    if conn.dialect.name == "sqlite":
        deadline = time.monotonic() + wait
        while True:
            try:
                # pysqlite starts no transaction before a SELECT; take the write lock now.
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.1)
    elif conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(_advisory_key(name))))


@contextmanager
def exclusive_transaction(engine: Engine, name: str) -> Iterator[Connection]:
    """A transaction that runs alone: no other ``exclusive_transaction(name)`` (nor, on
    SQLite, any other writer) runs until it commits or rolls back; a second caller waits.

    Callers re-read what they are about to create once inside, since another process may
    have created it while they waited. Database errors become :class:`StoreError`.
    """
    try:
        with engine.begin() as conn:
            take_exclusive(conn, name)
            yield conn
    except SQLAlchemyError as exc:
        raise StoreError(_("cannot write to the store: {exc}").format(exc=one_line(exc))) from exc
