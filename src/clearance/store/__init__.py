"""The embedded store: SQLAlchemy Core schema, Alembic migrations and queries."""

from clearance.store.db import open_store
from clearance.store.registry_store import (
    active_registry,
    ensure_registry,
    list_versions,
    load_version,
    save_registry,
)

__all__ = [
    "active_registry",
    "ensure_registry",
    "list_versions",
    "load_version",
    "open_store",
    "save_registry",
]
