"""Tables of the store (SQLAlchemy Core). Change them only together with a migration."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = [
    "metadata",
    "registry_entities",
    "registry_lists",
    "registry_names",
    "registry_relations",
    "registry_versions",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# One row per registry snapshot; exactly one is active.
registry_versions = Table(
    "registry_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version", String(64), nullable=False, unique=True),
    Column("content_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("active", Boolean, nullable=False, default=False),
    Column("note", Text),
    # [{"list", "url", "sha256", "retrieved_at", "format", "path"}]
    Column("sources", JSON, nullable=False, default=list),
    Column("entity_count", Integer, nullable=False, default=0),
)

registry_lists = Table(
    "registry_lists",
    metadata,
    Column("version_id", ForeignKey("registry_versions.id", ondelete="CASCADE"), primary_key=True),
    Column("list_id", String(100), primary_key=True),
    Column("data", JSON, nullable=False),
)

registry_entities = Table(
    "registry_entities",
    metadata,
    Column("version_id", ForeignKey("registry_versions.id", ondelete="CASCADE"), primary_key=True),
    Column("entity_id", String(200), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("name", Text, nullable=False),
    Column("data", JSON, nullable=False),
)

registry_names = Table(
    "registry_names",
    metadata,
    Column("version_id", ForeignKey("registry_versions.id", ondelete="CASCADE"), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("name", Text, nullable=False),
    Column("folded", Text, nullable=False),
    Index("ix_registry_names_version_folded", "version_id", "folded"),
)

registry_relations = Table(
    "registry_relations",
    metadata,
    Column("version_id", ForeignKey("registry_versions.id", ondelete="CASCADE"), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("object", String(200), nullable=False),
    Column("data", JSON, nullable=False),
    Index("ix_registry_relations_version", "version_id"),
)
