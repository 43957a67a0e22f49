"""``--map``, ``--source-name`` and ``--save-map`` for commands that read asset registers
(``identify``, ``audit``): which field each odd heading holds, remembered per source name
(see :mod:`clearance.store.column_maps`)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Annotated

import typer
from rich.console import Console

from clearance.cli.context import AppState
from clearance.cli.output import plain
from clearance.discovery.sources.register import FIELDS, format_column_map, parse_column_map
from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.store.column_maps import load_column_map, save_column_map

__all__ = ["ColumnMap", "MapOpt", "SaveMapOpt", "column_map"]

MapOpt = Annotated[
    str | None,
    typer.Option(
        "--map",
        help="Fields of register headings, HEADING=FIELD separated by commas "
        '("Make/Model=make_model,Local=location"); fields: ' + ", ".join(FIELDS) + ", ignore.",
    ),
]
SaveMapOpt = Annotated[
    bool,
    typer.Option(
        "--save-map",
        help="Save --map as the column map of --source-name for later runs.",
    ),
]


@dataclass(slots=True, frozen=True)
class ColumnMap:
    """The map a run reads registers with, and whether to save it once they were read."""

    mapping: dict[str, str]
    source_name: str | None = None
    save: bool = False

    def remember(self, app_state: AppState) -> None:
        """Save the map under the source name (after the files were read without error)."""
        if not self.save or self.source_name is None:
            return
        save_column_map(
            app_state.lasting_engine, self.source_name, self.mapping, user=app_state.settings.user
        )
        Console(stderr=True, file=sys.stderr).print(
            plain(
                _("saved column map of {source}: {mapping}").format(
                    source=repr(self.source_name), mapping=format_column_map(self.mapping)
                )
            ),
            highlight=False,
        )


def column_map(
    app_state: AppState, text: str | None, source_name: str | None, save: bool
) -> ColumnMap:
    """The map of this run: the one saved for ``source_name``, with ``--map`` entries over it.

    Raises :class:`UsageError` for a malformed ``--map`` and for ``--save-map`` without a
    source name or a map, or with an in-memory database.
    """
    given = parse_column_map(text)
    if save:
        if not source_name:
            raise UsageError(_("--save-map needs --source-name: the map is kept under that name"))
        if not given:
            raise UsageError(_("--save-map needs --map: there is no column map to save"))
        app_state.require_lasting_store()
    saved = load_column_map(app_state.engine, source_name) if source_name else None
    return ColumnMap({**(saved or {}), **given}, source_name, save)
