"""The listeners: each emulated device binds its own loopback address, TCP and UDP alike.

:class:`Emulator` runs in the caller's event loop; :class:`EmulatorThread` runs one in a
background thread (tests); :func:`start_subprocess` runs ``clearance emulate`` in a child
process and waits for its manifest (benchmarks, demos).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any, cast

from clearance.discovery.emulator import replies, snmp_replies
from clearance.discovery.emulator.fleet import DeviceSpec, generate_fleet, loopback_network
from clearance.discovery.emulator.tls import CertFactory
from clearance.discovery.scanner import raise_open_file_limit
from clearance.errors import OperationalError, UsageError
from clearance.i18n import gettext as _

__all__ = [
    "Emulator",
    "EmulatorProcess",
    "EmulatorThread",
    "ServicePorts",
    "start_subprocess",
    "write_manifest",
]

_IDLE = 10.0  # seconds a silent service keeps a client connection open


@dataclass(slots=True, frozen=True)
class ServicePorts:
    """The port of each emulated service (the devices' real defaults unless overridden)."""

    sadp: int = 37020
    dhip: int = 37810
    dhip5050: int = 5050
    wsd: int = 3702
    http: int = 80
    https: int = 443
    rtsp: int = 554
    sdk: int = 8000
    dvrip: int = 37777
    ssh: int = 22
    snmp: int = 161

    @classmethod
    def parse(cls, spec: str | None) -> ServicePorts:
        """``name=port`` overrides separated by commas, e.g. ``http=8080,rtsp=8554``.

        Raises:
            UsageError: an unknown service name or a bad port.
        """
        ports = cls()
        if not spec:
            return ports
        names = {f.name for f in fields(cls)}
        changes: dict[str, int] = {}
        for item in spec.split(","):
            name, _unused, value = item.strip().partition("=")
            if name not in names or not value.isdigit() or not 0 < int(value) < 65536:
                raise UsageError(
                    _("--ports: expected NAME=PORT with NAME in {names}").format(
                        names=sorted(names)
                    )
                )
            changes[name] = int(value)
        return replace(ports, **changes)

    @classmethod
    def unprivileged(cls, offset: int = 10000) -> ServicePorts:
        """Every port below 1024 moved up by ``offset``, for runs without root."""
        base = cls()
        return replace(base, **{k: v + offset for k, v in asdict(base).items() if v < 1024})

    def scan_spec(self) -> str:
        """The ``clearance scan --ports`` value that probes exactly these services."""
        return ",".join(
            [
                f"sadp:{self.sadp}",
                f"dhip:{self.dhip}",
                f"dhip5050:{self.dhip5050}",
                f"wsd:{self.wsd}",
                f"http:{self.http}",
                f"https:{self.https}",
                f"rtsp:{self.rtsp}",
                f"banner:{self.sdk}",
                f"banner:{self.dvrip}",
                f"banner:{self.ssh}",
                f"snmp:{self.snmp}",
            ]
        )

    def tcp_ports(self) -> list[int]:
        return sorted({self.http, self.https, self.rtsp, self.sdk, self.dvrip, self.ssh})


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, respond: Callable[[bytes], bytes | None]) -> None:
        self.respond = respond
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        try:
            answer = self.respond(data)
        except Exception:  # a malformed request gets no answer, like a real device
            answer = None
        if answer is not None and self.transport is not None:
            self.transport.sendto(answer, addr)


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(OSError, TimeoutError):
        await asyncio.wait_for(writer.wait_closed(), 1.0)


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str, dict[str, str], bytes]:
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), _IDLE)
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    method, target = (parts[0], parts[1]) if len(parts) >= 2 else ("", "/")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            key, value = line.split(":", 1)
            headers[key.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    body = await asyncio.wait_for(reader.readexactly(min(length, 65536)), _IDLE) if length else b""
    return method, target, headers, body


class Emulator:
    """Serves a fleet on loopback until :meth:`stop`."""

    def __init__(self, fleet: list[DeviceSpec], ports: ServicePorts | None = None) -> None:
        for dev in fleet:
            loopback_network(dev.ip)  # refuses anything outside 127.0.0.0/8
        self.fleet = fleet
        self.ports = ports or ServicePorts()
        self._servers: list[asyncio.AbstractServer] = []
        self._udp: list[asyncio.BaseTransport] = []
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._clients: set[asyncio.Task[None]] = set()

    @classmethod
    def generate(
        cls, count: int, network: str, seed: int, ports: ServicePorts | None = None
    ) -> Emulator:
        """An emulator for a freshly generated fleet."""
        return cls(generate_fleet(count, network, seed), ports)

    def manifest(self) -> list[dict[str, Any]]:
        """The ground truth, one record per device."""
        return [dev.manifest() for dev in self.fleet]

    async def start(self) -> None:
        """Bind every service of every device; raises OperationalError if one cannot bind."""
        raise_open_file_limit(len(self.fleet) * 12 + 1024)
        self._tmp = tempfile.TemporaryDirectory(prefix="clearance-emulator-")
        certs = CertFactory(Path(self._tmp.name))
        try:
            for dev in self.fleet:
                await self._start_device(dev, certs)
        except OSError as exc:
            await self.stop()
            raise OperationalError(_("emulator cannot bind: {exc}").format(exc=exc)) from exc

    async def _udp_service(
        self, dev: DeviceSpec, port: int, respond: Callable[[bytes], bytes | None]
    ) -> None:
        loop = asyncio.get_running_loop()
        transport, _unused = await loop.create_datagram_endpoint(
            lambda: _Udp(respond), local_addr=(dev.ip, port), reuse_port=False
        )
        self._udp.append(transport)

    async def _tcp_service(
        self,
        dev: DeviceSpec,
        port: int,
        handler: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Any],
        tls: Any = None,
    ) -> None:
        def tracked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task: asyncio.Task[None] = asyncio.ensure_future(handler(reader, writer))
            self._clients.add(task)
            task.add_done_callback(self._clients.discard)

        server = await asyncio.start_server(
            tracked, host=dev.ip, port=port, ssl=tls, reuse_address=True, backlog=64
        )
        self._servers.append(server)

    async def _start_device(self, dev: DeviceSpec, certs: CertFactory) -> None:
        s, p = dev.services, self.ports
        if "sadp" in s:
            await self._udp_service(dev, p.sadp, lambda data: replies.sadp_reply(dev, data))
        if "dhip" in s:
            await self._udp_service(dev, p.dhip, lambda data: replies.dhip_reply(dev, data))
        if "legacy5050" in s:
            await self._udp_service(dev, p.dhip5050, lambda data: replies.legacy_reply(dev, data))
        if "wsd" in s:
            await self._udp_service(dev, p.wsd, lambda data: replies.wsd_reply(dev, data, p.http))
        if "snmp" in s:
            await self._udp_service(dev, p.snmp, lambda data: snmp_replies.snmp_reply(dev, data))
        if "http" in s or "wsd" in s:
            await self._tcp_service(dev, p.http, self._http_handler(dev))
        if "https" in s:
            tls = certs.context(replies.tls_subject(dev))
            await self._tcp_service(dev, p.https, self._http_handler(dev), tls)
        if "rtsp" in s:
            await self._tcp_service(dev, p.rtsp, self._rtsp_handler(dev))
        if "sdk" in s:
            await self._tcp_service(dev, p.sdk, self._silent)
        if "dvrip" in s:
            await self._tcp_service(dev, p.dvrip, self._silent)
        if "ssh" in s:
            await self._tcp_service(dev, p.ssh, self._banner_handler(replies.ssh_banner(dev)))

    def _http_handler(
        self, dev: DeviceSpec
    ) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], Any]:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                method, target, _unused, body = await _read_request(reader)
                path = target.split("?", 1)[0] if not target.startswith("/doc/") else target
                answer = replies.http_answer(dev, method, path, body)
                writer.write(answer.encode())
                await asyncio.wait_for(writer.drain(), _IDLE)
            except (OSError, ValueError, TimeoutError, asyncio.IncompleteReadError):
                pass
            finally:
                await _close(writer)

        return handle

    def _rtsp_handler(
        self, dev: DeviceSpec
    ) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], Any]:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                while True:
                    method, _target, headers, _body = await _read_request(reader)
                    writer.write(replies.rtsp_answer(dev, method, headers.get("cseq", "0")))
                    await asyncio.wait_for(writer.drain(), _IDLE)
            except (OSError, ValueError, TimeoutError, asyncio.IncompleteReadError):
                pass
            finally:
                await _close(writer)

        return handle

    @staticmethod
    def _banner_handler(
        banner: bytes,
    ) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], Any]:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                writer.write(banner)
                await asyncio.wait_for(writer.drain(), _IDLE)
                await asyncio.wait_for(reader.read(256), _IDLE)
            except (OSError, TimeoutError):
                pass
            finally:
                await _close(writer)

        return handle

    @staticmethod
    async def _silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """A vendor SDK port: waits for the client to speak, says nothing to strangers."""
        try:
            await asyncio.wait_for(reader.read(256), _IDLE)
        except (OSError, TimeoutError):
            pass
        finally:
            await _close(writer)

    async def stop(self) -> None:
        """Close every listener and open connection."""
        for server in self._servers:
            server.close()
        for transport in self._udp:
            transport.close()
        for task in list(self._clients):
            task.cancel()
        await asyncio.gather(*self._clients, return_exceptions=True)
        for server in self._servers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 2.0)
        self._servers.clear()
        self._udp.clear()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def write_manifest(path: Path, records: list[dict[str, Any]]) -> None:
    """Write the manifest atomically (a reader never sees half a file)."""
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


