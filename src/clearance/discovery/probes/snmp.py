"""SNMP v2c GET of sysDescr.0 and sysObjectID.0 with a community the user supplies.

When the device answers, one GETNEXT on the ENTITY-MIB columns entPhysicalModelName,
entPhysicalSoftwareRev and entPhysicalSerialNum (RFC 6933) reads the first physical entity's
model, firmware and serial, which network gear reports there. Messages are the small BER
structures of RFC 3416, built in :mod:`.ber`. No community is ever guessed: without
``ProbeContext.community`` the probe sends nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from clearance.discovery.probes import ber
from clearance.discovery.probes.base import ProbeContext, ProbeResult

__all__ = [
    "SNMP_PORT",
    "SYS_DESCR",
    "SYS_OBJECT_ID",
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
_V2C = 1


@dataclass(slots=True)
class SnmpMessage:
    """A decoded v2c message: PDU tag, request id and the variable bindings."""

    community: bytes
    pdu: int
    request_id: int
    bindings: list[tuple[str, str | None]]


def build_get(
    community: str, request_id: int, oids: list[str], pdu_tag: int = GET_REQUEST
) -> bytes:
    """A v2c GetRequest (or GetNextRequest with ``pdu_tag=GET_NEXT``) for ``oids``."""
    varbinds = b"".join(ber.enc_tlv(ber.SEQUENCE, ber.enc_oid(o) + ber.enc_null()) for o in oids)
    return _message(community.encode(), pdu_tag, request_id, varbinds)


def _message(community: bytes, pdu_tag: int, request_id: int, varbinds: bytes) -> bytes:
    """A v2c message: version, community and a PDU with no error and ``varbinds``."""
    fields = ber.enc_int(request_id) + ber.enc_int(0) + ber.enc_int(0)
    pdu = ber.enc_tlv(pdu_tag, fields + ber.enc_tlv(ber.SEQUENCE, varbinds))
    return ber.enc_tlv(ber.SEQUENCE, ber.enc_int(_V2C) + ber.enc_octets(community) + pdu)


def build_response(
    community: bytes,
    request_id: int,
    values: list[tuple[str, str | None]],
    missing: int = _NO_SUCH_OBJECT,
) -> bytes:
    """A v2c Response: sysObjectID values encoded as OIDs, others as OCTET STRINGs, and
    ``None`` as ``missing`` (noSuchObject, or endOfMibView for a GETNEXT)."""
    varbinds = b""
    for oid, value in values:
        if value is None:
            encoded = ber.enc_tlv(missing, b"")
        elif oid == SYS_OBJECT_ID:
            encoded = ber.enc_oid(value)
        else:
            encoded = ber.enc_octets(value.encode())
        varbinds += ber.enc_tlv(ber.SEQUENCE, ber.enc_oid(oid) + encoded)
    return _message(community, _RESPONSE, request_id, varbinds)


def parse_message(data: bytes) -> SnmpMessage:
    """Decode a v2c message (request or response).

    Raises:
        ber.BerError: the bytes are not such a message.
    """
    top, _ = ber.decode(data)
    if top.tag != ber.SEQUENCE:
        raise ber.BerError("not an SNMP message")
    parts = top.children()
    if len(parts) != 3 or ber.int_of(parts[0]) != _V2C:
        raise ber.BerError("not an SNMP v2c message")
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
    return SnmpMessage(parts[1].value, pdu.tag, ber.int_of(fields[0]), bindings)


def enterprise_of(object_id: str) -> int | None:
    """The IANA private enterprise number in a sysObjectID (2011 for Huawei), if any."""
    if not object_id.startswith(_ENTERPRISES):
        return None
    head = object_id[len(_ENTERPRISES) :].split(".", 1)[0]
    return int(head) if head.isdigit() else None


async def probe(host: str, ctx: ProbeContext, port: int = SNMP_PORT) -> ProbeResult | None:
    """GET sysDescr.0 and sysObjectID.0; ``None`` without a community or an answer."""
    if not ctx.community:
        return None
    request_id = secrets.randbelow(2**31 - 1)
    reply = await ctx.udp(
        host, port, build_get(ctx.community, request_id, [SYS_DESCR, SYS_OBJECT_ID])
    )
    if reply is None:
        return None
    try:
        message = parse_message(reply)
    except (ber.BerError, ValueError):
        return None
    if message.pdu != _RESPONSE or message.request_id != request_id:
        return None
    result = ProbeResult("snmp", port)
    values = dict(message.bindings)
    result.add("snmp_sysdescr", values.get(SYS_DESCR))
    result.add("snmp_object_id", values.get(SYS_OBJECT_ID))
    await _entity_mib(host, ctx, port, result)
    return result


async def _entity_mib(host: str, ctx: ProbeContext, port: int, result: ProbeResult) -> None:
    assert ctx.community is not None
    request_id = secrets.randbelow(2**31 - 1)
    columns = {ENT_MODEL: "model", ENT_SOFTWARE: "firmware", ENT_SERIAL: "serial"}
    request = build_get(ctx.community, request_id, list(columns), GET_NEXT)
    reply = await ctx.udp(host, port, request)
    if reply is None:
        return
    try:
        message = parse_message(reply)
    except (ber.BerError, ValueError):
        return
    if message.pdu != _RESPONSE or message.request_id != request_id:
        return
    for oid, value in message.bindings:
        for column, fact in columns.items():
            if oid.startswith(column + ".") and value:
                result.fact(fact, value)
