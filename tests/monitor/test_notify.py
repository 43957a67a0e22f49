"""Digests of new, reopened and overdue findings to their owners, by e-mail (an SMTP server
on loopback) and webhook (a receiver on loopback checking the signature); nothing twice."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine

from clearance.monitor.notify import notify
from clearance.monitor.webhook import SIGNATURE_HEADER
from clearance.profile import OrganisationProfile
from clearance.store.findings import list_findings
from clearance.store.lifecycle import ensure_finding, update_finding
from clearance.store.lock import write_transaction
from clearance.store.profile import save_profile
from clearance.store.recording import save_assets, save_screening
from clearance.store.sites import add_site
from tests.store.factories import FCC, camera, screening

from .conftest import SECRET, Hooks, Mailbox, config_for

AT = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _store(engine: Engine) -> dict[str, int]:
    """A supplier finding nobody owns and a device finding at a site facilities owns."""
    add_site(engine, "east", owner="facilities", user="u")
    save_assets(engine, [camera(site="east")], kind="scan", targets=["10.0.0.0/24"], user="u")
    save_screening(
        engine,
        [screening("Hytera Communications", ("hytera", "Hytera", [FCC]))],
        targets=["s.csv"],
        user="u",
    )
    found = {f.kind: f.id for f in list_findings(engine)}
    assert set(found) == {"device", "supplier"}
    return found


def _body(mail: object) -> str:
    from email.message import Message

    assert isinstance(mail, Message)
    payload = mail.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(mail.get_content_charset() or "utf-8")


def test_each_owner_gets_one_bilingual_digest_once(
    engine: Engine, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    ids = _store(engine)
    save_profile(engine, OrganisationProfile(name="Org", lang="fr"), user="u")
    report = notify(engine, config_for(smtp_port=port), at=AT)
    assert report.digests == {"email": 2}
    assert report.notices == {"email": 2}
    by_to = {tuple(sorted(to)): msg for to, msg in box.mails}
    assert set(by_to) == {("fm-east@example.org", "fm-west@example.org"), ("security@example.org",)}
    site_mail = by_to[("fm-east@example.org", "fm-west@example.org")]
    subject = str(site_mail["Subject"])
    # French first (the profile's language), then English
    assert subject == (
        "Clearance : 1 constat demande votre attention / Clearance: 1 finding needs your attention"
    )
    body = _body(site_mail)
    assert f"Constat {ids['device']} (nouveau)" in body
    assert f"Finding {ids['device']} (new)" in body
    assert body.index("Bonjour facilities") < body.index("Hello facilities")
    assert f"Finding {ids['supplier']}" not in body  # not facilities' finding
    assert f"Finding {ids['supplier']} (new)" in _body(by_to[("security@example.org",)])
    # a second pass sends nothing
    again = notify(engine, config_for(smtp_port=port), at=AT + timedelta(hours=1))
    assert again.digests == {"email": 0}
    assert len(box.mails) == 2


def test_webhook_is_signed_retried_and_sent_once(engine: Engine, hooks: tuple[Hooks, str]) -> None:
    got, url = hooks
    ids = _store(engine)
    got.fail_first = [500]  # the first attempt fails; the retry goes through
    report = notify(engine, config_for(hook_url=url), at=AT)
    assert report.failures == []
    assert report.digests == {"webhook": 2}
    for headers, body in got.received:
        expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert headers[SIGNATURE_HEADER] == f"sha256={expected}"
    owners = {p["owner"]: p for p in got.payloads()}
    assert set(owners) == {"default", "facilities"}
    assert [n["finding"]["id"] for n in owners["facilities"]["notices"]] == [ids["device"]]
    assert owners["default"]["addresses"] == ["security@example.org"]
    assert {n["event"] for p in owners.values() for n in p["notices"]} == {"new"}
    assert notify(engine, config_for(hook_url=url), at=AT).digests == {"webhook": 0}
    assert len(got.received) == 2


def test_a_failed_webhook_is_tried_again_next_pass(
    engine: Engine, hooks: tuple[Hooks, str]
) -> None:
    got, url = hooks
    _store(engine)
    got.fail_first = [503] * 6  # every attempt of both digests fails
    report = notify(engine, config_for(hook_url=url), at=AT)
    assert report.digests == {"webhook": 0}
    assert len(report.failures) == 2
    assert "HTTP 503" in report.failures[0]
    assert notify(engine, config_for(hook_url=url), at=AT).digests == {"webhook": 2}


def test_overdue_is_told_once_a_day_and_reopened_once(
    engine: Engine, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    ids = _store(engine)
    config = config_for(smtp_port=port)
    notify(engine, config, at=AT)
    box.mails.clear()
    update_finding(
        engine,
        ids["supplier"],
        user="u",
        status="replacement_planned",
        owner="alice",
        due_date=date(2026, 12, 1),
    )
    report = notify(engine, config, at=AT)
    assert report.notices == {"email": 1}
    ((to, mail),) = box.mails
    assert to == ["alice@example.org"]
    assert f"Finding {ids['supplier']} (overdue since Dec 1, 2026)" in _body(mail)
    assert "(en retard depuis le 1 déc. 2026)" in _body(mail)
    assert notify(engine, config, at=AT + timedelta(hours=3)).notices == {"email": 0}
    assert notify(engine, config, at=AT + timedelta(days=1)).notices == {"email": 1}
    # removed, then seen again: reopened, told once
    box.mails.clear()
    update_finding(engine, ids["device"], user="u", status="removed")
    with write_transaction(engine) as conn:
        finding = next(f for f in list_findings(engine) if f.id == ids["device"])
        outcome = ensure_finding(
            conn,
            kind="device",
            subject=finding.subject,
            entity_id=finding.entity_id,
            entity=finding.entity,
            relation=finding.relation,
            site_id=None,
            detail={},
            user="u",
            at=AT + timedelta(days=1, hours=1),
        )
    assert outcome == "reopened"
    report = notify(engine, config, at=AT + timedelta(days=1, hours=2))
    assert report.notices == {"email": 1}
    ((to, mail),) = box.mails
    assert sorted(to) == ["fm-east@example.org", "fm-west@example.org"]
    assert f"Finding {ids['device']} (reopened)" in _body(mail)
    assert notify(engine, config, at=AT + timedelta(days=1, hours=3)).notices == {"email": 0}


def test_an_owner_without_address_is_reported_not_mailed(
    engine: Engine, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    ids = _store(engine)
    update_finding(
        engine,
        ids["supplier"],
        user="u",
        status="replacement_planned",
        owner="bob",
        due_date=date(2027, 1, 1),
    )
    report = notify(engine, config_for(smtp_port=port), at=AT)
    assert report.unaddressed == ["bob"]
    assert report.notices == {"email": 1}  # the device finding, to facilities
    assert len(box.mails) == 1
