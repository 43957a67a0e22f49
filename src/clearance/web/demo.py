"""The demo site of ``clearance serve --demo``: a store holding the bundled demo organisation
as ``clearance audit --demo`` leaves it (its sites, assets, findings and supplier hits, found
by auditing its devices emulated on loopback), its profile, and one account per role."""

from __future__ import annotations

import secrets
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import Engine

from clearance.auth.roles import USER_ROLES
from clearance.auth.users import add_user
from clearance.errors import OperationalError
from clearance.profile import OrganisationProfile

__all__ = ["DemoAccount", "demo_accounts", "demo_store"]

#: The file ``clearance audit --demo`` stores the demo organisation in, under its --out folder.
DEMO_DB = "clearance-demo.sqlite"


@dataclass(slots=True, frozen=True)
class DemoAccount:
    role: str
    username: str
    password: str


def demo_store(folder: Path) -> Path:
    """Audit the demo organisation into ``folder`` (its report files too) and return the
    SQLite file holding it. The audit runs as ``clearance audit --demo`` in a child process,
    so its device emulators and their sockets end with it."""
    folder.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-c",
        "from clearance.cli.app import main; main()",
        "audit",
        "--demo",
        "--out",
        str(folder),
        "--format",
        "json",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    if done.returncode not in (0, 1):  # 1: restricted equipment found, as the demo means
        raise OperationalError(f"the demo audit failed: {done.stderr.strip()[-2000:]}")
    return folder / DEMO_DB


def demo_accounts(engine: Engine) -> list[DemoAccount]:
    """One new account per role (``demo-admin``, ``demo-editor`` …), each with a random
    password, and the organisation's profile stored so the pages show its name."""
    from clearance.audit.organisation import load_demo
    from clearance.store.profile import save_profile

    org = load_demo()
    profile = org.profile or OrganisationProfile()
    save_profile(engine, replace(profile, name=profile.name or org.name), user="demo")
    accounts = []
    for role in USER_ROLES:
        account = DemoAccount(role, f"demo-{role}", secrets.token_urlsafe(12))
        add_user(engine, account.username, role=role, password=account.password, user="demo")
        accounts.append(account)
    return accounts
