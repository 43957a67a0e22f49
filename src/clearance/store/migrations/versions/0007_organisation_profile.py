"""The organisation's profile: its name, jurisdiction, sector, default language and the
parties it declares itself bound as (``clearance org set``), one row, so findings and
screening results lead with the listings that bind it.

Revision ID: 0007_organisation_profile
Revises: 0006_asset_register
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_organisation_profile"
down_revision = "0006_asset_register"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisation_profile",
        sa.Column("id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("name", sa.String(200)),
        sa.Column("jurisdiction", sa.String(2)),
        sa.Column("sector", sa.String(50)),
        sa.Column("lang", sa.String(10)),
        sa.Column("also_bound", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_organisation_profile"),
    )


def downgrade() -> None:
    op.drop_table("organisation_profile")
