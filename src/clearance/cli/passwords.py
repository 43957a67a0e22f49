"""Reading a new password on the command line: typed twice at a hidden prompt, or one line of
standard input (``--password-stdin``, for scripts); checked before anything is stored."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from clearance.auth.passwords import check_new_password
from clearance.errors import UsageError
from clearance.i18n import gettext as _

__all__ = ["PasswordStdinOpt", "read_new_password"]

PasswordStdinOpt = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from one line of standard input instead of a prompt.",
    ),
]


def read_new_password(from_stdin: bool) -> str:
    """A new password (at least 12 characters), from one line of stdin or typed twice."""
    if from_stdin:
        line = sys.stdin.readline()
        return check_new_password(line.rstrip("\r\n"))
    first = str(typer.prompt(_("Password"), hide_input=True))
    check_new_password(first)
    second = str(typer.prompt(_("Password again"), hide_input=True))
    if first != second:
        raise UsageError(_("the two passwords differ"))
    return first
