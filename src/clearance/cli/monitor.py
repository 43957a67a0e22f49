"""``clearance monitor run-once``: one monitoring pass (update the lists, recheck, notify
owners), for cron or a systemd timer, and for tests; ``clearance serve --update-every``
runs the same pass on a schedule."""

from __future__ import annotations

from typing import Annotated

import typer

from clearance.cli.context import state
from clearance.cli.output import N_, FormatOpt, OutputFormat, emit, resolve_format, to_json_text
from clearance.errors import OperationalError
from clearance.i18n import gettext as _

__all__ = ["app"]

app = typer.Typer(
    name="monitor",
    help="Monitoring: list updates, rechecks and notifications of findings to their owners.",
    no_args_is_help=True,
)


@app.command("run-once")
def run_once(
    ctx: typer.Context,
    update: Annotated[
        bool,
        typer.Option(
            "--update/--no-update",
            help="Update the lists (and recheck when one changed) before notifying.",
        ),
    ] = True,
    air_gapped: Annotated[
        bool,
        typer.Option(
            "--air-gapped",
            envvar="CLEARANCE_AIR_GAPPED",
            help="Never download lists: notify only.",
        ),
    ] = False,
    fmt: FormatOpt = None,
) -> None:
    """Update the lists (CLEARANCE_UPDATE_LISTS, default those of `clearance lists update`),
    recheck every stored supplier and asset when the registry changed, then send each owner
    one digest of new, reopened and overdue findings, in French and English, by e-mail
    (CLEARANCE_SMTP_*) and webhook (CLEARANCE_WEBHOOK_URL, signed with
    CLEARANCE_WEBHOOK_SECRET). Owners' addresses come from owners.yml in the data directory
    (CLEARANCE_OWNERS_FILE). What was sent is remembered: nothing is sent twice, and an
    overdue finding is told once a day. Exits 3 when a digest could not be sent (it is tried
    again next run).

    Example:

        clearance monitor run-once --format json
    """
    from dataclasses import replace

    from clearance.monitor.config import MonitorConfig
    from clearance.monitor.run import run_once as run

    app_state = state(ctx)
    settings = app_state.settings
    config = MonitorConfig.from_env(data_dir=settings.data_dir)
    if air_gapped:
        config = replace(config, air_gapped=True)
    report = run(app_state.lasting_engine, settings, config, update=update, user=settings.user)
    doc = report.to_json()
    if resolve_format(fmt) is OutputFormat.JSON:
        typer.echo(to_json_text(doc))
    else:
        notified = doc["notified"] or {}
        rows = [
            {"channel": channel, "digests": sent, "findings": notified["notices"][channel]}
            for channel, sent in notified.get("digests", {}).items()
        ]
        emit(
            rows,
            fmt,
            [
                (N_("Channel"), lambda r: r["channel"]),
                (N_("Digests"), lambda r: r["digests"]),
                (N_("Findings"), lambda r: r["findings"]),
            ],
            title=_("Monitoring: {updates} lists updated, {changes} recheck changes").format(
                updates=sum(1 for u in doc["updates"] if u["status"] == "imported"),
                changes=(doc["recheck"] or {}).get("changes", 0),
            ),
        )
    if report.notified is not None and report.notified.failures:
        raise OperationalError("; ".join(report.notified.failures))
