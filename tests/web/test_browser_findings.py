"""The sites, assets and findings pages in Chromium: the restricted devices of a site found
from the sites list; several findings selected and their replacement planned (owner, due
date), seen in the list, on the finding's history and in the audit log; a viewer sees no
control and a forged POST answers 403, to every page route that changes something. axe-core
runs on every page visited."""

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


#: Page routes a viewer may POST to: signing in and out, their own tokens (which may do
#: no more than a viewer), and reports (a viewer makes reports; that changes no finding).
VIEWER_MAY_POST = {"/sign-in", "/sign-out", "/account/tokens", "/account/tokens/{token_id}/revoke"}
VIEWER_MAY_POST |= {"/reports"}
#: A value for each path parameter of the page routes.
PATH_VALUES = {
    "finding_id": "1",
    "supplier_id": "1",
    "disposition_id": "1",
    "verdict": "approve",
    "name": "demo-admin",
    "token_id": "1",
    "key": "x",
    "report_id": "1",
}


def test_a_viewer_is_refused_every_change_through_the_pages(page: Any, demo_site: DemoSite) -> None:
    from fastapi.routing import iter_route_contexts

    from clearance.server.app import create_app
    from clearance.server.config import ServerConfig
    from clearance.settings import Settings

    app = create_app(None, ServerConfig(settings=Settings.from_env(db_url=demo_site.db_url)))
    posts = sorted(
        route.path or ""
        for route in iter_route_contexts(app.routes)  # routers included, as served
        if "POST" in (route.methods or ())
        and not (route.path or "").startswith(("/api/", "/match/", "/reconcile/"))
        and route.path not in VIEWER_MAY_POST
    )
    assert {"/findings/bulk", "/review/suppliers/{supplier_id}/decide", "/admin/users"} <= set(
        posts
    )
    assert len(posts) >= 15  # every page route that changes something
    sign_in(page, demo_site.accounts["viewer"])
    page.goto("/review")
    accessible(page)
    shown = page.goto("/review/suppliers/1")
    assert shown is not None
    assert shown.status == 200
    accessible(page)
    assert page.locator("main form[method=post]").count() == 0  # no decision to make
    engine = open_store(demo_site.db_url)
    try:
        before = len(list_audit(engine, limit=100_000))
        token = page.locator("header input[name=csrf_token]").input_value()
        for template in posts:
            path = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m.group(1)], template)
            response = page.request.post(path, form={"csrf_token": token, "status": "removed"})
            assert response.status == 403, f"{path}: {response.status}"
        assert len(list_audit(engine, limit=100_000)) == before  # nothing recorded
    finally:
        engine.dispose()
