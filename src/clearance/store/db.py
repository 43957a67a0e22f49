"""Open the database named by a SQLAlchemy URL and bring it to the latest migration.

Failures a user can act on are recognised here and become one-line errors: a URL that is not
one or names an unsupported backend (:class:`UsageError`, exit 2); a file that is not a
database, a schema newer than this code, a missing table, a server that refuses the
connection (:class:`StoreError`, exit 3). Messages never show the URL's password.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.exc import SQLAlchemyError

from clearance.errors import StoreError, one_line
from clearance.i18n import gettext as _
from clearance.store.lock import exclusive_transaction
from clearance.store.schema import metadata
from clearance.store.urls import display_url, mask_passwords, parse_db_url

__all__ = ["alembic_config", "open_store", "table_names"]

#: The name of the exclusive transaction that creates or upgrades the schema.
MIGRATION_LOCK = "migrate"


def alembic_config(engine: Engine, connection: Connection | None = None) -> Config:
    """An Alembic config that runs this package's migrations on ``engine`` (inside
    ``connection``'s transaction when one is given)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("clearance.store") / "migrations"))
    cfg.attributes["engine"] = engine
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _current(conn: Connection) -> set[str]:
    return set(MigrationContext.configure(conn).get_current_heads())


def _revision_known(script: ScriptDirectory, rev: str) -> bool:
    try:
        return script.get_revision(rev) is not None
    except CommandError:
        return False


def _migrate(engine: Engine, shown: str) -> None:
    """Upgrade to head. Reads the revision first without a lock (the usual case: nothing to
    do); otherwise upgrades inside an exclusive transaction, so two processes starting on a
    new database do not both create the tables."""
    cfg = alembic_config(engine)
    script = ScriptDirectory.from_config(cfg)
    heads = set(script.get_heads())
    with engine.connect() as conn:
        current = _current(conn)
    if current == heads:
        return
    if not all(_revision_known(script, rev) for rev in current):
        raise StoreError(
            _(
                "database {shown} is at schema revision {current}, which this version of "
                "Clearance does not know: it was written by a newer Clearance (upgrade "
                "Clearance, or use another --db)"
            ).format(shown=shown, current=", ".join(sorted(current)))
        )
    with exclusive_transaction(engine, MIGRATION_LOCK) as conn:
        if _current(conn) != heads:  # another process may have upgraded while we waited
            command.upgrade(alembic_config(engine, conn), "head")


def _check_tables(engine: Engine, shown: str) -> None:
    missing = sorted(set(metadata.tables) - set(inspect(engine).get_table_names()))
    if missing:
        raise StoreError(
            _(
                "database {shown} is damaged: table {missing} is missing although its "
                "schema revision says it exists (restore a backup, or use another --db)"
            ).format(shown=shown, missing=", ".join(missing))
        )


def open_store(url: str, *, migrate: bool = True) -> Engine:
    """Create an engine for ``url`` (creating a SQLite file's folder), migrate it to head and
    check that every table exists.

    Raises :class:`~clearance.errors.UsageError` for a URL that cannot name a Clearance
    database and :class:`StoreError` for a database that cannot be opened or used.
    """
    parsed = parse_db_url(url)
    shown = display_url(parsed)
    try:
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        if parsed.get_backend_name() == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        if migrate:
            _migrate(engine, shown)
            _check_tables(engine, shown)
    except StoreError:
        raise
    except (SQLAlchemyError, CommandError, OSError, ValueError) as exc:
        raise StoreError(
            _("cannot open database {shown}: {reason}").format(
                shown=shown, reason=mask_passwords(one_line(exc))
            )
        ) from exc
    except ImportError as exc:  # the URL names a driver that is not installed
        raise StoreError(
            _("cannot open database {shown}: its driver is not installed ({exc})").format(
                shown=shown, exc=one_line(exc)
            )
        ) from exc
    return engine


def table_names(engine: Engine) -> list[str]:
    """Names of the tables that exist (for tests and diagnostics)."""
    return sorted(inspect(engine).get_table_names())
