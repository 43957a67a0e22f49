"""Alembic environment: runs on the engine that :func:`clearance.store.db.open_store` passes."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from clearance.store.schema import metadata

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):  # pragma: no cover - only reachable from the alembic CLI
    raise RuntimeError("run migrations through clearance.store.db.open_store")

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
