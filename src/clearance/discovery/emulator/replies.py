"""What each emulated device says: reply bytes per protocol, in its family's own formats
(SNMP apart, in :mod:`.snmp_replies`).

Pure functions of a :class:`~clearance.discovery.emulator.fleet.DeviceSpec` and the request;
the listeners in :mod:`.servers` only move bytes.
"""

from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime
from ipaddress import IPv4Address
from xml.sax.saxutils import escape

from clearance.discovery.emulator.fleet import DeviceSpec
from clearance.discovery.probes import dhip
from clearance.discovery.probes.xmlutil import local, parse_xml, texts

__all__ = [
    "HttpAnswer",
    "dhip_reply",
    "http_answer",
    "legacy_reply",
    "rtsp_answer",
    "sadp_reply",
    "ssh_banner",
    "tls_subject",
    "wsd_reply",
]

_HIK_DEVICE_TYPES = {"IPCamera": "31", "NVR": "44322"}


def _nonce(dev: DeviceSpec, salt: str) -> str:
    return hashlib.sha256(f"{dev.serial}{dev.ip}{salt}".encode()).hexdigest()[:32]


def _xml_doc(tag: str, fields: dict[str, str], attrs: str = "") -> bytes:
    inner = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in fields.items())
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{tag}{attrs}>{inner}</{tag}>\n'.encode()


# --- Hikvision SADP ---------------------------------------------------------------------


def sadp_reply(dev: DeviceSpec, request: bytes) -> bytes | None:
    """A ``ProbeMatch`` for an inquiry, echoing its Uuid."""
    root = parse_xml(request)
    if root is None or local(root.tag) != "Probe":
        return None
    fields = texts(root)
    if fields.get("Types", "").lower() != "inquiry":
        return None
    firmware = dev.firmware or ""
    oem = dev.brand if dev.brand and dev.brand != dev.manufacturer else "N/A"
    return _xml_doc(
        "ProbeMatch",
        {
            "Uuid": fields.get("Uuid", ""),
            "Types": "inquiry",
            "DeviceType": _HIK_DEVICE_TYPES.get(dev.device_class, "31"),
            "DeviceDescription": dev.model or "",
            "DeviceSN": dev.serial or "",
            "CommandPort": "8000",
            "HttpPort": "80",
            "MAC": dev.mac.replace(":", "-"),
            "IPv4Address": dev.ip,
            "IPv4SubnetMask": "255.0.0.0",
            "IPv4Gateway": "127.0.0.1",
            "IPv6Address": "::",
            "IPv6Gateway": "::",
            "IPv6MaskLen": "64",
            "DHCP": "false",
            "AnalogChannelNum": "0",
            "DigitalChannelNum": "8" if dev.device_class == "NVR" else "1",
            "SoftwareVersion": firmware,
            "DSPVersion": "V7.3, build " + firmware[-6:] if firmware else "",
            "BootTime": "2026-11-01 08:00:00",
            "OEMInfo": oem,
            "Activated": "true",
            "PasswordResetAbility": "true",
            "SDKOverTLSPort": "8443",
        },
    )


# --- Dahua DHIP and the older 5050 form -------------------------------------------------


def dhip_reply(dev: DeviceSpec, request: bytes) -> bytes | None:
    """``client.notifyDevInfo`` for a ``DHDiscover.search``."""
    message = dhip.parse_dhip(request)
    if message is None or message.get("method") != "DHDiscover.search":
        return None
    vendor = dev.brand if dev.brand and dev.brand != dev.manufacturer else "Private"
    info = {
        "AlarmInputChannels": 2,
        "AlarmOutputChannels": 1,
        "DeviceClass": dev.device_class,
        "DeviceType": dev.model,
        "HttpPort": 80,
        "IPv4Address": {
            "DefaultGateway": "127.0.0.1",
            "DhcpEnable": False,
            "IPAddress": dev.ip,
            "SubnetMask": "255.0.0.0",
        },
        "MachineName": dev.serial,
        "Manufacturer": "Private",
        "Port": 37777,
        "RemoteVideoInputChannels": 0,
        "SerialNo": dev.serial,
        "Vendor": vendor,
        "Version": dev.firmware,
        "VideoInputChannels": 8 if dev.device_class == "NVR" else 1,
        "VideoOutputChannels": 1 if dev.device_class == "NVR" else 0,
    }
    body = {"mac": dev.mac, "method": "client.notifyDevInfo", "params": {"deviceInfo": info}}
    return dhip.dhip_frame(body)


