"""Output files are replaced whole or not at all, and unwritable paths fail before any work."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from clearance.errors import OperationalError, UsageError
from clearance.output_files import (
    check_output_file,
    check_output_folder,
    replacing,
    replacing_text,
    write_text,
)

PREVIOUS = b"%PDF-1.7 the previous, good report\n" * 100


class Boom(Exception):
    """The renderer's failure part-way."""


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_failure_part_way_keeps_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(PREVIOUS)

    def render_half() -> None:
        with replacing(path) as handle:
            handle.write(b"%PDF-1.7 half a new rep")
            handle.flush()
            raise Boom

    with pytest.raises(Boom):
        render_half()
    assert path.read_bytes() == PREVIOUS
    assert _leftovers(tmp_path) == []


def test_interrupt_part_way_keeps_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_bytes(PREVIOUS)

    def interrupted() -> None:
        with replacing_text(path) as handle:
            handle.write("Kind,Site\n" * 1000)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    assert path.read_bytes() == PREVIOUS
    assert _leftovers(tmp_path) == []


def test_disk_error_is_operational_and_names_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "report.html"
    path.write_bytes(PREVIOUS)

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OperationalError, match=r"report\.html: No space left on device"):
        write_text(path, "<html>new</html>")
    assert path.read_bytes() == PREVIOUS
    assert _leftovers(tmp_path) == []


def test_success_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_bytes(PREVIOUS)
    path.chmod(0o640)
    with replacing_text(path, encoding="utf-8-sig") as handle:
        handle.write("Query\r\n[china] Test\r\n")
    assert path.read_bytes() == "\ufeffQuery\r\n[china] Test\r\n".encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == []


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        path = write_text(tmp_path / "new.json", "{}\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_check_output_file(tmp_path: Path) -> None:
    check_output_file(tmp_path / "x.csv")
    check_output_file(tmp_path / "a" / "b" / "x.csv", create_folder=True)
    assert not (tmp_path / "a").exists()  # checked, not created
    with pytest.raises(UsageError, match=r"--out .*missing.*x\.csv: the folder .*missing"):
        check_output_file(tmp_path / "missing" / "x.csv")
    with pytest.raises(UsageError, match="is a folder, not a file"):
        check_output_file(tmp_path)
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="is a file, not a folder"):
        check_output_file(tmp_path / "file" / "sub" / "x.csv", create_folder=True)
    assert _leftovers(tmp_path) == []


def test_check_output_folder(tmp_path: Path) -> None:
    check_output_folder(tmp_path / "new" / "deeper")
    assert not (tmp_path / "new").exists()
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match=r"--out .*file: is a file, not a folder"):
        check_output_folder(tmp_path / "file")
    with pytest.raises(UsageError, match="is a file, not a folder"):
        check_output_folder(tmp_path / "file" / "sub")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through folder permissions")
def test_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(UsageError, match="cannot write in"):
            check_output_file(folder / "x.csv")
    finally:
        folder.chmod(0o700)
