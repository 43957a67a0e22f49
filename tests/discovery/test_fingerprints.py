"""The shipped fingerprint rules: schema, anchors, examples, vocabulary shared with the registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.discovery.fingerprints import RuleBook, load_rule_file, rule_files, shipped_rules
from clearance.errors import SchemaError
from clearance.registry.registry import Registry


def test_one_file_per_kind_and_unique_ids() -> None:
    files = rule_files()
    kinds = [load_rule_file(f)[0].kind for f in files]
    assert len(kinds) == len(set(kinds))
    assert {f.stem for f in files} == set(kinds)
    assert {"http_server", "rtsp_server", "snmp_sysdescr", "tls_subject", "favicon"} <= set(kinds)
    assert {"http_title", "hostname", "model_number", "make", "sadp", "dhip", "onvif"} <= set(kinds)
    assert len(shipped_rules()) == sum(len(load_rule_file(f)) for f in files)


def test_every_file_has_purpose_and_sources_header() -> None:
    for path in rule_files():
        head = path.read_text(encoding="utf-8").splitlines()[:12]
        assert head[0].startswith("# Purpose:"), path.name
        assert any(line.startswith("# Sources:") for line in head), path.name


@pytest.mark.parametrize("rule", list(shipped_rules()), ids=lambda r: r.id)
def test_rule_examples_match_and_extract(rule: object) -> None:
    from clearance.discovery.fingerprints import Rule

    assert isinstance(rule, Rule)
    assert rule.pattern.pattern.startswith("^")
    assert rule.pattern.pattern.endswith("$")
    assert rule.examples
    for example in rule.examples:
        found = rule.match(example.value)
        assert found is not None, example.value
        for key, value in example.expected:
            assert found.facts.get(key) == value, (example.value, key)
    for counter in rule.counterexamples:
        assert rule.match(counter) is None, counter


def test_manufacturers_are_registry_entities(seed: Registry) -> None:
    """The rules' vocabulary is the registry's: every manufacturer is a seed entity id."""
    unknown = {r.manufacturer for r in shipped_rules()} - set(seed.entities)
    assert not unknown


def test_bad_rule_file_names_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "http_server.yml"
    path.write_text(
        "# Purpose: test\nkind: http_server\nrules:\n  - id: http_server.x\n"
        "    pattern: 'App-webs'\n    manufacturer: hikvision\n    certainty: 0.9\n"
        "    description: unanchored\n    examples: [{value: App-webs}]\n",
        encoding="utf-8",
    )
    with pytest.raises(SchemaError) as err:
        load_rule_file(path)
    assert err.value.path == str(path)
    assert err.value.line == 5
    assert "pattern" in (err.value.field or "")


def test_rule_id_must_start_with_kind(tmp_path: Path) -> None:
    path = tmp_path / "favicon.yml"
    path.write_text(
        "kind: favicon\nrules:\n  - id: http_server.x\n    pattern: '^a$'\n"
        "    manufacturer: hikvision\n    certainty: 0.9\n    description: wrong id\n"
        "    examples: [{value: a}]\n",
        encoding="utf-8",
    )
    with pytest.raises(SchemaError, match="kind"):
        RuleBook.from_files([path])
