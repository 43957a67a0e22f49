"""``clearance lists``: the registry of restricted parties (status, show, export)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from clearance.basis import mark_json, profile_key
from clearance.cli.context import state
from clearance.cli.output import (
    N_,
    FormatOpt,
    OutputFormat,
    emit,
    in_lang,
    plain,
    resolve_format,
    to_json_text,
)
from clearance.explanations import decimal, relation_name, relation_statement
from clearance.i18n import format_number, ngettext
from clearance.i18n import gettext as _
from clearance.output_files import check_output_file, replacing_text
from clearance.registry.export import ExportFormat, write_export
from clearance.registry.views import entity_view

__all__ = ["app"]

app = typer.Typer(
    name="lists",
    help="The registry of restricted parties: which lists, which entities, which sources.",
    no_args_is_help=True,
)


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


@app.command("status")
def status(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """Show every list in the active registry with its entity count, date and source.

    Example:

        clearance lists status --format json
    """
    registry = state(ctx).registry
    counts = registry.list_counts()
    rows = [
        {**lst.to_json(), "entity_count": counts.get(lst.id, 0)}
        for lst in sorted(registry.lists.values(), key=lambda x: (x.jurisdiction, x.id))
    ]
    emit(
        rows,
        fmt,
        [
            (N_("List"), lambda r: r["id"]),
            (N_("Title"), lambda r: in_lang(r, "title")),
            (N_("Authority"), lambda r: in_lang(r, "authority")),
            (N_("Juris."), lambda r: r["jurisdiction"]),
            (N_("Entities"), lambda r: r["entity_count"]),
            (N_("As of"), lambda r: r["as_of"]),
            (N_("Source (host)"), lambda r: _host(r["source_url"])),
        ],
        title=_("Registry {version} — {entities}, {lists}").format(
            version=registry.version,
            entities=ngettext("{count} entity", "{count} entities", len(registry)).format(
                count=format_number(len(registry))
            ),
            lists=ngettext("{count} list", "{count} lists", len(rows)).format(count=len(rows)),
        ),
        document=lambda items: {
            "registry_version": registry.version,
            "entity_count": len(registry),
            "relation_count": len(registry.relations),
            "lists": items,
        },
    )


def _statement(relation: dict[str, Any]) -> str:
    """A relation's statement ("EZVIZ is brand of Hikvision") in the language in force."""
    return relation_statement(relation["statement"])


def _name_kind(kind: str) -> str:
    kinds = {
        "legal": _("legal name"),
        "alias": _("alias"),
        "brand": _("brand"),
        "former": _("former name"),
        "translated": _("translation"),
    }
    return kinds.get(kind, kind)


def _print_entity(console: Console, view: dict[str, Any]) -> None:
    console.rule(
        Text.assemble(
            plain(view["name"], "bold"),
            plain("  " + _("({kind}, id {id})").format(kind=view["kind"], id=view["id"])),
        )
    )
    if view["countries"] or view["identifiers"]:
        ids = ", ".join(f"{i['scheme']}: {i['value']}" for i in view["identifiers"])
        console.print(
            plain(
                _("Countries: {countries}   Identifiers: {identifiers}").format(
                    countries=", ".join(view["countries"]) or "-", identifiers=ids or "-"
                )
            )
        )
    if view["names"]:
        names = Table(
            _("Name"), _("Kind"), _("Script"), _("Source"), title=_("Names"), title_justify="left"
        )
        for n in view["names"]:
            names.add_row(
                *(
                    plain(v or "")
                    for v in (n["value"], _name_kind(n["kind"]), n["script"], n["source_url"])
                )
            )
        console.print(names)
    if view["listings"]:
        lst = Table(
            _("List"),
            _("Program"),
            _("Since"),
            _("Scope"),
            _("Citation"),
            _("Source"),
            title=_("Listings"),
            title_justify="left",
        )
        for x in view["listings"]:
            lst.add_row(
                *(
                    plain(in_lang(x, key) or "")
                    for key in ("list", "program", "start_date", "scope", "citation", "source_url")
                )
            )
        console.print(lst)
    if view["relations"]:
        rel = Table(
            _("Relation"), _("Certainty"), _("Source"), title=_("Relations"), title_justify="left"
        )
        for r in view["relations"]:
            rel.add_row(
                plain(_statement(r)),
                plain(decimal(r["certainty"])),
                plain(r["source_url"] or ""),
            )
        console.print(rel)
    for path in view["restricted_via"]:
        head, _sep, tail = _("Restricted via {relation} of {entity} ({details})").partition(
            "{entity}"
        )
        details = _("certainty {certainty}; lists: {lists}").format(
            certainty=decimal(path["certainty"]), lists=", ".join(path["lists"])
        )
        console.print(
            Text.assemble(
                plain(head.format(relation=relation_name(path["relation"]))),
                plain(path["entity"], "bold"),
                plain(tail.format(details=details)),
            )
        )
    hints = view.get("device_hints")
    if hints:
        console.print(plain(_("Device hints:")))
        labels = {
            "mac_registrants": _("MAC address registrants"),
            "snmp_enterprises": _("SNMP enterprise numbers"),
            "model_patterns": _("model patterns"),
            "brands": _("brands"),
        }
        for key, label in labels.items():
            if hints[key]:
                values = ", ".join(str(v) for v in hints[key])
                console.print(
                    plain("  " + _("{label}: {values}").format(label=label, values=values))
                )


