"""Uploads of the web pages waiting for their column map (with their files' bytes) and the
saving of each, so that any worker or replica of the server can take an upload's next step
and answer its progress page.

Revision ID: 0014_web_uploads
Revises: 0013_monitoring
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_web_uploads"
down_revision = "0013_monitoring"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_uploads",
        sa.Column("key", sa.String(50), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("site", sa.String(200)),
        sa.Column("source_name", sa.String(200)),
        sa.Column("column_name", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_web_uploads"),
    )
    op.create_table(
        "web_upload_files",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("upload_key", sa.String(50), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.ForeignKeyConstraint(
            ["upload_key"], ["web_uploads.key"], name="fk_web_upload_files_upload_key_web_uploads"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_web_upload_files"),
    )
    op.create_index("ix_web_upload_files_upload_key", "web_upload_files", ["upload_key"])
    op.create_table(
        "web_upload_jobs",
        sa.Column("key", sa.String(50), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("names", sa.JSON, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("run_id", sa.Integer),
        sa.Column("result", sa.JSON),
        sa.Column("error", sa.Text),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("key", name="pk_web_upload_jobs"),
    )


def downgrade() -> None:
    op.drop_table("web_upload_jobs")
    op.drop_index("ix_web_upload_files_upload_key", table_name="web_upload_files")
    op.drop_table("web_upload_files")
    op.drop_table("web_uploads")
