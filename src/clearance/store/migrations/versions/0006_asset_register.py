"""Column maps of asset registers, saved per source name (``clearance identify --map …
--source-name NAME --save-map``), so the next export of the same register is read alike.

Revision ID: 0006_asset_register
Revises: 0005_finding_history
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_asset_register"
down_revision = "0005_finding_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "column_maps",
        sa.Column("source_name", sa.String(200), nullable=False),
        sa.Column("mapping", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("source_name", name="pk_column_maps"),
    )


def downgrade() -> None:
    op.drop_table("column_maps")
