"""``clearance serve``: the screening server (yente's matching API) on uvicorn."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from clearance.cli.context import state
from clearance.i18n import gettext as _

if TYPE_CHECKING:
    from clearance.monitor.config import MonitorConfig
    from clearance.settings import Settings

__all__ = ["serve"]


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)
    ] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", help="Worker processes sharing one index.", min=1)
    ] = 1,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL shared with the CLI and other replicas (default: the root "
            "--db / CLEARANCE_DB), e.g. postgresql+psycopg://clearance@db/clearance.",
        ),
    ] = None,
    open_matching: Annotated[
        bool,
        typer.Option(
            "--open-matching/--closed-matching",
            envvar="CLEARANCE_OPEN_MATCHING",
            help="Let callers without a token use the matching routes (/match, /search, "
            "/entities, /catalog, /algorithms, /reconcile), for an internal network.",
        ),
    ] = False,
    proxy_headers: Annotated[
        bool,
        typer.Option(
            "--proxy-headers/--no-proxy-headers",
            help="Believe X-Forwarded-Proto and X-Forwarded-For from the addresses of "
            "--forwarded-allow-ips (a reverse proxy terminating TLS).",
        ),
    ] = True,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            envvar="FORWARDED_ALLOW_IPS",
            help="Comma-separated addresses (or networks) of the reverse proxies whose "
            "X-Forwarded-* headers are believed; '*' for any (default: 127.0.0.1).",
        ),
    ] = None,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Serve the bundled demo organisation: audit it into a fresh store (a temporary "
            "folder, or the SQLite file --db names, which must not exist yet), make one account "
            "per role and print them.",
        ),
    ] = False,
    insecure_cookies: Annotated[
        bool,
        typer.Option(
            "--insecure-cookies",
            help="Send the session cookie without Secure over plain HTTP (for a proxy terminating "
            "TLS that sends no X-Forwarded-Proto); a server on a loopback address does so "
            "without it.",
        ),
    ] = False,
    update_every: Annotated[
        str | None,
        typer.Option(
            "--update-every",
            envvar="CLEARANCE_UPDATE_EVERY",
            help="Update the lists this often (24h, 30m, 1d; default off), then recheck "
            "everything and notify owners; once across replicas sharing the store.",
            rich_help_panel="Monitoring",
        ),
    ] = None,
    notify_every: Annotated[
        str | None,
        typer.Option(
            "--notify-every",
            envvar="CLEARANCE_NOTIFY_EVERY",
            help="Notify owners of new, reopened and overdue findings this often, between "
            "updates (default off: only after updates).",
            rich_help_panel="Monitoring",
        ),
    ] = None,
    air_gapped: Annotated[
        bool,
        typer.Option(
            "--air-gapped",
            envvar="CLEARANCE_AIR_GAPPED",
            help="Never download lists: scheduled updates are off (/readyz says so).",
            rich_help_panel="Monitoring",
        ),
    ] = False,
    follow_every: Annotated[
        float,
        typer.Option(
            "--follow-every",
            help="Seconds between a worker's checks of the store's active registry version; "
            "a new version is loaded and swapped in (0: never).",
            min=0,
            rich_help_panel="Monitoring",
        ),
    ] = 30.0,
) -> None:
    """Serve screening over HTTP, in yente's API (POST /match/{dataset}, /search,
    /entities, /catalog, /algorithms), for yente-client and other yente callers, and as a
    reconciliation service (/reconcile/{dataset}) for OpenRefine.

    The registry and its index are loaded once, before the workers are forked; /healthz
    answers as soon as the port is bound, /readyz with 503 until the index is loaded. Every
    other route wants a token (`clearance tokens create`) sent as `Authorization: Bearer …`
    or `ApiKey …`; --open-matching lets anonymous callers use the matching routes. Behind a
    reverse proxy on another host, name it with --forwarded-allow-ips (deploy/README.md).

    Example:

        clearance serve --port 8000 --workers 2 --open-matching

        clearance serve --demo

        clearance serve --update-every 24h --notify-every 1h

    Monitoring (--update-every) runs in the serving parent process, never in the workers:
    it runs what `clearance monitor run-once` runs (see there for e-mail, webhook and
    owners settings). Workers follow the store's active registry version (--follow-every).
    """
    from dataclasses import replace

    from clearance.server.config import ServerConfig
    from clearance.server.running import serve as run
    from clearance.server.state import load_state
    from clearance.store.db import open_store

    settings = state(ctx).settings
    if demo:
        settings = replace(settings, db_url=_demo_store(db, host, port))
    elif db is not None:
        settings = replace(settings, db_url=db)
    open_store(settings.db_url).dispose()  # migrated, and a bad URL fails here, before binding
    monitor = _monitor_config(settings, update_every, notify_every, air_gapped)
    config = ServerConfig(
        settings=settings,
        open_matching=open_matching,
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips,
        insecure_cookies=insecure_cookies,
        follow_every=follow_every or None,
        monitor=monitor,
    )
    run(
        lambda: load_state(settings),
        host=host,
        port=port,
        workers=workers,
        config=config,
        background=lambda: _start_monitor(settings, monitor),
    )


def _monitor_config(
    settings: Settings, update_every: str | None, notify_every: str | None, air_gapped: bool
) -> MonitorConfig:
    """Monitoring as the options (over the ``CLEARANCE_*`` variables) configure it."""
    from dataclasses import replace

    from clearance.monitor.config import MonitorConfig, parse_duration

    config = replace(
        MonitorConfig.from_env(data_dir=settings.data_dir),
        update_every=parse_duration(update_every, name="--update-every"),
        notify_every=parse_duration(notify_every, name="--notify-every"),
        air_gapped=air_gapped,
    )
    if air_gapped and config.update_every is not None:
        Console(stderr=True).print(
            _("Air-gapped: scheduled list updates are off (--update-every is ignored)."),
            highlight=False,
            markup=False,
        )
    return config


def _start_monitor(settings: Settings, config: MonitorConfig) -> None:
    """Start the monitoring thread in this process when a job is scheduled."""
    from clearance.monitor.schedule import Monitor
    from clearance.store.db import open_store

    monitor = Monitor(open_store(settings.db_url, migrate=False), settings, config)
    if not monitor.start():
        monitor.engine.dispose()


def _demo_store(db: str | None, host: str, port: int) -> str:
    """The demo organisation audited into a fresh store, one account per role printed as
    ``ROLE: USERNAME / PASSWORD``; returns the store's URL."""
    import shutil
    import tempfile
    from pathlib import Path

    from sqlalchemy.engine import make_url

    from clearance.store.db import open_store
    from clearance.web.demo import demo_accounts, demo_store

    target: Path | None = None
    if db is not None:
        url = make_url(db)
        if url.get_backend_name() != "sqlite" or not url.database:
            raise typer.BadParameter(
                "--demo makes a SQLite store: give --db sqlite:///FILE or no --db"
            )
        target = Path(url.database)
        if target.exists():
            raise typer.BadParameter(f"--demo makes a fresh store, and {target} exists already")
    folder = Path(tempfile.mkdtemp(prefix="clearance-demo-"))
    typer.echo(f"Auditing the demo organisation into {folder} …", err=True)
    made = demo_store(folder)
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(made, target)
        made = target
    url_text = f"sqlite:///{made.resolve()}"
    engine = open_store(url_text)
    try:
        accounts = demo_accounts(engine)
    finally:
        engine.dispose()
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"Clearance demo: http://{shown}:{port}/")
    for account in accounts:
        typer.echo(f"{account.role.upper()}: {account.username} / {account.password}")
    return url_text
