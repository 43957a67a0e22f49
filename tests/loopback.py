"""Loopback networks of this test process's own, so that two test runs on one machine (two
checkouts, two CI jobs) never bind the same emulated addresses."""

from __future__ import annotations

import ipaddress
import os


def process_network(second_octet: int, prefix: int) -> ipaddress.IPv4Network:
    """A /``prefix`` (24..30) network in 127.``second_octet``.0.0/16 chosen by the process id."""
    size = 2 ** (32 - prefix)
    slots = 256 // size
    pid = os.getpid()
    third, slot = pid % 250, (pid // 250) % slots
    return ipaddress.IPv4Network(f"127.{second_octet}.{third}.{slot * size}/{prefix}")
