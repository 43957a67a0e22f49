"""Migration 0008 on SQLite and PostgreSQL: a store at 0007 reaches head with the users and
api_tokens tables as schema.py declares them, keeps its data, and goes back down."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, event, select

from clearance.auth.api_tokens import authenticate, create_token
from clearance.auth.users import add_user, verify_password
from clearance.store import open_store
from clearance.store.db import _sqlite_pragmas, alembic_config, table_names
from clearance.store.profile import load_profile
from clearance.store.schema import metadata, organisation_profile

BEFORE = "0007_organisation_profile"
NEW = {"users", "api_tokens"}


def test_0008_up_and_down(db_url: str) -> None:
    engine = create_engine(db_url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    command.upgrade(alembic_config(engine), BEFORE)
    assert not NEW & set(table_names(engine))
    with engine.begin() as conn:
        conn.execute(
            organisation_profile.insert().values(
                id=1, name="Dept", also_bound=[], updated_at=datetime.now(UTC), user="alice"
            )
        )
    engine.dispose()

    upgraded = open_store(db_url)
    assert set(table_names(upgraded)) >= NEW
    with upgraded.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        assert conn.execute(select(organisation_profile.c.name)).scalar_one() == "Dept"
    profile = load_profile(upgraded)
    assert profile is not None
    add_user(upgraded, "bob", role="admin", password="correct horse battery", user="alice")
    _, secret = create_token(upgraded, name="t", role="read", user="alice")
    assert verify_password(upgraded, "bob", "correct horse battery") is not None
    assert authenticate(upgraded, f"Bearer {secret}") is not None

    command.downgrade(alembic_config(upgraded), BEFORE)
    assert not NEW & set(table_names(upgraded))
    upgraded.dispose()
