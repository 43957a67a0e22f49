"""The web pages of ``clearance serve``: server-rendered (Jinja2, HTMX for partial updates, no
build step, nothing loaded from another origin), in French and English, for people who do not
use a terminal. :func:`mount` adds them to the server's application."""

from __future__ import annotations

from clearance.web.mount import mount

__all__ = ["mount"]