def legacy_reply(dev: DeviceSpec, request: bytes) -> bytes | None:
    """The binary answer to the older UDP 5050 search."""
    if request[:4] != dhip.LEGACY_REQUEST[:4]:
        return None
    trailer = (dev.mac + (dev.model or "")).encode()
    head = bytearray(120)
    head[0] = 0xB3
    head[2] = len(trailer)
    struct.pack_into("<I", head, 4, 0x58)
    struct.pack_into("<I", head, 16, 2)
    head[40:56] = dev.device_class.encode()[:16].ljust(16, b"\x00")
    head[56:60] = IPv4Address(dev.ip).packed
    head[60:64] = IPv4Address("255.0.0.0").packed
    head[64:68] = IPv4Address("127.0.0.1").packed
    return bytes(head) + trailer


# --- ONVIF WS-Discovery -----------------------------------------------------------------


def _onvif_name(dev: DeviceSpec) -> str:
    if dev.family == "axis":
        return f"AXIS%20{dev.model}".replace(" ", "%20")
    label = dev.brand or dev.manufacturer or "IPC"
    return {"Hikvision": "HIKVISION", "Dahua": "Dahua"}.get(label, label).replace(" ", "%20")


def wsd_reply(dev: DeviceSpec, request: bytes, http_port: int) -> bytes | None:
    """``ProbeMatches`` for a WS-Discovery Probe, relating to its MessageID."""
    root = parse_xml(request)
    if root is None or not any(local(el.tag) == "Probe" for el in root.iter()):
        return None
    message_id = texts(root).get("MessageID", "")
    hardware = (dev.model or "").replace(" ", "%20")
    scopes = " ".join(
        [
            "onvif://www.onvif.org/type/video_encoder",
            "onvif://www.onvif.org/Profile/Streaming",
            f"onvif://www.onvif.org/hardware/{hardware}",
            f"onvif://www.onvif.org/name/{_onvif_name(dev)}",
            "onvif://www.onvif.org/location/",
        ]
    )
    port = "" if http_port == 80 else f":{http_port}"
    endpoint = f"urn:uuid:{hashlib.md5(dev.mac.encode(), usedforsecurity=False).hexdigest()}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:wsadis="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
        'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" '
        'xmlns:dn="http://www.onvif.org/ver10/network/wsdl">'
        "<env:Header>"
        f"<wsadis:MessageID>uuid:{_nonce(dev, message_id)}</wsadis:MessageID>"
        f"<wsadis:RelatesTo>{escape(message_id)}</wsadis:RelatesTo>"
        "<wsadis:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsadis:To>"
        "<wsadis:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches"
        "</wsadis:Action></env:Header><env:Body><d:ProbeMatches><d:ProbeMatch>"
        f"<wsadis:EndpointReference><wsadis:Address>{endpoint}</wsadis:Address>"
        "</wsadis:EndpointReference>"
        "<d:Types>dn:NetworkVideoTransmitter</d:Types>"
        f"<d:Scopes>{scopes}</d:Scopes>"
        f"<d:XAddrs>http://{dev.ip}{port}/onvif/device_service</d:XAddrs>"
        "<d:MetadataVersion>1</d:MetadataVersion>"
        "</d:ProbeMatch></d:ProbeMatches></env:Body></env:Envelope>"
    ).encode()


