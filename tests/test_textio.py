"""The one text-input module: encodings, binary refusal and bounded reads of pipes."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from clearance import textio
from clearance.errors import FormatError, LimitError
from clearance.matching.records import read_rows


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("供应商,城市\n海康威视,杭州\n".encode("gb18030") * 20, "gb18030"),
        ("fournisseur;ville\nSociété Générale;Paris\n".encode("cp1252") * 20, "cp1252"),
        ("name\nAcme\n".encode("utf-16"), "utf-16"),
        ("name\nAcme\n".encode("utf-16-le"), "utf-16-le"),
        ("name\nAcmé\n".encode("utf-8-sig"), "utf-8-sig"),
        (b"name\nAcme\n", "utf-8"),
    ],
)
def test_detect_encoding(data: bytes, encoding: str) -> None:
    assert textio.detect_encoding(data) == encoding
    assert not textio.is_binary(data)


def test_binary_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(FormatError, match="binary data"):
        textio.open_text(path)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.csv"
    os.mkfifo(path)
    return path


def _feed(path: Path, chunks: list[bytes]) -> Path:
    """Write ``chunks`` into the named pipe from a thread, as a shell's ``<(…)`` would."""

    def write() -> None:
        try:
            with path.open("wb") as fh:
                for chunk in chunks:
                    fh.write(chunk)
        except BrokenPipeError:
            pass

    threading.Thread(target=write, daemon=True).start()
    return path


def test_a_pipe_is_read_whole_below_the_limit(fifo: Path) -> None:
    path = _feed(fifo, [b"supplier,country\n", b"Hangzhou Hikvision,CN\n" * 1000])
    assert len(list(read_rows(path))) == 1000


def test_a_pipe_without_end_is_cut_off(fifo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Defect 17: a pipe or device was read to the end, however far that was."""
    monkeypatch.setattr(textio, "STREAM_MAX_BYTES", 1 << 20)
    path = _feed(fifo, [b"supplier,country\n"] + [b"Acme Widgets,US\n" * 4096] * 64)
    with pytest.raises(LimitError, match=f"more than {1 << 20} bytes") as err:
        list(read_rows(path))
    assert err.value.path == str(path)


def test_a_device_of_zeros_is_refused_at_once(fifo: Path) -> None:
    """Defect 17: ``screen /dev/zero`` exhausted memory (a pipe of NULs stands in for it)."""
    path = _feed(fifo, [b"\x00" * (1 << 16)] * 64)
    with pytest.raises(FormatError, match="binary data"):
        list(read_rows(path))
    with pytest.raises(FormatError, match="binary data"):
        list(read_rows(Path("/dev/zero")))


def test_sniff_delimiter_guesses_only_the_delimiter() -> None:
    assert textio.sniff_delimiter(["a;b;c\n", "1;2;3\n"]) == ";"
    assert textio.sniff_delimiter(["a\tb\n", "Toys 'R' Us\tx\n"]) == "\t"
    assert textio.sniff_delimiter(["name\n", "Acme\n"]) == ","


def test_hashing_a_list_from_an_endless_pipe_is_cut_off(
    fifo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect 17: ``lists import /dev/urandom`` read without end while hashing the file."""
    from clearance.registry.download import file_sha256

    monkeypatch.setattr(textio, "STREAM_MAX_BYTES", 1 << 20)
    path = _feed(fifo, [b"x,Entity List (EL),1,Entity,EL,Acme Widgets\n" * 2048] * 64)
    with pytest.raises(LimitError):
        file_sha256(path)
