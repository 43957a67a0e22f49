"""Print the seed registry's Chinese-name coverage: entities located in mainland China or Hong
Kong that carry a Chinese-script name with a source, per seed file and in all.

Run: .venv/bin/python scripts/chinese_name_coverage.py [--missing]
Reads only the product's own seed (src/clearance/data/registry); the entities searched for
and not found are listed with what was searched in src/clearance/data/registry_unsourced/.
"""

from __future__ import annotations

import sys

import yaml

from clearance.registry.coverage import chinese_name_coverage
from clearance.registry.seed import load_seed, seed_files


def main() -> None:
    registry = load_seed()
    rows = []
    for path in seed_files():
        ids = {e["id"] for e in (yaml.safe_load(path.read_text()) or {}).get("entities") or ()}
        cov = chinese_name_coverage(e for e in registry if e.id in ids)
        if cov.total:
            rows.append((path.name, cov))
    every = chinese_name_coverage(registry)
    print(f"{'seed file':<28}{'in CN/HK':>10}{'sourced zh':>12}{'share':>8}")
    for name, cov in rows:
        print(f"{name:<28}{cov.total:>10}{cov.sourced:>12}{cov.share:>8.1%}")
    print(f"{'all':<28}{every.total:>10}{every.sourced:>12}{every.share:>8.1%}")
    if "--missing" in sys.argv:
        print("\nwithout a sourced Chinese name:", ", ".join(every.missing))


if __name__ == "__main__":
    main()