# --- HTTP -------------------------------------------------------------------------------


@dataclass(slots=True)
class HttpAnswer:
    """Status, headers (in order, case as sent) and body."""

    status: int
    reason: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    upper_case_headers: bool = False

    def encode(self) -> bytes:
        headers = [*self.headers, ("Content-Length", str(len(self.body)))]
        headers.append(("Connection", "close"))
        lines = [f"HTTP/1.1 {self.status} {self.reason}"]
        for key, value in headers:
            lines.append(f"{key.upper() if self.upper_case_headers else key}: {value}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


def _html(title: str, body: str = "") -> bytes:
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body>{body}</body></html>\n"
    ).encode()


def _favicon(dev: DeviceSpec) -> bytes:
    seed = hashlib.sha256(f"favicon:{dev.family}".encode()).digest()
    return b"\x00\x00\x01\x00\x01\x00\x10\x10" + seed * 8


def _hik_server(dev: DeviceSpec) -> str:
    choices = ["App-webs/", "webserver"] if dev.device_class == "IPCamera" else ["DNVRS-Webs"]
    return choices[int(dev.token, 36) % len(choices)]


def _soap(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" '
        'xmlns:tt="http://www.onvif.org/ver10/schema" '
        'xmlns:ter="http://www.onvif.org/ver10/error">'
        f"<SOAP-ENV:Body>{body}</SOAP-ENV:Body></SOAP-ENV:Envelope>"
    ).encode()


def _onvif_answer(dev: DeviceSpec, body: bytes) -> HttpAnswer:
    root = parse_xml(body)
    ops = {local(el.tag) for el in root.iter()} if root is not None else set()
    xml = [("Content-Type", "application/soap+xml; charset=utf-8")]
    if "GetDeviceInformation" in ops:
        if "onvif_open" not in dev.services:
            fault = (
                "<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value>"
                "<SOAP-ENV:Subcode><SOAP-ENV:Value>ter:NotAuthorized</SOAP-ENV:Value>"
                "</SOAP-ENV:Subcode></SOAP-ENV:Code><SOAP-ENV:Reason><SOAP-ENV:Text "
                'xml:lang="en">Sender not Authorized</SOAP-ENV:Text></SOAP-ENV:Reason>'
                "</SOAP-ENV:Fault>"
            )
            return HttpAnswer(400, "Bad Request", xml, _soap(fault))
        maker = dev.brand if dev.family in {"hikvision", "dahua"} else dev.manufacturer
        if dev.family == "hanwha":
            maker = "Hanwha Vision"
        info = (
            "<tds:GetDeviceInformationResponse>"
            f"<tds:Manufacturer>{escape(maker or '')}</tds:Manufacturer>"
            f"<tds:Model>{escape(dev.model or '')}</tds:Model>"
            f"<tds:FirmwareVersion>{escape(dev.firmware or '')}</tds:FirmwareVersion>"
            f"<tds:SerialNumber>{escape(dev.serial or '')}</tds:SerialNumber>"
            f"<tds:HardwareId>{dev.token}</tds:HardwareId>"
            "</tds:GetDeviceInformationResponse>"
        )
        return HttpAnswer(200, "OK", xml, _soap(info))
    if "GetSystemDateAndTime" in ops:
        now = datetime.now(UTC)
        when = (
            "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>"
            "<tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>"
            "<tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone><tt:UTCDateTime>"
            f"<tt:Time><tt:Hour>{now.hour}</tt:Hour><tt:Minute>{now.minute}</tt:Minute>"
            f"<tt:Second>{now.second}</tt:Second></tt:Time>"
            f"<tt:Date><tt:Year>{now.year}</tt:Year><tt:Month>{now.month}</tt:Month>"
            f"<tt:Day>{now.day}</tt:Day></tt:Date></tt:UTCDateTime>"
            "</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>"
        )
        return HttpAnswer(200, "OK", xml, _soap(when))
    if "GetCapabilities" in ops:
        caps = (
            "<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Device>"
            f"<tt:XAddr>http://{dev.ip}/onvif/device_service</tt:XAddr>"
            "</tt:Device></tds:Capabilities></tds:GetCapabilitiesResponse>"
        )
        return HttpAnswer(200, "OK", xml, _soap(caps))
    return HttpAnswer(400, "Bad Request", xml, _soap("<SOAP-ENV:Fault/>"))


