"""The sites, assets and findings pages in Chromium: the restricted devices of a site found
from the sites list; several findings selected and their replacement planned (owner, due
date), seen in the list, on the finding's history and in the audit log; a viewer sees no
control and a forged POST answers 403. axe-core runs on every page visited."""

from __future__ import annotations

import re
from typing import Any

import pytest

from clearance.store.audit import list_audit
from clearance.store.db import open_store
from tests.web.conftest import DemoSite, accessible, sign_in

pytestmark = pytest.mark.network


def test_see_the_restricted_devices_of_a_site(page: Any, demo_site: DemoSite) -> None:
    sign_in(page, demo_site.accounts["viewer"])
    page.get_by_role("link", name="Sites", exact=True).click()
    page.wait_for_url("**/sites")
    accessible(page)
    page.get_by_role("link", name=re.compile(r"^\d+ restricted assets at Ottawa HQ$")).click()
    page.wait_for_url("**/assets?site=Ottawa*restricted=yes")
    accessible(page)
    rows = page.locator("table.assets tbody tr")
    assert rows.count() > 0
    for text in rows.all_inner_texts():
        assert "Ottawa HQ" in text
        assert "Yes:" in text
    rows.first.locator("th a").click()
    page.wait_for_url(re.compile(r"/assets/\d+$"))
    accessible(page)
    assert page.locator("h2#sightings").is_visible()
    assert page.locator("section[aria-labelledby=why] table.listings").count() > 0


def test_plan_the_replacement_of_several_findings(page: Any, demo_site: DemoSite) -> None:
    editor = demo_site.accounts["editor"]
    sign_in(page, editor)
    page.get_by_role("link", name="Findings", exact=True).click()
    page.select_option("#f-site", "Toronto Regional Office")  # htmx swaps the results
    page.wait_for_url(re.compile(r"site=Toronto"))
    page.locator("#f-status").select_option("open")
    page.wait_for_url(re.compile(r"status=open"))
    accessible(page)
    boxes = page.locator("input[name=ids]")
    select_all = page.get_by_label("Select every finding on this page")
    select_all.check()
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    select_all.uncheck()
    assert not any(boxes.nth(i).is_checked() for i in range(boxes.count()))
    picked = [boxes.nth(i).get_attribute("value") for i in range(3)]
    for i in range(3):
        boxes.nth(i).check()
    page.select_option("#b-status", "replacement_planned")
    page.select_option("#b-owner", editor.username)
    page.fill("#b-due", "2027-03-31")
    page.fill("#b-note", "Replace with cameras from the approved list")
    page.get_by_role("button", name="Apply to selected").click()
    page.wait_for_url(re.compile(r"changed=3"))
    assert page.locator("[role=status]").inner_text() == "3 findings changed."
    accessible(page)
    page.goto("/findings?site=Toronto+Regional+Office&status=replacement_planned")
    for fid in picked:
        row = page.locator("table.findings tbody tr", has=page.locator(f"#pick-{fid}"))
        text = row.inner_text()
        assert "replacement planned" in text
        assert editor.username in text
        assert "Mar 31, 2027" in text
    page.get_by_role("link", name=f"Finding {picked[0]}", exact=True).click()
    history = page.locator("section[aria-labelledby=history]").inner_text()
    assert "open → replacement planned" in history
    assert "Replace with cameras from the approved list" in history
    accessible(page)
    audit = list_audit(open_store(demo_site.db_url), action="finding.replacement_planned")
    changed = {e.object_id: e for e in audit if e.user == editor.username}
    assert set(picked) <= set(changed)
    assert changed[str(picked[0])].after["owner"] == editor.username


def test_a_viewer_cannot_change_anything(page: Any, demo_site: DemoSite) -> None:
    sign_in(page, demo_site.accounts["viewer"])
    page.goto("/findings")
    accessible(page)
    assert page.locator("input[name=ids]").count() == 0
    assert page.get_by_role("button", name="Apply to selected").count() == 0
    page.goto("/findings/1")
    accessible(page)
    assert page.locator("main form").count() == 0  # no status, note or file form
    token = page.locator("header input[name=csrf_token]").input_value()
    for path, data in [
        ("/findings/bulk", {"ids": "1", "status": "removed"}),
        ("/findings/1/change", {"status": "removed"}),
        ("/findings/1/notes", {"text": "forged"}),
    ]:
        response = page.request.post(path, form={"csrf_token": token, **data})
        assert response.status == 403, path
    page.reload()
    assert page.locator("dd.status").inner_text() == "open"
