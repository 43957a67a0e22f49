"""The version of the screening engine recorded with every result: its name and a hash of
what decides its answers.

``clearance-v1+<12 hex>``: the hash covers the source of every module of this package
and its subpackages (``.py``, and the C postings merge ``.c``), the legal-form table's reader
(``clearance/legal_forms.py``) and every data file under
``clearance/data/matching`` (word lists, tables), names and contents. Any change to the
code or its data gives another version, so results and cached indexes from another engine
are told apart without anyone remembering to bump a number. Compiled (``make compile``) and
interpreted runs read the same sources, so they record the same version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

__all__ = ["ALGORITHM", "NAME", "engine_files", "version_of"]

#: The algorithm's name: what its features and their combination are (score.py).
NAME = "clearance-v1"
_SUFFIXES = (".py", ".c")
_HERE = Path(__file__).resolve().parent
_DATA = _HERE.parent / "data" / "matching"
#: Modules outside this package whose tables decide the engine's answers too.
_SHARED = (_HERE.parent / "legal_forms.py",)


def engine_files(
    package: Path = _HERE, data: Path = _DATA, shared: tuple[Path, ...] = _SHARED
) -> list[tuple[str, Path]]:
    """The files the engine's version is computed from, each with the name it is hashed
    under (relative to its folder), in a fixed order."""
    sources = [p for p in package.rglob("*") if p.suffix in _SUFFIXES and p.is_file()]
    tables = [p for p in data.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted(
        [(f"matching/{p.relative_to(package).as_posix()}", p) for p in sources]
        + [(f"data/matching/{p.relative_to(data).as_posix()}", p) for p in tables]
        + [(p.name, p) for p in shared if p.is_file()]
    )


def version_of(files: Iterable[tuple[str, Path]], name: str = NAME) -> str:
    """``name+<12 hex>``: a SHA-256 over the files' names and contents."""
    digest = hashlib.sha256()
    for label, path in files:
        content = path.read_bytes()
        digest.update(f"{label}\0{len(content)}\0".encode())
        digest.update(content)
    return f"{name}+{digest.hexdigest()[:12]}"


#: The version of this engine, recorded with every result (computed once, on import).
ALGORITHM = version_of(engine_files())