class EmulatorThread:
    """An :class:`Emulator` on its own event loop in a daemon thread (for tests)."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> Emulator:
        self.start()
        return self.emulator

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.emulator.start(), self._loop).result(120)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.emulator.stop(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


@dataclass(slots=True)
class EmulatorProcess:
    """A running ``clearance emulate`` child and the manifest it wrote."""

    process: subprocess.Popen[bytes]
    manifest: list[dict[str, Any]]

    def stop(self) -> None:
        """Stop the child (SIGTERM, then SIGKILL after 10 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_subprocess(
    count: int,
    network: str,
    seed: int,
    manifest: Path,
    ports: ServicePorts | None = None,
    timeout: float = 300.0,
) -> EmulatorProcess:
    """Start ``clearance emulate`` in a child process; return once all devices listen.

    Raises:
        OperationalError: the child exited or did not write its manifest within ``timeout``.
    """
    loopback_network(network)
    manifest.unlink(missing_ok=True)
    spec = ports or ServicePorts()
    overrides = ",".join(f"{k}={v}" for k, v in asdict(spec).items())
    command = [
        sys.executable,
        "-m",
        "clearance.cli.app",
        "emulate",
        "--count",
        str(count),
        "--network",
        network,
        "--seed",
        str(seed),
        "--manifest",
        str(manifest),
        "--ports",
        overrides,
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if manifest.exists():
            records = json.loads(manifest.read_text(encoding="utf-8"))
            return EmulatorProcess(process, records)
        if process.poll() is not None:
            raise OperationalError(
                _("emulator exited with status {returncode}").format(returncode=process.returncode)
            )
        time.sleep(0.1)
    process.kill()
    raise OperationalError(
        _("emulator did not start within {timeout:.0f} s").format(timeout=timeout)
    )
