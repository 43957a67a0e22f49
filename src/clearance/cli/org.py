"""``clearance org``: the organisation's profile (set, show): who it is, where, in which
sector and language. Findings and screening results lead with the listings that bind it."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

import typer

from clearance.cli.context import state
from clearance.cli.output import N_, FormatOpt, emit
from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.profile import BOUND_PARTIES, SECTORS, OrganisationProfile
from clearance.profile_input import profile_from_input

#: Fields ``org set --clear`` removes, in the order of the options.
CLEARABLE = ("name", "jurisdiction", "sector", "lang", "also-bound")

__all__ = ["app"]

app = typer.Typer(
    name="org",
    help="The organisation's profile: jurisdiction, sector, language; what binds it first.",
    no_args_is_help=True,
)

_COLUMNS = [
    (N_("Field"), lambda r: r["field"]),
    (N_("Value"), lambda r: _(r["value"]) if r.get("message") else r["value"]),
]


def _rows(profile: OrganisationProfile | None) -> list[dict[str, Any]]:
    if profile is None:  # the value is a message: translated in a table, English in CSV
        return [
            {
                "field": "profile",
                "value": N_("none set (clearance org set --help)"),
                "message": True,
            }
        ]
    data = profile.to_json()
    return [{"field": key, "value": value} for key, value in data.items()]


def _show(profile: OrganisationProfile | None, fmt: Any, title: str) -> None:
    emit(
        _rows(profile),
        fmt,
        _COLUMNS,
        title=title,
        document=lambda _rows: {"profile": profile.to_json() if profile is not None else None},
    )


@app.command("set")
def set_command(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Option("--name", help="The organisation's name.")] = None,
    jurisdiction: Annotated[
        str | None,
        typer.Option("--jurisdiction", help="Where it is: ISO 3166-1 alpha-2 code (CA, US …)."),
    ] = None,
    sector: Annotated[
        str | None,
        typer.Option("--sector", help="Its sector: " + ", ".join(SECTORS) + "."),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Its default language: en or fr.")
    ] = None,
    also_bound: Annotated[
        list[str] | None,
        typer.Option(
            "--also-bound",
            help="A party it is bound as beyond its sector's (repeatable): "
            + ", ".join(BOUND_PARTIES)
            + ".",
        ),
    ] = None,
    clear: Annotated[
        list[str] | None,
        typer.Option(
            "--clear",
            help="Remove a stored field (repeatable): " + ", ".join(CLEARABLE) + ".",
        ),
    ] = None,
    fmt: FormatOpt = None,
) -> None:
    """Set the organisation's profile; options not given keep their stored values
    (--also-bound replaces the whole list; --clear FIELD removes one). The change is in the
    audit log. Every finding and screening result then lists first the measures that bind
    this organisation.

    Example:

        clearance org set --name "Shared Services Canada" --jurisdiction CA \
            --sector federal-government --lang fr

        clearance org set --also-bound us-federal-contractors --format json

        clearance org set --clear also-bound --clear lang
    """
    cleared = set(clear or ())
    unknown = sorted(cleared - set(CLEARABLE))
    if unknown:
        raise UsageError(
            _("--clear takes one of {fields}, not {value!r}").format(
                fields=", ".join(CLEARABLE), value=unknown[0]
            )
        )
    if all(v is None for v in (name, jurisdiction, sector, lang, also_bound)) and not cleared:
        raise UsageError(
            _(
                "give at least one of --name, --jurisdiction, --sector, --lang, --also-bound, "
                "--clear"
            )
        )
    both = sorted(
        f
        for f, v in zip(CLEARABLE, (name, jurisdiction, sector, lang, also_bound), strict=True)
        if f in cleared and v is not None
    )
    if both:
        raise UsageError(
            _("--clear {field} and a value for it in one command").format(field=both[0])
        )
    given = profile_from_input(
        name=name, jurisdiction=jurisdiction, sector=sector, lang=lang, also_bound=also_bound or ()
    )
    app_state = state(ctx)
    engine = app_state.lasting_engine
    from clearance.store.profile import load_profile, save_profile

    old = load_profile(engine) or OrganisationProfile()
    profile = OrganisationProfile(
        name=given.name if name is not None else old.name,
        jurisdiction=given.jurisdiction if jurisdiction is not None else old.jurisdiction,
        sector=given.sector if sector is not None else old.sector,
        lang=given.lang if lang is not None else old.lang,
        also_bound=given.also_bound if also_bound is not None else old.also_bound,
    )
    if cleared:
        profile = replace(
            profile,
            name=None if "name" in cleared else profile.name,
            jurisdiction=None if "jurisdiction" in cleared else profile.jurisdiction,
            sector=None if "sector" in cleared else profile.sector,
            lang=None if "lang" in cleared else profile.lang,
            also_bound=() if "also-bound" in cleared else profile.also_bound,
        )
    changed = save_profile(engine, profile, user=app_state.settings.user)
    app_state.use_profile(profile)
    _show(profile, fmt, _("Profile saved") if changed else _("Profile unchanged"))


@app.command("show")
def show_command(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """Show the organisation's profile and the parties it is bound as (from its sector in
    its jurisdiction, and --also-bound). JSON: {"profile": {...}} or {"profile": null}.

    Example:

        clearance org show --format json
    """
    _show(state(ctx).profile, fmt, _("Organisation profile"))
