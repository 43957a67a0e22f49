"""What an emulated device answers over SNMP v1 and v2c.

sysDescr and sysObjectID come from the device's catalogue template (the network gear's own
formats: Huawei VRP, ZTE ZXR10 ROS, EchoLife and ZXHN terminals, Net-SNMP on Linux); the
ENTITY-MIB columns answer only on devices that implement them. The device answers in the
version it was asked in, and only to its read community.
"""

from __future__ import annotations

from clearance.discovery.emulator.fleet import DeviceSpec
from clearance.discovery.probes import snmp

__all__ = ["COMMUNITY", "snmp_reply", "snmp_system"]

COMMUNITY = b"public"
_NET_SNMP = "1.3.6.1.4.1.8072.3.2.10"  # NET-SNMP-TC::linux


def snmp_system(dev: DeviceSpec) -> tuple[str, str]:
    """The device's sysDescr and sysObjectID."""
    if dev.sysdescr is not None:
        return dev.sysdescr, dev.sys_object_id or _NET_SNMP
    host = "srv-" + dev.ip.replace(".", "-")
    return (
        f"Linux {host} 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64",
        _NET_SNMP,
    )


def snmp_reply(dev: DeviceSpec, request: bytes) -> bytes | None:
    """Answer a v1 or v2c GET or GETNEXT with the right community; stay silent otherwise."""
    try:
        message = snmp.parse_message(request)
    except ValueError:
        return None
    if message.community != COMMUNITY:
        return None
    descr, object_id = snmp_system(dev)
    if message.pdu == snmp.GET_REQUEST:
        known = {snmp.SYS_DESCR: descr, snmp.SYS_OBJECT_ID: object_id}
        values = [(oid, known.get(oid)) for oid, _ in message.bindings]
        return snmp.build_response(
            message.community, message.request_id, values, version=message.version
        )
    if message.pdu == snmp.GET_NEXT:
        table = {}
        if "entity_mib" in dev.services:
            table = {
                snmp.ENT_MODEL: dev.model,
                snmp.ENT_SOFTWARE: dev.firmware,
                snmp.ENT_SERIAL: dev.serial,
            }
        values = []
        for oid, _ in message.bindings:
            value = table.get(oid)
            values.append((f"{oid}.1" if value else oid, value))
        return snmp.build_response(
            message.community,
            message.request_id,
            values,
            missing=snmp.END_OF_MIB_VIEW,
            version=message.version,
        )
    return None
