"""Site sensors: runs of ``clearance scan`` and ``clearance identify`` sent to the server
(``--send URL --token T``), waiting in a local spool while it cannot be reached.

:mod:`~clearance.sensor.payload` is the run as uploaded (JSON, versioned),
:mod:`~clearance.sensor.spool` the folder of runs waiting to be sent, and
:mod:`~clearance.sensor.sending` sends them, each with its idempotency key, so that nothing
is lost or stored twice.
"""
