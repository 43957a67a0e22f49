"""Text from data made safe to show on a terminal.

Names, file contents and database rows can hold control characters: an escape sequence
(ESC ``\\x1b``, or the 8-bit CSI ``\\x9b``) would reach the terminal raw and could move the
cursor, recolour, retitle the window or hide text; a carriage return could overwrite a line.
:func:`terminal_safe` shows each C0 control character (except tab and newline), DEL and each
C1 control character as its Python escape, ``\\x1b`` as the four characters ``\\x1b``: the
reader sees that the data holds it, and nothing is lost to the eye. JSON and CSV output keep
data exact; only text meant for the terminal goes through here.
"""

from __future__ import annotations

import re

__all__ = ["terminal_safe"]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def terminal_safe(text: str) -> str:
    """``text`` with C0 (but tab and newline), DEL and C1 control characters shown as
    ``\\xNN`` escapes."""
    return _CONTROL.sub(_escape, text)
