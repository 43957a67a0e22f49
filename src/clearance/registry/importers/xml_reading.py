"""XML files of official lists: namespace-agnostic, streaming through defusedxml (no entity
expansion, no external references), with errors that name the line, record and element."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from clearance.errors import FormatError
from clearance.i18n import gettext as _
from clearance.registry.importers.base import Limits

__all__ = ["children", "local", "text_of", "xml_records"]


def local(tag: str) -> str:
    """An XML tag without its namespace: ``{urn:x}sdnEntry`` -> ``sdnEntry``."""
    return tag.rsplit("}", 1)[-1]


def text_of(elem: Element | None, *path: str) -> str:
    """The stripped text of the first descendant along ``path`` (local names), or ''."""
    node: Element | None = elem
    for step in path:
        if node is None:
            return ""
        node = next((c for c in node if local(c.tag) == step), None)
    if node is None or node.text is None:
        return ""
    return node.text.strip()


def children(elem: Element, name: str) -> list[Element]:
    """Direct children with local name ``name``."""
    return [c for c in elem if local(c.tag) == name]


def _entity_line(path: Path) -> int | None:
    """The line of the first entity declaration, to point at it in an error."""
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            if b"<!ENTITY" in line:
                return number
            if number > 10000:
                break
    return None


def xml_records(
    path: Path, record_tags: set[str], limits: Limits, drop: frozenset[str] = frozenset()
) -> Iterator[tuple[int, Element]]:
    """Stream the elements whose local name is in ``record_tags`` (with their record number),
    parsing with defusedxml (no entity expansion, no external references) and freeing each
    record once the caller has handled it, so memory stays flat on large files. Elements
    named in ``drop`` are freed unread."""
    limits.check_size(path)
    stack: list[Element] = []
    count = 0
    current = "(document)"
    try:
        for event, elem in SafeET.iterparse(str(path), events=("start", "end")):
            if event == "start":
                stack.append(elem)
                current = local(elem.tag)
                continue
            stack.pop()
            name = local(elem.tag)
            if name in drop and stack:
                stack[-1].remove(elem)
                continue
            if name in record_tags:
                count += 1
                limits.check_count(path, count, str(count))
                yield count, elem
                if stack:
                    stack[-1].remove(elem)
                elem.clear()
    except defusedxml.DefusedXmlException as exc:
        raise FormatError(
            _(
                "XML entity or DTD declarations are refused (entity-expansion protection): {exc}"
            ).format(exc=exc),
            path=str(path),
            line=_entity_line(path),
            field="<!DOCTYPE>",
        ) from exc
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise FormatError(
            _("malformed or truncated XML: {exc}").format(exc=exc),
            path=str(path),
            line=line,
            record=str(count + 1),
            field=current,
        ) from exc
    except UnicodeDecodeError as exc:  # pragma: no cover - expat decodes itself
        raise FormatError(_("bad encoding: {exc}").format(exc=exc), path=str(path)) from exc
