"""Files attached to findings: stored once by SHA-256, size-limited, listed with their hash,
audited and noted in the finding's history."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from clearance.errors import InputError, LimitError, UsageError
from clearance.store.attachments import attach_file, list_attachments, read_attachment
from clearance.store.audit import list_audit
from clearance.store.finding_notes import list_notes
from clearance.store.findings import list_findings
from clearance.store.recording import save_assets
from clearance.store.schema import blobs
from tests.store.factories import camera

# A PDF's first bytes and a PNG's signature, as such files start.
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


@pytest.fixture
def finding_ids(engine: Engine) -> list[int]:
    found = [camera("44:19:b6:00:00:01", "10.0.0.11"), camera("44:19:b6:00:00:02", "10.0.0.12")]
    save_assets(engine, found, kind="scan", targets=["10.0.0.0/24"], site="HQ", user="u")
    return [f.id for f in list_findings(engine)]


def test_attach_stores_content_once_by_sha256(
    engine: Engine, finding_ids: list[int], tmp_path: Path
) -> None:
    cert = tmp_path / "GCS-2026-4471.pdf"
    cert.write_bytes(PDF)
    first = attach_file(engine, finding_ids[0], cert, user="officer", max_bytes=1000)
    second = attach_file(engine, finding_ids[1], cert, user="officer", max_bytes=1000)
    digest = hashlib.sha256(PDF).hexdigest()
    assert (first.sha256, first.size, first.filename) == (digest, len(PDF), cert.name)
    assert first.media_type == "application/pdf"
    assert second.sha256 == digest
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(blobs)).scalar() == 1
    assert read_attachment(engine, digest) == PDF
    assert [a.sha256 for a in list_attachments(engine, finding_ids[0])] == [digest]
    entry = list_audit(engine, action="finding.attach")[0]
    assert (entry.user, entry.after["sha256"]) == ("officer", digest)
    assert digest in str(list_notes(engine, finding_ids[0])[-1].text)


def test_a_file_over_the_limit_is_refused(
    engine: Engine, finding_ids: list[int], tmp_path: Path
) -> None:
    photo = tmp_path / "rack.png"
    photo.write_bytes(PNG)
    with pytest.raises(LimitError, match="attachment limit") as caught:
        attach_file(engine, finding_ids[0], photo, user="officer", max_bytes=len(PNG) - 1)
    assert caught.value.exit_code == 2
    assert str(photo) in str(caught.value)
    assert list_attachments(engine, finding_ids[0]) == []
    made = attach_file(engine, finding_ids[0], photo, user="officer", max_bytes=0)
    assert made.size == len(PNG)


def test_attach_to_a_missing_finding_or_file(
    engine: Engine, finding_ids: list[int], tmp_path: Path
) -> None:
    photo = tmp_path / "rack.png"
    photo.write_bytes(PNG)
    with pytest.raises(UsageError, match="no finding 999"):
        attach_file(engine, 999, photo, user="officer", max_bytes=0)
    with pytest.raises(InputError, match="No such file"):
        attach_file(engine, finding_ids[0], tmp_path / "missing.pdf", user="officer", max_bytes=0)
