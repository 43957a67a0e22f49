"""Section C of ``screening.py`` (scale) for two source trees side by side, interleaved.

The VM's speed drifts by tens of percent within minutes, so two versions of the engine are
only comparable when measured in one run, turn about: base, head, base, head … Each turn is
a fresh process whose ``clearance`` package comes from that tree's ``src`` (``PYTHONPATH``)
while the measuring code is this directory's ``screening.measure_scale``, the same for both.
The synthetic registry is generated once and shared (``--cache``).

Run (compiled engine in both trees, as the README's figures are)::

    git worktree add --detach /work/wt/base345 345d34c     # once: the tree to compare with
    .venv/bin/python benchmarks/compare_commits.py --base /work/wt/base345 --head . \\
        --entities 1000000 --rounds 2

``--engine compiled`` (the default) builds the mypyc extensions of a tree whose stamp does
not match its sources (``scripts/compile_native.py``, the recipe of ``make compile``, run
with this interpreter); ``--engine pure`` runs both interpreted (``CLEARANCE_PURE_PYTHON=1``).
A tree running another engine than asked stops the run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
_MARK = "MEASURES "

#: (key of measure_scale, label, whether more is better)
ROWS = (
    ("build_s", "index build (2 processes), s", False),
    ("batch_rate", "batch, 2 workers, names/s (median of 3)", True),
    ("p50_ms", "single query p50, ms", False),
    ("p99_ms", "single query p99, ms", False),
    ("rss_registry_mb", "resident memory: registry only, MB", False),
    ("rss_index_mb", "resident memory: registry + index, MB", False),
    ("peak_rss_mb", "peak RSS main process, MB", False),
    ("worker_peak_rss_mb", "peak RSS of a batch worker, MB", False),
    ("save_s", "index save, s", False),
    ("load_s", "index load, s", False),
    ("alerts", "queries alerted", True),
    ("found", "perturbed registry names found", True),
)


def _env(tree: Path, engine: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(tree / "src")
    if engine == "pure":
        env["CLEARANCE_PURE_PYTHON"] = "1"
    else:
        env.pop("CLEARANCE_PURE_PYTHON", None)
    return env


def _engine_of(tree: Path, engine: str) -> tuple[str, str]:
    """(where clearance is imported from, whether its engine runs compiled) in that tree."""
    code = (
        "import clearance, clearance.matching as m; from clearance.matching import native; "
        "print(clearance.__file__); print(native.compiled())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=_env(tree, engine),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return out[0], out[1]


def _prepare(tree: Path, engine: str) -> None:
    where, compiled = _engine_of(tree, engine)
    if not Path(where).resolve().is_relative_to((tree / "src").resolve()):
        raise SystemExit(f"{tree}: clearance is imported from {where}, not from the tree")
    if engine == "compiled" and compiled != "True":
        print(f"compiling {tree} (scripts/compile_native.py) …", flush=True)
        subprocess.run(
            [sys.executable, str(tree / "scripts" / "compile_native.py")],
            cwd=tree,
            env=_env(tree, engine),
            check=True,
        )
        where, compiled = _engine_of(tree, engine)
    if (compiled == "True") != (engine == "compiled"):
        raise SystemExit(f"{tree}: engine compiled={compiled}, asked for {engine}")


def _turn(tree: Path, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        "--entities",
        str(args.entities),
        "--queries",
        str(args.queries),
        "--cache",
        str(args.cache),
    ]
    proc = subprocess.run(
        command, env=_env(tree, args.engine), capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"{tree}: the measuring process failed ({proc.returncode})")
    line = next(x for x in proc.stdout.splitlines() if x.startswith(_MARK))
    measures: dict[str, Any] = json.loads(line[len(_MARK) :])
    if measures.get("compiled", args.engine == "compiled") != (args.engine == "compiled"):
        raise SystemExit(f"{tree}: ran with compiled={measures['compiled']} (sources edited?)")
    return measures


def _child(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(HERE))
    from clearance.matching import native
    from screening import _settings, measure_scale

    measures = measure_scale(_settings(args.cache), args.entities, args.queries, brute=0)
    measures["compiled"] = native.compiled()
    print(_MARK + json.dumps(measures), flush=True)
    return 0


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, help="the tree to compare with (e.g. 345d34c)")
    parser.add_argument("--head", type=Path, default=HERE.parent, help="the tree measured")
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=2, help="turns of each tree, interleaved")
    parser.add_argument("--engine", choices=["compiled", "pure"], default="compiled")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "clearance-bench"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args)
    if args.base is None:
        parser.error("--base is required")
    trees = {"base": args.base.resolve(), "head": args.head.resolve()}
    for tree in trees.values():
        _prepare(tree, args.engine)
    load = os.getloadavg()
    print(
        f"{args.entities:,} synthetic entities, {args.queries:,} queries, engine {args.engine}, "
        f"{args.rounds} rounds (base, head, …); load average before: "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        flush=True,
    )
    runs: dict[str, list[dict[str, Any]]] = {"base": [], "head": []}
    for turn in range(args.rounds):
        for label, tree in trees.items():
            measures = _turn(tree, args)
            runs[label].append(measures)
            print(
                f"  round {turn + 1} {label}: build {measures['build_s']:.1f} s, batch "
                f"{measures['batch_rate']:,.0f}/s, p50 {measures['p50_ms']:.2f} ms, p99 "
                f"{measures['p99_ms']:.2f} ms, peak RSS {measures['peak_rss_mb']:,.0f} MB; "
                f"load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
    header = ["measure"]
    for turn in range(args.rounds):
        header += [f"base {turn + 1}", f"head {turn + 1}"]
    header += ["base median", "head median", "head vs base"]
    rows = []
    for key, label, more_better in ROWS:
        base = [float(r[key]) for r in runs["base"]]
        head = [float(r[key]) for r in runs["head"]]
        row = [label]
        for b, h in zip(base, head, strict=True):
            row += [_fmt(b), _fmt(h)]
        mb, mh = statistics.median(base), statistics.median(head)
        change = (mh - mb) / mb * 100 if mb else 0.0
        better = (change >= 0) == more_better or change == 0
        row += [_fmt(mb), _fmt(mh), f"{change:+.1f}% ({'better' if better else 'worse'})"]
        rows.append(row)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print(f"\nbase {trees['base']}  ·  head {trees['head']}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