def _hikvision_http(dev: DeviceSpec, path: str) -> HttpAnswer:
    server = [("Server", _hik_server(dev))]
    if path == "/":
        script = (
            '<script>window.location.href = "/doc/page/login.asp?_" + '
            "(new Date()).getTime();</script>"
        )
        return HttpAnswer(200, "OK", [*server, ("Content-Type", "text/html")], _html("", script))
    if path.startswith("/doc/page/login.asp"):
        return HttpAnswer(200, "OK", [*server, ("Content-Type", "text/html")], _html(""))
    if path == "/ISAPI/System/deviceInfo":
        if "isapi_open" in dev.services:
            version, _, build = (dev.firmware or "").partition("build")
            doc = _xml_doc(
                "DeviceInfo",
                {
                    "deviceName": "IP CAMERA" if dev.device_class == "IPCamera" else "NVR",
                    "deviceID": _nonce(dev, "id"),
                    "model": dev.model or "",
                    "serialNumber": dev.serial or "",
                    "macAddress": dev.mac,
                    "firmwareVersion": version.strip(),
                    "firmwareReleasedDate": f"build {build.strip()}",
                    "deviceType": dev.device_class,
                },
                ' version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema"',
            )
            return HttpAnswer(200, "OK", [*server, ("Content-Type", "application/xml")], doc)
        realm = f"IP Camera({dev.token})" if dev.device_class == "IPCamera" else "Hikvision"
        challenge = (
            f'Digest realm="{realm}", qop="auth", nonce="{_nonce(dev, path)}", stale="FALSE"'
        )
        return HttpAnswer(401, "Unauthorized", [*server, ("WWW-Authenticate", challenge)])
    return HttpAnswer(404, "Not Found", server, _html("Document Error: Not Found"))


def _family_root(dev: DeviceSpec) -> HttpAnswer:
    html = [("Content-Type", "text/html")]
    family = dev.family
    if family == "dahua":
        return HttpAnswer(200, "OK", html, _html("WEB SERVICE"), upper_case_headers=True)
    if family == "axis":
        body = '<script src="/axis-cgi/param.cgi?action=list"></script>'
        return HttpAnswer(200, "OK", html, _html("AXIS", body))
    if family == "hanwha":
        return HttpAnswer(200, "OK", [("Server", "nginx"), *html], _html("WISENET WEBVIEWER"))
    if family == "bosch":
        return HttpAnswer(
            200, "OK", [("Server", "VCS-VideoJet-Webserver"), *html], _html(dev.model or "")
        )
    if family == "huawei-ont":
        return HttpAnswer(
            401, "Unauthorized", [("WWW-Authenticate", 'Basic realm="HuaweiHomeGateway"')]
        )
    if family == "zte":
        server = [("Server", "Mini web server 1.0 ZTE corp 2005.")]
        return HttpAnswer(200, "OK", [*server, *html], _html(dev.model or ""))
    return HttpAnswer(200, "OK", [("Server", "nginx/1.22.1"), *html], _html("Welcome to nginx!"))


