"""Self-signed certificates for the emulated HTTPS services (one EC key, one cert per subject)."""

from __future__ import annotations

import datetime
import ssl
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

__all__ = ["CertFactory"]

_OIDS = {
    "C": NameOID.COUNTRY_NAME,
    "ST": NameOID.STATE_OR_PROVINCE_NAME,
    "L": NameOID.LOCALITY_NAME,
    "O": NameOID.ORGANIZATION_NAME,
    "OU": NameOID.ORGANIZATIONAL_UNIT_NAME,
    "CN": NameOID.COMMON_NAME,
}


class CertFactory:
    """Server TLS contexts by certificate subject, written under ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.key_path = directory / "key.pem"
        self.key_path.write_bytes(
            self.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        self._contexts: dict[tuple[tuple[str, str], ...], ssl.SSLContext] = {}

    def context(self, subject: list[tuple[str, str]]) -> ssl.SSLContext:
        """A server context presenting a self-signed certificate for ``subject``."""
        key = tuple(subject)
        if key in self._contexts:
            return self._contexts[key]
        name = x509.Name([x509.NameAttribute(_OIDS[k], v) for k, v in subject])
        now = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.key.public_key())
            .serial_number(len(self._contexts) + 1)
            .not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=3650))
            .sign(self.key, hashes.SHA256())
        )
        path = self.directory / f"cert{len(self._contexts)}.pem"
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(path, self.key_path)
        self._contexts[key] = ctx
        return ctx
