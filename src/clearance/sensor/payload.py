"""The run a site sensor uploads, as JSON: format ``clearance.run``, version 1.

::

    {"format": "clearance.run", "version": 1,
     "kind": "scan" | "identify", "site": "HQ" | null,
     "targets": ["192.168.1.0/24", "exclude 192.168.1.1"], "source_name": null,
     "started_at": "2026-12-03T04:00:00+00:00", "finished_at": "2026-12-03T04:01:10+00:00",
     "tool_version": "0.1.0", "registry_version": "…",
     "assets": [<asset, DESIGN.md's shape>, …]}

It holds what ``--save`` records locally, so the server stores the same run
(:func:`clearance.store.run_uploads.save_run`). ``targets`` are canonical (networks in CIDR
form, files as absolute paths on the sensor), so the run's scope is the one ``--save`` on the
sensor would give it. The sensor's times are kept with the upload; the run is dated when the
store records it, as ``--save`` dates it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from clearance import __version__
from clearance.errors import OperationalError, one_line
from clearance.i18n import gettext as _
from clearance.model import Asset
from clearance.store.assets import asset_from_json
from clearance.store.run_uploads import AssetRun, Upload
from clearance.store.runs import RunKind, Scope
from clearance.store.values import canonical_hash

__all__ = ["FORMAT", "VERSION", "AssetPayload", "RunPayload", "run_payload"]

FORMAT: Literal["clearance.run"] = "clearance.run"
VERSION: Literal[1] = 1


class ListingPayload(BaseModel):
    """A listing of an attribution: the fields the store needs, the rest kept as sent."""

    model_config = ConfigDict(extra="allow")

    list: str = Field(min_length=1)
    program: str
    source_url: str


class AttributionPayload(BaseModel):
    """Why a device counts as restricted: the entity, how it relates, how sure."""

    model_config = ConfigDict(extra="ignore")

    entity_id: str = Field(min_length=1)
    entity: str | None = None
    relation: str = Field(default="manufacturer", min_length=1)
    certainty: float = Field(default=1.0, ge=0.0, le=1.0)
    listings: list[ListingPayload] = Field(default_factory=list)


class EvidencePayload(BaseModel):
    """One observed fact about a device and the rule that read it."""

    model_config = ConfigDict(extra="ignore")

    kind: str = Field(min_length=1)
    value: str
    rule: str | None = None


class AssetPayload(BaseModel):
    """One device as identify and scan report it (DESIGN.md's asset shape). Texts are as
    long as the device made them: the body's size limit bounds them all."""

    model_config = ConfigDict(extra="ignore")

    source: str = ""
    ip: str | None = None
    mac: str | None = None
    hostname: str | None = None
    manufacturer: str | None = None
    brand: str | None = None
    model: str | None = None
    firmware: str | None = None
    serial: str | None = None
    site: str | None = None
    asset_tag: str | None = None
    location: str | None = None
    custodian: str | None = None
    register_status: str | None = None
    register_state: Literal["disposed", "held", "in_service"] | None = None
    record: dict[str, Any] | None = None
    restricted: list[AttributionPayload] = Field(default_factory=list)
    evidence: list[EvidencePayload] = Field(default_factory=list)

    def asset(self) -> Asset:
        return asset_from_json(self.model_dump(mode="json"))


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class RunPayload(BaseModel):
    """An uploaded identify or scan run (format ``clearance.run``, version 1)."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["clearance.run"] = FORMAT
    version: Literal[1] = VERSION
    kind: Literal["scan", "identify"]
    site: str | None = Field(default=None, min_length=1, max_length=200)
    targets: list[str] = Field(default_factory=list, max_length=10000)
    source_name: str | None = Field(default=None, min_length=1, max_length=200)
    started_at: AwareDatetime
    finished_at: AwareDatetime
    tool_version: str = Field(min_length=1, max_length=40)
    registry_version: str | None = Field(default=None, max_length=64)
    assets: list[AssetPayload]

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        """No text holds a NUL character (PostgreSQL cannot store one)."""
        if _has_nul(data):
            raise ValueError("a text holds a NUL character (\\u0000)")
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if any(v is not None and not v.strip() for v in (self.site, self.source_name)):
            raise ValueError("site and source_name cannot be blank")
        if not self.targets and self.source_name is None:
            raise ValueError("a run needs targets or a source_name")
        if any(not t.strip() or len(t) > 4096 for t in self.targets):
            raise ValueError("a target is empty or longer than 4096 characters")
        if self.finished_at < self.started_at:
            raise ValueError("finished_at is before started_at")
        return self

    @property
    def digest(self) -> str:
        """SHA-256 of the payload as canonical JSON: the same run sent again has the same."""
        return canonical_hash(self.model_dump(mode="json"))

    def asset_run(self, site: str | None = None) -> AssetRun:
        """The run to save, for ``site`` when given (a sensor token's), else its own."""
        return AssetRun(
            kind=RunKind(self.kind),
            targets=tuple(self.targets),
            assets=[a.asset() for a in self.assets],
            site=site or self.site,
            source_name=self.source_name,
            registry_version=self.registry_version,
        )

    def upload(self, key: str) -> Upload:
        """What the store keeps of this upload under idempotency key ``key``."""
        return Upload(
            key=key,
            digest=self.digest,
            started_at=self.started_at,
            finished_at=self.finished_at,
            tool_version=self.tool_version,
        )


def run_payload(
    found: list[dict[str, Any]],
    *,
    kind: str,
    targets: list[str],
    site: str | None,
    source_name: str | None,
    started_at: datetime,
    finished_at: datetime,
    registry_version: str | None,
) -> RunPayload:
    """The payload of a run on this machine: ``found`` are its assets' JSON, ``targets`` as
    ``--save`` is given them (made canonical here, where the files are). A NUL character a
    device sent becomes U+FFFD (PostgreSQL stores no NUL).

    Raises:
        OperationalError: the run does not make a valid payload (a bug, or a site name
            longer than a store keeps).
    """
    canonical = list(Scope.of(kind, targets, site).targets) if targets else []
    try:
        return RunPayload(
            kind="scan" if kind == "scan" else "identify",
            site=site,
            targets=canonical,
            source_name=source_name,
            started_at=started_at,
            finished_at=finished_at,
            tool_version=__version__,
            registry_version=registry_version,
            assets=[AssetPayload.model_validate(_without_nul(a)) for a in found],
        )
    except ValidationError as exc:
        raise OperationalError(
            _("this run cannot be sent: {reason}").format(reason=one_line(exc))
        ) from exc


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    return value
