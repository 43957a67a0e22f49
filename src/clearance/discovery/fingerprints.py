"""Fingerprint rules: anchored regular expressions over one kind of evidence each.

Rules live as YAML under ``clearance/data/fingerprints`` (one file per evidence kind) and are
validated against ``clearance/data/schemas/fingerprints.schema.json``. A rule names the
manufacturer it points to by registry entity id, states a certainty, and may extract the
model, firmware, serial, brand or device type through named groups.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from clearance.errors import SchemaError
from clearance.i18n import gettext as _
from clearance.registry.seed import validate_file

__all__ = [
    "EXTRACTED",
    "Rule",
    "RuleBook",
    "RuleExample",
    "RuleMatch",
    "load_rule_file",
    "rule_files",
    "shipped_rules",
]

#: Named groups a rule may capture, and example fields that state what they must capture.
EXTRACTED = ("model", "firmware", "serial", "brand", "device_type")

_FLAGS = {"ignorecase": re.IGNORECASE, "dotall": re.DOTALL, "multiline": re.MULTILINE}


@dataclass(slots=True, frozen=True)
class RuleExample:
    """A value a rule must match, with the facts it must extract."""

    value: str
    expected: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True, frozen=True)
class Rule:
    """One fingerprint: evidence ``kind`` matching ``pattern`` points to ``manufacturer``."""

    id: str
    kind: str
    pattern: re.Pattern[str]
    manufacturer: str
    certainty: float
    description: str
    device_type: str | None = None
    note: str | None = None
    source: str | None = None
    examples: tuple[RuleExample, ...] = ()
    counterexamples: tuple[str, ...] = ()

    def match(self, value: str) -> RuleMatch | None:
        """The match of ``value`` (whole value, the pattern is anchored), or ``None``."""
        found = self.pattern.match(value)
        if found is None:
            return None
        facts = {k: v.strip() for k, v in found.groupdict().items() if v and v.strip()}
        if self.device_type is not None:
            facts.setdefault("device_type", self.device_type)
        return RuleMatch(self, facts)


@dataclass(slots=True, frozen=True)
class RuleMatch:
    """A rule that matched, with the facts its named groups extracted."""

    rule: Rule
    facts: dict[str, str]


def rule_files() -> list[Path]:
    """The shipped rule files, in name order."""
    root = Path(str(resources.files("clearance.data.fingerprints")))
    return sorted(root.glob("*.yml"))


@cache
def _schema() -> dict[str, Any]:
    text = resources.files("clearance.data.schemas").joinpath("fingerprints.schema.json")
    schema: dict[str, Any] = json.loads(text.read_text())
    return schema


def _rule_from_json(raw: dict[str, Any], kind: str, path: Path, where: str) -> Rule:
    flags = 0
    for name in raw.get("flags") or ():
        flags |= _FLAGS[name]
    try:
        pattern = re.compile(raw["pattern"], flags)
    except re.error as exc:
        raise SchemaError(
            _("bad pattern: {exc}").format(exc=exc), path=str(path), field=f"{where}.pattern"
        ) from exc
    unknown = set(pattern.groupindex) - set(EXTRACTED)
    if unknown:
        raise SchemaError(
            _("unknown named groups {unknown}; allowed: {EXTRACTED}").format(
                unknown=sorted(unknown), EXTRACTED=", ".join(EXTRACTED)
            ),
            path=str(path),
            field=f"{where}.pattern",
        )
    examples = tuple(
        RuleExample(ex["value"], tuple((k, ex[k]) for k in EXTRACTED if k in ex))
        for ex in raw["examples"]
    )
    return Rule(
        id=raw["id"],
        kind=kind,
        pattern=pattern,
        manufacturer=raw["manufacturer"],
        certainty=float(raw["certainty"]),
        description=raw["description"],
        device_type=raw.get("device_type"),
        note=raw.get("note"),
        source=raw.get("source"),
        examples=examples,
        counterexamples=tuple(raw.get("counterexamples") or ()),
    )


def load_rule_file(path: Path) -> list[Rule]:
    """Parse and validate one rule file; errors name the file, line and field."""
    doc = validate_file(path, _schema())
    kind = doc["kind"]
    rules = []
    for i, raw in enumerate(doc["rules"]):
        where = f"rules[{i}]"
        if not raw["id"].startswith(f"{kind}."):
            raise SchemaError(
                _("rule id must start with the file's kind {kind!r}").format(kind=kind),
                path=str(path),
                field=f"{where}.id",
            )
        rules.append(_rule_from_json(raw, kind, path, where))
    return rules


class RuleBook:
    """All fingerprint rules, indexed by evidence kind."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self._by_kind: dict[str, list[Rule]] = {}
        self._ids: dict[str, Rule] = {}
        for rule in rules:
            if rule.id in self._ids:
                raise SchemaError(
                    _("rule id {id!r} is defined twice").format(id=rule.id), field="id"
                )
            self._ids[rule.id] = rule
            self._by_kind.setdefault(rule.kind, []).append(rule)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._ids.values())

    def __len__(self) -> int:
        return len(self._ids)

    def kinds(self) -> list[str]:
        return sorted(self._by_kind)

    def get(self, rule_id: str) -> Rule:
        return self._ids[rule_id]

    def match(self, kind: str, value: str) -> list[RuleMatch]:
        """Every rule of ``kind`` that matches ``value``, most certain first."""
        found = [m for r in self._by_kind.get(kind, ()) if (m := r.match(value)) is not None]
        return sorted(found, key=lambda m: -m.rule.certainty)

    @classmethod
    def from_files(cls, paths: Iterable[Path]) -> RuleBook:
        return cls(rule for path in paths for rule in load_rule_file(path))


@cache
def shipped_rules() -> RuleBook:
    """The rules that ship with Clearance (loaded and validated once)."""
    return RuleBook.from_files(rule_files())
