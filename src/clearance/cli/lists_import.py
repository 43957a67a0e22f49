"""``clearance lists import|update|diff|history|merges``: official lists into the registry.

Registered on the ``lists`` group by :func:`register` (see ``cli/app.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.text import Text
from sqlalchemy import Engine

from clearance.cli.context import state
from clearance.cli.output import (
    N_,
    FormatOpt,
    OutputFormat,
    emit,
    markup_safe,
    plain,
    resolve_format,
)
from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.registry.importers import FORMATS, Limits
from clearance.registry.importers.opensanctions import LICENCE
from clearance.registry.update import DEFAULT_UPDATE, import_list_file, update_lists
from clearance.store.registry_diff import diff_versions, resolve_span
from clearance.store.registry_import import merge_decisions
from clearance.store.registry_store import active_version, ensure_registry, list_versions

__all__ = ["DEFAULT_UPDATE", "register"]

_FORMAT_NAMES = ", ".join(["auto", *FORMATS])


def ensure_active(engine: Engine) -> None:
    """Store the shipped seed when the store holds no version yet (without loading the
    active registry, which may be large)."""
    if active_version(engine) is None:
        ensure_registry(engine)


def _console() -> Console:
    return Console(stderr=True)


def _note(text: str) -> None:
    """``note: text`` on stderr (the label in yellow; the text shown as written)."""
    _console().print(Text.assemble((_("note:"), "yellow"), " ", plain(text)), highlight=False)


def _import_columns() -> list[tuple[str, Any]]:
    return [
        (N_("Version"), lambda r: r["version"]),
        (N_("Lists"), lambda r: r["lists"]),
        (N_("Records"), lambda r: r["records"]),
        (N_("Created"), lambda r: r["created"]),
        (N_("Merged"), lambda r: r["merged"]),
        (N_("Added"), lambda r: r["added"]),
        (N_("Removed"), lambda r: r["removed"]),
        (N_("Relations"), lambda r: r["relations"]),
        (N_("Entities"), lambda r: r["entity_count"]),
        (N_("Status"), lambda r: r.get("status", "imported")),
    ]


def _records_progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TextColumn(markup_safe(_("{count} records")).replace("{count}", "{task.completed:,}")),
        TimeElapsedColumn(),
        console=_console(),
        transient=True,
    )


def import_list(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The list file (or OFAC CSV directory).")],
    list_format: Annotated[
        str,
        typer.Option("--list-format", help=f"The list file's format: {_FORMAT_NAMES}."),
    ] = "auto",
    fmt: FormatOpt = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", help="Refuse larger files (0: the configured limit).")
    ] = 0,
) -> None:
    """Import an official list file into a new registry version (works air-gapped).

    The new version is the active registry with this list's previous entries replaced; the
    same party from several lists becomes one entity (strong identifiers first, exact
    normalised names second) and every merge decision is recorded (`clearance lists merges`).
    A malformed, truncated, mis-encoded or hostile file fails with exit 2, naming the file,
    line or record and field, and the active registry stays as it was.

    List formats (--list-format): csl-csv, csl-json, ofac-csv (directory or sdn.csv /
    CONS_PRIM.CSV), ofac-xml, ofac-advanced-xml, uflpa-html, fcc-html, ca-sema-xml, uk-csv,
    eu-fsf-xml, ftm-json, os-simple-csv. OpenSanctions data (ftm-json, os-simple-csv) is
    licensed CC BY-NC 4.0 for non-commercial use. --format chooses the output.

    Example:

        clearance lists import consolidated.csv --list-format csl-csv --format json
    """
    st = state(ctx)
    limits = Limits(max_bytes or st.settings.max_file_bytes)
    with _records_progress() as progress:
        task = progress.add_task(
            _("importing {name}").format(name=markup_safe(path.name)), total=None
        )
        done = import_list_file(
            st.lasting_engine,
            path,
            list_format,
            limits=limits,
            on_progress=lambda n: progress.update(task, completed=n),
        )
    result, source = done.result, done.source
    if done.format.licence:
        _note(done.format.licence)
    record = {**result.to_json(), "format": done.format.name, "source": source}
    if resolve_format(fmt) is OutputFormat.TABLE:
        fields = [
            {"field": _(name), "value": get(record)}
            for name, get in [*_import_columns()[:-1], (N_("Format"), lambda r: r["format"])]
        ]
        fields.append({"field": "sha256", "value": source["sha256"]})
        fields += [
            {
                "field": _("Merge ({rule})").format(rule=m["rule"]),
                "value": f"{m['record']} -> {m['entity_id']} ({m['key']})",
            }
            for m in result.merges[:5]
        ]
        emit(
            fields,
            fmt,
            [(N_("Field"), lambda r: r["field"]), (N_("Value"), lambda r: r["value"])],
            title=_("Imported {name} as {version}").format(name=path.name, version=result.version),
        )
        return
    emit([record], fmt, _import_columns(), title=_("Import"), document=lambda rows: rows[0])


def update(
    ctx: typer.Context,
    lists: Annotated[
        list[str] | None,
        typer.Argument(
            help=f"Formats to fetch (default: {', '.join(DEFAULT_UPDATE)}).", show_default=False
        ),
    ] = None,
    fmt: FormatOpt = None,
) -> None:
    """Download official lists and swap them in, all or none, each as a new registry version.

    Every download has a total time limit, a size limit and a conditional request (ETag /
    Last-Modified from the last update: an unchanged list is skipped), and must arrive whole.
    All downloads finish and are checked before anything is imported, and all lists are
    swapped in in one transaction: if one fails (offline, HTTP error, truncated body: exit 3;
    a malformed list: exit 2, naming the list and its URL) nothing changes. Each version
    records the source URL, sha256 and retrieval time. Addresses can be overridden with
    CLEARANCE_LIST_URL_<FORMAT> (e.g. a mirror). OpenSanctions data (ftm-json,
    os-simple-csv) is licensed CC BY-NC 4.0 for non-commercial use.

    Example:

        clearance lists update csl-csv uflpa-html --format json
    """
    st = state(ctx)
    settings = st.settings
    names = list(lists or DEFAULT_UPDATE)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=_console(),
        transient=True,
    ) as progress:

        def on_download(name: str) -> Callable[[int, int | None], None]:
            task = progress.add_task(_("downloading {name}").format(name=name), total=None)
            return lambda done, total: progress.update(task, completed=done, total=total)

        def on_import(name: str) -> Callable[[int], None]:
            task = progress.add_task(_("importing {name}").format(name=name), total=None)
            return lambda n: progress.update(task, completed=n)

        outcomes = update_lists(
            st.lasting_engine,
            names,
            urls=settings.list_urls,
            deadline=settings.download_timeout,
            max_bytes=settings.download_max_bytes,
            on_download=on_download,
            on_import=on_import,
        )
    rows: list[dict[str, Any]] = []
    for got in outcomes:
        if got.result is None:
            rows.append(
                {
                    "version": "-",
                    "lists": [FORMATS[got.name].list_id],
                    "records": 0,
                    "created": 0,
                    "merged": 0,
                    "added": 0,
                    "removed": 0,
                    "relations": 0,
                    "entity_count": 0,
                    "status": got.status,
                    "format": got.name,
                    "url": got.url,
                }
            )
            continue
        rows.append(
            {**got.result.to_json(), "status": got.status, "format": got.name, "source": got.source}
        )
    if any(FORMATS[n].licence for n in names):
        _note(LICENCE)
    emit(rows, fmt, _import_columns(), title=_("Update"))


def diff(
    ctx: typer.Context,
    old: Annotated[
        str | None, typer.Argument(help="Older version (default: the one before NEW).")
    ] = None,
    new: Annotated[
        str | None, typer.Argument(help="Newer version (default: the active one).")
    ] = None,
    fmt: FormatOpt = None,
) -> None:
    """Show entities added, removed and changed between two registry versions, with the
    names and lists each gained or lost.

    Example:

        clearance lists diff --format json
    """
    engine = state(ctx).engine
    span = resolve_span(engine, old, new)
    records = diff_versions(engine, span)
    counts: dict[str, int] = {"added": 0, "removed": 0, "changed": 0}

    def counted() -> Any:
        for rec in records:
            counts[rec["change"]] += 1
            yield rec

    emit(
        counted(),
        fmt,
        [
            (N_("Change"), lambda r: r["change"]),
            (N_("Entity"), lambda r: r["entity_id"]),
            (N_("Name"), lambda r: r["name"]),
            (N_("Names +"), lambda r: r["names_added"]),
            (N_("Names -"), lambda r: r["names_removed"]),
            (N_("Lists +"), lambda r: r["lists_added"]),
            (N_("Lists -"), lambda r: r["lists_removed"]),
        ],
        title=_("Registry {old} -> {new}").format(old=span.old.version, new=span.new.version),
        document=lambda rows: {
            "old": span.old.version,
            "new": span.new.version,
            "summary": dict(counts),
            "changes": rows,
        },
    )


def history(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """List the stored registry versions, newest first, with their sources.

    Example:

        clearance lists history --format json
    """
    engine = state(ctx).engine
    ensure_active(engine)
    versions = list_versions(engine)
    emit(
        [v.to_json() for v in reversed(versions)],
        fmt,
        [
            (N_("Version"), lambda r: r["version"]),
            (N_("Created"), lambda r: r["created_at"]),
            (N_("Active"), lambda r: _("yes") if r["active"] else ""),
            (N_("Entities"), lambda r: r["entity_count"]),
            (N_("Note"), lambda r: r["note"]),
            (N_("Sources"), lambda r: [s.get("url") or s.get("path") for s in r["sources"]]),
        ],
        title=_("Registry versions"),
    )


def merges(
    ctx: typer.Context,
    version: Annotated[
        str | None, typer.Argument(help="Version (default: the active one).")
    ] = None,
    fmt: FormatOpt = None,
) -> None:
    """Show the merge decisions of an import: which incoming record joined which entity,
    by which rule (id, identifier or name) and key.

    Example:

        clearance lists merges --format json
    """
    engine = state(ctx).engine
    if version is None:
        active = active_version(engine)
        if active is None:
            raise UsageError(_("the store holds no registry version yet"))
        version = active.version
    emit(
        merge_decisions(engine, version),
        fmt,
        [
            (N_("List"), lambda r: r["list"]),
            (N_("Record"), lambda r: r["record"]),
            (N_("Entity"), lambda r: r["entity_id"]),
            (N_("Rule"), lambda r: r["rule"]),
            (N_("Key"), lambda r: r["key"]),
        ],
        title=_("Merge decisions of {version}").format(version=version),
    )


def register(app: typer.Typer) -> None:
    """Add these commands to the ``lists`` group."""
    app.command("import")(import_list)
    app.command("update")(update)
    app.command("diff")(diff)
    app.command("history")(history)
    app.command("merges")(merges)
