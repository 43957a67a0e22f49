"""The pages in Chromium: signing in and out, the overview of the demo organisation, the
language switch, one's own tokens. axe-core runs on every page visited."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.conftest import DemoSite, accessible, sign_in

pytestmark = pytest.mark.network


def test_sign_in_shows_the_restricted_devices_per_site(page: Any, demo_site: DemoSite) -> None:
    page.goto("/overview")  # no session: sent to the sign-in page, then back
    assert "/sign-in" in page.url
    sign_in(page, demo_site.accounts["viewer"])
    accessible(page)
    assert page.locator("h1").inner_text() == "Overview"
    totals = page.locator(".totals").inner_text()
    assert re.search(r"\d+ restricted devices need work", totals), totals
    sites = page.locator("table.counts tbody th").all_inner_texts()
    assert {"Ottawa HQ", "Gatineau", "Toronto Regional Office"} <= set(sites)
    assert "Department of Exemplary Services" in page.locator("header").inner_text()


def test_a_wrong_password_is_refused_and_sign_out_ends_the_session(
    page: Any, demo_site: DemoSite
) -> None:
    account = demo_site.accounts["editor"]
    page.goto("/sign-in")
    page.fill("input[name=username]", account.username)
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")
    assert page.locator("[role=alert]").inner_text() == "Wrong username or password."
    accessible(page)
    sign_in(page, account)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")
    page.goto("/overview")
    assert "/sign-in" in page.url


def test_switch_to_french_on_every_page(page: Any, demo_site: DemoSite) -> None:
    sign_in(page, demo_site.accounts["reviewer"])
    page.get_by_role("link", name="Français").click()
    page.wait_for_url("**/overview")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Vue d’ensemble"
    assert "appareils visés" in page.locator(".totals").inner_text()
    accessible(page)
    page.get_by_role("link", name="Mes jetons").click()
    assert page.locator("h1").inner_text() == "Mes jetons"
    accessible(page)
    page.get_by_role("link", name="English").click()
    assert page.locator("h1").inner_text() == "My tokens"


def test_a_browser_asking_for_french_gets_french(browser: Any, demo_site: DemoSite) -> None:
    context = browser.new_context(base_url=demo_site.url, locale="fr-CA")
    try:
        french = context.new_page()
        french.goto("/sign-in")
        assert french.locator("h1").inner_text() == "Se connecter"
    finally:
        context.close()


def test_own_token_is_shown_once_then_revoked(page: Any, demo_site: DemoSite) -> None:
    sign_in(page, demo_site.accounts["editor"])
    page.get_by_role("link", name="My tokens").click()
    accessible(page)
    roles = page.locator("#token-role option").all_inner_texts()
    assert roles == ["sensor", "read", "write"]
    page.fill("#token-name", "nightly export")
    page.select_option("#token-role", "read")
    page.get_by_role("button", name="Make token").click()
    secret = page.locator("#secret").input_value()
    assert secret.startswith("clr_")
    accessible(page)
    page.goto("/account/tokens")
    assert secret not in page.content()  # shown once only
    page.get_by_role("button", name="Revoke nightly export").click()
    assert page.locator("tbody tr", has_text="nightly export").inner_text().endswith("revoked")


def test_keyboard_reaches_the_main_content_first(page: Any, demo_site: DemoSite) -> None:
    sign_in(page, demo_site.accounts["viewer"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
