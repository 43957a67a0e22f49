"""Namespace-blind reading of small XML replies, always through defusedxml."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET

__all__ = ["local", "parse_xml", "texts"]


def parse_xml(data: bytes | str) -> Element | None:
    """The root element, or ``None`` for anything that is not well-formed, safe XML."""
    try:
        root: Element = SafeET.fromstring(data)
    except Exception:  # defusedxml raises ParseError and its own DTD/entity errors
        return None
    return root


def local(tag: str) -> str:
    """``{namespace}Name`` → ``Name``."""
    return tag.rsplit("}", 1)[-1]


def texts(element: Element) -> dict[str, str]:
    """Every descendant's local name mapped to its stripped text (first occurrence wins)."""
    found: dict[str, str] = {}
    for child in element.iter():
        if child is element:
            continue
        text = (child.text or "").strip()
        if text:
            found.setdefault(local(child.tag), text)
    return found
