"""Reading text input files: encoding detection (BOM, UTF-8, GBK/GB18030, UTF-16, legacy
single-byte) and refusal of binary junk, with errors that name the file and line."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from charset_normalizer import from_bytes

from clearance.errors import FormatError

__all__ = ["SAMPLE_BYTES", "detect_encoding", "is_binary", "open_text", "read_sample", "text_lines"]

SAMPLE_BYTES = 64 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SINGLE_BYTE_LATIN = ("cp125", "iso8859", "latin", "windows125", "maclatin", "cp850")
_CJK_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "big5", "big5hkscs", "cp950", "cp936"}


def read_sample(path: Path, size: int = SAMPLE_BYTES) -> bytes:
    """The first ``size`` bytes of ``path``."""
    with path.open("rb") as fh:
        return fh.read(size)


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 without a BOM shows as NUL in every other byte of ASCII text."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def detect_encoding(sample: bytes) -> str | None:
    """The encoding of a text sample, or ``None`` if the sample looks binary."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    utf16 = _utf16_without_bom(sample)
    if utf16 is not None:
        return utf16
    if b"\x00" in sample:
        return None
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    best = from_bytes(sample).best()
    if best is None:
        return None
    name = best.encoding.lower().replace("_", "")
    if name in _CJK_FAMILY:
        return "gb18030" if name in {"gb2312", "gbk", "gb18030", "cp936", "hz"} else name
    if name.startswith(_SINGLE_BYTE_LATIN):
        # Short samples cannot tell Western from Central European code pages apart; office
        # exports in our users' languages (English, French) are Windows-1252.
        try:
            sample.decode("cp1252")
        except UnicodeDecodeError:
            return best.encoding
        return "cp1252"
    return best.encoding


def is_binary(sample: bytes) -> bool:
    """Whether a sample is binary data rather than text in some encoding."""
    encoding = detect_encoding(sample)
    if encoding is None:
        return True
    text = sample.decode(encoding, errors="replace")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f\v")
    return controls > max(2, len(text) // 100)


def open_text(path: Path, encoding: str | None = None) -> IO[str]:
    """Open ``path`` as text in its detected encoding; binary junk raises :class:`FormatError`."""
    if encoding is None:
        sample = read_sample(path)
        if is_binary(sample):
            raise FormatError("binary data, not a text file", path=str(path), line=1)
        encoding = detect_encoding(sample) or "utf-8"
    return io.TextIOWrapper(path.open("rb"), encoding=encoding, errors="strict", newline="")


def text_lines(path: Path, encoding: str | None = None) -> Iterator[tuple[int, str]]:
    """``(line number, line without its ending)`` for every line of a text file, streaming.

    A line that cannot be decoded raises :class:`FormatError` naming it.
    """
    with open_text(path, encoding) as fh:
        number = 0
        try:
            for number, line in enumerate(fh, start=1):
                yield number, line.rstrip("\r\n")
        except UnicodeDecodeError as exc:
            raise FormatError(
                f"cannot decode text ({exc.reason})", path=str(path), line=number + 1
            ) from exc
