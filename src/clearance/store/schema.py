"""Tables of the store (SQLAlchemy Core). Change them only together with a migration."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from clearance.store.schema_base import metadata
from clearance.store.schema_web import (
    web_keys,
    web_sessions,
    web_upload_files,
    web_upload_jobs,
    web_uploads,
)

__all__ = [
    "api_tokens",
    "assets",
    "audit_log",
    "blobs",
    "column_maps",
    "dispositions",
    "finding_attachments",
    "finding_notes",
    "findings",
    "metadata",
    "monitor_jobs",
    "notifications",
    "organisation_profile",
    "registry_entities",
    "registry_identifiers",
    "registry_lists",
    "registry_merges",
    "registry_names",
    "registry_relations",
    "registry_versions",
    "reports",
    "run_uploads",
    "runs",
    "sightings",
    "sites",
    "store_locks",
    "suppliers",
    "users",
    "web_keys",
    "web_sessions",
    "web_upload_files",
    "web_upload_jobs",
    "web_uploads",
]

# One row per registry snapshot; exactly one is active.
registry_versions = Table(
    "registry_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version", String(64), nullable=False, unique=True),
    Column("content_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("active", Boolean, nullable=False, default=False),
    Column("note", Text),
    # [{"list", "url", "sha256", "retrieved_at", "format", "path"}]
    Column("sources", JSON, nullable=False, default=list),
    Column("entity_count", Integer, nullable=False, default=0),
)

registry_lists = Table(
    "registry_lists",
    metadata,
    Column("version_id", ForeignKey("registry_versions.id", ondelete="CASCADE"), primary_key=True),
    Column("list_id", String(100), primary_key=True),
    Column("data", JSON, nullable=False),
)

registry_entities = Table(
    "registry_entities",
    metadata,
    Column("version_id", ForeignKey("registry_versions.id", ondelete="CASCADE"), primary_key=True),
    Column("entity_id", String(200), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("name", Text, nullable=False),
    Column("data", JSON, nullable=False),
    # sha256 of the entity's canonical JSON, and "|list-a|list-b|" of its listings (0002)
    Column("digest", String(64)),
    Column("lists", Text),
)

registry_names = Table(
    "registry_names",
    metadata,
    Column("version_id", ForeignKey("registry_versions.id", ondelete="CASCADE"), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("name", Text, nullable=False),
    Column("folded", Text, nullable=False),
    Column("key", Text),  # clearance.registry.merge.name_key (0002)
    Index("ix_registry_names_version_folded", "version_id", "folded"),
    Index("ix_registry_names_version_key", "version_id", "key"),
)

# Strong identifiers ("uscc:91330000733796106P") for merging imports (0002).
registry_identifiers = Table(
    "registry_identifiers",
    metadata,
    Column("version_id", ForeignKey("registry_versions.id", ondelete="CASCADE"), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("key", Text, nullable=False),
    Index("ix_registry_identifiers_version_key", "version_id", "key"),
)

# Merge decisions of an import: which incoming record joined which entity, and why (0002).
registry_merges = Table(
    "registry_merges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version_id", ForeignKey("registry_versions.id", ondelete="CASCADE"), nullable=False),
    Column("list_id", String(100), nullable=False),
    Column("record", String(200), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("rule", String(20), nullable=False),
    Column("key", Text, nullable=False),
    Index("ix_registry_merges_version_record", "version_id", "record"),
)

registry_relations = Table(
    "registry_relations",
    metadata,
    Column("version_id", ForeignKey("registry_versions.id", ondelete="CASCADE"), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("object", String(200), nullable=False),
    Column("data", JSON, nullable=False),
    Index("ix_registry_relations_version", "version_id"),
)


# --- Tracking (migration 0003_tracking): sites, assets, runs, findings, dispositions, audit.

# One row per named lock; a write transaction that must not interleave with another updates
# its row first (see clearance.store.lock).
store_locks = Table(
    "store_locks",
    metadata,
    Column("name", String(50), primary_key=True),
    Column("counter", Integer, nullable=False, default=0),
)

# Properties: buildings, campuses, branch offices.
sites = Table(
    "sites",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("address", Text),
    Column("owner", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Each identify, scan or screen run that was saved, with its scope.
runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),  # identify | scan | screen
    Column("scope_key", String(64), nullable=False),  # sha256 of the canonical scope
    Column("scope", JSON, nullable=False),  # {"site", "targets": [...]}
    Column("site_id", ForeignKey("sites.id"), nullable=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("user", String(200), nullable=False),
    Column("registry_version", String(64)),
    Column("summary", JSON, nullable=False, default=dict),
    Column("algorithm", String(80)),  # the matching engine's version, for screen runs (0004)
    Column("source_name", String(200)),  # --source-name: a named scope such as a register (0005)
    Index("ix_runs_scope_key", "scope_key", "id"),
)

# Devices, merged across observations (identity: MAC, then serial, then site and IP).
assets = Table(
    "assets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("mac", String(17), index=True),
    Column("serial", String(200), index=True),
    Column("site_id", ForeignKey("sites.id"), nullable=True),
    Column("ip", String(45)),
    Column("hostname", Text),
    Column("manufacturer", Text),
    Column("model", Text),
    Column("restricted", Boolean, nullable=False, default=False),
    Column("data", JSON, nullable=False),  # the latest Asset.to_json()
    Column("sources", JSON, nullable=False, default=list),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Index("ix_assets_site_ip", "site_id", "ip"),
)

# Which run saw which asset or supplier, and how the observation was merged into it.
sightings = Table(
    "sightings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", ForeignKey("runs.id"), nullable=False, index=True),
    Column("subject", String(100), nullable=False, index=True),  # "asset:<id>" | "supplier:<id>"
    # mac | serial | site_ip | record | new (assets); key | new (suppliers)
    Column("merged_by", String(20), nullable=False),
    Column("note", Text),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

# Screened inputs (suppliers, purchase lines) and their latest screening result.
suppliers = Table(
    "suppliers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(500), nullable=False, unique=True),
    Column("query", Text, nullable=False),
    Column("record", JSON),
    Column("status", String(10), nullable=False),
    Column("result", JSON, nullable=False),
    Column("registry_version", String(64)),
    Column("first_screened", DateTime(timezone=True), nullable=False),
    Column("last_screened", DateTime(timezone=True), nullable=False),
    Column("algorithm", String(80)),  # the matching engine's version of the result (0004)
)

# One per restricted asset or supplier hit, tracked through its remediation lifecycle.
findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(10), nullable=False),  # device | supplier
    Column("subject", String(100), nullable=False),  # "asset:<id>" | "supplier:<id>"
    Column("asset_id", ForeignKey("assets.id"), nullable=True, index=True),
    Column("supplier_id", ForeignKey("suppliers.id"), nullable=True, index=True),
    Column("entity_id", String(200), nullable=False),
    Column("entity", Text, nullable=False),
    Column("relation", String(20), nullable=False),
    Column("status", String(30), nullable=False, index=True),
    Column("site_id", ForeignKey("sites.id"), nullable=True),
    Column("owner", Text),
    Column("due_date", Date),
    Column("justification", Text),
    Column("approver", Text),
    Column("expires", Date),
    Column("note", Text),  # the latest note a person wrote (history: finding_notes, 0005)
    Column("detail", JSON, nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("removed_at", DateTime(timezone=True)),
    Column("verified_at", DateTime(timezone=True)),
    # The status a not_seen finding had, restored when the device is seen again (0005).
    Column("previous_status", String(30)),
    UniqueConstraint("subject", "entity_id", name="uq_findings_subject_entity"),
)

# Append-only (database triggers refuse UPDATE and DELETE, 0005): every finding's notes and
# status changes. kind: note (a person's text) | status (a person's status change without
# text) | system (what automation did, e.g. a run that no longer sees the device).
finding_notes = Table(
    "finding_notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("finding_id", ForeignKey("findings.id"), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("author", String(200), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("text", Text),
    Column("status_from", String(30)),
    Column("status_to", String(30)),
    Column("run_id", Integer),
)

# Attached files' content, addressed by its SHA-256 (one row per distinct content, 0005).
blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Files attached to a finding (disposal certificates, photos), by content hash (0005).
finding_attachments = Table(
    "finding_attachments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("finding_id", ForeignKey("findings.id"), nullable=False, index=True),
    Column("sha256", ForeignKey("blobs.sha256"), nullable=False),
    Column("filename", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("media_type", String(100)),
    Column("author", String(200), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# A reviewer's decision on a screening hit; valid while the entity's listings are unchanged.
dispositions = Table(
    "dispositions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("query_key", String(500), nullable=False),
    Column("query", Text, nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("decision", String(20), nullable=False),  # confirmed | false_positive
    Column("reason", Text, nullable=False),
    Column("listings_hash", String(64), nullable=False),
    Column("user", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # four eyes (0009): the hit's score; approval None (not needed) | pending | approved |
    # rejected, by whom, when, why
    Column("score", Float),
    Column("approval", String(20)),
    Column("approved_by", String(200)),
    Column("approved_at", DateTime(timezone=True)),
    Column("approval_reason", Text),
    Index("ix_dispositions_query_entity", "query_key", "entity_id"),
)

# Append-only (database triggers refuse UPDATE and DELETE): who changed what, when.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("user", String(200), nullable=False),
    Column("action", String(50), nullable=False),
    Column("object_type", String(20), nullable=False),
    Column("object_id", String(100), nullable=False),
    Column("run_id", Integer),
    Column("before", JSON),
    Column("after", JSON),
    Index("ix_audit_log_object", "object_type", "object_id"),
)


# Column maps of asset registers by source name: {folded heading: field} (0006).
column_maps = Table(
    "column_maps",
    metadata,
    Column("source_name", String(200), primary_key=True),
    Column("mapping", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("user", String(200), nullable=False),
)


# The organisation's profile (0007): one row, id 1. Who it is, where, in which sector, its
# default language and the parties it declares itself bound as (a JSON list).
organisation_profile = Table(
    "organisation_profile",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200)),
    Column("jurisdiction", String(2)),
    Column("sector", String(50)),
    Column("lang", String(10)),
    Column("also_bound", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("user", String(200), nullable=False),
)


# People who sign in to the server (0008): a role (admin | editor | reviewer | viewer) and an
# Argon2id hash of the password; disabled users cannot sign in. Never deleted (the audit log
# names them).
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Tokens of systems and site sensors (0008): a role (sensor | read | write), the SHA-256 of
# the secret (the secret itself is shown once and never stored) and its first characters to
# recognise it by; revoked or expired tokens are refused.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("site", String(200)),
    Column("secret_sha256", String(64), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("expires_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
    Column("last_used_at", DateTime(timezone=True)),
)

# Reports made on the server (0010_reports): what was asked (format, language, site), who
# asked, and the file itself, so that any replica sharing the store can serve the download.
reports = Table(
    "reports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("format", String(10), nullable=False),
    Column("lang", String(10), nullable=False),
    Column("site", String(200)),
    Column("organisation", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("filename", Text, nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Runs uploaded by site sensors (0011): the idempotency key each upload carries (unique, so
# two uploads with one key store one run, whichever commits first), the SHA-256 of its payload
# (the same key with another payload is refused), who uploaded it, the run it stored, and the
# sensor's own times and version (the run itself is dated when the store records it).
run_uploads = Table(
    "run_uploads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("idempotency_key", String(200), nullable=False, unique=True),
    Column("payload_sha256", String(64), nullable=False),
    Column("run_id", ForeignKey("runs.id"), nullable=False),
    Column("uploaded_by", String(200), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
    Column("tool_version", String(40)),
)

# What monitoring told whom (0013): one row per finding, event (new | reopened | overdue),
# occasion ("" for new, the history entry that reopened it, the day it was overdue) and
# channel (email | webhook), written once the message went out, so no run sends it again.
notifications = Table(
    "notifications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("finding_id", ForeignKey("findings.id"), nullable=False, index=True),
    Column("event", String(10), nullable=False),
    Column("occasion", String(40), nullable=False),
    Column("channel", String(10), nullable=False),
    Column("recipient", Text, nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint(
        "finding_id", "event", "occasion", "channel", name="uq_notifications_occasion"
    ),
)

# Monitoring's scheduled jobs (0013), one row each (update | notify): which server process
# holds the job until ``lease_until``, so replicas sharing the store run each job once.
monitor_jobs = Table(
    "monitor_jobs",
    metadata,
    Column("name", String(20), primary_key=True),
    Column("holder", String(200)),
    Column("lease_until", DateTime(timezone=True)),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
    Column("outcome", JSON),
)
