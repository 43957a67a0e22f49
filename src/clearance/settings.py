"""One Settings object, created once (usually by the CLI) and passed to whatever needs it.

Nothing reads the environment at import time: :meth:`Settings.from_env` does, when called.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs

from clearance.errors import UsageError
from clearance.i18n import gettext as _

__all__ = ["Settings"]

APP_NAME = "clearance"


@dataclass(slots=True, frozen=True)
class Settings:
    """Where Clearance keeps its data and how it decides.

    Attributes:
        data_dir: the user's data directory; holds the default SQLite database.
        cache_dir: built indexes and downloads; safe to delete.
        db_url: any SQLAlchemy URL; default ``sqlite:///<data_dir>/clearance.sqlite``.
        match_threshold: a screening score at or above this is a match.
        review_threshold: a score at or above this (and below match) needs review.
        max_file_bytes: input files larger than this are refused (0 = no limit).
        user: who is acting, for the audit log.
        list_urls: download addresses that replace the official ones for
            ``clearance lists update``, by format name (``CLEARANCE_LIST_URL_CSL_CSV`` …).
        download_timeout: seconds before a list download gives up.
        download_max_bytes: a list download larger than this is refused.
        attachment_max_bytes: a file attached to a finding larger than this is refused
            (``CLEARANCE_ATTACHMENT_MAX_BYTES``; 0 = no limit).
        four_eyes_score: clearing a screening hit scored at or above this waits for a second
            reviewer's approval (``CLEARANCE_FOUR_EYES_SCORE``; ``off``: never).
        upload_max_bytes: a run uploaded to the server by a sensor larger than this (once
            decompressed) is refused with 413 (``CLEARANCE_UPLOAD_MAX_BYTES``; 0 = no limit).
    """

    data_dir: Path
    cache_dir: Path
    db_url: str
    match_threshold: float = 0.85
    review_threshold: float = 0.70
    max_file_bytes: int = 0
    user: str = "unknown"
    list_urls: Mapping[str, str] = field(default_factory=dict)
    download_timeout: float = 60.0
    download_max_bytes: int = 2_000_000_000
    attachment_max_bytes: int = 20_000_000
    four_eyes_score: float | None = 0.85
    upload_max_bytes: int = 200_000_000

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from ``CLEARANCE_*`` variables; ``overrides`` win over them."""
        env = os.environ if env is None else env
        data_dir = Path(env.get("CLEARANCE_DATA_DIR") or platformdirs.user_data_dir(APP_NAME))
        cache_dir = Path(env.get("CLEARANCE_CACHE_DIR") or platformdirs.user_cache_dir(APP_NAME))
        db_url = env.get("CLEARANCE_DB") or f"sqlite:///{data_dir / 'clearance.sqlite'}"
        user = env.get("CLEARANCE_USER") or env.get("USER") or env.get("USERNAME") or "unknown"
        prefix = "CLEARANCE_LIST_URL_"
        list_urls = {
            key[len(prefix) :].lower().replace("_", "-"): value
            for key, value in env.items()
            if key.startswith(prefix) and value
        }
        settings = cls(
            data_dir=data_dir, cache_dir=cache_dir, db_url=db_url, user=user, list_urls=list_urls
        )
        four_eyes = (env.get("CLEARANCE_FOUR_EYES_SCORE") or "").strip()
        if four_eyes:
            settings = replace(settings, four_eyes_score=_four_eyes(four_eyes))
        settings = replace(
            settings,
            attachment_max_bytes=_byte_limit(
                env, "CLEARANCE_ATTACHMENT_MAX_BYTES", settings.attachment_max_bytes
            ),
            upload_max_bytes=_byte_limit(
                env, "CLEARANCE_UPLOAD_MAX_BYTES", settings.upload_max_bytes
            ),
        )
        clean = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **clean) if clean else settings  # type: ignore[arg-type]


def _four_eyes(text: str) -> float | None:
    """``CLEARANCE_FOUR_EYES_SCORE``: a score in [0, 1], or ``off``."""
    if text.lower() in ("off", "none", "no"):
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise UsageError(
            _("CLEARANCE_FOUR_EYES_SCORE is not a score from 0 to 1 or off: {value!r}").format(
                value=text
            )
        )
    return value


def _byte_limit(env: Mapping[str, str], var: str, default: int) -> int:
    """A size limit in bytes from ``var`` (0 = no limit), ``default`` when it is unset."""
    limit = env.get(var)
    if not limit:
        return default
    try:
        return max(0, int(limit))
    except ValueError as exc:
        raise UsageError(
            _("{var} is not a number: {limit!r}").format(var=var, limit=limit)
        ) from exc
