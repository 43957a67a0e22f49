"""Auth tests run on SQLite and PostgreSQL with the store tests' fixtures (``engine``: a
migrated, empty store; ``db_url``: an empty, unmigrated database)."""

from __future__ import annotations

from tests.store.conftest import db_url, engine, pg_admin, pg_server, pg_store

__all__ = ["db_url", "engine", "pg_admin", "pg_server", "pg_store"]
