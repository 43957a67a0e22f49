"""``clearance sensor``: the runs this machine's spool holds for the server (``status``) and
sending them (``flush``). Runs arrive in the spool from ``scan … --send`` and
``identify … --send``."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.console import Console

from clearance.cli.output import N_, FormatOpt, emit, plain
from clearance.cli.sending import SendOpt, TokenOpt, spool_of
from clearance.errors import OperationalError, UploadRefused, UsageError
from clearance.i18n import gettext as _
from clearance.i18n import ngettext
from clearance.sensor.sending import Delivery, Sender, flush, upload_url

__all__ = ["app"]

app = typer.Typer(
    name="sensor",
    help="Runs waiting in this machine's spool for the server (scan/identify --send): list "
    "them, send them.",
    no_args_is_help=True,
)


def _file(record: dict[str, Any]) -> str:
    return str(record["file"]).rsplit("/", 1)[-1]


_STATUS_COLUMNS = [
    (N_("File"), _file),
    (N_("Made"), lambda r: str(r["created_at"])[:19]),
    (N_("Kind"), lambda r: r["kind"]),
    (N_("Site"), lambda r: r["site"] or ""),
    (N_("Devices"), lambda r: r["devices"]),
    (N_("Server"), lambda r: r["url"] or ""),
    (N_("Refused"), lambda r: r["reason"] or ""),
]

_FLUSH_COLUMNS = [
    (N_("File"), _file),
    (N_("Outcome"), lambda r: r["outcome"]),
    (N_("Run"), lambda r: r["run_id"] if r["run_id"] is not None else ""),
    (N_("Reason"), lambda r: r["reason"] or ""),
]


def _delivered(delivery: Delivery) -> dict[str, Any]:
    return {
        "file": str(delivery.run.path),
        "idempotency_key": delivery.run.key,
        "outcome": delivery.outcome,
        "run_id": delivery.run_id,
        "created": delivery.created,
        "status": delivery.status,
        "reason": delivery.reason,
        "counts": delivery.counts,
    }


@app.command("status")
def status_command(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """List the runs waiting to be sent (oldest first) and those the server refused (in
    spool/failed, with its reason). Never shows a token: the spool holds none.

    Example:

        clearance sensor status --format json
    """
    spool = spool_of(ctx)
    rows = [r.to_json() for r in (*spool.waiting(), *spool.failed())]
    waiting = sum(1 for r in rows if not r["failed"])
    emit(
        rows,
        fmt,
        _STATUS_COLUMNS,
        title=_("{waiting} waiting, {failed} refused in {folder}").format(
            waiting=waiting, failed=len(rows) - waiting, folder=spool.folder
        ),
    )


@app.command("flush")
def flush_command(
    ctx: typer.Context,
    send: SendOpt = None,
    token: TokenOpt = None,
    retry_failed: Annotated[
        bool,
        typer.Option(
            "--retry-failed",
            help="Put the runs the server refused back in the queue first (once the cause, a "
            "token or its site, is fixed); each keeps its key, so none is stored twice.",
        ),
    ] = False,
    fmt: FormatOpt = None,
) -> None:
    """Send the runs waiting in the spool, oldest first, each with the idempotency key it was
    spooled with (a run the server already stored is not stored again). Without --send, each
    goes to the server it was spooled for.

    Stops at the first run the server cannot take now (unreachable, 5xx): it and the rest
    keep waiting. Exits 0 when the spool is empty, 3 when runs still wait or were refused
    (moved to spool/failed with the reason).

    Example:

        CLEARANCE_TOKEN=… clearance sensor flush --send https://clearance.example.org
    """
    spool = spool_of(ctx)
    url = send.strip() if send and send.strip() else None
    if url is not None:
        upload_url(url)
    if retry_failed:
        for run in spool.failed():
            spool.requeue(run)
    console = Console(stderr=True, file=sys.stderr, soft_wrap=True)
    if not spool.waiting():
        console.print(plain(_("no runs waiting in {folder}").format(folder=spool.folder)))
        return
    if token is None or not token.strip():
        raise UsageError(_("sensor flush needs a token: --token T or CLEARANCE_TOKEN"))
    deliveries = list(flush(spool, Sender(url=url, token=token.strip())))
    emit(
        [_delivered(d) for d in deliveries],
        fmt,
        _FLUSH_COLUMNS,
        title=_("Runs sent from {folder}").format(folder=spool.folder),
    )
    sent = sum(1 for d in deliveries if d.outcome == "sent")
    refused = [d for d in deliveries if d.outcome == "refused"]
    left = len(spool.waiting())
    console.print(
        plain(
            _("{sent} sent, {refused} refused, {left} waiting").format(
                sent=sent, refused=len(refused), left=left
            )
        ),
        highlight=False,
    )
    if refused:
        raise UploadRefused(
            ngettext(
                "{count} run was refused ({reason}); it is in {folder}",
                "{count} runs were refused (first: {reason}); they are in {folder}",
                len(refused),
            ).format(count=len(refused), reason=refused[0].reason, folder=spool.failed_folder),
            status=refused[0].status or 400,
        )
    if left:
        kept = next((d for d in deliveries if d.outcome == "kept"), None)
        raise OperationalError(
            ngettext(
                "{count} run still waits in {folder} ({reason})",
                "{count} runs still wait in {folder} ({reason})",
                left,
            ).format(
                count=left,
                folder=spool.folder,
                reason=kept.reason if kept is not None else _("sent by another flush meanwhile"),
            )
        )
