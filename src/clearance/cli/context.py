"""State shared by the commands of one invocation: settings, the opened store, and the
organisation's profile read from it once."""

from __future__ import annotations

from dataclasses import dataclass, field

import typer
from sqlalchemy import Engine

from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.i18n import set_lang
from clearance.profile import OrganisationProfile
from clearance.registry.registry import Registry
from clearance.settings import Settings
from clearance.store.db import open_store
from clearance.store.registry_store import ensure_registry
from clearance.store.urls import display_url, is_in_memory

__all__ = ["AppState", "state"]


@dataclass(slots=True)
class AppState:
    """Created once by the root callback; commands reach it with :func:`state`."""

    settings: Settings
    _engine: Engine | None = field(default=None, repr=False)
    _registry: Registry | None = field(default=None, repr=False)
    _profile: OrganisationProfile | None = field(default=None, repr=False)
    _profile_read: bool = field(default=False, repr=False)
    # --lang / CLEARANCE_LANG as given to the root; None: the profile's language, else the locale's
    lang_given: str | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = open_store(self.settings.db_url)
        return self._engine

    @property
    def lasting_engine(self) -> Engine:
        """The engine, for a command that saves: an in-memory database is refused
        (:class:`UsageError`), since what the command saves would be lost when it ends."""
        self.require_lasting_store()
        return self.engine

    def require_lasting_store(self) -> None:
        """Refuse an in-memory database before a command that saves does its work."""
        if is_in_memory(self.settings.db_url):
            shown = display_url(self.settings.db_url)
            raise UsageError(
                _(
                    "--db / CLEARANCE_DB names an in-memory database ({shown}): what this "
                    "command saves would be lost when it ends; name a file "
                    "(sqlite:///path/to/file.sqlite) or a server "
                    "(postgresql://user@host/database)"
                ).format(shown=shown)
            )

    @property
    def profile(self) -> OrganisationProfile | None:
        """The organisation's stored profile (``clearance org set``), read once; None when
        none was set. An audit's organisation file may set another (:meth:`use_profile`)."""
        if not self._profile_read:
            from clearance.store.profile import load_profile

            self._profile = load_profile(self.engine)
            self._profile_read = True
            self._profile_language()
        return self._profile

    @property
    def profile_lang(self) -> str | None:
        """The profile's default language, if it names one (for ``--lang``'s default)."""
        profile = self.profile
        return profile.lang if profile is not None else None

    def use_profile(self, profile: OrganisationProfile | None) -> None:
        """Make ``profile`` the one in force for the rest of this invocation."""
        self._profile, self._profile_read = profile, True
        self._profile_language()

    def _profile_language(self) -> None:
        """Without --lang, the profile's language (when it names one) is the one in force."""
        if self.lang_given is None and self._profile is not None and self._profile.lang:
            set_lang(self._profile.lang)

    @property
    def registry(self) -> Registry:
        """The active registry (the shipped seed is stored on first use)."""
        if self._registry is None:
            self._registry = ensure_registry(self.engine)
        return self._registry


def state(ctx: typer.Context) -> AppState:
    """The invocation's :class:`AppState`, built from the environment if the root did not."""
    root = ctx.find_root()
    if not isinstance(root.obj, AppState):
        root.obj = AppState(Settings.from_env())
    return root.obj
