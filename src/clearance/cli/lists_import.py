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
from sqlalchemy import Engine

from clearance.cli.context import state
from clearance.cli.output import FormatOpt, OutputFormat, emit, markup_safe, resolve_format
from clearance.errors import UsageError
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


def _import_columns() -> list[tuple[str, Any]]:
    return [
        ("Version", lambda r: r["version"]),
        ("Lists", lambda r: r["lists"]),
        ("Records", lambda r: r["records"]),
        ("Created", lambda r: r["created"]),
        ("Merged", lambda r: r["merged"]),
        ("Added", lambda r: r["added"]),
        ("Removed", lambda r: r["removed"]),
        ("Relations", lambda r: r["relations"]),
        ("Entities", lambda r: r["entity_count"]),
        ("Status", lambda r: r.get("status", "imported")),
    ]


def _records_progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TextColumn("{task.completed:,} records"),
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
        task = progress.add_task(f"importing {markup_safe(path.name)}", total=None)
        done = import_list_file(
            st.lasting_engine,
            path,
            list_format,
            limits=limits,
            on_progress=lambda n: progress.update(task, completed=n),
        )
    result, source = done.result, done.source
    if done.format.licence:
        _console().print(f"[yellow]note:[/yellow] {done.format.licence}", highlight=False)
    record = {**result.to_json(), "format": done.format.name, "source": source}
    if resolve_format(fmt) is OutputFormat.TABLE:
        fields = [
            {"field": name, "value": get(record)}
            for name, get in [*_import_columns()[:-1], ("Format", lambda r: r["format"])]
        ]
        fields.append({"field": "sha256", "value": source["sha256"]})
        fields += [
            {
                "field": f"Merge ({m['rule']})",
                "value": f"{m['record']} -> {m['entity_id']} ({m['key']})",
            }
            for m in result.merges[:5]
        ]
        emit(
            fields,
            fmt,
            [("Field", lambda r: r["field"]), ("Value", lambda r: r["value"])],
            title=f"Imported {path.name} as {result.version}",
        )
        return
    emit([record], fmt, _import_columns(), title="Import", document=lambda rows: rows[0])


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
            task = progress.add_task(f"downloading {name}", total=None)
            return lambda done, total: progress.update(task, completed=done, total=total)

        def on_import(name: str) -> Callable[[int], None]:
            task = progress.add_task(f"importing {name}", total=None)
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
        _console().print(f"[yellow]note:[/yellow] {LICENCE}", highlight=False)
    emit(rows, fmt, _import_columns(), title="Update")


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
            ("Change", lambda r: r["change"]),
            ("Entity", lambda r: r["entity_id"]),
            ("Name", lambda r: r["name"]),
            ("Names +", lambda r: r["names_added"]),
            ("Names -", lambda r: r["names_removed"]),
            ("Lists +", lambda r: r["lists_added"]),
            ("Lists -", lambda r: r["lists_removed"]),
        ],
        title=f"Registry {span.old.version} -> {span.new.version}",
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
            ("Version", lambda r: r["version"]),
            ("Created", lambda r: r["created_at"]),
            ("Active", lambda r: "yes" if r["active"] else ""),
            ("Entities", lambda r: r["entity_count"]),
            ("Note", lambda r: r["note"]),
            ("Sources", lambda r: [s.get("url") or s.get("path") for s in r["sources"]]),
        ],
        title="Registry versions",
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
        version = next((v.version for v in list_versions(engine) if v.active), None)
        if version is None:
            raise UsageError("the store holds no registry version yet")
    emit(
        merge_decisions(engine, version),
        fmt,
        [
            ("List", lambda r: r["list"]),
            ("Record", lambda r: r["record"]),
            ("Entity", lambda r: r["entity_id"]),
            ("Rule", lambda r: r["rule"]),
            ("Key", lambda r: r["key"]),
        ],
        title=f"Merge decisions of {version}",
    )


def register(app: typer.Typer) -> None:
    """Add these commands to the ``lists`` group."""
    app.command("import")(import_list)
    app.command("update")(update)
    app.command("diff")(diff)
    app.command("history")(history)
    app.command("merges")(merges)
