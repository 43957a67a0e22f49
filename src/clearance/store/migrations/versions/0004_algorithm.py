"""The matching algorithm's version with each run and each stored screening result.

Results stored before this migration carry it inside their JSON (``result["algorithm"]``):
it is copied into the new column. Earlier runs did not record it: theirs stays empty.

Revision ID: 0004_algorithm
Revises: 0003_tracking
Create Date: 2026-12-02
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0004_algorithm"
down_revision = "0003_tracking"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("algorithm", sa.String(80)))
    with op.batch_alter_table("suppliers") as batch:
        batch.add_column(sa.Column("algorithm", sa.String(80)))
    conn = op.get_bind()
    suppliers = sa.table(
        "suppliers",
        sa.column("id", sa.Integer),
        sa.column("result", sa.JSON),
        sa.column("algorithm", sa.String),
    )
    for supplier_id, result in list(conn.execute(sa.select(suppliers.c.id, suppliers.c.result))):
        if isinstance(result, str):
            result = json.loads(result)
        algorithm = result.get("algorithm") if isinstance(result, dict) else None
        if algorithm:
            conn.execute(
                sa.update(suppliers)
                .where(suppliers.c.id == supplier_id)
                .values(algorithm=str(algorithm)[:80])
            )


def downgrade() -> None:
    with op.batch_alter_table("suppliers") as batch:
        batch.drop_column("algorithm")
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("algorithm")
