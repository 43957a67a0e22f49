"""Open the database named by a SQLAlchemy URL and bring it to the latest migration."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from clearance.errors import StoreError

__all__ = ["alembic_config", "open_store"]


def alembic_config(engine: Engine) -> Config:
    """An Alembic config that runs this package's migrations on ``engine``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("clearance.store") / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def open_store(url: str, *, migrate: bool = True) -> Engine:
    """Create an engine for ``url`` (creating a SQLite file's folder) and migrate it to head."""
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, future=True)
        if parsed.get_backend_name() == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        if migrate:
            command.upgrade(alembic_config(engine), "head")
    except (SQLAlchemyError, OSError, ValueError) as exc:
        raise StoreError(f"cannot open database {url}: {exc}") from exc
    return engine


def table_names(engine: Engine) -> list[str]:
    """Names of the tables that exist (for tests and diagnostics)."""
    return sorted(inspect(engine).get_table_names())
