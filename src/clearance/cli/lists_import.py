"""``clearance lists import|update|diff|history|merges``: official lists into the registry.

Registered on the ``lists`` group by :func:`register` (see ``cli/app.py``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from sqlalchemy import Engine

from clearance import __version__
from clearance.cli.context import state
from clearance.cli.output import FormatOpt, OutputFormat, emit, resolve_format
from clearance.errors import UsageError
from clearance.registry.importers import FORMATS, Limits, detect_format, get_format, read_list
from clearance.registry.importers.opensanctions import LICENCE
from clearance.registry.update import Download, download, file_sha256
from clearance.settings import Settings
from clearance.store.registry_diff import diff_versions, resolve_span
from clearance.store.registry_import import ImportResult, import_items, merge_decisions
from clearance.store.registry_store import active_version, ensure_registry, list_versions

__all__ = ["DEFAULT_UPDATE", "register"]

# Lists that `clearance lists update` fetches when none are named.
DEFAULT_UPDATE = ("csl-csv", "uflpa-html", "fcc-html", "ca-sema-xml")

_FORMAT_NAMES = ", ".join(["auto", *FORMATS])

OutputOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--output",
        "-o",
        help="Output format: table (default on a terminal), json, jsonl or csv.",
        case_sensitive=False,
    ),
]


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


def _run_import(
    engine: Engine, path: Path, fmt: str, limits: Limits, source: dict[str, Any]
) -> ImportResult:
    ensure_active(engine)
    items = read_list(path, fmt, limits)
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TextColumn("{task.completed:,} records"),
        TimeElapsedColumn(),
        console=_console(),
        transient=True,
    ) as progress:
        task = progress.add_task(f"importing {path.name}", total=None)
        return import_items(
            engine,
            items,
            note=f"{fmt} {path.name}",
            sources=[source],
            on_progress=lambda n: progress.update(task, completed=n),
        )


def import_list(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The list file (or OFAC CSV directory).")],
    list_format: Annotated[
        str,
        typer.Option("--format", "-F", help=f"The list's format: {_FORMAT_NAMES}."),
    ] = "auto",
    output: OutputOpt = None,
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

    Formats: csl-csv, csl-json, ofac-csv (directory or sdn.csv / CONS_PRIM.CSV), ofac-xml,
    ofac-advanced-xml, uflpa-html, fcc-html, ca-sema-xml, uk-csv, eu-fsf-xml, ftm-json,
    os-simple-csv. OpenSanctions data (ftm-json, os-simple-csv) is licensed CC BY-NC 4.0
    for non-commercial use.

    Example:

        clearance lists import consolidated.csv --format csl-csv --output json
    """
    st = state(ctx)
    fmt = detect_format(path) if list_format == "auto" else get_format(list_format)
    limits = Limits(max_bytes or st.settings.max_file_bytes)
    limits.check_size(path)
    source = {
        "list": fmt.name,
        "list_id": fmt.list_id,
        "path": str(path.resolve()),
        "sha256": file_sha256(path),
    }
    result = _run_import(st.engine, path, list_format, limits, source)
    if fmt.licence:
        _console().print(f"[yellow]note:[/yellow] {fmt.licence}", highlight=False)
    record = {**result.to_json(), "format": fmt.name, "source": source}
    if resolve_format(output) is OutputFormat.TABLE:
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
            output,
            [("Field", lambda r: r["field"]), ("Value", lambda r: r["value"])],
            title=f"Imported {path.name} as {result.version}",
        )
        return
    emit([record], output, _import_columns(), title="Import", document=lambda rows: rows[0])


def _advance(progress: Progress, task: TaskID) -> Callable[[int, int | None], None]:
    def step(done: int, total: int | None) -> None:
        progress.update(task, completed=done, total=total)

    return step


def _previous(engine: Engine, name: str, url: str) -> dict[str, Any]:
    for info in reversed(list_versions(engine)):
        for src in info.sources:
            if src.get("list") == name and src.get("url") == url:
                return src
    return {}


def _url(settings: Settings, name: str) -> str:
    fmt = get_format(name)
    url = settings.list_urls.get(name) or fmt.url
    if not url:
        raise UsageError(
            f"{name} has no download address; set CLEARANCE_LIST_URL_"
            f"{name.upper().replace('-', '_')} or use `clearance lists import`"
        )
    return url


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
    """Download official lists and swap each in as a new registry version.

    Every download has a timeout, a size limit and a conditional request (ETag /
    Last-Modified from the last update: an unchanged list is skipped), and must arrive whole.
    All downloads finish before anything is imported; if one fails (offline, HTTP error,
    truncated body) the command exits 3 and nothing changes. Each version records the
    source URL, sha256 and retrieval time. Addresses can be overridden with
    CLEARANCE_LIST_URL_<FORMAT> (e.g. a mirror). OpenSanctions data (ftm-json,
    os-simple-csv) is licensed CC BY-NC 4.0 for non-commercial use.

    Example:

        clearance lists update csl-csv uflpa-html --format json
    """
    st = state(ctx)
    settings = st.settings
    names = list(lists or DEFAULT_UPDATE)
    urls = {name: _url(settings, name) for name in names}
    engine = st.engine
    ensure_active(engine)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="clearance-update-") as tmp:
        fetched: list[tuple[str, Download]] = []
        with (
            httpx.Client(
                timeout=httpx.Timeout(settings.download_timeout),
                follow_redirects=True,
                headers={"User-Agent": f"clearance/{__version__}"},
            ) as client,
            Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TransferSpeedColumn(),
                console=_console(),
                transient=True,
            ) as progress,
        ):
            for name in names:
                url = urls[name]
                prev = _previous(engine, name, url)
                task = progress.add_task(f"downloading {name}", total=None)
                got = download(
                    client,
                    url,
                    Path(tmp) / f"{name}.download",
                    etag=prev.get("etag"),
                    last_modified=prev.get("last_modified"),
                    max_bytes=settings.download_max_bytes,
                    progress=_advance(progress, task),
                )
                fetched.append((name, got))
        for name, got in fetched:
            if got.path is None:
                rows.append(
                    {
                        "version": "-",
                        "lists": [get_format(name).list_id],
                        "records": 0,
                        "created": 0,
                        "merged": 0,
                        "added": 0,
                        "removed": 0,
                        "relations": 0,
                        "entity_count": 0,
                        "status": "not modified",
                        "format": name,
                        "url": got.url,
                    }
                )
                continue
            source = got.source(name, get_format(name).list_id)
            result = _run_import(
                engine, got.path, name, Limits(settings.download_max_bytes), source
            )
            rows.append(
                {**result.to_json(), "status": "imported", "format": name, "source": source}
            )
    if any(get_format(n).licence for n in names):
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
