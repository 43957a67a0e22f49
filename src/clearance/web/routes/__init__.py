"""The pages, one module a group: each has its own ``router``, added by
:func:`clearance.web.mount.mount`."""
