"""People's names compared part by part (clearance.matching.persons).

Examples are public figures of sanctions lists and news, not the pairs of the name_bench
benchmark: each rule with pairs that must match, and pairs that must stay apart.
"""

from __future__ import annotations

import pytest

from clearance.matching.person_parts import person_name
from clearance.matching.persons import (
    ONE_PART_CAP,
    SAME_NAME,
    compare_persons,
    part_likeness,
    transliteration_key,
)
from clearance.matching.score import compare_names

MATCH, REVIEW = 0.85, 0.70


def _score(a: str, b: str) -> float:
    return compare_names(a, b, person=True).score


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # surname first, as lists and registers write it
        ("KADYROV, Ramzan", "Ramzan Kadyrov"),
        ("MADURO MOROS, Nicolás", "Nicolás Maduro Moros"),
        # a patronymic or middle name one side leaves out
        ("Ramzan Akhmatovich Kadyrov", "Ramzan Kadyrov"),
        ("Nicolas Maduro", "Nicolás Maduro Moros"),
        # initials for given names
        ("R. Kadyrov", "Ramzan Kadyrov"),
        ("J. R. R. Tolkien", "John Ronald Reuel Tolkien"),
        # another script, another transliteration
        ("Рамзан Кадыров", "Ramzan Kadyrov"),
        ("Рамзан Ахматович Кадыров", "Ramzan Kadyrov"),
        ("Mohamed Morsi", "Muhammad Mursi"),
        ("李克强", "Li Keqiang"),
        ("李克強", "李克强"),  # traditional and simplified characters
        # German and English transliterations of Cyrillic, two of Arabic
        ("Jewgeni Prigoschin", "Yevgeny Prigozhin"),
        ("Alexei Navalny", "Aleksey Navalny"),
        ("Hassan Nasrallah", "Hasan Nasrullah"),
        ("Abdulmalik al-Houthi", "Abdul-Malik al-Huthi"),
        # an honorific, a doubled word, words run together
        ("Dr. Mohamed Morsi", "Mohamed Morsi"),
        ("Ramzan Ramzan Kadyrov", "Ramzan Kadyrov"),
        ("RamzanKadyrov", "Ramzan Kadyrov"),
    ],
)
def test_same_person_written_otherwise_matches(query: str, listed: str) -> None:
    assert _score(query, listed) >= MATCH


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # same surname, another given name: father and son
        ("Akhmat Kadyrov", "Ramzan Kadyrov"),
        ("Kim Il Sung", "Kim Jong Il"),
        # a patronymic link read the other way: the Emir and his father
        ("Hamad bin Khalifa Al Thani", "Khalifa bin Hamad Al Thani"),
        # one character more is another given name: two premiers of China
        ("李强", "李克强"),
        # different middle initials
        ("Robert F. Kennedy", "Robert E. Kennedy"),
    ],
)
def test_other_person_stays_apart(query: str, listed: str) -> None:
    assert _score(query, listed) < MATCH


def test_different_given_name_is_not_even_a_review() -> None:
    assert _score("Akhmat Kadyrov", "Ramzan Kadyrov") < REVIEW
    assert _score("Hamad bin Khalifa Al Thani", "Khalifa bin Hamad Al Thani") < REVIEW


def test_a_surname_alone_is_at_most_a_review() -> None:
    assert _score("Kadyrov", "Ramzan Kadyrov") == ONE_PART_CAP
    match, _, _ = compare_persons("Kadyrov", "Ramzan Kadyrov")
    assert match.capped


def test_parts_of_a_name() -> None:
    parts = person_name("AL THANI, Hamad bin Khalifa").parts
    assert [(p.text, p.kind) for p in parts] == [
        ("hamad", "part"),
        ("bin", "particle"),
        ("khalifa", "part"),
        ("al", "particle"),
        ("thani", "part"),
    ]
    assert [p.own for p in parts] == [True, False, False, False, False]
    han = person_name("李克强").parts
    assert [(p.surface, p.text, p.kind) for p in han] == [
        ("李", "li", "syllable"),
        ("克", "ke", "syllable"),
        ("强", "qiang", "syllable"),
    ]
    assert [p.kind for p in person_name("J. R. R. Tolkien").parts] == [
        "initial",
        "initial",
        "initial",
        "part",
    ]


def test_part_likeness_says_how() -> None:
    (houthi,) = person_name("Houthi").parts
    (huthi,) = person_name("Huthi").parts
    assert part_likeness(houthi, huthi) == (SAME_NAME, "same name, other transliteration")
    mohamed, muhammad = person_name("Mohamed").parts[0], person_name("Muhammad").parts[0]
    assert part_likeness(mohamed, muhammad)[1] == "sounds alike"
    (putin,) = person_name("Putin").parts
    (kadyrov,) = person_name("Kadyrov").parts
    assert part_likeness(putin, kadyrov) == (0.0, "")


@pytest.mark.parametrize(
    ("a", "b"),
    [("wiktor", "viktor"), ("sheikh", "shaikh"), ("xu", "shu"), ("alexei", "aleksey")],
)
def test_transliterations_fold_alike(a: str, b: str) -> None:
    assert transliteration_key(a) == transliteration_key(b)


def test_explanation_names_the_parts() -> None:
    why = compare_names("Ramzan Akhmatovich Kadyrov", "Ramzan Kadyrov", person=True)
    (line,) = why.explanation()
    assert "ramzan, kadyrov" in line
    assert "only one name has akhmatovich" in line
    apart = compare_names("Akhmat Kadyrov", "Ramzan Kadyrov", person=True).explanation()[0]
    assert "different parts: akhmat, ramzan" in apart


def test_organisations_keep_their_comparison() -> None:
    scored = compare_names("Hamad bin Khalifa Al Thani", "Khalifa bin Hamad Al Thani")
    assert scored.fired
    assert "person_name" not in [name for name, _ in scored.fired]


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Zhu Наіlun", "Zhu Hailun"),  # Cyrillic look-alikes in a Latin name
        ("Ramzan Kadyrоv", "Ramzan Kadyrov"),
        ("Wang Kingshan", "Wang Mingshan"),  # one typo on the first letter of a long part
        ("Chen iMngguo", "Chen Mingguo"),
    ],
)
def test_look_alikes_and_typos_at_the_start(query: str, listed: str) -> None:
    assert _score(query, listed) >= MATCH


def test_another_first_letter_of_a_short_part_is_another_name() -> None:
    assert _score("Harry Kadyrov", "Larry Kadyrov") < REVIEW
