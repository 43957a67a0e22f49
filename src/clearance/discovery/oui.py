"""MAC addresses: normalisation and the IEEE registrant, from the registry bundled in netaddr.

The lookup is offline (netaddr ships the IEEE MA-L and IAB files). Registrants are compared
whole, never by substring: "Shanghai Dahua Scale Factory" is not "Zhejiang Dahua Technology".
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import netaddr

__all__ = ["mac_registrant", "normalise_mac", "registrant_key"]

_NOT_SHOWN = {"Cc", "Cf", "Zl", "Zp"}  # control and format characters (zero-width space …)


def normalise_mac(text: str | None) -> str | None:
    """``aa:bb:cc:dd:ee:ff`` from any common spelling, or ``None`` if ``text`` is not a MAC.

    The one MAC normaliser every reader and the asset store use. Accepts what netaddr
    parses: colons or dashes (with macOS's dropped leading zeros, ``0:1b:2c:3:4:5``),
    Cisco's dotted ``aabb.ccdd.eeff``, ``aabbcc-ddeeff`` and bare ``aabbccddeeff``; also
    octets separated by spaces (``44 19 b6 2a 10 05``), full-width digits, and invisible
    characters pasted along (a zero-width space, a BOM, a soft hyphen) are ignored.
    """
    if text is None:
        return None
    value = "".join(
        ch
        for ch in unicodedata.normalize("NFKC", text)
        if unicodedata.category(ch) not in _NOT_SHOWN
    )
    parts = value.split()
    if len(parts) == 6:
        value = ":".join(parts)
    elif len(parts) == 1:
        value = parts[0]
    else:
        return None
    try:
        eui = netaddr.EUI(value, version=48)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return None
    return str(eui.format(netaddr.mac_unix_expanded))


#: MA-L blocks the IEEE split into 36-bit IABs: their registrant depends on 12 more bits.
_IAB_BLOCKS = {"00:50:c2", "40:d8:55"}


def mac_registrant(mac: str) -> str | None:
    """The IEEE registrant of ``mac``'s block (MA-L or IAB), or ``None`` if unregistered.

    Locally administered addresses (randomised by phones) have no registrant. Lookups are
    cached per block, so a million devices cost a few thousand registry reads at most.
    """
    norm = normalise_mac(mac)
    if norm is None:
        return None
    if int(norm[:2], 16) & 0x02:  # locally administered: no IEEE registration applies
        return None
    value = int(norm.replace(":", ""), 16)
    bits = 12 if norm[:8] in _IAB_BLOCKS else 24
    return _block_registrant(value >> bits, bits)


@lru_cache(maxsize=65536)
def _block_registrant(block: int, bits: int) -> str | None:
    eui = netaddr.EUI(block << bits, version=48)
    try:
        if eui.is_iab():
            return str(eui.iab.registration()["org"]).strip() or None
        return str(eui.oui.registration()["org"]).strip() or None
    except netaddr.NotRegisteredError:
        return None


def registrant_key(name: str) -> str:
    """The comparison key of a registrant name: case, spacing and punctuation removed only.

    Two names compare equal when they are the same words in the same order, so
    "Zhejiang Dahua Technology Co., Ltd." equals "ZHEJIANG DAHUA TECHNOLOGY CO.,LTD" and
    differs from "Shanghai Dahua Scale Factory".
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in text if ch.isalnum())
