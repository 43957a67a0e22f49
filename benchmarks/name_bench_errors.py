"""Misclassified pairs of name_bench (section A of ``screening.py``), with their scores.

Run:  .venv/bin/python benchmarks/name_bench_errors.py [--schema Person|orgs|all]
      [--threshold 0.85]

Prints every false positive (score at or above the threshold, not a match) and false
negative (a match scored below it) with clearance-v1's score and the features that fired,
then precision, recall and F1 of the subset. Reading these pairs is how causes are found;
the engine must not learn individual pairs (no benchmark names in the code).
"""

from __future__ import annotations

import argparse
import csv

from clearance.matching.score import compare_names
from clearance.settings import Settings
from screening import NAME_BENCH, _prf  # type: ignore[import-not-found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schema", default="Person", help="Person, orgs or all")
    parser.add_argument("--threshold", type=float, default=None)
    args = parser.parse_args()
    threshold = args.threshold
    if threshold is None:
        threshold = Settings.from_env().match_threshold
    with NAME_BENCH.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if args.schema == "orgs":
        rows = [r for r in rows if r["schema"] != "Person"]
    elif args.schema != "all":
        rows = [r for r in rows if r["schema"] == args.schema]
    scored = [compare_names(r["name1"], r["name2"], person=r["schema"] == "Person") for r in rows]
    for kind, want in (("false positives", False), ("false negatives", True)):
        print(f"\n== {kind}")
        for r, pair in zip(rows, scored, strict=True):
            if (r["is_match"] == "true") != want or (pair.score >= threshold) == want:
                continue
            fired = ", ".join(name for name, _ in pair.fired)
            print(f"{pair.score:.3f}  {r['name1']!r} | {r['name2']!r}  [{fired}]")
    judged = [
        (pair.score >= threshold, r["is_match"] == "true")
        for r, pair in zip(rows, scored, strict=True)
    ]
    p, rec, f1 = _prf(judged)
    print(f"\n{len(rows)} pairs: precision {p:.3f}, recall {rec:.3f}, F1 {f1:.3f}")


if __name__ == "__main__":
    main()
