"""Monitoring: what was notified to whom (so nothing is sent twice) and the lease of each
scheduled job (so replicas sharing the store run it once).

Revision ID: 0013_monitoring
Revises: 0012_web_sessions
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_monitoring"
down_revision = "0012_web_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("finding_id", sa.Integer, nullable=False),
        sa.Column("event", sa.String(10), nullable=False),
        sa.Column("occasion", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("recipient", sa.Text, nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name="fk_notifications_finding_id_findings"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        sa.UniqueConstraint(
            "finding_id", "event", "occasion", "channel", name="uq_notifications_occasion"
        ),
    )
    op.create_index("ix_notifications_finding_id", "notifications", ["finding_id"])
    op.create_table(
        "monitor_jobs",
        sa.Column("name", sa.String(20), nullable=False),
        sa.Column("holder", sa.String(200)),
        sa.Column("lease_until", sa.DateTime(timezone=True)),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("outcome", sa.JSON),
        sa.PrimaryKeyConstraint("name", name="pk_monitor_jobs"),
    )


def downgrade() -> None:
    op.drop_table("monitor_jobs")
    op.drop_index("ix_notifications_finding_id", table_name="notifications")
    op.drop_table("notifications")
