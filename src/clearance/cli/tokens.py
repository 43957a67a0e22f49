"""``clearance tokens``: tokens for systems and site sensors (create, list, revoke). A new
token's secret is printed once, on standard output, and never stored."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from clearance.auth.api_tokens import create_token, list_tokens, parse_expiry, revoke_token
from clearance.auth.roles import TOKEN_ROLES
from clearance.cli.context import state
from clearance.cli.output import N_, FormatOpt, emit
from clearance.i18n import gettext as _
from clearance.i18n import ngettext

__all__ = ["app"]

app = typer.Typer(
    name="tokens",
    help="Tokens for systems and site sensors (roles sensor, read, write), sent as "
    "'Authorization: Bearer …' or 'Authorization: ApiKey …'.",
    no_args_is_help=True,
)


class TokenRole(StrEnum):
    """The roles of tokens (:data:`clearance.auth.roles.TOKEN_ROLES`)."""

    SENSOR = "sensor"
    READ = "read"
    WRITE = "write"


assert tuple(TokenRole) == TOKEN_ROLES


def _when(value: str | None) -> str:
    return value[:19] if value else ""


TOKEN_COLUMNS = [
    (N_("Id"), lambda r: r["id"]),
    (N_("Name"), lambda r: r["name"]),
    (N_("Role"), lambda r: r["role"]),
    (N_("Site"), lambda r: r["site"] or ""),
    (N_("Starts with"), lambda r: r["prefix"] + "…"),
    (N_("Created"), lambda r: _when(r["created_at"])),
    (N_("By"), lambda r: r["created_by"]),
    (N_("Expires"), lambda r: _when(r["expires_at"])),
    (N_("Revoked"), lambda r: _when(r["revoked_at"])),
    (N_("Last used"), lambda r: _when(r["last_used_at"])),
]


@app.command("create")
def create_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="What the token is for.")],
    role: Annotated[
        TokenRole, typer.Option("--role", case_sensitive=False, help="sensor, read or write.")
    ],
    expires: Annotated[
        str | None,
        typer.Option("--expires", help="90d (days from now) or a date, 2027-03-31; default never."),
    ] = None,
    site: Annotated[
        str | None, typer.Option("--site", help="The site a sensor token uploads for.")
    ] = None,
) -> None:
    """Create a token and print its secret on standard output, once: it cannot be shown
    again (the store keeps only its SHA-256 and first characters).

    Example:

        clearance tokens create --name "Ottawa sensor" --role sensor --site Ottawa --expires 90d
    """
    app_state = state(ctx)
    app_state.require_lasting_store()
    expires_at = parse_expiry(expires) if expires is not None else None
    token, secret = create_token(
        app_state.engine,
        name=name,
        role=str(role),
        user=app_state.settings.user,
        expires_at=expires_at,
        site=site,
    )
    typer.echo(secret)
    typer.echo(
        _("Token {id} created; copy it now, it is not shown again").format(id=token.id), err=True
    )


@app.command("list")
def list_command(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """List tokens: name, role, site, first characters, expiry, revocation, last use (never a
    secret).

    Example:

        clearance tokens list --format json
    """
    rows = [t.to_json() for t in list_tokens(state(ctx).engine)]
    emit(
        rows,
        fmt,
        TOKEN_COLUMNS,
        title=ngettext("{count} token", "{count} tokens", len(rows)).format(count=len(rows)),
    )


@app.command("revoke")
def revoke_command(
    ctx: typer.Context,
    token_id: Annotated[int, typer.Argument(metavar="ID", help="The token's id (tokens list).")],
    fmt: FormatOpt = None,
) -> None:
    """Revoke a token: requests carrying it are refused from now on.

    Example:

        clearance --user alice tokens revoke 3
    """
    app_state = state(ctx)
    revoked = revoke_token(app_state.lasting_engine, token_id, user=app_state.settings.user)
    emit([revoked.to_json()], fmt, TOKEN_COLUMNS, title=_("Token revoked"))
