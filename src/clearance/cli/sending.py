"""``--send URL --token T`` for identify and scan: the run goes to the server, through the
local spool (``<data dir>/spool``) so that it is not lost while the server cannot be reached.

The run is written to the spool with a new idempotency key, then sent; sent, its file is
removed. A server that cannot be reached or fails (5xx) leaves it waiting, with a warning
naming the file, and the command's exit code is its own (``clearance sensor flush`` sends it
later). A refusal (4xx) moves it to ``spool/failed`` and exits 3 with the server's reason.
"""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer
from rich.console import Console
from rich.text import Text

from clearance.cli.context import state
from clearance.cli.output import plain
from clearance.errors import UploadRefused, UsageError
from clearance.i18n import gettext as _
from clearance.sensor.payload import run_payload
from clearance.sensor.sending import Delivery, Sender, deliver, upload_url
from clearance.sensor.spool import Spool

__all__ = ["SendOpt", "TokenOpt", "say_delivery", "send_asset_run", "sender_of", "spool_of"]

SendOpt = Annotated[
    str | None,
    typer.Option(
        "--send",
        metavar="URL",
        envvar="CLEARANCE_SEND_URL",
        help="Upload the run to the Clearance server at URL (clearance serve), which stores it "
        "as --save does; it waits in the local spool while the server cannot be reached "
        "(clearance sensor flush sends it later).",
    ),
]
TokenOpt = Annotated[
    str | None,
    typer.Option(
        "--token",
        envvar="CLEARANCE_TOKEN",
        help="The token --send presents (clearance tokens create --role sensor); prefer "
        "CLEARANCE_TOKEN, which other users of the machine cannot see.",
    ),
]


def sender_of(url: str | None, token: str | None) -> Sender | None:
    """What ``--send`` and ``--token`` ask for; ``None`` without ``--send``.

    Raises:
        UsageError: an address that is not http(s), or no token.
    """
    if url is None or not url.strip():
        return None
    upload_url(url)
    if token is None or not token.strip():
        raise UsageError(
            _(
                "--send needs a token: --token T or CLEARANCE_TOKEN "
                "(clearance tokens create --role sensor on the server)"
            )
        )
    if _in_clear(url):
        Console(stderr=True, file=sys.stderr, soft_wrap=True).print(
            Text.assemble(
                (_("warning:"), "yellow"),
                " ",
                plain(
                    _(
                        "{url} is plain http: the token and the run cross the network "
                        "unencrypted (use https beyond this machine)"
                    ).format(url=url.strip())
                ),
            ),
            highlight=False,
        )
    return Sender(url=url.strip(), token=token.strip())


def _in_clear(url: str) -> bool:
    """Whether ``url`` is plain http to another machine (loopback is fine)."""
    parts = urlsplit(url.strip())
    if parts.scheme != "http":
        return False
    host = parts.hostname or ""
    if host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def spool_of(ctx: typer.Context) -> Spool:
    """This machine's spool: ``spool`` in the data directory."""
    return Spool(state(ctx).settings.data_dir / "spool")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items()) if n)


def say_delivery(delivery: Delivery, url: str | None) -> None:
    """One line on stderr for a run sent or kept; :class:`UploadRefused` for one refused."""
    console = Console(stderr=True, file=sys.stderr, soft_wrap=True)
    where = url or delivery.run.url or ""
    if delivery.outcome == "sent":
        message = (
            _("sent to {url}: stored as run {run} ({counts})")
            if delivery.created
            else _("sent to {url}: run {run}, stored when it was sent before ({counts})")
        )
        text = message.format(url=where, run=delivery.run_id, counts=_counts(delivery.counts))
        console.print(plain(text), highlight=False)
    elif delivery.outcome == "kept":
        text = _(
            "the run could not be sent to {url} ({reason}); it waits in {path} "
            "(clearance sensor flush sends it)"
        ).format(url=where, reason=delivery.reason, path=delivery.run.path)
        console.print(Text.assemble((_("warning:"), "yellow"), " ", plain(text)), highlight=False)
    else:
        raise UploadRefused(
            _("{url} refused the run ({reason}); it was moved to {path}").format(
                url=where, reason=delivery.reason, path=delivery.run.path
            ),
            status=delivery.status or 400,
        )


def send_asset_run(
    ctx: typer.Context,
    sender: Sender,
    found: Iterable[dict[str, Any]],
    *,
    kind: str,
    targets: Sequence[str],
    site: str | None,
    source_name: str | None,
    started_at: datetime,
    finished_at: datetime,
) -> Delivery:
    """Spool an identify or scan run (its assets' JSON) and send it; say what became of it."""
    payload = run_payload(
        list(found),
        kind=kind,
        targets=list(targets),
        site=site,
        source_name=source_name,
        started_at=started_at,
        finished_at=finished_at,
        registry_version=state(ctx).registry.version,
    )
    spool = spool_of(ctx)
    spooled = spool.add(payload.model_dump(mode="json"), url=sender.url)
    delivery = deliver(spool, spooled, sender)
    say_delivery(delivery, sender.url)
    return delivery
