"""The Jinja2 environment of Clearance's templates (reports and web pages), translated."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

__all__ = ["translated_environment"]


def translated_environment(
    package: str,
    *,
    gettext: Callable[[str], str],
    ngettext: Callable[[str, str, int], str],
    pgettext: Callable[[str, str], str] | None = None,
    filters: Mapping[str, Callable[..., Any]],
) -> Environment:
    """An environment for the ``templates`` folder of ``package``: HTML escaped, undefined
    names an error, ``{% trans %}`` blocks trimmed, ``_()`` and the ``tr`` filter translated
    by ``gettext`` (which looks the language up at each call, so a cached environment follows
    ``use_lang``), and ``filters`` added."""
    env = Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    callables: dict[str, Any] = {"gettext": gettext, "ngettext": ngettext}
    if pgettext is not None:
        callables["pgettext"] = pgettext
    env.install_gettext_callables(newstyle=True, **callables)  # type: ignore[attr-defined]
    env.policies["ext.i18n.trimmed"] = True
    env.filters.update(tr=gettext, **filters)
    return env
