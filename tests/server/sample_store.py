"""A store with something in it, for tests of the server's routes: the seed registry and a
second version imported over it, scan runs of two sites, a screen run, and a token of each
token role."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from clearance.auth.roles import TOKEN_ROLES
from clearance.model import Entity, EntityKind, ListInfo, Listing
from clearance.registry.importers import Item
from clearance.settings import Settings
from clearance.store import ensure_registry, open_store
from clearance.store.recording import save_assets, save_screening
from clearance.store.registry_import import import_items
from tests.server.principals import role_tokens
from tests.store.factories import FCC, camera, screening

LIST = ListInfo("test-list", "Test list", "Tester", "US", "sanctions", "https://example.test/l")


@dataclass(slots=True, frozen=True)
class ApiStore:
    """The populated store: its settings and a token secret of each token role."""

    settings: Settings
    tokens: dict[str, str]

    def auth(self, role: str = "admin") -> dict[str, str]:
        """Headers of a caller with ``role``: a token's, or a test user's (see principals)."""
        if role in self.tokens:
            return {"Authorization": f"Bearer {self.tokens[role]}"}
        return {"X-Test-User": role}


def _company(eid: str, name: str) -> Entity:
    listing = Listing("test-list", "Tester", "US", "P", LIST.source_url, entry_id=eid)
    return Entity(eid, EntityKind.COMPANY, name, listings=[listing])


def populate(settings: Settings) -> dict[str, str]:
    """Fill the store; return a token secret of each token role."""
    engine = open_store(settings.db_url)
    try:
        ensure_registry(engine)
        items: list[Item] = [
            LIST,
            _company("test-list-a", "Alpha Widgets Ltd"),
            _company("test-list-b", "Beta Optics Ltd"),
            _company("test-list-c", "Gamma Relays Ltd"),
        ]
        import_items(engine, items, note="test list")
        hq = ["10.0.0.0/24"]
        a = camera("44:19:b6:00:00:01", "10.0.0.1")
        b = camera("44:19:b6:00:00:02", "10.0.0.2")
        c = camera("44:19:b6:00:00:03", "10.0.0.3", restricted=False)
        save_assets(engine, [a, b], kind="scan", targets=hq, user="ana", site="HQ")
        save_assets(engine, [a, c], kind="scan", targets=hq, user="ana", site="HQ")
        save_assets(engine, [a, b, c], kind="scan", targets=hq, user="ana", site="HQ")
        depot = camera("44:19:b6:00:00:09", "10.9.0.9", site="Depot")
        save_assets(engine, [depot], kind="identify", targets=["10.9.0.0/24"], user="bo")
        hit = ("hikvision", "Hangzhou Hikvision Digital Technology Co., Ltd.", [FCC])
        save_screening(engine, [screening("Hikvision", hit)], targets=["vendors.csv"], user="cy")
        return role_tokens(engine, TOKEN_ROLES)
    finally:
        engine.dispose()


def sample_store(folder: Path) -> ApiStore:
    """A populated SQLite store in ``folder``."""
    settings = replace(
        Settings.from_env(),
        data_dir=folder / "data",
        cache_dir=folder / "cache",
        db_url=f"sqlite:///{folder / 'store.sqlite'}",
    )
    return ApiStore(settings, populate(settings))
