"""A minimal stand-in for :mod:`clearance.discovery.identify` while that module is built.

It reads only what the scanner's protocols state outright (facts ``make`` and ``brand``, the
SNMP enterprise number) and attributes through the registry (names, device hints, relations).
The full identifier, with fingerprint rules over banners, replaces it as soon as it exists;
see :func:`clearance.discovery.scanner_identify.default_identifier`.
"""

from __future__ import annotations

from clearance.discovery.probes.snmp import enterprise_of
from clearance.model import Asset, Attribution, Entity, Observation
from clearance.registry.registry import Registry

__all__ = ["InterimIdentifier"]


class InterimIdentifier:
    """Facts in, asset out: manufacturer and brand by exact registry name, then attribution."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._by_name: dict[str, Entity] = {}
        self._by_enterprise: dict[int, Entity] = {}
        for entity in registry:
            for name in entity.all_names():
                self._by_name.setdefault(name.casefold(), entity)
            hints = entity.device_hints
            if hints is not None:
                for brand in hints.brands:
                    self._by_name.setdefault(brand.casefold(), entity)
                for number in hints.snmp_enterprises:
                    self._by_enterprise.setdefault(number, entity)

    def _entity(self, name: str | None) -> Entity | None:
        return self._by_name.get(name.casefold()) if name else None

    def identify(self, obs: Observation) -> Asset:
        """The asset for ``obs`` with every restricted path of its maker and brand."""
        facts = obs.facts
        make = facts.get("make")
        candidates = [self._entity(make), self._entity(facts.get("brand"))]
        for item in obs.evidence:
            if item.kind == "snmp_object_id":
                number = enterprise_of(item.value)
                maker = self._by_enterprise.get(number) if number is not None else None
                if maker is not None:
                    candidates.append(maker)
                    make = make or maker.name
        restricted: dict[str, Attribution] = {}
        for entity in candidates:
            if entity is None:
                continue
            for path in self.registry.restricted_paths(entity.id):
                restricted.setdefault(
                    path.entity.id,
                    Attribution(
                        path.entity.id,
                        path.entity.name,
                        path.relation,
                        round(path.certainty, 3),
                        tuple(path.entity.listings),
                    ),
                )
        return Asset(
            source=obs.source,
            ip=obs.ip,
            mac=obs.mac,
            hostname=obs.hostname,
            manufacturer=make,
            brand=facts.get("brand"),
            model=facts.get("model"),
            firmware=facts.get("firmware"),
            serial=facts.get("serial"),
            site=obs.site,
            record=obs.record,
            restricted=list(restricted.values()),
            evidence=list(obs.evidence),
        )
