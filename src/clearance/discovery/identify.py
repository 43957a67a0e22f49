"""Identify devices: evidence → manufacturer, brand, model, firmware → restricted attribution.

Every piece of evidence in an :class:`~clearance.model.Observation` (and its facts, MAC and host
name) is read by the fingerprint rules of its kind and by the registry's device hints:

- the MAC registrant from the IEEE registry, matched whole against ``mac_registrants``;
- the SNMP sysObjectID's enterprise number against ``snmp_enterprises``;
- model numbers against ``model_patterns`` and the ``model_number`` rules;
- make and brand strings against the registry's names and brands (through the name-screening
  engine when one is given), and the ``make`` rules for spellings the registry lacks;
- banners, titles, realms, certificates, favicons and discovery replies against their rules.

Each claim names a registry entity with a certainty; claims on one entity combine as
independent evidence (1 - Π(1 - c)). The registry's :meth:`Registry.restricted_paths` turns
an entity into attributions (manufacturer, subsidiary, brand or oem), whose certainty is the
claim's times the path's.

A weak model-number or host-name claim (certainty below 0.8) is dropped when the device states
a make that names no registry party: "IPC-" models are sold by HiLook, Dahua and others, so a
Uniview "IPC…" is not attributed on its prefix alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Protocol

from clearance.discovery.fingerprints import RuleBook, shipped_rules
from clearance.discovery.oui import mac_registrant, normalise_mac, registrant_key
from clearance.legal_forms import legal_forms
from clearance.model import Asset, Attribution, Evidence, Observation
from clearance.registry.registry import Registry, RestrictedPath

__all__ = ["DeviceIdentifier", "NameScreener", "ScreenedHit", "ScreenedName", "name_key"]


class ScreenedHit(Protocol):
    """One registry entity a screened name may be (:class:`clearance.matching.screen.Hit`)."""

    @property
    def entity_id(self) -> str: ...

    @property
    def score(self) -> float: ...

    @property
    def status(self) -> str: ...


class ScreenedName(Protocol):
    """The outcome of screening one name, best hit first
    (:class:`clearance.matching.screen.ScreeningResult`)."""

    @property
    def hits(self) -> Sequence[ScreenedHit]: ...


class NameScreener(Protocol):
    """The name-screening engine as device identification uses it: one make or brand string
    in, hits out (:class:`clearance.matching.screen.Screener` is one)."""

    def screen(self, name: str) -> ScreenedName: ...


#: Facts an observation may carry, and the evidence kind each is read as.
_FACT_KINDS = {
    "make": "make",
    "brand": "brand",
    "model": "model_number",
    "firmware": "firmware",
    "serial": "serial",
    "device_type": "device_type",
}
#: Evidence kinds read by the ``make`` rules and the registry's names.
_NAME_KINDS = {"make", "brand", "manufacturer", "vendor", "onvif_manufacturer"}
#: Kinds whose weak claims give way to a stated make that names no registry party.
_WEAK_KINDS = {"model_number", "hostname"}
_WEAK_BELOW = 0.8
_MAC_CERTAINTY = 0.9
_SNMP_CERTAINTY = 0.9
_MODEL_HINT_CERTAINTY = 0.85
_NAME_CERTAINTY = 0.95
_BRAND_CERTAINTY = 0.9
_SCREEN_CACHE = 100_000
# Between the make and the model of a combined cell: "Hikvision / DS-…", "Dahua - IPC-…".
_SEPARATORS = re.compile(r"\s*[|;,]\s*|\s+[/–—-]\s+")
_SNMP_PEN = re.compile(
    r"^(?:\.?1\.3\.6\.1\.4\.1|iso\.3\.6\.1\.4\.1|(?:SNMPv2-SMI::)?enterprises)\.(\d+)(?:\.\d+)*$"
)


def name_key(name: str) -> str:
    """Comparison key for make and brand strings: NFKC, case-folded, legal forms, spacing and
    punctuation removed ("HIKVISION Co., Ltd." and "Hikvision" compare equal)."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _common_legal_forms().sub(" ", text)
    return "".join(ch for ch in text if ch.isalnum())


@cache
def _common_legal_forms() -> re.Pattern[str]:
    """The common legal forms of the legal-form table: whole words, and Han forms anywhere."""
    forms = legal_forms()
    words = "|".join(re.escape(w) for w in forms.common_words())
    return re.compile("|".join([rf"\b(?:{words})\b", *map(re.escape, forms.common_han())]))


