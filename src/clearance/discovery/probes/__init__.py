"""Active probes, one module per protocol; every one is asyncio with explicit timeouts."""
