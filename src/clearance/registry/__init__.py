"""The registry of restricted parties: seed data, official-list importers, versions."""

from clearance.registry.registry import Registry
from clearance.registry.seed import load_seed

__all__ = ["Registry", "load_seed"]
