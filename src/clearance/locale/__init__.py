"""Message catalogues (gettext ``.po``), read by :mod:`clearance.i18n`."""
