"""Monitoring: the server updates the lists on a schedule, rechecks everything after an
update, and tells owners of new, reopened and overdue findings by e-mail and webhook.

:mod:`~clearance.monitor.config` reads what to do (``CLEARANCE_*`` variables and the owners
file); :mod:`~clearance.monitor.run` does one pass (``clearance monitor run-once``);
:mod:`~clearance.monitor.schedule` repeats it inside ``clearance serve``, once across replicas
(:mod:`~clearance.monitor.leases`); :mod:`~clearance.monitor.events` finds what to tell whom
and remembers what was told, :mod:`~clearance.monitor.digest` writes it in French and English,
:mod:`~clearance.monitor.email` and :mod:`~clearance.monitor.webhook` deliver it.
"""
