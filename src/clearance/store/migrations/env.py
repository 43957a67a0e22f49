"""Alembic environment: runs on the engine that :func:`clearance.store.db.open_store` passes,
inside the caller's transaction when it passes a connection too (the caller then holds the
migration lock and commits)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, Engine

from clearance.store.schema import metadata

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):  # pragma: no cover - only reachable from the alembic CLI
    raise RuntimeError("run migrations through clearance.store.db.open_store")


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


given = config.attributes.get("connection")
if isinstance(given, Connection):
    _run(given)
else:
    with engine.begin() as connection:
        _run(connection)
