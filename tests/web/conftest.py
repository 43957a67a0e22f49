"""The web pages on loopback: the demo organisation audited into a store (as
``clearance serve --demo`` makes it), one account per role, the app served by uvicorn in a
thread on 127.0.0.1, and Debian's Chromium driven by Playwright, with axe-core run on the
pages the tests visit and a screenshot of each test's last page under its ``tmp_path``."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from clearance.server.app import create_app
from clearance.server.config import ServerConfig
from clearance.server.state import load_state
from clearance.settings import Settings
from clearance.store.db import open_store
from clearance.web.demo import DemoAccount, demo_accounts, demo_store


@dataclass(frozen=True)
class DemoSite:
    url: str
    db_url: str
    accounts: dict[str, DemoAccount]


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo organisation audited into a SQLite file (once per test session)."""
    return demo_store(tmp_path_factory.mktemp("demo"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def demo_site(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    """A copy of the demo store with one account per role and its registry loaded, served on
    127.0.0.1 with its screening index loaded (the registry pages search with it)."""
    path = tmp_path_factory.mktemp("site") / "store.sqlite"
    shutil.copyfile(demo_db, path)
    db_url = f"sqlite:///{path}"
    engine = open_store(db_url)
    accounts = {a.role: a for a in demo_accounts(engine)}
    engine.dispose()
    settings = replace(Settings.from_env(db_url=db_url), cache_dir=path.parent / "cache")
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(load_state(settings), ServerConfig(settings=settings)),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    yield DemoSite(f"http://127.0.0.1:{port}", db_url, accounts)
    server.should_exit = True
    thread.join()


# Module scope: Playwright's sync API keeps an event loop running in this thread while it is
# started, and the anyio tests of the next modules need to run their own.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = shutil.which("chromium")
    if executable is None:
        reason = "Debian's chromium is not installed (scripts/system-deps.sh installs it)"
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI runs setup, so a missing browser is a broken setup
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, demo_site: DemoSite, tmp_path: Path) -> Iterator[Any]:
    """A fresh browser context (no cookies) on the demo site; its last page is saved as
    ``last-page.png`` under the test's ``tmp_path``."""
    context = browser.new_context(base_url=demo_site.url, locale="en-CA")
    opened = context.new_page()
    errors: list[str] = []
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield opened
    opened.screenshot(path=str(tmp_path / "last-page.png"), full_page=True)
    context.close()
    assert not errors, f"the browser's console reported errors: {errors}"


def accessible(page: Any) -> None:
    """axe-core on ``page`` as it is: no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"axe on {page.url}: {bad}"


def sign_in(page: Any, account: DemoAccount) -> None:
    """Sign in through the form, as a person does."""
    page.goto("/sign-in")
    accessible(page)
    page.fill("input[name=username]", account.username)
    page.fill("input[name=password]", account.password)
    page.click("button[type=submit]")
    page.wait_for_url("**/overview")
