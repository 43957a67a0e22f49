"""Clearance: find and remove an organisation's exposure to restricted vendors."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

__version__ = "0.1.0"

__all__ = ["__version__", "screen"]

if TYPE_CHECKING:
    from clearance.matching.screen import ScreeningResult
    from clearance.registry.registry import Registry
    from clearance.settings import Settings


def _seed() -> Registry:
    """The shipped seed registry, loaded once per process (it is read-only package data)."""
    global _SEED
    if _SEED is None:
        from clearance.registry import load_seed

        _SEED = load_seed()
    return _SEED


_SEED: Registry | None = None


@overload
def screen(  # type: ignore[overload-overlap]
    names: str,
    *,
    registry: Registry | None = ...,
    settings: Settings | None = ...,
    countries: Iterable[str] = ...,
    identifiers: Iterable[str] = ...,
) -> ScreeningResult: ...
@overload
def screen(
    names: Iterable[str] | None = ...,
    *,
    path: str | Path | None = ...,
    column: str | None = ...,
    registry: Registry | None = ...,
    settings: Settings | None = ...,
    countries: Iterable[str] = ...,
    identifiers: Iterable[str] = ...,
) -> list[ScreeningResult]: ...
def screen(
    names: str | Iterable[str] | None = None,
    *,
    path: str | Path | None = None,
    column: str | None = None,
    registry: Registry | None = None,
    settings: Settings | None = None,
    countries: Iterable[str] = (),
    identifiers: Iterable[str] = (),
) -> ScreeningResult | list[ScreeningResult]:
    """Screen names against the registry (the shipped seed unless ``registry`` is given).

    One name gives one result; many names, or a file (``path``: CSV/XLSX/JSON/JSONL, name
    column detected or given as ``column``), give a list in input order, each file row under
    ``record``.

    Example::

        >>> import clearance
        >>> clearance.screen("海康威视").status
        'match'
    """
    from clearance.matching.records import read_rows
    from clearance.matching.screen import Screener
    from clearance.settings import Settings

    settings = settings if settings is not None else Settings.from_env()
    screener = Screener(registry if registry is not None else _seed(), settings)
    country_list = list(countries)
    id_list = list(identifiers)
    if isinstance(names, str):
        return screener.screen(names, countries=country_list, identifiers=id_list)
    items: list[str | dict[str, Any]] = []
    if names is not None:
        items.extend({"name": n, "countries": country_list, "identifiers": id_list} for n in names)
    if path is not None:
        rows = read_rows(Path(path), column, max_bytes=settings.max_file_bytes)
        items.extend(
            {"name": row.name, "countries": country_list, "record": row.record} for row in rows
        )
    return list(screener.screen_many(items))
