"""Tracking: sites, runs, assets, sightings (what each run saw), suppliers, findings,
dispositions, an append-only audit log, and the lock row that serialises tracking writes.

Revision ID: 0003_tracking
Revises: 0002_registry_import
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_tracking"
down_revision = "0002_registry_import"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)

_SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
]

_PG_TRIGGERS = [
    """CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$""",
    """CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
       FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
    """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
       FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
]


def upgrade() -> None:
    op.create_table(
        "store_locks",
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("counter", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_store_locks"),
    )
    op.bulk_insert(
        sa.table("store_locks", sa.column("name", sa.String), sa.column("counter", sa.Integer)),
        [{"name": "tracking", "counter": 0}],
    )
    op.create_table(
        "sites",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address", sa.Text),
        sa.Column("owner", sa.Text),
        sa.Column("created_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sites"),
        sa.UniqueConstraint("name", name="uq_sites_name"),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("scope_key", sa.String(64), nullable=False),
        sa.Column("scope", sa.JSON, nullable=False),
        sa.Column("site_id", sa.Integer, nullable=True),
        sa.Column("started_at", _TS, nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("registry_version", sa.String(64)),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name="fk_runs_site_id_sites"),
    )
    op.create_index("ix_runs_scope_key", "runs", ["scope_key", "id"])
    op.create_table(
        "assets",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("mac", sa.String(17)),
        sa.Column("serial", sa.String(200)),
        sa.Column("site_id", sa.Integer, nullable=True),
        sa.Column("ip", sa.String(45)),
        sa.Column("hostname", sa.Text),
        sa.Column("manufacturer", sa.Text),
        sa.Column("model", sa.Text),
        sa.Column("restricted", sa.Boolean, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("first_seen", _TS, nullable=False),
        sa.Column("last_seen", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_assets"),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name="fk_assets_site_id_sites"),
    )
    op.create_index("ix_assets_mac", "assets", ["mac"])
    op.create_index("ix_assets_serial", "assets", ["serial"])
    op.create_index("ix_assets_site_ip", "assets", ["site_id", "ip"])
    op.create_table(
        "sightings",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("subject", sa.String(100), nullable=False),
        sa.Column("merged_by", sa.String(20), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("seen_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sightings"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_sightings_run_id_runs"),
    )
    op.create_index("ix_sightings_run_id", "sightings", ["run_id"])
    op.create_index("ix_sightings_subject", "sightings", ["subject"])
    op.create_table(
        "suppliers",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("key", sa.String(500), nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("record", sa.JSON),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("registry_version", sa.String(64)),
        sa.Column("first_screened", _TS, nullable=False),
        sa.Column("last_screened", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_suppliers"),
        sa.UniqueConstraint("key", name="uq_suppliers_key"),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("subject", sa.String(100), nullable=False),
        sa.Column("asset_id", sa.Integer, nullable=True),
        sa.Column("supplier_id", sa.Integer, nullable=True),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("entity", sa.Text, nullable=False),
        sa.Column("relation", sa.String(20), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("site_id", sa.Integer, nullable=True),
        sa.Column("owner", sa.Text),
        sa.Column("due_date", sa.Date),
        sa.Column("justification", sa.Text),
        sa.Column("approver", sa.Text),
        sa.Column("expires", sa.Date),
        sa.Column("note", sa.Text),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("opened_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.Column("removed_at", _TS),
        sa.Column("verified_at", _TS),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
        sa.UniqueConstraint("subject", "entity_id", name="uq_findings_subject_entity"),
        sa.ForeignKeyConstraint(["asset_id"], ["assets.id"], name="fk_findings_asset_id_assets"),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name="fk_findings_supplier_id_suppliers"
        ),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name="fk_findings_site_id_sites"),
    )
    op.create_index("ix_findings_asset_id", "findings", ["asset_id"])
    op.create_index("ix_findings_supplier_id", "findings", ["supplier_id"])
    op.create_index("ix_findings_status", "findings", ["status"])
    op.create_table(
        "dispositions",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("query_key", sa.String(500), nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("listings_hash", sa.String(64), nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dispositions"),
    )
    op.create_index("ix_dispositions_query_entity", "dispositions", ["query_key", "entity_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("object_type", sa.String(20), nullable=False),
        sa.Column("object_id", sa.String(100), nullable=False),
        sa.Column("run_id", sa.Integer),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_object", "audit_log", ["object_type", "object_id"])
    dialect = op.get_bind().dialect.name
    for statement in _PG_TRIGGERS if dialect == "postgresql" else _SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    else:
        op.drop_table("audit_log")
    for table in (
        "dispositions",
        "findings",
        "suppliers",
        "sightings",
        "assets",
        "runs",
        "sites",
        "store_locks",
    ):
        op.drop_table(table)
