"""Store tests run against SQLite and PostgreSQL.

PostgreSQL comes from ``CLEARANCE_TEST_PG_URL`` (scripts/ci-services.sh sets it in CI); when
it is unset the session starts a throwaway cluster with scripts/pg-throwaway.sh. When that is
impossible the PostgreSQL cases are skipped with the reason, except under CI=true, where
they fail: CI must test PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from clearance.store import open_store
from clearance.store.schema import metadata

ROOT = Path(__file__).resolve().parents[2]
PG_SCRIPT = ROOT / "scripts" / "pg-throwaway.sh"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required in CI: {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL of a PostgreSQL server's scratch database (see the module docstring)."""
    url = os.environ.get("CLEARANCE_TEST_PG_URL")
    if url:
        yield url
        return
    try:
        out = subprocess.run(
            ["bash", str(PG_SCRIPT), "start"],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        _unavailable(f"CLEARANCE_TEST_PG_URL is unset and {PG_SCRIPT.name} failed: {detail}")
        return
    cluster, url = out.stdout.split()
    try:
        yield url
    finally:
        subprocess.run(["bash", str(PG_SCRIPT), "stop", cluster], check=False, timeout=60)


@pytest.fixture(scope="session")
def pg_admin(pg_server: str) -> Iterator[Engine]:
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        _unavailable(f"cannot connect to {pg_server}: {exc}")
    yield admin
    admin.dispose()


def _fresh_pg_database(admin: Engine) -> str:
    name = f"t_{uuid.uuid4().hex[:16]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return name


def _drop_pg_database(admin: Engine, name: str) -> None:
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _pg_url(admin: Engine, name: str) -> str:
    return make_url(str(admin.url)).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, unmigrated database's URL: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    admin: Engine = request.getfixturevalue("pg_admin")
    name = _fresh_pg_database(admin)
    try:
        yield _pg_url(admin, name)
    finally:
        _drop_pg_database(admin, name)


@pytest.fixture(scope="session")
def pg_store(pg_admin: Engine) -> Iterator[Engine]:
    """One migrated PostgreSQL database for the session; tests empty it before use
    (creating and migrating a database per test costs about a second on a busy machine)."""
    name = _fresh_pg_database(pg_admin)
    eng = open_store(_pg_url(pg_admin, name))
    yield eng
    eng.dispose()
    _drop_pg_database(pg_admin, name)


def _empty(eng: Engine) -> None:
    """Empty every table except Alembic's and the lock rows; restart the id sequences.
    The audit log's append-only trigger is bypassed (replica role) for this test reset only."""
    keep = {"alembic_version", "store_locks"}
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables if t.name not in keep)
    with eng.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty store on each backend."""
    if request.param == "sqlite":
        eng = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
        yield eng
        eng.dispose()
        return
    shared: Engine = request.getfixturevalue("pg_store")
    _empty(shared)
    yield shared
