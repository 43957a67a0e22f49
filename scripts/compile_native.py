"""Compile the screening engine's hot modules to C with mypyc (``make compile``).

The modules stay plain Python: without this step (or with ``CLEARANCE_PURE_PYTHON=1``)
Clearance runs them interpreted, with the same results, about half as fast. The compiled
extensions are written next to their sources in ``src/`` with a stamp file recording the
hashes of the sources they were built from; ``clearance.matching`` ignores extensions whose
sources have changed since (see ``clearance/matching/native.py``).

Run:  .venv/bin/python scripts/compile_native.py
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PACKAGE = SRC / "clearance" / "matching"
sys.path.insert(0, str(SRC))

from clearance.matching.native import COMPILED, GROUP, KERNEL, STAMP  # noqa: E402


def main() -> int:
    from mypyc.build import mypycify
    from setuptools import Distribution, Extension

    sources = [PACKAGE / f"{name}.py" for name in COMPILED]
    for old in [*PACKAGE.glob("*.so"), *SRC.glob(f"{GROUP}__mypyc*.so"), PACKAGE / STAMP]:
        old.unlink(missing_ok=True)
    os.environ.setdefault("MYPYC_OPT_LEVEL", "3")
    cwd = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="clearance-mypyc-") as tmp:
        os.chdir(SRC)
        try:
            extensions = mypycify(
                [str(s.relative_to(SRC)) for s in sources],
                opt_level=os.environ["MYPYC_OPT_LEVEL"],
                group_name=GROUP,
                target_dir=str(Path(tmp) / "c"),
            )
            # The postings merge, hand-written in C (see its header comment).
            extensions.append(
                Extension(
                    f"clearance.matching.{KERNEL}",
                    [str((PACKAGE / f"{KERNEL}.c").relative_to(SRC))],
                    extra_compile_args=["-O3"],
                )
            )
            dist = Distribution({"name": GROUP, "ext_modules": extensions})
            cmd = dist.get_command_obj("build_ext")
            cmd.inplace = True  # type: ignore[attr-defined]
            cmd.build_temp = str(Path(tmp) / "build")  # type: ignore[attr-defined]
            dist.run_command("build_ext")
        finally:
            os.chdir(cwd)
    shutil.rmtree(SRC / "build", ignore_errors=True)
    sources.append(PACKAGE / f"{KERNEL}.c")
    stamp = {s.stem: hashlib.sha256(s.read_bytes()).hexdigest() for s in sources}
    (PACKAGE / STAMP).write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
    print(f"compiled {', '.join(COMPILED)} (mypyc, group {GROUP}) and {KERNEL} (C)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