@app.command("show")
def show(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Text that any of the entity's names contains.")],
    fmt: FormatOpt = None,
) -> None:
    """Show entities whose names contain QUERY, with names, listings, relations, device hints.

    Example:

        clearance lists show Hikvision --format json
    """
    app_state = state(ctx)
    registry = app_state.registry
    # with a profile, each entity's listings binding first (marked in JSON)
    views = [
        mark_json(entity_view(registry, e.id), app_state.profile) for e in registry.search(query)
    ]
    chosen = resolve_format(fmt)
    if chosen is OutputFormat.TABLE:
        console = Console()
        if not views:
            console.print(
                plain(
                    _("No entity in registry {version} has a name containing {query}.").format(
                        version=registry.version, query=repr(query)
                    )
                )
            )
        for view in views:
            _print_entity(console, view)
        return
    if chosen is OutputFormat.JSON:
        typer.echo(
            to_json_text(
                {
                    "query": query,
                    "registry_version": registry.version,
                    "entities": views,
                    **profile_key(app_state.profile),
                }
            )
        )
        return
    emit(
        views,
        chosen,
        [
            (N_("id"), lambda v: v["id"]),
            (N_("name"), lambda v: v["name"]),
            (N_("lists"), lambda v: sorted({x["list"] for x in v["listings"]})),
        ],
    )


@app.command("export")
def export(
    ctx: typer.Context,
    export_format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            help="ftm: FollowTheMoney entities as yente and Aleph load them; jsonl: "
            "Clearance's own entity records; csv: one row per entity and listing.",
        ),
    ] = ExportFormat.FTM,
    list_ids: Annotated[
        list[str] | None,
        typer.Option(
            "--list",
            help="Only entities with a listing on this list (an id from `lists status`); "
            "repeatable.",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write to this file (replaced whole) instead of stdout."),
    ] = None,
) -> None:
    """Export the registry (or the parties on some lists) as FollowTheMoney entities, JSON
    lines of Clearance's records, or CSV.

    Example:

        clearance lists export --format ftm --list ca-sema --out ca-sema.ftm.json
    """
    if out is not None:
        check_output_file(out, option="--out")
    registry = state(ctx).registry
    chosen = list_ids or []
    if out is None:
        summary = write_export(registry, export_format, sys.stdout, chosen)
        sys.stdout.flush()
    else:
        with replacing_text(out) as handle:
            summary = write_export(registry, export_format, handle, chosen)
    err = Console(stderr=True)
    said = (
        _("Exported {entities} entities ({records} records) of registry {version} to {out}.")
        if out is not None
        else _("Exported {entities} entities ({records} records) of registry {version}.")
    )
    err.print(
        plain(
            said.format(
                entities=summary.entities,
                records=summary.records,
                version=registry.version,
                out=out,
            )
        ),
        soft_wrap=True,
    )
    if summary.left_out:
        err.print(
            plain(
                _(
                    "Left out of ftm: {count} categories of equipment, which are not parties "
                    "({categories})."
                ).format(count=len(summary.left_out), categories=", ".join(summary.left_out))
            ),
            soft_wrap=True,
        )
