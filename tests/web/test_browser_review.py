"""The review queue and the registry in Chromium: a strong hit cleared by one reviewer waits
for a second, who approves it (the supplier's finding is then closed as a false positive),
while the first cannot approve their own; a search in Chinese finds Hikvision, whose page
shows its Chinese names and its listings. axe-core runs on every page visited."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from clearance.store.db import open_store
from clearance.store.schema import findings
from clearance.store.suppliers import list_suppliers
from tests.web.conftest import DemoSite, accessible, sign_in

pytestmark = pytest.mark.network

INPUT = "Hangzhou Haikang Weishi Shuzi Jishu Youxian Gongsi"


def _finding_status(site: DemoSite, subject_query: str) -> str:
    engine = open_store(site.db_url)
    try:
        supplier = next(s for s in list_suppliers(engine) if s.query == subject_query)
        with engine.connect() as conn:
            status = conn.execute(
                select(findings.c.status).where(findings.c.subject == f"supplier:{supplier.id}")
            ).scalar_one()
        return str(status)
    finally:
        engine.dispose()


def test_a_strong_hit_cleared_by_one_reviewer_needs_a_second(
    page: Any, demo_site: DemoSite
) -> None:
    assert _finding_status(demo_site, INPUT) == "open"
    sign_in(page, demo_site.accounts["reviewer"])
    page.get_by_role("link", name="Review queue").click()
    accessible(page)
    page.get_by_role("link", name=INPUT).click()
    hit = page.locator("#hit-hikvision")
    assert "杭州海康威视数字技术股份有限公司" in hit.inner_text()  # the name matched
    assert "84 FR 54002" in hit.inner_text()  # a listing's citation
    accessible(page)
    hit.get_by_label("a false positive: clear it").check()
    hit.get_by_label("Reason").fill("Another company of the same romanised name.")
    hit.get_by_role("button", name="Record the decision").click()
    assert "waits for a second reviewer" in page.locator("[role=status]").inner_text()
    hit = page.locator("#hit-hikvision")
    assert "Waits for a second reviewer." in hit.inner_text()
    assert "another reviewer must approve" in hit.inner_text()
    assert hit.get_by_role("button", name="Approve the clearance").count() == 0
    accessible(page)
    page.get_by_role("link", name="Back to the review queue").click()
    page.select_option("#waiting", "approval")
    page.get_by_role("button", name="Filter").click()
    accessible(page)
    assert page.locator("table.queue tbody tr").all_inner_texts() == [
        f"{INPUT}\tHangzhou Hikvision Digital Technology Co., Ltd.\t1.00\ta second reviewer"
    ]
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, demo_site.accounts["editor"])
    page.goto("/review?waiting=approval")
    page.get_by_role("link", name=INPUT).click()
    hit = page.locator("#hit-hikvision")
    hit.get_by_label("Reason for approving or rejecting").fill("Checked the company register.")
    hit.get_by_role("button", name="Approve the clearance").click()
    assert "Clearance approved" in page.locator("[role=status]").inner_text()
    decided = page.locator("#hit-hikvision .decided").inner_text()
    assert decided.startswith("false positive: decided by demo-reviewer on ")
    accessible(page)
    page.goto("/review")
    assert INPUT not in page.locator("main").inner_text()
    assert _finding_status(demo_site, INPUT) == "false_positive"


def test_search_in_chinese_finds_hikvision_and_its_page(page: Any, demo_site: DemoSite) -> None:
    sign_in(page, demo_site.accounts["viewer"])
    page.get_by_role("link", name="Registry").click()
    accessible(page)
    page.get_by_label("Name").fill("海康威视")
    page.get_by_role("button", name="Search").click()
    accessible(page)
    page.get_by_role("link", name="Hangzhou Hikvision Digital Technology Co., Ltd.").click()
    assert page.locator("h1").inner_text() == "Hangzhou Hikvision Digital Technology Co., Ltd."
    names = page.locator("table.names").inner_text()
    assert "杭州海康威视数字技术股份有限公司" in names
    assert "Han (Chinese)" in names
    listings = page.locator("table.listings").inner_text()
    assert "us-bis-entity-list" in listings
    assert "84 FR 54002" in listings
    assert "EZVIZ" in page.locator("table.relations").inner_text()
    accessible(page)
    page.get_by_role("link", name="Français").click()
    assert page.locator("h2#names-heading").inner_text() == "Noms"
    accessible(page)
    page.get_by_role("link", name="Registre", exact=True).click()
    page.get_by_role("link", name="Versions des listes et ce qui a changé").click()
    assert page.locator("table.versions tbody tr").count() == 1
    accessible(page)
