"""Connect the audit to the identification, discovery, screening and tracking layers."""

from __future__ import annotations

from sqlalchemy import Engine

from clearance.audit.run import Engines
from clearance.registry.registry import Registry
from clearance.settings import Settings

__all__ = ["default_engines"]


def default_engines(settings: Settings, registry: Registry, engine: Engine | None) -> Engines:
    """The engines this build has; a missing layer stays ``None`` and its step is skipped."""
    del settings, registry, engine
    return Engines()
