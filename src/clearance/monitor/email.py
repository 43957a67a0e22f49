"""Digests by e-mail over SMTP (the standard library's :mod:`smtplib` and :mod:`email`):
STARTTLS, implicit TLS or plain (a relay on the local network), with credentials when
configured."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from clearance.errors import OperationalError
from clearance.i18n import gettext as _
from clearance.monitor.config import SmtpConfig
from clearance.monitor.digest import Digest

__all__ = ["message", "send_email"]


def message(smtp: SmtpConfig, to: Sequence[str], digest: Digest) -> EmailMessage:
    """The e-mail of ``digest`` to ``to``."""
    msg = EmailMessage()
    msg["From"] = smtp.sender
    msg["To"] = ", ".join(to)
    msg["Subject"] = digest.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=smtp.sender.rpartition("@")[2] or None)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(digest.body)
    return msg


def send_email(smtp: SmtpConfig, to: Sequence[str], digest: Digest) -> None:
    """Send ``digest`` to ``to``; a refused or unreachable relay raises
    :class:`OperationalError` naming it."""
    msg = message(smtp, to, digest)
    context = ssl.create_default_context(cafile=smtp.ca_file)
    try:
        client: smtplib.SMTP
        if smtp.security == "ssl":
            client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=context)
            if smtp.user:
                client.login(smtp.user, smtp.password or "")
            client.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise OperationalError(
            _("cannot send e-mail through {host}:{port}: {exc}").format(
                host=smtp.host, port=smtp.port, exc=exc
            )
        ) from exc
