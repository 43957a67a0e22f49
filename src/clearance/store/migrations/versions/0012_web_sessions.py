"""Signed-in browser sessions of the web pages (the SHA-256 of each session's secret, its user,
CSRF token, expiry and revocation at sign-out) and the key that signs their cookies, shared by
every worker and replica of the server.

Revision ID: 0012_web_sessions
Revises: 0011_run_uploads
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_web_sessions"
down_revision = "0011_run_uploads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("secret_sha256", sa.String(64), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_web_sessions"),
        sa.UniqueConstraint("secret_sha256", name="uq_web_sessions_secret_sha256"),
    )
    op.create_table(
        "web_keys",
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("secret", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_web_keys"),
    )


def downgrade() -> None:
    op.drop_table("web_keys")
    op.drop_table("web_sessions")