def _axis_info(dev: DeviceSpec, body: bytes) -> HttpAnswer:
    try:
        method = json.loads(body.decode()).get("method")
    except (ValueError, AttributeError):
        method = None
    if method != "getAllUnrestrictedProperties":
        return HttpAnswer(400, "Bad Request")
    props = {
        "Brand": "AXIS",
        "BuildDate": "Mar 14 2024 10:12",
        "HardwareID": dev.token,
        "ProdFullName": f"AXIS {dev.model} {dev.device_class}",
        "ProdNbr": dev.model,
        "ProdShortName": f"AXIS {dev.model}",
        "ProdType": dev.device_class,
        "ProdVariant": "",
        "SerialNumber": dev.serial,
        "Version": dev.firmware,
        "WebURL": "http://www.axis.com",
    }
    doc = json.dumps({"apiVersion": "1.3", "data": {"propertyList": props}}).encode()
    return HttpAnswer(200, "OK", [("Content-Type", "application/json")], doc)


def http_answer(dev: DeviceSpec, method: str, path: str, body: bytes) -> HttpAnswer:
    """The device's answer to one HTTP request."""
    if method == "POST" and path == "/onvif/device_service" and "wsd" in dev.services:
        return _onvif_answer(dev, body)
    if path == "/favicon.ico" and dev.family not in {"huawei-ont", "linux"}:
        return HttpAnswer(200, "OK", [("Content-Type", "image/x-icon")], _favicon(dev))
    if dev.family == "hikvision":
        return _hikvision_http(dev, path)
    if dev.family == "axis" and path == "/axis-cgi/basicdeviceinfo.cgi" and method == "POST":
        return _axis_info(dev, body)
    if path == "/":
        return _family_root(dev)
    return HttpAnswer(404, "Not Found", [("Content-Type", "text/html")], _html("404 Not Found"))


def tls_subject(dev: DeviceSpec) -> list[tuple[str, str]]:
    """The subject of the device's self-signed certificate, most significant part first."""
    if dev.family == "hikvision":
        if dev.device_class == "NVR":
            return [
                ("C", "CN"),
                ("ST", "ZheJiang"),
                ("L", "HangZhou"),
                ("O", "HIKVISION"),
                ("OU", "DVRNVR"),
                ("CN", "www.hikvision.com"),
            ]
        return [("CN", dev.ip)]
    if dev.family == "dahua":
        return [
            ("C", "CN"),
            ("ST", "ZheJiang"),
            ("L", "HangZhou"),
            ("O", "Zhejiang Dahua Technology Co., Ltd."),
            ("CN", dev.serial or dev.ip),
        ]
    if dev.family == "axis":
        return [("CN", "axis-" + dev.mac.replace(":", ""))]
    return [("CN", dev.ip)]


# --- RTSP, SSH -------------------------------------------------------------------------


def rtsp_answer(dev: DeviceSpec, method: str, cseq: str) -> bytes:
    """The answer to one RTSP request: OPTIONS lists methods, DESCRIBE asks for credentials."""
    headers = [f"CSeq: {cseq}"]
    if dev.family == "dahua":
        headers.append("Server: Dahua Rtsp Server")
    if method == "OPTIONS":
        headers.append(
            "Public: OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER"
        )
        status = "200 OK"
    else:
        realm = {
            "hikvision": f"IP Camera({dev.token})"
            if dev.device_class == "IPCamera"
            else "Hikvision",
            "dahua": f"Login to {dev.serial}",
            "axis": "AXIS_" + dev.mac.replace(":", "").upper(),
            "hanwha": "iPOLiS",
            "bosch": "Bosch",
        }.get(dev.family, "RTSP")
        headers.append(f'WWW-Authenticate: Digest realm="{realm}", nonce="{_nonce(dev, cseq)}"')
        status = "401 Unauthorized"
    return (f"RTSP/1.0 {status}\r\n" + "\r\n".join(headers) + "\r\n\r\n").encode()


def ssh_banner(dev: DeviceSpec) -> bytes:
    """The SSH identification string the device sends first."""
    if dev.family == "huawei":
        return b"SSH-2.0-HUAWEI-1.5\r\n"
    return b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"
