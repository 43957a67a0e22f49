"""Finding history: an append-only note history per finding, attached files by SHA-256,
the status a ``not_seen`` finding had, and the source name of a run.

Existing notes move into the history. The audit log kept every note a finding ever had
(``before``/``after``), including people's notes that automation overwrote ("still absent at
run 13"): each becomes a history entry with its author and time, marked ``system`` when a run
wrote it, and ``findings.note`` becomes the latest note a person wrote. A finding that a run
marked removed (or then verified) without anybody claiming its removal becomes ``not_seen``,
with a system entry saying why.

Revision ID: 0005_finding_history
Revises: 0004_algorithm
Create Date: 2026-12-02
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005_finding_history"
down_revision = "0004_algorithm"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)
# Notes that automation wrote before this migration.
_SYSTEM_TEXT = re.compile(
    r"^(not seen by run \d+|still absent at run \d+|reopened: .*|exception expired on .*"
    r"|no longer a hit when screened again|no longer restricted after a registry change)$"
)
_OPEN_STATES = ("open", "replacement_planned", "exception_granted")

_SQLITE_TRIGGERS = [
    """CREATE TRIGGER finding_notes_no_update BEFORE UPDATE ON finding_notes
       BEGIN SELECT RAISE(ABORT, 'finding_notes is append-only'); END""",
    """CREATE TRIGGER finding_notes_no_delete BEFORE DELETE ON finding_notes
       BEGIN SELECT RAISE(ABORT, 'finding_notes is append-only'); END""",
]
_PG_TRIGGERS = [
    """CREATE FUNCTION finding_notes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'finding_notes is append-only'; END $$""",
    """CREATE TRIGGER finding_notes_no_change BEFORE UPDATE OR DELETE ON finding_notes
       FOR EACH ROW EXECUTE FUNCTION finding_notes_append_only()""",
    """CREATE TRIGGER finding_notes_no_truncate BEFORE TRUNCATE ON finding_notes
       FOR EACH STATEMENT EXECUTE FUNCTION finding_notes_append_only()""",
]


def _json(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        value = json.loads(value)
    return value if isinstance(value, dict) else {}


def _create() -> None:
    with op.batch_alter_table("findings") as batch:
        batch.add_column(sa.Column("previous_status", sa.String(30)))
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("source_name", sa.String(200)))
    op.create_table(
        "finding_notes",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("finding_id", sa.Integer, nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("text", sa.Text),
        sa.Column("status_from", sa.String(30)),
        sa.Column("status_to", sa.String(30)),
        sa.Column("run_id", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_finding_notes"),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name="fk_finding_notes_finding_id_findings"
        ),
    )
    op.create_index("ix_finding_notes_finding_id", "finding_notes", ["finding_id"])
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_blobs"),
    )
    op.create_table(
        "finding_attachments",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("finding_id", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("media_type", sa.String(100)),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_finding_attachments"),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name="fk_finding_attachments_finding_id_findings"
        ),
        sa.ForeignKeyConstraint(
            ["sha256"], ["blobs.sha256"], name="fk_finding_attachments_sha256_blobs"
        ),
    )
    op.create_index("ix_finding_attachments_finding_id", "finding_attachments", ["finding_id"])


def upgrade() -> None:
    _create()
    conn = op.get_bind()
    findings = sa.table(
        "findings",
        sa.column("id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("note", sa.Text),
        sa.column("updated_at", _TS),
        sa.column("removed_at", _TS),
        sa.column("verified_at", _TS),
        sa.column("previous_status", sa.String),
    )
    audit = sa.table(
        "audit_log",
        sa.column("id", sa.Integer),
        sa.column("at", _TS),
        sa.column("user", sa.String),
        sa.column("action", sa.String),
        sa.column("object_type", sa.String),
        sa.column("object_id", sa.String),
        sa.column("run_id", sa.Integer),
        sa.column("before", sa.JSON),
        sa.column("after", sa.JSON),
    )
    notes = sa.table(
        "finding_notes",
        sa.column("finding_id", sa.Integer),
        sa.column("at", _TS),
        sa.column("author", sa.String),
        sa.column("kind", sa.String),
        sa.column("text", sa.Text),
        sa.column("status_from", sa.String),
        sa.column("status_to", sa.String),
        sa.column("run_id", sa.Integer),
    )
    entries: dict[int, list[dict[str, Any]]] = {}
    last_removal: dict[int, Any] = {}
    rows = conn.execute(
        sa.select(audit).where(audit.c.object_type == "finding").order_by(audit.c.id)
    ).all()
    for row in rows:
        if not row.object_id.isdigit():
            continue
        finding_id = int(row.object_id)
        before, after = _json(row.before), _json(row.after)
        if after.get("status") == "removed" and before.get("status") != "removed":
            last_removal[finding_id] = row
        text = after.get("note")
        if not text or text == before.get("note"):
            continue
        system = row.run_id is not None or bool(_SYSTEM_TEXT.match(str(text)))
        entries.setdefault(finding_id, []).append(
            {
                "finding_id": finding_id,
                "at": row.at,
                "author": row.user,
                "kind": "system" if system else "note",
                "text": str(text),
                "status_from": before.get("status"),
                "status_to": after.get("status"),
                "run_id": row.run_id,
            }
        )
    now = datetime.now(UTC)
    for finding in conn.execute(sa.select(findings).order_by(findings.c.id)).all():
        history = entries.get(finding.id, [])
        if finding.note and not any(e["text"] == finding.note for e in history):
            system = bool(_SYSTEM_TEXT.match(finding.note))
            history.append(
                {
                    "finding_id": finding.id,
                    "at": finding.updated_at,
                    "author": "unknown",
                    "kind": "system" if system else "note",
                    "text": finding.note,
                    "status_from": None,
                    "status_to": None,
                    "run_id": None,
                }
            )
        values: dict[str, Any] = {}
        removal = last_removal.get(finding.id)
        if finding.status in ("removed", "verified") and removal is not None and removal.run_id:
            previous = _json(removal.before).get("status")
            previous = previous if previous in _OPEN_STATES else "open"
            text = (
                f"{finding.status} by run {removal.run_id} without a person's removal claim; "
                "not_seen until a person confirms the removal or explains (migration 0005)"
            )
            values = {
                "status": "not_seen",
                "previous_status": previous,
                "removed_at": None,
                "verified_at": None,
            }
            history.append(
                {
                    "finding_id": finding.id,
                    "at": now,
                    "author": "migration",
                    "kind": "system",
                    "text": text,
                    "status_from": finding.status,
                    "status_to": "not_seen",
                    "run_id": None,
                }
            )
            conn.execute(
                sa.insert(audit).values(
                    at=now,
                    user="migration",
                    action="finding.not_seen",
                    object_type="finding",
                    object_id=str(finding.id),
                    before={"status": finding.status},
                    after={"status": "not_seen", "note": text},
                )
            )
        people = [e["text"] for e in history if e["kind"] == "note"]
        values["note"] = people[-1] if people else None
        conn.execute(sa.update(findings).where(findings.c.id == finding.id).values(**values))
        if history:
            conn.execute(sa.insert(notes), history)
    dialect = conn.dialect.name
    for statement in _PG_TRIGGERS if dialect == "postgresql" else _SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("finding_attachments")
    op.drop_table("blobs")
    op.drop_table("finding_notes")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION finding_notes_append_only()")
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("source_name")
    with op.batch_alter_table("findings") as batch:
        batch.drop_column("previous_status")
