"""Names found by what they start with, for the reconciliation service's entity suggestions
(OpenRefine asks as the user types).

Every name of every party is folded (accents off, case folded, traditional Chinese written
simplified, whitespace runs as one space) into one line of one text; a prefix is found by a
regular expression over that text, at the start of a name or of one of its words (anywhere in
a name for a prefix in Chinese, which has no spaces between words). A prefix is found by
``str.find`` over that text (400,000 names: about 45 ms a prefix, 1.2 s to build, on the
2-core test machine), with nothing else kept per name but its owner and where it starts.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from array import array
from collections.abc import Iterable

from clearance.matching.normalise import simplified

__all__ = ["NamePrefixes", "fold"]

_HAN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]")
#: Matches looked at for one prefix before ranking (a prefix of one letter finds many).
_MAX_SCANNED = 2000


def fold(text: str) -> str:
    """``text`` as it is compared: accents off, case folded, Chinese simplified, one line."""
    if text.isascii():
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    if _HAN.search(plain) is not None:
        plain = simplified(plain)
    return " ".join(plain.split())


class _Lines:
    """Folded names, one a line of one text, with where each line starts and its owner."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.owners = [owner for owner, _line in pairs]
        self.text = "\n" + "\n".join(line for _owner, line in pairs) + "\n"
        self.starts = array("q")  # 8 bytes a name, not an int object each
        pos = 1
        for _owner, line in pairs:
            self.starts.append(pos)
            pos += len(line) + 1

    def rank(self, needles: list[str], ranked: dict[str, tuple[int, int]]) -> None:
        """Rank into ``ranked`` the owners of the lines holding a needle (up to
        :data:`_MAX_SCANNED` a needle): a line starting with the key first, then shorter."""
        text = self.text
        for needle in needles:
            skip = len(needle) - len(needle.lstrip("\n "))
            pos = text.find(needle)
            for _ in range(_MAX_SCANNED):
                if pos < 0:
                    break
                at = pos + skip
                line = bisect.bisect_right(self.starts, at) - 1
                start = self.starts[line]
                rank = (0 if at == start else 1, text.index("\n", at) - start)
                owner = self.owners[line]
                if owner not in ranked or rank < ranked[owner]:
                    ranked[owner] = rank
                pos = text.find(needle, pos + 1)


class NamePrefixes:
    """The names of a set of entities, searchable by prefix. Names that fold to ASCII are
    kept apart from the others, so that their text takes one byte a letter and is scanned
    fastest."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        """``names``: (entity id, name) pairs, an entity's main name first."""
        ascii_lines: list[tuple[str, str]] = []
        other_lines: list[tuple[str, str]] = []
        for owner, name in names:
            folded = fold(name)
            if folded:
                (ascii_lines if folded.isascii() else other_lines).append((owner, folded))
        self._parts = (_Lines(ascii_lines), _Lines(other_lines))
        self._count = len(ascii_lines) + len(other_lines)

    def __len__(self) -> int:
        return self._count

    def find(self, prefix: str, limit: int) -> list[str]:
        """Ids of the entities with a name starting with ``prefix`` (or with a word of one
        starting with it): names that start with it first, then shorter names first."""
        key = fold(prefix)
        if not key or limit <= 0:
            return []
        leads = ("",) if _HAN.search(key) is not None else ("\n", " ")
        needles = [f"{lead}{key}" for lead in leads]
        ranked: dict[str, tuple[int, int]] = {}
        for part in self._parts if key.isascii() else self._parts[1:]:
            part.rank(needles, ranked)
        return sorted(ranked, key=lambda owner: ranked[owner])[:limit]
