"""E-mail through a relay that wants STARTTLS and a login (aiosmtpd on loopback with a
certificate made for the test): the digest arrives; a wrong password or an untrusted
certificate is an operational failure naming the relay."""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from clearance.errors import OperationalError
from clearance.monitor.config import SmtpConfig
from clearance.monitor.digest import Digest
from clearance.monitor.email import send_email

from .conftest import Mailbox, free_port

pytestmark = pytest.mark.network


def _certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    start = datetime.now(UTC) - timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=7))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "relay.pem", directory / "relay.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def _authenticator(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: object
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"clearance",
        b"relay-password",
    )
    return AuthResult(success=ok)


@pytest.fixture
def relay(tmp_path: Path) -> Iterator[tuple[Mailbox, int, Path]]:
    cert_file, key_file = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    box = Mailbox()
    port = free_port()
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=_authenticator,
        auth_require_tls=True,
    )
    controller.start()
    yield box, port, cert_file
    controller.stop()


DIGEST = Digest("Clearance: 1 finding needs your attention", "Finding 7 (new)\n")


def _smtp(port: int, ca_file: Path | None, password: str = "relay-password") -> SmtpConfig:
    return SmtpConfig(
        "127.0.0.1",
        "clearance@example.org",
        port=port,
        security="starttls",
        user="clearance",
        password=password,
        ca_file=str(ca_file) if ca_file else None,
        timeout=10.0,
    )


def test_starttls_and_login(relay: tuple[Mailbox, int, Path]) -> None:
    box, port, cert_file = relay
    send_email(_smtp(port, cert_file), ["alice@example.org"], DIGEST)
    ((to, mail),) = box.mails
    assert to == ["alice@example.org"]
    assert mail["Subject"] == DIGEST.subject
    assert mail["From"] == "clearance@example.org"


def test_a_wrong_password_fails_naming_the_relay(relay: tuple[Mailbox, int, Path]) -> None:
    box, port, cert_file = relay
    with pytest.raises(OperationalError, match=f"127.0.0.1:{port}"):
        send_email(_smtp(port, cert_file, "wrong"), ["alice@example.org"], DIGEST)
    assert box.mails == []


def test_an_untrusted_certificate_is_refused(relay: tuple[Mailbox, int, Path]) -> None:
    box, port, _cert_file = relay
    with pytest.raises(OperationalError, match="CERTIFICATE_VERIFY_FAILED"):
        send_email(_smtp(port, None), ["alice@example.org"], DIGEST)
    assert box.mails == []