@dataclass(slots=True)
class _Claim:
    """Evidence pointing to one registry entity."""

    entity_id: str
    certainty: float
    kind: str


@dataclass(slots=True)
class _Reading:
    """What the evidence of one observation says, before attribution."""

    evidence: list[Evidence] = field(default_factory=list)
    claims: list[_Claim] = field(default_factory=list)
    facts: dict[str, tuple[float, str]] = field(default_factory=dict)
    unknown_make: bool = False

    def fact(self, key: str, value: str, certainty: float) -> None:
        held = self.facts.get(key)
        if held is None or certainty > held[0]:
            self.facts[key] = (certainty, value)


class DeviceIdentifier:
    """Turns observations into assets with restricted attributions and their evidence.

    Commands build theirs with :func:`clearance.discovery.identification.device_identifier`
    (name engine attached), so every command attributes a device alike.

    Args:
        registry: the registry whose entities, relations and device hints apply.
        screener: optional :class:`NameScreener` (the ``clearance.matching`` engine) for make
            and brand strings; without it they are compared exactly after normalisation.
        rules: fingerprint rules (default: the shipped ones).
        min_certainty: attributions below this certainty are left out.
    """

    def __init__(
        self,
        registry: Registry,
        screener: NameScreener | None = None,
        *,
        rules: RuleBook | None = None,
        min_certainty: float = 0.3,
    ) -> None:
        self.registry = registry
        self.screener = screener
        self.rules = rules if rules is not None else shipped_rules()
        self.min_certainty = min_certainty
        self._registrants: dict[str, str] = {}
        self._enterprises: dict[int, str] = {}
        self._models: list[tuple[re.Pattern[str], str]] = []
        self._names: dict[str, str] = {}
        for entity in registry:
            hints = entity.device_hints
            if hints is not None:
                for reg in hints.mac_registrants:
                    self._registrants.setdefault(registrant_key(reg), entity.id)
                for pen in hints.snmp_enterprises:
                    self._enterprises.setdefault(int(pen), entity.id)
                for pattern in hints.model_patterns:
                    self._models.append((re.compile(pattern, re.IGNORECASE), entity.id))
                for brand in hints.brands:
                    self._names.setdefault(name_key(brand), entity.id)
            for name in entity.all_names():
                self._names.setdefault(name_key(name), entity.id)
        self._names.pop("", None)
        self._screened: dict[str, list[tuple[str, float]]] = {}
        self._paths: dict[str, list[RestrictedPath]] = {}

    # -- reading evidence -------------------------------------------------------------------

    def _inputs(self, obs: Observation) -> list[Evidence]:
        items: list[Evidence] = []
        seen: set[tuple[str, str]] = set()

        def add(kind: str, value: str | None) -> None:
            if value is None or not str(value).strip():
                return
            key = (kind, str(value))
            if key not in seen:
                seen.add(key)
                items.append(Evidence(kind, str(value)))

        if obs.mac:
            add("mac", obs.mac)
        if obs.hostname:
            add("hostname", obs.hostname)
        for fact, kind in _FACT_KINDS.items():
            add(kind, obs.facts.get(fact))
        for ev in obs.evidence:
            add(ev.kind, ev.value)
        return items

    def _read_rules(self, reading: _Reading, ev: Evidence, kind: str, scale: float = 1.0) -> bool:
        matched = False
        for match in self.rules.match(kind, ev.value):
            matched = True
            certainty = match.rule.certainty * scale
            reading.evidence.append(Evidence(ev.kind, ev.value, match.rule.id))
            reading.claims.append(_Claim(match.rule.manufacturer, certainty, ev.kind))
            for key, value in match.facts.items():
                reading.fact(key, value, certainty)
        return matched

    def _read_mac(self, reading: _Reading, ev: Evidence) -> None:
        mac = normalise_mac(ev.value) or ev.value
        org = mac_registrant(mac)
        if org is None:
            reading.evidence.append(Evidence("mac", mac, None))
            return
        reading.evidence.append(Evidence("mac", mac, "ieee-registry"))
        entity_id = self._registrants.get(registrant_key(org))
        if entity_id is not None:
            reading.evidence.append(Evidence("mac_registrant", org, f"device-hints:{entity_id}"))
            reading.claims.append(_Claim(entity_id, _MAC_CERTAINTY, "mac"))
            return
        registrant = Evidence("mac_registrant", org)
        if not self._read_rules(reading, registrant, "make", _MAC_CERTAINTY):
            reading.evidence.append(registrant)

    def _read_snmp_oid(self, reading: _Reading, ev: Evidence) -> None:
        found = _SNMP_PEN.match(ev.value.strip())
        entity_id = self._enterprises.get(int(found.group(1))) if found else None
        if entity_id is not None:
            reading.evidence.append(Evidence(ev.kind, ev.value, f"device-hints:{entity_id}"))
            reading.claims.append(_Claim(entity_id, _SNMP_CERTAINTY, ev.kind))
        elif not self._read_rules(reading, ev, ev.kind):
            reading.evidence.append(ev)

    def _read_model(self, reading: _Reading, ev: Evidence) -> None:
        value = ev.value.strip()
        matched = self._read_rules(reading, ev, "model_number")
        for pattern, entity_id in self._models:
            if pattern.fullmatch(value):
                matched = True
                reading.evidence.append(Evidence(ev.kind, ev.value, f"device-hints:{entity_id}"))
                reading.claims.append(_Claim(entity_id, _MODEL_HINT_CERTAINTY, ev.kind))
        if not matched:
            reading.evidence.append(ev)

    def _screen(self, value: str) -> list[tuple[str, float]]:
        """(entity id, score) of the name engine's best hit when it is a match, if attached."""
        if self.screener is None:
            return []
        cached = self._screened.get(value)
        if cached is not None:
            return cached
        hits = self.screener.screen(value).hits
        found: list[tuple[str, float]] = []
        if hits and hits[0].status == "match" and hits[0].entity_id in self.registry.entities:
            found.append((hits[0].entity_id, float(hits[0].score)))
        if len(self._screened) < _SCREEN_CACHE:
            self._screened[value] = found
        return found

    def _read_name(self, reading: _Reading, ev: Evidence) -> None:
        value = ev.value.strip()
        matched = self._read_rules(reading, ev, "make")
        entity_id = self._names.get(name_key(value))
        if entity_id is not None:
            matched = True
            reading.evidence.append(Evidence(ev.kind, ev.value, f"registry-name:{entity_id}"))
            certainty = _BRAND_CERTAINTY if ev.kind == "brand" else _NAME_CERTAINTY
            reading.claims.append(_Claim(entity_id, certainty, ev.kind))
        elif not matched:
            for entity_id, score in self._screen(value):
                matched = True
                reading.evidence.append(Evidence(ev.kind, ev.value, f"name-screening:{entity_id}"))
                reading.claims.append(_Claim(entity_id, score * _NAME_CERTAINTY, ev.kind))
        if not matched:
            reading.evidence.append(ev)
            if ev.kind in {"make", "manufacturer", "vendor"}:
                reading.unknown_make = True

    def read(self, obs: Observation) -> _Reading:
        """Read every piece of evidence of ``obs`` with the rules and device hints."""
        reading = _Reading()
        for ev in self._inputs(obs):
            if ev.kind == "mac":
                self._read_mac(reading, ev)
            elif ev.kind == "snmp_object_id":
                self._read_snmp_oid(reading, ev)
            elif ev.kind == "model_number":
                self._read_model(reading, ev)
            elif ev.kind in _NAME_KINDS:
                self._read_name(reading, ev)
            elif not self._read_rules(reading, ev, ev.kind):
                reading.evidence.append(ev)
        return reading

    # -- attribution ------------------------------------------------------------------------

    def _combined(self, reading: _Reading) -> dict[str, float]:
        """Certainty per entity: claims combine as independent evidence, 1 - Π(1 - c)."""
        doubt: dict[str, float] = {}
        for claim in reading.claims:
            if reading.unknown_make and claim.kind in _WEAK_KINDS and claim.certainty < _WEAK_BELOW:
                continue
            doubt[claim.entity_id] = doubt.get(claim.entity_id, 1.0) * (1.0 - claim.certainty)
        return {eid: 1.0 - d for eid, d in doubt.items()}

    def _attributions(self, combined: dict[str, float]) -> list[Attribution]:
        best: dict[str, Attribution] = {}
        for entity_id, certainty in combined.items():
            if entity_id not in self.registry.entities:
                continue
            paths = self._paths.get(entity_id)
            if paths is None:
                paths = self._paths[entity_id] = self.registry.restricted_paths(
                    entity_id, beyond_listed=False
                )
            for path in paths:
                value = round(certainty * path.certainty, 3)
                if value < self.min_certainty:
                    continue
                held = best.get(path.entity.id)
                if held is None or value > held.certainty:
                    best[path.entity.id] = Attribution(
                        path.entity.id,
                        path.entity.name,
                        path.relation,
                        value,
                        tuple(path.entity.listings),
                    )
        return sorted(best.values(), key=lambda a: (-a.certainty, a.entity_id))

    # -- a combined make-and-model column ---------------------------------------------------

    def _known_make(self, text: str) -> bool:
        return name_key(text) in self._names or bool(self.rules.match("make", text))

    def split_make_model(self, text: str) -> tuple[str | None, str | None]:
        """(make, model) of a combined cell: "Hikvision DS-2DE4425IW-DE", "HIKVISION /
        DS-2CD2143G2-I", "Dahua Technology IPC-HFW2431S".

        The longest leading words that name a registry party or brand, or that a ``make``
        rule reads, are the make and the rest the model; a cell that is one model number
        (a registry model pattern or a ``model_number`` rule) is a model; otherwise the
        words before the first one holding a digit are taken as an unknown make.
        """
        clean = _SEPARATORS.sub(" ", text).strip()
        words = clean.split()
        if not words:
            return None, None
        if len(words) == 1 and "/" in clean:  # "Hikvision/DS-2CD2143G2-I"
            head, _, rest = clean.partition("/")
            if rest and self._known_make(head):
                return head, rest
        for count in range(len(words) - 1, 0, -1):
            head = " ".join(words[:count])
            if self._known_make(head):
                return head, " ".join(words[count:])
        if self._known_make(clean):
            return clean, None
        if any(p.fullmatch(clean) for p, _ in self._models) or self.rules.match(
            "model_number", clean
        ):
            return None, clean
        first_digit = next((i for i, w in enumerate(words) if any(c.isdigit() for c in w)), None)
        if first_digit:
            return " ".join(words[:first_digit]), " ".join(words[first_digit:])
        return None, None

    def _with_make_model(self, obs: Observation) -> Observation:
        """``obs`` with the make and model of its ``make_model`` fact where it has none."""
        combined = obs.facts.get("make_model")
        if not combined or (obs.facts.get("make") and obs.facts.get("model")):
            return obs
        make, model = self.split_make_model(combined)
        facts = dict(obs.facts)
        if make and not facts.get("make") and not facts.get("brand"):
            facts["make"] = make
        if model and not facts.get("model"):
            facts["model"] = model
        evidence = [*obs.evidence, Evidence("make_model", combined)]
        return replace(obs, facts=facts, evidence=evidence)

    def identify(self, obs: Observation) -> Asset:
        """The asset ``obs`` describes, with its restricted attributions and evidence."""
        obs = self._with_make_model(obs)
        reading = self.read(obs)
        combined = self._combined(reading)
        facts = {k: v for k, (_, v) in reading.facts.items()}
        manufacturer = obs.facts.get("make")
        brand = obs.facts.get("brand")
        if combined and manufacturer is None and brand is None:
            top_id = max(combined.items(), key=lambda item: item[1])[0]
            top = self.registry.entities.get(top_id)
            manufacturer = top.name if top is not None else top_id
        mac = normalise_mac(obs.mac) if obs.mac else None
        status = obs.facts.get("status")
        state = obs.facts.get("register_state")
        if status is not None:  # the register's word, kept as evidence (of a disposal …)
            rule = f"register-status:{state}" if state else None
            reading.evidence.append(Evidence("register_status", status, rule))
        return Asset(
            source=obs.source,
            ip=obs.ip,
            mac=mac or obs.mac,
            hostname=obs.hostname,
            manufacturer=manufacturer,
            brand=brand,
            model=obs.facts.get("model") or facts.get("model"),
            firmware=obs.facts.get("firmware") or facts.get("firmware"),
            serial=obs.facts.get("serial") or facts.get("serial"),
            site=obs.site,
            record=obs.record,
            restricted=self._attributions(combined),
            evidence=reading.evidence,
            asset_tag=obs.facts.get("asset_tag"),
            location=obs.facts.get("location"),
            custodian=obs.facts.get("custodian"),
            register_status=status,
            register_state=state,
        )

    def identify_all(self, observations: Iterable[Observation]) -> Iterator[Asset]:
        """Identify each observation in turn (streaming)."""
        for obs in observations:
            yield self.identify(obs)
