"""Reports made on the server: what was asked (format, language, site, organisation), who
asked, and the file, stored so that every replica sharing the store can serve its download.

Revision ID: 0010_reports
Revises: 0009_four_eyes
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_reports"
down_revision = "0009_four_eyes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("lang", sa.String(10), nullable=False),
        sa.Column("site", sa.String(200)),
        sa.Column("organisation", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reports"),
    )


def downgrade() -> None:
    op.drop_table("reports")
