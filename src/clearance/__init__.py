"""Clearance: find and remove an organisation's exposure to restricted vendors."""

__version__ = "0.1.0"

__all__ = ["__version__"]
