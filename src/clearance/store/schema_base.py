"""The metadata every table of the store belongs to, with the naming convention of its
constraints and indexes (:mod:`clearance.store.schema` and :mod:`clearance.store.schema_web`
declare the tables on it)."""

from __future__ import annotations

from sqlalchemy import MetaData

__all__ = ["metadata"]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
