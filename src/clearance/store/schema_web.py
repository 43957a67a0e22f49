"""Tables of the web pages (SQLAlchemy Core): their signed-in sessions and cookie key, and the
files uploaded through them with the saving of each, all in the store so that every worker and
replica of the server can take any request's next step. Re-exported by
:mod:`clearance.store.schema`; change them only together with a migration."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from clearance.store.schema_base import metadata

__all__ = ["web_keys", "web_sessions", "web_upload_files", "web_upload_jobs", "web_uploads"]

# Signed-in browser sessions (0012): the SHA-256 of the secret the signed cookie carries (the
# secret itself is never stored), the user, the session's CSRF token, its expiry, and when
# signing out revoked it.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("secret_sha256", String(64), nullable=False, unique=True),
    Column("user_name", String(200), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

# Keys of the web pages (0012): ``cookie`` signs the session cookies, made on first use and
# shared by every worker and replica of the server.
web_keys = Table(
    "web_keys",
    metadata,
    Column("name", String(50), primary_key=True),
    Column("secret", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Uploads waiting to be saved (0014): a register uploaded and previewed, waiting for its
# column map. The unguessable key its pages are addressed by, who uploaded it (only they see
# it), what kind of upload it is (register | scan | suppliers) and what was asked with it.
web_uploads = Table(
    "web_uploads",
    metadata,
    Column("key", String(50), primary_key=True),
    Column("owner", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("site", String(200)),
    Column("source_name", String(200)),
    Column("column_name", String(200)),  # a supplier list's column of names
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# The files of a waiting upload (0014), in the order they were sent: the name each was sent
# with and its bytes (up to the upload limit), so a replica on another machine reads them too.
web_upload_files = Table(
    "web_upload_files",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("upload_key", ForeignKey("web_uploads.key"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
)

# The saving of an upload (0014): run by a thread of the process that was asked to save it,
# which records here how it ended (state running | done | failed, the run it saved, what the
# page shows of it, or the error), so the page polling it may reach any process.
web_upload_jobs = Table(
    "web_upload_jobs",
    metadata,
    Column("key", String(50), primary_key=True),
    Column("owner", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("names", JSON, nullable=False),
    Column("state", String(10), nullable=False),
    Column("run_id", Integer),
    Column("result", JSON),  # {"report": RunReport.to_json(), "total", "restricted": [...]}
    Column("error", Text),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
)
