"""Load the seed registry: YAML files under ``clearance/data/registry``, each validated
against ``clearance/data/schemas/registry.schema.json`` with errors that name the file, the
line and the field."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from clearance.errors import SchemaError
from clearance.i18n import gettext as _
from clearance.model import ListInfo
from clearance.profile import BOUND_PARTIES
from clearance.registry.codec import entity_from_json, list_from_json, relation_from_json
from clearance.registry.registry import Registry

__all__ = [
    "load_registry_files",
    "load_seed",
    "seed_files",
    "seed_fingerprint",
    "validate_file",
]


# libyaml's parser when PyYAML was built with it (about 5x faster on the seed), else Python's.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """SafeLoader that keeps dates as strings so JSON Schema sees what the file says."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@cache
def _schema() -> dict[str, Any]:
    text = resources.files("clearance.data.schemas").joinpath("registry.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def seed_files() -> list[Path]:
    """The seed registry's YAML files, in name order."""
    root = Path(str(resources.files("clearance.data.registry")))
    return sorted(root.glob("*.yml"))


def seed_fingerprint() -> str:
    """sha256 over the seed files' names and bytes: changes exactly when the seed does."""
    digest = hashlib.sha256()
    for path in seed_files():
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _field_path(path: Iterable[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _line_of(node: yaml.Node | None, path: Iterable[Any]) -> int | None:
    """The 1-based line of the YAML node at ``path`` (or of the nearest parent found)."""
    if node is None:
        return None
    current: yaml.Node = node
    for part in path:
        child: yaml.Node | None = None
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if getattr(key, "value", None) == part:
                    child = value
                    break
        elif (
            isinstance(current, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(current.value)
        ):
            child = current.value[part]
        if child is None:
            break
        current = child
    return current.start_mark.line + 1


def validate_file(path: Path, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """Parse and validate one seed file; raise :class:`SchemaError` naming file, line, field.

    ``schema`` replaces the registry schema for other YAML data files (fingerprint rules).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(
            _("cannot read seed file: {exc}").format(exc=exc), path=str(path)
        ) from exc
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise SchemaError(
            _("not valid YAML: {exc}").format(exc=exc), path=str(path), line=line
        ) from exc
    if data is None:
        data = {}
    validator = jsonschema.Draft202012Validator(_schema() if schema is None else schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.path), list(e.path)))
    if errors:
        err = min(errors, key=lambda e: -len(e.absolute_path))
        where = list(err.absolute_path)
        node = yaml.compose(text, Loader=_Loader)  # only on error: the line of the field
        raise SchemaError(
            err.message, path=str(path), line=_line_of(node, where), field=_field_path(where)
        )
    if not isinstance(data, dict):  # pragma: no cover - the schema requires an object
        raise SchemaError(_("a seed file must hold a mapping"), path=str(path))
    return data


def load_registry_files(paths: Iterable[Path]) -> Registry:
    """Build a registry from seed files; cross-file references are checked here."""
    docs = [(p, validate_file(p)) for p in paths]
    lists: dict[str, ListInfo] = {}
    for path, doc in docs:
        for i, raw in enumerate(doc.get("lists") or ()):
            if raw["id"] in lists:
                raise SchemaError(
                    _("list id {id!r} defined twice").format(id=raw["id"]),
                    path=str(path),
                    field=f"lists[{i}].id",
                )
            _check_bound(raw, path, f"lists[{i}].applies_to")
            lists[raw["id"]] = list_from_json(raw)

    entities: dict[str, dict[str, Any]] = {}
    origin: dict[str, Path] = {}
    primary: dict[str, str] = {}
    for path, doc in docs:
        for i, raw in enumerate(doc.get("entities") or ()):
            eid, where = raw["id"], f"entities[{i}]"
            if eid in entities:
                raise SchemaError(
                    _("entity id {eid!r} already defined in {name}").format(
                        eid=eid, name=origin[eid].name
                    ),
                    path=str(path),
                    field=f"{where}.id",
                )
            key = raw["name"].casefold()
            if key in primary:
                raise SchemaError(
                    _("primary name {name!r} already used by entity {primary!r}").format(
                        name=raw["name"], primary=primary[key]
                    ),
                    path=str(path),
                    field=f"{where}.name",
                )
            for j, listing in enumerate(raw.get("listings") or ()):
                _check_list(listing, lists, path, f"{where}.listings[{j}].list")
                _check_bound(listing, path, f"{where}.listings[{j}].applies_to")
            entities[eid] = dict(raw)
            origin[eid] = path
            primary[key] = eid

    for path, doc in docs:
        for i, raw in enumerate(doc.get("listings") or ()):
            where = f"listings[{i}]"
            if raw["entity"] not in entities:
                raise SchemaError(
                    _("unknown entity {entity!r}").format(entity=raw["entity"]),
                    path=str(path),
                    field=f"{where}.entity",
                )
            _check_list(raw, lists, path, f"{where}.list")
            _check_bound(raw, path, f"{where}.applies_to")
            target = entities[raw["entity"]]
            listing = {k: v for k, v in raw.items() if k != "entity"}
            target["listings"] = [*(target.get("listings") or ()), listing]

    relations = []
    for path, doc in docs:
        for i, raw in enumerate(doc.get("relations") or ()):
            for end in ("subject", "object"):
                if raw[end] not in entities:
                    raise SchemaError(
                        _("unknown entity {raw!r}").format(raw=raw[end]),
                        path=str(path),
                        field=f"relations[{i}].{end}",
                    )
            relations.append(relation_from_json(raw))

    return Registry(
        lists.values(), (entity_from_json(raw, lists) for raw in entities.values()), relations
    )


def _check_list(raw: dict[str, Any], lists: dict[str, ListInfo], path: Path, field: str) -> None:
    if raw["list"] not in lists:
        raise SchemaError(
            _("unknown list {list!r}").format(list=raw["list"]), path=str(path), field=field
        )


def _check_bound(raw: dict[str, Any], path: Path, field: str) -> None:
    """Who a list or listing binds must be a party of ``clearance.profile.BOUND_PARTIES``."""
    for party in raw.get("applies_to") or ():
        if party not in BOUND_PARTIES:
            known = ", ".join(sorted(BOUND_PARTIES))
            raise SchemaError(
                _("unknown bound party {party!r} (known: {known})").format(
                    party=party, known=known
                ),
                path=str(path),
                field=field,
            )


def load_seed() -> Registry:
    """The registry that ships with Clearance."""
    return load_registry_files(seed_files())
