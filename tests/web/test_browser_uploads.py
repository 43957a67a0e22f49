"""The upload pages in Chromium: a register whose combined make-and-model column Clearance
does not recognise, mapped on the page and saved, then its restricted devices; a viewer
refused. axe-core runs on every page visited."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import DemoSite, accessible, sign_in

pytestmark = pytest.mark.network
FIXTURES = Path(__file__).parents[1] / "fixtures"
# "Tag,Item,Where": Item holds "Hikvision DS-2CD2143G2-I" (see fixtures/discovery/README.md).
ODD_REGISTER = FIXTURES / "discovery" / "register_odd_headings.csv"


def test_a_register_with_a_make_model_column_is_mapped_then_saved(
    page: Any, demo_site: DemoSite
) -> None:
    sign_in(page, demo_site.accounts["editor"])
    page.get_by_role("link", name="Uploads").click()
    accessible(page)
    page.set_input_files("#register-file", str(ODD_REGISTER))
    page.fill("#register-site", "Gatineau")
    page.fill("#register-source", "Lab register")
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/uploads/register/*")
    assert "register_odd_headings.csv" in page.locator("[role=alert]").inner_text()
    assert page.get_by_role("button", name="Save the register").count() == 0  # nothing to save
    accessible(page)
    page.get_by_label("Item").select_option("make_model")
    page.get_by_label("Tag").select_option("asset_tag")
    page.get_by_role("button", name="Preview with this mapping").click()
    rows = page.locator("table.preview tbody tr").all_inner_texts()
    assert len(rows) == 2, rows
    assert "Hikvision DS-2CD2143G2-I" in rows[0]
    accessible(page)
    page.get_by_role("button", name="Save the register").click()
    page.wait_for_url("**/uploads/jobs/*")
    page.locator("table.restricted").wait_for()
    restricted = page.locator("table.restricted tbody tr").all_inner_texts()
    assert len(restricted) == 1, restricted
    assert "X-1" in restricted[0]
    assert "Hikvision" in restricted[0]
    assert "Saved as run" in page.locator("[role=status]").inner_text()
    accessible(page)


def test_a_viewer_can_neither_see_nor_post_an_upload(page: Any, demo_site: DemoSite) -> None:
    sign_in(page, demo_site.accounts["viewer"])
    accessible(page)
    assert page.get_by_role("link", name="Uploads").count() == 0
    # Through the browser's own session (page.request shares its cookies), not a token.
    refused = page.request.get("/uploads", headers={"Accept": "text/html"})
    assert refused.status == 403
    assert "Not allowed" in refused.text()
    token = page.locator("input[name=csrf_token]").first.input_value()
    posted = page.request.post(
        "/uploads/scans",
        multipart={
            "csrf_token": token,
            "files": {"name": "r.csv", "mimeType": "text/csv", "buffer": ODD_REGISTER.read_bytes()},
        },
    )
    assert posted.status == 403
    for admin_page in ("/admin/users", "/admin/tokens", "/audit-log"):
        assert page.request.get(admin_page, headers={"Accept": "text/html"}).status == 403


def test_the_pdf_report_downloads_with_the_organisation_named(
    page: Any, demo_site: DemoSite, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    sign_in(page, demo_site.accounts["viewer"])  # a viewer may read the reports
    page.get_by_role("link", name="Reports").click()
    accessible(page)
    page.get_by_label("PDF (to print or send)").check()
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Make and download the report").click()
    download = waiting.value
    assert re.fullmatch(r"clearance-report-\d{4}-\d\d-\d\d\.pdf", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    first = PdfReader(saved).pages[0].extract_text()
    assert "Department of Exemplary Services" in first


def test_an_admin_sees_users_tokens_and_the_audit_log_in_french(
    page: Any, demo_site: DemoSite
) -> None:
    sign_in(page, demo_site.accounts["admin"])
    page.get_by_role("link", name="Français").click()
    page.get_by_role("link", name="Utilisateurs").click()
    assert page.locator("h1").inner_text() == "Utilisateurs"
    assert "demo-viewer" in page.locator("table.users").inner_text()
    accessible(page)
    page.get_by_role("link", name="Jetons d’API").click()
    accessible(page)
    page.get_by_role("link", name="Journal d’audit").click()
    page.fill("#f-user", "demo")
    page.get_by_role("button", name="Filtrer").click()
    assert "user.create" in page.locator("table.audit").inner_text()
    accessible(page)
