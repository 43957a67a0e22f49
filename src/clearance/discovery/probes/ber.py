"""The few BER (ASN.1 Basic Encoding Rules) pieces SNMP v2c needs, encoded by hand.

Only definite lengths, INTEGER, OCTET STRING, NULL, OBJECT IDENTIFIER and constructed types
(SEQUENCE and the context-specific PDU tags) are supported: enough for a GetRequest and its
Response (RFC 3416), nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BerError",
    "Tlv",
    "decode",
    "decode_all",
    "enc_int",
    "enc_null",
    "enc_octets",
    "enc_oid",
    "enc_tlv",
    "int_of",
    "oid_of",
]

INTEGER = 0x02
OCTET_STRING = 0x04
NULL = 0x05
OID = 0x06
SEQUENCE = 0x30


class BerError(ValueError):
    """Bytes that are not the BER this module understands."""


@dataclass(slots=True, frozen=True)
class Tlv:
    """One decoded element: its tag byte and raw value bytes."""

    tag: int
    value: bytes

    @property
    def constructed(self) -> bool:
        return bool(self.tag & 0x20)

    def children(self) -> list[Tlv]:
        """The elements inside a constructed element."""
        return decode_all(self.value)


def _enc_len(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    raw = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def enc_tlv(tag: int, value: bytes) -> bytes:
    """Tag, definite length and value."""
    return bytes([tag]) + _enc_len(len(value)) + value


def enc_int(value: int) -> bytes:
    """A two's-complement INTEGER in the fewest bytes."""
    size = max(1, (value.bit_length() + 8) // 8)
    return enc_tlv(INTEGER, value.to_bytes(size, "big", signed=True))


def enc_octets(value: bytes) -> bytes:
    return enc_tlv(OCTET_STRING, value)


def enc_null() -> bytes:
    return enc_tlv(NULL, b"")


def enc_oid(dotted: str) -> bytes:
    """An OBJECT IDENTIFIER from its dotted form, e.g. ``1.3.6.1.2.1.1.1.0``."""
    arcs = [int(part) for part in dotted.split(".")]
    if len(arcs) < 2:
        raise BerError(f"OID needs two arcs: {dotted}")
    body = bytearray()
    for arc in [arcs[0] * 40 + arcs[1], *arcs[2:]]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body.extend(reversed(chunk))
    return enc_tlv(OID, bytes(body))


def decode(data: bytes, offset: int = 0) -> tuple[Tlv, int]:
    """Decode the element at ``offset``; return it and the offset after it."""
    if offset + 2 > len(data):
        raise BerError("truncated element")
    tag = data[offset]
    length = data[offset + 1]
    pos = offset + 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or pos + count > len(data):
            raise BerError("unsupported length")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    end = pos + length
    if end > len(data):
        raise BerError("element runs past the end")
    return Tlv(tag, data[pos:end]), end


def decode_all(data: bytes) -> list[Tlv]:
    """Every element in ``data``, in order."""
    items: list[Tlv] = []
    pos = 0
    while pos < len(data):
        item, pos = decode(data, pos)
        items.append(item)
    return items


def int_of(tlv: Tlv) -> int:
    if tlv.tag != INTEGER:
        raise BerError(f"expected INTEGER, got tag {tlv.tag:#x}")
    return int.from_bytes(tlv.value, "big", signed=True)


def oid_of(tlv: Tlv) -> str:
    """The dotted form of an OBJECT IDENTIFIER element."""
    if tlv.tag != OID or not tlv.value:
        raise BerError("expected OBJECT IDENTIFIER")
    subids: list[int] = []
    arc = 0
    for byte in tlv.value:
        arc = (arc << 7) | (byte & 0x7F)
        if not byte & 0x80:
            subids.append(arc)
            arc = 0
    if not subids:
        raise BerError("empty OBJECT IDENTIFIER")
    first = min(subids[0] // 40, 2)
    arcs = [first, subids[0] - 40 * first, *subids[1:]]
    return ".".join(str(a) for a in arcs)
