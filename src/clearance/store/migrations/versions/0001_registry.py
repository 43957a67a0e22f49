"""Registry snapshots: versions, lists, entities, names, relations.

Revision ID: 0001_registry
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_registry"
down_revision = None
branch_labels = None
depends_on = None


def _fk() -> sa.ForeignKey:
    return sa.ForeignKey("registry_versions.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "registry_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("entity_count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_registry_versions"),
        sa.UniqueConstraint("version", name="uq_registry_versions_version"),
    )
    op.create_table(
        "registry_lists",
        sa.Column("version_id", sa.Integer, _fk(), primary_key=True),
        sa.Column("list_id", sa.String(100), primary_key=True),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "registry_entities",
        sa.Column("version_id", sa.Integer, _fk(), primary_key=True),
        sa.Column("entity_id", sa.String(200), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "registry_names",
        sa.Column("version_id", sa.Integer, _fk(), nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("folded", sa.Text, nullable=False),
    )
    op.create_index("ix_registry_names_version_folded", "registry_names", ["version_id", "folded"])
    op.create_table(
        "registry_relations",
        sa.Column("version_id", sa.Integer, _fk(), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("object", sa.String(200), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_registry_relations_version", "registry_relations", ["version_id"])


def downgrade() -> None:
    op.drop_table("registry_relations")
    op.drop_table("registry_names")
    op.drop_table("registry_entities")
    op.drop_table("registry_lists")
    op.drop_table("registry_versions")
