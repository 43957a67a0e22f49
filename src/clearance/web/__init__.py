"""The web pages of ``clearance serve``: server-rendered (Jinja2, HTMX for partial updates, no
build step, nothing loaded from another origin), in French and English, for people who do not
use a terminal. :func:`mount` adds them to the server's application (for a server with a store).

Adding a group of pages:

- a module in ``clearance/web/routes/`` with ``router = APIRouter(include_in_schema=False)``,
  listed in :func:`clearance.web.mount.mount`; each route depends on
  ``clearance.server.auth.require("<action>")`` (a browser without a session is sent to the
  sign-in page and back; a role that may not sees a 403 page), calls the library functions
  (``clearance.store`` …) with ``user=actor(who)``, and answers
  ``clearance.web.pages.render(request, "<name>.html.j2", {...})``;
- a template in ``templates/`` extending ``base.html.j2`` (block ``title`` and ``main``), or a
  fragment for an HTMX swap; every ``<form method="post">`` holds
  ``<input type="hidden" name="csrf_token" value="{{ csrf_token }}">`` (HTMX requests send the
  token by themselves: ``hx-headers`` on ``<body>``); texts marked ``{{ _("…") }}`` and, in
  Python, ``_w("…")`` / ``N_("…")`` (:mod:`clearance.web.text`); stored values shown with
  ``| label``; dates with ``| date`` / ``| datetime``;
- ``scripts/i18n_extract.py web``, then French for every new message in
  ``locale/fr/LC_MESSAGES/web.po`` (``tests/test_i18n_catalogues.py`` checks it);
- a browser test in ``tests/web`` (fixtures ``page``, ``demo_site``; ``sign_in`` and
  ``accessible`` (axe-core: no serious or critical violation) from ``tests/web/conftest.py``).
"""

from __future__ import annotations

from clearance.web.mount import mount

__all__ = ["mount"]
