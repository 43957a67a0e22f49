"""Compiled (mypyc) or interpreted: which code of the screening engine runs.

``make compile`` (part of ``make setup``) builds C extensions of the modules in
:data:`COMPILED` next to their sources and stamps the hashes of those sources. Python
prefers an extension over a ``.py`` file of the same name, so an extension built from an
older source would silently run old code: :func:`use_fresh_code` loads the sources instead
whenever the stamp does not match (or ``CLEARANCE_PURE_PYTHON=1`` asks for them).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

__all__ = ["COMPILED", "GROUP", "KERNEL", "STAMP", "compiled", "postings_kernel", "use_fresh_code"]

#: Modules compiled, in import order (each imports only the ones before it).
COMPILED = (
    "spelling",
    "words",
    "romanised",
    "normalise",
    "cantonese",
    "likeness",
    "alignment",
    "features",
    "postings",
    "index_build",
    "index",
    "acronyms",
    "score",
    "results",
    "hits",
    "batch",
    "screen",
)
#: The hand-written C module (``_postings.c``): the postings merge of ``index``.
KERNEL = "_postings"
GROUP = "clearance_matching"
STAMP = "compiled.json"
_HERE = Path(__file__).resolve().parent
_state = {"compiled": False}


def compiled() -> bool:
    """Whether the compiled extensions are in use."""
    return _state["compiled"]


def _extensions() -> list[Path]:
    return [p for p in _HERE.glob("*.so") if p.name.split(".")[0] in COMPILED]


def _stamp_matches(names: tuple[str, ...] = COMPILED, suffix: str = ".py") -> bool:
    try:
        stamp = json.loads((_HERE / STAMP).read_text(encoding="utf-8"))
        return all(
            stamp.get(name) == hashlib.sha256((_HERE / f"{name}{suffix}").read_bytes()).hexdigest()
            for name in names
        )
    except (OSError, ValueError):
        return False


@functools.cache
def postings_kernel() -> Callable[..., list[int]] | None:
    """The C postings merge (``_postings.best_keys``), or ``None`` to merge with numpy.

    ``None`` when the module was not built, was built from another version of its source,
    or ``CLEARANCE_PURE_PYTHON=1`` asks for the interpreted engine. Both merges give the same
    keys in the same order.
    """
    if (
        os.environ.get("CLEARANCE_PURE_PYTHON") == "1"
        or not any(_HERE.glob(f"{KERNEL}.*.so"))
        or not _stamp_matches((KERNEL,), ".c")
    ):
        return None
    module = importlib.import_module(f"{__name__.rpartition('.')[0]}.{KERNEL}")
    kernel: Callable[..., list[int]] = module.best_keys
    return kernel


def use_fresh_code() -> None:
    """Make sure the engine's modules run their current source (compiled or not).

    Called by ``clearance.matching`` before it imports them.
    """
    package = __name__.rpartition(".")[0]
    if any(f"{package}.{name}" in sys.modules for name in COMPILED):
        return  # already imported
    if not _extensions():
        return
    if os.environ.get("CLEARANCE_PURE_PYTHON") != "1" and _stamp_matches():
        _state["compiled"] = True
        return
    parent = sys.modules[package]
    for name in COMPILED:
        full = f"{package}.{name}"
        spec = importlib.util.spec_from_file_location(full, _HERE / f"{name}.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[full] = module
        spec.loader.exec_module(module)
        setattr(parent, name, module)
