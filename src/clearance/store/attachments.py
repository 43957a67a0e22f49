"""Files attached to a finding: disposal certificates, photos, signed forms.

Content is stored in the database (table ``blobs``), addressed by its SHA-256, once per
distinct content however many findings it is attached to. In the database rather than
under the data directory because a PostgreSQL store is shared by people on other machines
(a file under one user's data directory would be missing for everyone else), because one
backup then holds the record and its evidence, and because the file, its attachment row and
the audit entry commit in one transaction. Files are small (a size limit applies,
``Settings.attachment_max_bytes``, 20 MB by default), so a blob column (BLOB in SQLite,
bytea in PostgreSQL) holds them well.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select

from clearance.errors import InputError, LimitError, NotFound
from clearance.i18n import gettext as _
from clearance.store.audit import log_change
from clearance.store.finding_notes import NoteKind, add_entry
from clearance.store.lock import write_transaction
from clearance.store.schema import blobs, finding_attachments, findings
from clearance.store.values import is_row_id, now, utc

__all__ = [
    "Attachment",
    "attach_content",
    "attach_file",
    "get_attachment",
    "list_attachments",
    "read_attachment",
]


@dataclass(slots=True, frozen=True)
class Attachment:
    """A file attached to a finding, named by its content's SHA-256."""

    id: int
    finding_id: int
    sha256: str
    filename: str
    size: int
    media_type: str | None
    author: str
    at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "finding_id": self.finding_id,
            "sha256": self.sha256,
            "filename": self.filename,
            "size": self.size,
            "media_type": self.media_type,
            "author": self.author,
            "at": self.at.isoformat(),
        }


def _attachment(row: Any) -> Attachment:
    return Attachment(
        id=row.id,
        finding_id=row.finding_id,
        sha256=row.sha256,
        filename=row.filename,
        size=row.size,
        media_type=row.media_type,
        author=row.author,
        at=utc(row.at),
    )


def _read(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if max_bytes and size > max_bytes:
            raise LimitError(
                _(
                    "{size:,} bytes is more than the attachment limit of {max_bytes:,} "
                    "(CLEARANCE_ATTACHMENT_MAX_BYTES)"
                ).format(size=size, max_bytes=max_bytes),
                path=str(path),
            )
        with path.open("rb") as handle:
            content = handle.read(max_bytes + 1 if max_bytes else -1)
    except OSError as exc:
        raise InputError(
            _("cannot read the file: {reason}").format(reason=exc.strerror or exc), path=str(path)
        ) from exc
    if max_bytes and len(content) > max_bytes:  # grew while being read
        raise LimitError(
            _("more than {max_bytes:,} bytes").format(max_bytes=max_bytes), path=str(path)
        )
    return content


def attach_file(
    engine: Engine, finding_id: int, path: Path, *, user: str, max_bytes: int
) -> Attachment:
    """Attach the file at ``path`` to a finding (see :func:`attach_content`).

    Raises:
        NotFound: no such finding.
        InputError: the file cannot be read.
        LimitError: the file is larger than ``max_bytes`` (0: no limit).
    """
    if not is_row_id(finding_id):
        raise NotFound(_("no finding {finding_id}").format(finding_id=finding_id))
    return attach_content(engine, finding_id, path.name, _read(path, max_bytes), user=user)


def attach_content(
    engine: Engine, finding_id: int, filename: str, content: bytes, *, user: str
) -> Attachment:
    """Attach ``content`` (a file called ``filename``) to a finding; it is stored once by
    SHA-256. Audited, and noted in the finding's history. The caller has applied the size
    limit while reading it.

    Raises:
        NotFound: no such finding.
    """
    if not is_row_id(finding_id):
        raise NotFound(_("no finding {finding_id}").format(finding_id=finding_id))
    digest = hashlib.sha256(content).hexdigest()
    media_type = mimetypes.guess_type(filename)[0]
    at = now()
    with write_transaction(engine) as conn:
        if conn.execute(select(findings.c.id).where(findings.c.id == finding_id)).first() is None:
            raise NotFound(_("no finding {finding_id}").format(finding_id=finding_id))
        known = conn.execute(select(blobs.c.sha256).where(blobs.c.sha256 == digest)).first()
        if known is None:
            conn.execute(
                insert(blobs).values(
                    sha256=digest, size=len(content), content=content, created_at=at
                )
            )
        key = conn.execute(
            insert(finding_attachments).values(
                finding_id=finding_id,
                sha256=digest,
                filename=filename,
                size=len(content),
                media_type=media_type,
                author=user,
                at=at,
            )
        ).inserted_primary_key
        assert key is not None
        add_entry(
            conn,
            finding_id,
            author=user,
            kind=NoteKind.SYSTEM,
            at=at,
            text=f"attached {filename} (sha256 {digest}, {len(content):,} bytes)",
        )
        log_change(
            conn,
            user=user,
            action="finding.attach",
            object_type="finding",
            object_id=finding_id,
            after={"filename": filename, "sha256": digest, "size": len(content)},
            at=at,
        )
        row = conn.execute(
            select(finding_attachments).where(finding_attachments.c.id == int(key[0]))
        ).one()
    return _attachment(row)


def get_attachment(engine: Engine, finding_id: int, attachment_id: int) -> Attachment:
    """One of a finding's attachments, by id.

    Raises:
        NotFound: the finding has no attachment of that id.
    """
    query = select(finding_attachments).where(
        finding_attachments.c.id == attachment_id, finding_attachments.c.finding_id == finding_id
    )
    with engine.connect() as conn:
        row = conn.execute(query).first() if is_row_id(attachment_id) else None
    if row is None:
        raise NotFound(
            _("finding {finding_id} has no attachment {attachment_id}").format(
                finding_id=finding_id, attachment_id=attachment_id
            )
        )
    return _attachment(row)


def list_attachments(engine: Engine, finding_id: int) -> list[Attachment]:
    """A finding's attachments, oldest first."""
    query = (
        select(finding_attachments)
        .where(finding_attachments.c.finding_id == finding_id)
        .order_by(finding_attachments.c.id)
    )
    with engine.connect() as conn:
        return [_attachment(r) for r in conn.execute(query)]


def read_attachment(engine: Engine, sha256: str) -> bytes:
    """The stored content with this SHA-256, checked against it.

    Raises:
        NotFound: no stored content with that hash.
    """
    with engine.connect() as conn:
        content = conn.execute(
            select(blobs.c.content).where(blobs.c.sha256 == sha256.lower())
        ).scalar_one_or_none()
    if content is None:
        raise NotFound(_("no attachment with sha256 {sha256}").format(sha256=sha256))
    data = bytes(content)
    assert hashlib.sha256(data).hexdigest() == sha256.lower()
    return data
