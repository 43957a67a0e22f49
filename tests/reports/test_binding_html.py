"""The HTML work list under an organisation profile (the listings that bind it first, the
others under "also restricted by:"), and supplier explanations in the report's language."""

from __future__ import annotations

import re
from dataclasses import replace

from clearance import i18n
from clearance.reports.data import ReportData
from clearance.reports.html import render_html
from clearance.reports.rows import supplier_row


def _bound(sample: ReportData, flags: list[bool]) -> ReportData:
    device = sample.devices[0]
    refs = [replace(ref, binding=flag) for ref, flag in zip(device.listings, flags, strict=False)]
    return replace(sample, devices=[replace(device, listings=tuple(refs)), *sample.devices[1:]])


def _first_cell(html: str) -> str:
    found = re.search(r'<td class="cite"><ul>(.*?)</ul>', html, re.S)
    assert found is not None
    return found.group(1)


def test_binding_listings_lead_and_the_rest_are_also(sample: ReportData) -> None:
    n = len(sample.devices[0].listings)
    assert n >= 2
    cell = _first_cell(render_html(_bound(sample, [True] + [False] * (n - 1)), lang="en"))
    items = re.findall(r"<li( class=\"\w+\")?>", cell)
    assert items[0] == ' class="binding"'
    assert items[1] == ' class="also"'
    assert "also restricted by:" in cell
    french = _first_cell(render_html(_bound(sample, [True] + [False] * (n - 1)), lang="fr"))
    assert "également visé par :" in french


def test_without_a_binding_listing_the_report_says_so(sample: ReportData) -> None:
    n = len(sample.devices[0].listings)
    cell = _first_cell(render_html(_bound(sample, [False] * n), lang="en"))
    assert "restricted by (none binds this organisation):" in cell
    assert "also restricted by" not in cell


def test_without_a_profile_no_label(sample: ReportData) -> None:
    cell = _first_cell(render_html(sample, lang="en"))
    assert 'class="also"' not in cell
    assert 'class="binding"' not in cell


def test_supplier_explanations_in_the_report_language() -> None:
    hit = {
        "entity": "Hikvision",
        "entity_id": "hikvision",
        "score": 1.0,
        "explanation": ["same name as 'Hikvision' after normalisation", "a line of no template"],
    }
    result = {"query": "Hikvision", "status": "match", "hits": [hit]}
    with i18n.use_lang("fr"):
        french = supplier_row(result)
    english = supplier_row(result)
    assert french is not None
    assert english is not None
    assert french.explanation == (
        "même nom que 'Hikvision' après normalisation",
        "a line of no template",
    )
    assert english.explanation == tuple(hit["explanation"])
