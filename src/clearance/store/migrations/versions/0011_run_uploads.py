"""Uploads of runs by site sensors: the idempotency key of each (unique), the SHA-256 of its
payload, who uploaded it, the run it stored, and the sensor's own times and version.

Revision ID: 0011_run_uploads
Revises: 0010_reports
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_run_uploads"
down_revision = "0010_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "run_uploads",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("payload_sha256", sa.String(64), nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("tool_version", sa.String(40)),
        sa.PrimaryKeyConstraint("id", name="pk_run_uploads"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_run_uploads_run_id_runs"),
        sa.UniqueConstraint("idempotency_key", name="uq_run_uploads_idempotency_key"),
    )


def downgrade() -> None:
    op.drop_table("run_uploads")
