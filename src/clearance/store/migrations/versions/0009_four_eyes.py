"""Four eyes on clearing strong screening hits: a disposition records the hit's score and,
when clearing it needs a second reviewer, its approval state (pending, approved, rejected),
who approved or rejected it and when.

Revision ID: 0009_four_eyes
Revises: 0008_users_and_tokens
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_four_eyes"
down_revision = "0008_users_and_tokens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dispositions") as batch:
        batch.add_column(sa.Column("score", sa.Float))
        batch.add_column(sa.Column("approval", sa.String(20)))
        batch.add_column(sa.Column("approved_by", sa.String(200)))
        batch.add_column(sa.Column("approved_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("approval_reason", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("dispositions") as batch:
        for column in ("approval_reason", "approved_at", "approved_by", "approval", "score"):
            batch.drop_column(column)
