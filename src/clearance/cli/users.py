"""``clearance users``: the people who sign in to the server (add, list, disable, set-role,
passwd). Changes are recorded in the audit log as done by ``--user``."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from clearance.auth.roles import USER_ROLES
from clearance.auth.users import add_user, disable_user, list_users, set_password, set_role
from clearance.cli.context import state
from clearance.cli.output import N_, FormatOpt, emit
from clearance.cli.passwords import PasswordStdinOpt, read_new_password
from clearance.i18n import gettext as _
from clearance.i18n import ngettext

__all__ = ["app"]

app = typer.Typer(
    name="users",
    help="People who sign in to the server, with their roles (admin, editor, reviewer, viewer).",
    no_args_is_help=True,
)

USER_COLUMNS = [
    (N_("User"), lambda r: r["name"]),
    (N_("Role"), lambda r: r["role"]),
    (N_("Disabled"), lambda r: _("yes") if r["disabled"] else _("no")),
    (N_("Created"), lambda r: r["created_at"][:19]),
    (N_("Changed"), lambda r: r["updated_at"][:19]),
]

NameArg = Annotated[str, typer.Argument(help="The user's name, as they sign in.")]


class UserRole(StrEnum):
    """The roles of people (:data:`clearance.auth.roles.USER_ROLES`)."""

    ADMIN = "admin"
    EDITOR = "editor"
    REVIEWER = "reviewer"
    VIEWER = "viewer"


assert tuple(UserRole) == USER_ROLES

RoleOpt = Annotated[
    UserRole,
    typer.Option("--role", case_sensitive=False, help="admin, editor, reviewer or viewer."),
]


@app.command("add")
def add_command(
    ctx: typer.Context,
    name: NameArg,
    role: RoleOpt,
    password_stdin: PasswordStdinOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Add a user with a role; the password (at least 12 characters) is typed twice at a
    prompt, or read from one line of standard input with --password-stdin.

    Example:

        clearance --user alice users add bob --role reviewer
    """
    app_state = state(ctx)
    app_state.require_lasting_store()
    password = read_new_password(password_stdin)
    added = add_user(
        app_state.engine, name, role=str(role), password=password, user=app_state.settings.user
    )
    emit([added.to_json()], fmt, USER_COLUMNS, title=_("User added"))


@app.command("list")
def list_command(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """List every user with their role and whether they are disabled (never a password).

    Example:

        clearance users list --format json
    """
    rows = [u.to_json() for u in list_users(state(ctx).engine)]
    emit(
        rows,
        fmt,
        USER_COLUMNS,
        title=ngettext("{count} user", "{count} users", len(rows)).format(count=len(rows)),
    )


@app.command("disable")
def disable_command(ctx: typer.Context, name: NameArg, fmt: FormatOpt = None) -> None:
    """Disable a user: they can no longer sign in (the user is kept for the audit log).

    Example:

        clearance --user alice users disable bob
    """
    app_state = state(ctx)
    changed = disable_user(app_state.lasting_engine, name, user=app_state.settings.user)
    emit([changed.to_json()], fmt, USER_COLUMNS, title=_("User disabled"))


@app.command("set-role")
def set_role_command(
    ctx: typer.Context, name: NameArg, role: RoleOpt, fmt: FormatOpt = None
) -> None:
    """Give a user another role.

    Example:

        clearance --user alice users set-role bob --role editor
    """
    app_state = state(ctx)
    changed = set_role(app_state.lasting_engine, name, str(role), user=app_state.settings.user)
    emit([changed.to_json()], fmt, USER_COLUMNS, title=_("Role changed"))


@app.command("passwd")
def passwd_command(
    ctx: typer.Context, name: NameArg, password_stdin: PasswordStdinOpt = False
) -> None:
    """Give a user a new password (typed twice, or one line of stdin with --password-stdin).

    Example:

        clearance users passwd bob --password-stdin < new-password.txt
    """
    app_state = state(ctx)
    app_state.require_lasting_store()
    password = read_new_password(password_stdin)
    set_password(app_state.engine, name, password, user=app_state.settings.user)
    typer.echo(_("Password of {name} changed").format(name=name), err=True)
