"""Names found by what they start with, for the reconciliation service's entity suggestions
(OpenRefine asks as the user types).

Every name of every party is folded (accents off, case folded, traditional Chinese written
simplified, whitespace runs as one space) into one line of one text; a prefix is found by a
regular expression over that text, at the start of a name or of one of its words (anywhere in
a name for a prefix in Chinese, which has no spaces between words). One scan of the text
costs about as much as reading it, with nothing else to keep per name but its owner.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable

from clearance.matching.normalise import simplified

__all__ = ["NamePrefixes", "fold"]

_HAN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]")
#: Matches looked at for one prefix before ranking (a prefix of one letter finds many).
_MAX_SCANNED = 2000


def fold(text: str) -> str:
    """``text`` as it is compared: accents off, case folded, Chinese simplified, one line."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    if _HAN.search(plain) is not None:
        plain = simplified(plain)
    return " ".join(plain.split())


class NamePrefixes:
    """The names of a set of entities, searchable by prefix."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        """``names``: (entity id, name) pairs, an entity's main name first."""
        owners: list[str] = []
        lines: list[str] = []
        for owner, name in names:
            folded = fold(name)
            if folded:
                owners.append(owner)
                lines.append(folded)
        self._owners = owners
        self._text = "\n" + "\n".join(lines) + "\n"
        self._starts: list[int] = []
        pos = 1
        for line in lines:
            self._starts.append(pos)
            pos += len(line) + 1

    def __len__(self) -> int:
        return len(self._owners)

    def find(self, prefix: str, limit: int) -> list[str]:
        """Ids of the entities with a name starting with ``prefix`` (or with a word of one
        starting with it): names that start with it first, then shorter names first."""
        key = fold(prefix)
        if not key or limit <= 0:
            return []
        anywhere = _HAN.search(key) is not None
        pattern = re.compile(("" if anywhere else r"(?<=[\n ])") + re.escape(key))
        ranked: dict[str, tuple[int, int]] = {}
        for scanned, found in enumerate(pattern.finditer(self._text)):
            if scanned >= _MAX_SCANNED:
                break
            line = bisect.bisect_right(self._starts, found.start()) - 1
            start = self._starts[line]
            end = self._text.index("\n", found.start())
            rank = (0 if found.start() == start else 1, end - start)
            owner = self._owners[line]
            if owner not in ranked or rank < ranked[owner]:
                ranked[owner] = rank
        return sorted(ranked, key=lambda owner: ranked[owner])[:limit]
