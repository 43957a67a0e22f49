"""Defect 4 of issue 14: the work on a name grew with the square of its length (a 100 KB
name took 10 GB). Names are read from their first MAX_NAME_CHARS characters; a result says
when its name was cut, and a cut name is at least a review, never silently clear."""

from __future__ import annotations

import random
import string
import tracemalloc

from clearance.matching import CLEAR, MATCH, REVIEW, Screener
from clearance.matching.normalise import MAX_NAME_CHARS, normalise

#: Generous: a cut name takes about 1 MB; the same name read whole took gigabytes.
PEAK_BYTES = 64 * 1024 * 1024


def _letters(n: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(n))


def _words(n: int, seed: int) -> str:
    rng = random.Random(seed)
    return " ".join("".join(rng.choices(string.ascii_lowercase, k=6)) for _ in range(n // 7))


def _peak(screener: Screener, name: str) -> tuple[int, object]:
    tracemalloc.start()
    try:
        result = screener.screen(name)
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()


def test_normalisation_reads_the_first_characters_only() -> None:
    name = "Hikvision " + _letters(100_000, 1)
    norm = normalise(name)
    assert norm.text == name  # the name as given
    assert sum(len(t) for t in norm.tokens) <= MAX_NAME_CHARS
    assert norm.tokens[0] == "hikvision"


def test_a_100_kb_word_is_screened_in_bounded_memory_and_marked_cut(screener: Screener) -> None:
    name = "Hikvision " + _letters(100_000, 2)
    peak, result = _peak(screener, name)
    assert peak < PEAK_BYTES, f"{peak / 1e6:.0f} MB"
    assert result.status == REVIEW
    assert result.notes == (
        f"name cut to its first {MAX_NAME_CHARS:,} of {len(name):,} characters: "
        "the rest was not screened",
    )
    assert result.to_json()["notes"] == list(result.notes)


def test_the_part_screened_still_finds_a_listed_name(screener: Screener) -> None:
    name = "Hikvision Digital Technology" + " " * 100_000  # padded to a fixed width
    peak, result = _peak(screener, name)
    assert peak < PEAK_BYTES, f"{peak / 1e6:.0f} MB"
    assert result.status == MATCH
    assert result.hits[0].entity_id == "hikvision"
    assert result.notes
    assert result.hits[0].explanation[0] == result.notes[0]  # shown wherever the hit is


def test_a_cut_name_is_never_silently_clear(screener: Screener) -> None:
    name = _words(100_000, 3) + " Hikvision"  # the listed name lies past the cut
    peak, result = _peak(screener, name)
    assert peak < PEAK_BYTES, f"{peak / 1e6:.0f} MB"
    assert result.status == REVIEW
    assert result.hits == []
    assert "the rest was not screened" in result.notes[0]


def test_names_within_the_limit_carry_no_note(screener: Screener) -> None:
    name = "Hikvision " + _letters(MAX_NAME_CHARS - 10, 4)
    result = screener.screen(name)
    assert len(name) == MAX_NAME_CHARS
    assert result.notes == ()
    assert screener.screen("Apple Inc").status == CLEAR


def test_batches_mark_cut_names_too(screener: Screener) -> None:
    long_name = _words(5_000, 5)
    results = list(screener.screen_many(["Apple Inc", long_name, long_name], workers=2))
    assert [r.status for r in results] == [CLEAR, REVIEW, REVIEW]
    assert results[1].notes
    assert results[2].notes == results[1].notes
