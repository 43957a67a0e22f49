"""Errors raised by Clearance.

Every error derives from one base class, so callers can catch :class:`ClearanceError`
and map it to an exit code (``exit_code``) or an HTTP status (``http_status``, which the
server's one handler answers with) in one place::

    ClearanceError                  exit 3 unless a subclass says otherwise; HTTP 500
    ├── InputError                  exit 2, HTTP 422: bad input; names the file, line and field
    │   ├── SchemaError             a data or seed file does not match its JSON Schema
    │   ├── FormatError             a file is not in the format given or detected
    │   └── LimitError              HTTP 413: larger than the configured size or row limit
    ├── UsageError                  exit 2, HTTP 422: conflicting options, a refused change
    │   ├── ScopeError              a probe target lies outside the user's named scope
    │   └── NotFound                HTTP 404: no finding, attachment … of that id
    ├── RegistryError               exit 3, HTTP 503: the registry cannot be loaded or swapped
    ├── StoreError                  exit 3, HTTP 503: the database cannot be opened or written
    ├── PermissionDenied            exit 3, HTTP 403: a role may not do an action
    ├── ConflictError               exit 3, HTTP 409: an idempotency key reused for another
    │                               payload
    └── OperationalError            exit 3, HTTP 502: a network or system operation failed
        ├── DownloadError           an official list could not be downloaded or verified
        └── UploadRefused           a server refused a sensor's upload (HTTP 4xx)
"""

from __future__ import annotations

from clearance.i18n import gettext as _

__all__ = [
    "ClearanceError",
    "ConflictError",
    "DownloadError",
    "FormatError",
    "InputError",
    "LimitError",
    "NotFound",
    "OperationalError",
    "PermissionDenied",
    "RegistryError",
    "SchemaError",
    "ScopeError",
    "StoreError",
    "UploadRefused",
    "UsageError",
    "one_line",
]


class ClearanceError(Exception):
    """Base class of every error Clearance raises on purpose."""

    exit_code: int = 3
    http_status: int = 500


class InputError(ClearanceError):
    """Input that cannot be used: the message names the file, the line or record, and the field
    (in the language in force when it is raised, as is ``message``)."""

    exit_code = 2
    http_status = 422

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        record: str | None = None,
        field: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.record = record
        self.field = field
        self.reason = message
        super().__init__(self._render())

    def _render(self) -> str:
        where: list[str] = []
        if self.path is not None:
            where.append(str(self.path))
        if self.line is not None:
            where.append(_("line {line}").format(line=self.line))
        if self.record is not None:
            where.append(_("record {record}").format(record=self.record))
        if self.field is not None:
            where.append(_("field {field}").format(field=repr(self.field)))
        if not where:
            return self.reason
        return _("{where}: {reason}").format(where=", ".join(where), reason=self.reason)


class SchemaError(InputError):
    """A data or seed file does not match its JSON Schema."""


class FormatError(InputError):
    """A file is not in the format that was given or detected."""


class LimitError(InputError):
    """A file exceeds the configured size or row limit."""

    http_status = 413


class UsageError(ClearanceError):
    """A command was called with options that cannot work together, or asked for a change
    the data refuses (a lifecycle transition that is not allowed …)."""

    exit_code = 2
    http_status = 422


class ScopeError(UsageError):
    """A target lies outside the scope the user named (or is public without --allow-public)."""


class NotFound(UsageError):
    """What a command or request names (a finding, an attachment …) does not exist."""

    http_status = 404


class RegistryError(ClearanceError):
    """The registry cannot be loaded, saved or swapped."""

    http_status = 503


class StoreError(ClearanceError):
    """The database cannot be opened, migrated or written."""

    http_status = 503


class PermissionDenied(ClearanceError):
    """A user or token whose role may not do an action asked to do it (HTTP 403). Exit 3, not
    2: the command was well formed, and the refusal is the deployment's policy, not a mistake
    in the input (DESIGN.md keeps exit codes 0 to 3)."""

    http_status = 403

    def __init__(self, message: str, *, role: str, action: str) -> None:
        self.role = role
        self.action = action
        super().__init__(message)


class ConflictError(ClearanceError):
    """A request reuses an idempotency key for a different payload (HTTP 409): the first use
    stands, and this one changes nothing."""

    http_status = 409


class OperationalError(ClearanceError):
    """A network or system operation failed."""

    http_status = 502


class DownloadError(OperationalError):
    """An official list could not be downloaded or verified."""


class UploadRefused(OperationalError):
    """A server refused a sensor's upload (HTTP 4xx: a bad token, a role or site it may not
    upload for, an idempotency conflict, a payload it cannot read); sending it again would
    be refused again."""

    def __init__(self, message: str, *, status: int) -> None:
        self.status = status
        super().__init__(message)


def one_line(exc: BaseException) -> str:
    """The first line of ``exc``'s message (database errors append the SQL statement and a
    link on further lines), or its class name when it has no message."""
    for line in str(exc).splitlines():
        if line.strip():
            return line.strip()
    return type(exc).__name__
