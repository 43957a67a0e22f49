"""SNMP v1 and v2c GET of sysDescr.0 and sysObjectID.0 with the read communities configured.

Every community is asked in both versions at once (switches, routers and ONTs often answer
only one); the first valid answer wins and the other requests are dropped. The scanner asks
"public" unless told otherwise, as runZero and most inventory tools do; only communities
the user configured are sent, none is guessed. With the community and version that answered,
one GETNEXT on the ENTITY-MIB columns entPhysicalModelName, entPhysicalSoftwareRev and
entPhysicalSerialNum (RFC 6933) reads the first physical entity's model, firmware and serial,
which network gear reports there. Messages are the small BER structures of RFC 1157 and
RFC 3416, built in :mod:`.ber`. Without ``ProbeContext.communities`` the probe sends nothing.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass

from clearance.discovery.probes import ber
from clearance.discovery.probes.base import ProbeContext, ProbeResult

__all__ = [
    "SNMP_PORT",
    "SYS_DESCR",
    "SYS_OBJECT_ID",
    "V1",
    "V2C",
    "SnmpMessage",
    "build_get",
    "build_response",
    "enterprise_of",
    "parse_message",
    "probe",
]

SNMP_PORT = 161
SYS_DESCR = "1.3.6.1.2.1.1.1.0"
SYS_OBJECT_ID = "1.3.6.1.2.1.1.2.0"
ENT_MODEL = "1.3.6.1.2.1.47.1.1.1.1.13"
ENT_SOFTWARE = "1.3.6.1.2.1.47.1.1.1.1.10"
ENT_SERIAL = "1.3.6.1.2.1.47.1.1.1.1.11"
GET_REQUEST = 0xA0
GET_NEXT = 0xA1
_ENTERPRISES = "1.3.6.1.4.1."
_RESPONSE = 0xA2
_NO_SUCH_OBJECT = 0x80
END_OF_MIB_VIEW = 0x82
NO_SUCH_NAME = 2  # SNMPv1 error-status for an unknown OID (v2c uses exception values)
V1 = 0
V2C = 1


@dataclass(slots=True)
class SnmpMessage:
    """A decoded v1 or v2c message: version, PDU tag, request id, error status and the
    variable bindings."""

    community: bytes
    pdu: int
    request_id: int
    bindings: list[tuple[str, str | None]]
    version: int = V2C
    error_status: int = 0


def build_get(
    community: str,
    request_id: int,
    oids: list[str],
    pdu_tag: int = GET_REQUEST,
    version: int = V2C,
) -> bytes:
    """A GetRequest (or GetNextRequest with ``pdu_tag=GET_NEXT``) for ``oids``, SNMP v2c
    or (``version=V1``) v1."""
    varbinds = b"".join(ber.enc_tlv(ber.SEQUENCE, ber.enc_oid(o) + ber.enc_null()) for o in oids)
    return _message(community.encode(), pdu_tag, request_id, varbinds, version)


def _message(
    community: bytes,
    pdu_tag: int,
    request_id: int,
    varbinds: bytes,
    version: int = V2C,
    error_status: int = 0,
) -> bytes:
    """A message: version, community and a PDU with ``error_status`` and ``varbinds``."""
    error_index = 1 if error_status else 0
    fields = ber.enc_int(request_id) + ber.enc_int(error_status) + ber.enc_int(error_index)
    pdu = ber.enc_tlv(pdu_tag, fields + ber.enc_tlv(ber.SEQUENCE, varbinds))
    return ber.enc_tlv(ber.SEQUENCE, ber.enc_int(version) + ber.enc_octets(community) + pdu)


def build_response(
    community: bytes,
    request_id: int,
    values: list[tuple[str, str | None]],
    missing: int = _NO_SUCH_OBJECT,
    version: int = V2C,
) -> bytes:
    """A Response: sysObjectID values encoded as OIDs, others as OCTET STRINGs. In v2c a
    ``None`` value is ``missing`` (noSuchObject, or endOfMibView for a GETNEXT); in v1, where
    values have no such exceptions, any ``None`` makes the answer a noSuchName error."""
    varbinds = b""
    failed = version == V1 and any(value is None for _, value in values)
    for oid, value in values:
        if failed or value is None:
            encoded = ber.enc_null() if failed else ber.enc_tlv(missing, b"")
        elif oid == SYS_OBJECT_ID:
            encoded = ber.enc_oid(value)
        else:
            encoded = ber.enc_octets(value.encode())
        varbinds += ber.enc_tlv(ber.SEQUENCE, ber.enc_oid(oid) + encoded)
    status = NO_SUCH_NAME if failed else 0
    return _message(community, _RESPONSE, request_id, varbinds, version, status)


def parse_message(data: bytes) -> SnmpMessage:
    """Decode a v1 or v2c message (request or response).

    Raises:
        ber.BerError: the bytes are not such a message.
    """
    top, _ = ber.decode(data)
    if top.tag != ber.SEQUENCE:
        raise ber.BerError("not an SNMP message")
    parts = top.children()
    if len(parts) != 3:
        raise ber.BerError("not an SNMP message")
    version = ber.int_of(parts[0])
    if version not in (V1, V2C):
        raise ber.BerError(f"not an SNMP v1 or v2c message (version {version})")
    pdu = parts[2]
    fields = pdu.children()
    if len(fields) != 4:
        raise ber.BerError("malformed PDU")
    bindings: list[tuple[str, str | None]] = []
    for vb in fields[3].children():
        oid_tlv, value_tlv = vb.children()
        oid = ber.oid_of(oid_tlv)
        value: str | None
        if value_tlv.tag == ber.OID:
            value = ber.oid_of(value_tlv)
        elif value_tlv.tag == ber.OCTET_STRING:
            value = value_tlv.value.decode("utf-8", "replace")
        else:
            value = None
        bindings.append((oid, value))
    return SnmpMessage(
        parts[1].value,
        pdu.tag,
        ber.int_of(fields[0]),
        bindings,
        version,
        ber.int_of(fields[1]),
    )


def enterprise_of(object_id: str) -> int | None:
    """The IANA private enterprise number in a sysObjectID (2011 for Huawei), if any."""
    if not object_id.startswith(_ENTERPRISES):
        return None
    head = object_id[len(_ENTERPRISES) :].split(".", 1)[0]
    return int(head) if head.isdigit() else None


async def _ask(
    host: str, ctx: ProbeContext, port: int, community: str, version: int, oids: list[str], tag: int
) -> SnmpMessage | None:
    """One request and its matching answer (same request id, a Response PDU), or ``None``."""
    request_id = secrets.randbelow(2**31 - 1)
    reply = await ctx.udp(host, port, build_get(community, request_id, oids, tag, version))
    if reply is None:
        return None
    try:
        message = parse_message(reply)
    except (ber.BerError, ValueError):
        return None
    if message.pdu != _RESPONSE or message.request_id != request_id:
        return None
    return message


async def _system(host: str, ctx: ProbeContext, port: int) -> tuple[str, int, SnmpMessage] | None:
    """sysDescr and sysObjectID from the first community and version that answer."""
    asks = {
        asyncio.ensure_future(
            _ask(host, ctx, port, community, version, [SYS_DESCR, SYS_OBJECT_ID], GET_REQUEST)
        ): (community, version)
        for community in ctx.communities
        for version in (V2C, V1)
    }
    pending = set(asks)
    try:
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in sorted(done, key=lambda t: list(asks).index(t)):
                if task.cancelled() or task.exception() is not None:
                    continue
                message = task.result()
                if message is not None and message.error_status == 0:
                    community, version = asks[task]
                    return community, version, message
    finally:
        for task in pending:
            task.cancel()
    return None


async def probe(host: str, ctx: ProbeContext, port: int = SNMP_PORT) -> ProbeResult | None:
    """GET sysDescr.0 and sysObjectID.0; ``None`` without a community or an answer."""
    if not ctx.communities:
        return None
    answered = await _system(host, ctx, port)
    if answered is None:
        return None
    community, version, message = answered
    result = ProbeResult("snmp", port)
    values = dict(message.bindings)
    result.add("snmp_sysdescr", values.get(SYS_DESCR))
    result.add("snmp_object_id", values.get(SYS_OBJECT_ID))
    await _entity_mib(host, ctx, port, result, community, version)
    return result


async def _entity_mib(
    host: str, ctx: ProbeContext, port: int, result: ProbeResult, community: str, version: int
) -> None:
    columns = {ENT_MODEL: "model", ENT_SOFTWARE: "firmware", ENT_SERIAL: "serial"}
    message = await _ask(host, ctx, port, community, version, list(columns), GET_NEXT)
    if message is None or message.error_status != 0:
        return
    for oid, value in message.bindings:
        for column, fact in columns.items():
            if oid.startswith(column + ".") and value:
                result.fact(fact, value)
