"""Registry imports: entity digests and list sets, name keys, strong identifiers, merges.

Revision ID: 0002_registry_import
Revises: 0001_registry
Create Date: 2026-11-28
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002_registry_import"
down_revision = "0001_registry"
branch_labels = None
depends_on = None

# Frozen copies of the key functions as they were when this migration was written.
_LEGAL = {"company": "co", "corporation": "corp", "limited": "ltd", "incorporated": "inc"}
_STRONG = {"uscc", "lei", "isin", "ofac_ent_num", "imo", "swift_bic", "duns", "opensanctions"}


def _name_key(value: str) -> str:
    text = unicodedata.normalize("NFKC", value).casefold().replace("&", " and ")
    return " ".join(_LEGAL.get(w, w) for w in re.sub(r"[^\w]+", " ", text).split())


def _fk() -> sa.ForeignKey:
    return sa.ForeignKey("registry_versions.id", ondelete="CASCADE")


def upgrade() -> None:
    with op.batch_alter_table("registry_entities") as batch:
        batch.add_column(sa.Column("digest", sa.String(64)))
        batch.add_column(sa.Column("lists", sa.Text))
    with op.batch_alter_table("registry_names") as batch:
        batch.add_column(sa.Column("key", sa.Text))
    op.create_index("ix_registry_names_version_key", "registry_names", ["version_id", "key"])
    op.create_table(
        "registry_identifiers",
        sa.Column("version_id", sa.Integer, _fk(), nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("key", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_registry_identifiers_version_key", "registry_identifiers", ["version_id", "key"]
    )
    op.create_table(
        "registry_merges",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("version_id", sa.Integer, _fk(), nullable=False),
        sa.Column("list_id", sa.String(100), nullable=False),
        sa.Column("record", sa.String(200), nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("rule", sa.String(20), nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_registry_merges"),
    )
    op.create_index(
        "ix_registry_merges_version_record", "registry_merges", ["version_id", "record"]
    )
    _backfill()


def _backfill() -> None:
    """Fill the new columns for versions stored before this migration."""
    conn = op.get_bind()
    ents = sa.table(
        "registry_entities",
        sa.column("version_id", sa.Integer),
        sa.column("entity_id", sa.String),
        sa.column("data", sa.JSON),
        sa.column("digest", sa.String),
        sa.column("lists", sa.Text),
    )
    names = sa.table(
        "registry_names",
        sa.column("version_id", sa.Integer),
        sa.column("name", sa.Text),
        sa.column("key", sa.Text),
    )
    idents = sa.table(
        "registry_identifiers",
        sa.column("version_id", sa.Integer),
        sa.column("entity_id", sa.String),
        sa.column("key", sa.Text),
    )
    rows: list[Any] = list(
        conn.execute(sa.select(ents.c.version_id, ents.c.entity_id, ents.c.data))
    )
    for vid, eid, data in rows:
        if isinstance(data, str):
            data = json.loads(data)
        blob = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        lists = sorted({x["list"] for x in data.get("listings") or ()})
        conn.execute(
            sa.update(ents)
            .where(ents.c.version_id == vid, ents.c.entity_id == eid)
            .values(
                digest=hashlib.sha256(blob).hexdigest(),
                lists="|" + "|".join(lists) + "|" if lists else "|",
            )
        )
        for ident in data.get("identifiers") or ():
            if ident["scheme"] in _STRONG:
                value = re.sub(r"\s+", "", str(ident["value"])).upper()
                conn.execute(
                    sa.insert(idents).values(
                        version_id=vid, entity_id=eid, key=f"{ident['scheme']}:{value}"
                    )
                )
    for vid, name in list(conn.execute(sa.select(names.c.version_id, names.c.name).distinct())):
        conn.execute(
            sa.update(names)
            .where(names.c.version_id == vid, names.c.name == name)
            .values(key=_name_key(name))
        )


def downgrade() -> None:
    op.drop_table("registry_merges")
    op.drop_table("registry_identifiers")
    op.drop_index("ix_registry_names_version_key", table_name="registry_names")
    with op.batch_alter_table("registry_names") as batch:
        batch.drop_column("key")
    with op.batch_alter_table("registry_entities") as batch:
        batch.drop_column("lists")
        batch.drop_column("digest")
