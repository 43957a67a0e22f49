"""Reading users' text files: one place for encoding detection (BOMs, UTF-8, UTF-16 without a
BOM, GBK/GB18030, legacy single-byte code pages through charset-normalizer), refusal of
binary data, and bounded reads.

Every reader of user input (inventories, scan files, supplier lists, official lists) opens
text through :func:`open_text`, so the same file decodes the same way everywhere. Reads are
bounded: a pipe or device (``/dev/zero``, ``<(zcat …)``) has no size to check up front, so
it is counted as it is read and refused with :class:`~clearance.errors.LimitError` once over
``max_bytes`` (:data:`STREAM_MAX_BYTES` unless given).
"""

from __future__ import annotations

import codecs
import io
import os
import stat
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from charset_normalizer import from_bytes

from clearance.errors import FormatError, InputError, LimitError
from clearance.i18n import gettext as _

__all__ = [
    "SAMPLE_BYTES",
    "STREAM_MAX_BYTES",
    "check_size",
    "detect_encoding",
    "head_lines",
    "is_binary",
    "open_binary",
    "open_text",
    "read_sample",
    "sniff_delimiter",
    "text_lines",
]

#: How much of a file encoding and format detection look at.
SAMPLE_BYTES = 64 * 1024
#: The most read from a pipe or device when no other limit is given (regular files are
#: checked against their size before reading instead).
STREAM_MAX_BYTES = 1 << 30

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DELIMITERS = (",", ";", "\t", "|")
_SINGLE_BYTE_LATIN = ("cp125", "iso8859", "latin", "windows125", "maclatin", "cp850")
_CHINESE_SIMPLIFIED = {"gb2312", "gbk", "gb18030", "cp936", "hz"}
_CJK_FAMILY = {"big5", "big5hkscs", "cp950"}


def check_size(path: Path, max_bytes: int) -> None:
    """Refuse a regular file larger than ``max_bytes`` (0: no limit) before reading it."""
    try:
        info = path.stat()
    except OSError as exc:
        raise InputError(
            _("cannot read the file ({reason})").format(reason=exc.strerror or exc), path=str(path)
        ) from exc
    if max_bytes and stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
        raise LimitError(
            _("file is {size} bytes, over the limit of {max_bytes}").format(
                size=info.st_size, max_bytes=max_bytes
            ),
            path=str(path),
        )


class _BoundedReader(io.RawIOBase):
    """A file's bytes (after ``prefix``, bytes already read from it), refused past a limit."""

    def __init__(self, raw: io.FileIO, prefix: bytes, limit: int, path: Path) -> None:
        self._raw = raw
        self._prefix = prefix
        self._limit = limit
        self._path = path
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._prefix:
            size = min(len(buffer), len(self._prefix))
            buffer[:size] = self._prefix[:size]
            self._prefix = self._prefix[size:]
        else:
            size = self._raw.readinto(buffer) or 0
        self._count += size
        if self._limit and self._count > self._limit:
            raise LimitError(
                _("more than {limit} bytes read (a pipe or device without end?)").format(
                    limit=self._limit
                ),
                path=str(self._path),
            )
        return size

    def close(self) -> None:
        self._raw.close()
        super().close()


def _open(path: Path, max_bytes: int) -> tuple[io.FileIO, int]:
    """The file opened for reading, and the byte limit that applies to it while reading."""
    check_size(path, max_bytes)
    try:
        raw = path.open("rb", buffering=0)
    except OSError as exc:
        raise InputError(
            _("cannot read the file ({reason})").format(reason=exc.strerror or exc), path=str(path)
        ) from exc
    regular = stat.S_ISREG(os.fstat(raw.fileno()).st_mode)
    return raw, max_bytes if regular else (max_bytes or STREAM_MAX_BYTES)


def _read_up_to(raw: IO[bytes], size: int) -> bytes:
    chunks: list[bytes] = []
    left = size
    while left > 0:
        chunk = raw.read(left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def open_binary(path: Path, max_bytes: int = 0) -> io.BufferedReader:
    """``path`` opened for reading bytes, refused past ``max_bytes`` (pipes and devices past
    :data:`STREAM_MAX_BYTES` when no limit is given)."""
    raw, limit = _open(path, max_bytes)
    return io.BufferedReader(_BoundedReader(raw, b"", limit, path))


def read_sample(path: Path, size: int = SAMPLE_BYTES) -> bytes:
    """The first ``size`` bytes of ``path`` (a pipe's bytes are consumed: use
    :func:`open_text`, which detects from the bytes it then reads on from)."""
    with path.open("rb") as fh:
        return _read_up_to(fh, size)


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
    """The encoding of a text sample, or ``None`` if the sample looks binary.

    A BOM decides; then UTF-16 without a BOM (NUL in every other byte), strict UTF-8 (a
    character cut at the sample's end is fine), then charset-normalizer (GB2312/GBK read as
    their superset GB18030, Western code pages as Windows-1252).
    """
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
    if name in _CHINESE_SIMPLIFIED:
        return "gb18030"  # a superset of GB2312 and GBK
    if name in _CJK_FAMILY:
        return name
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


def open_text(path: Path, encoding: str | None = None, *, max_bytes: int = 0) -> io.TextIOWrapper:
    """Open ``path`` as text in its detected encoding (strict: bad bytes raise
    ``UnicodeDecodeError`` when read), newlines untranslated as :mod:`csv` wants them.

    Binary data raises :class:`FormatError`; more than ``max_bytes`` read (or, from a pipe
    or device, :data:`STREAM_MAX_BYTES` when no limit is given) raises :class:`LimitError`.
    Works on pipes: the detection sample is read once and served again.
    """
    raw, limit = _open(path, max_bytes)
    try:
        sample = _read_up_to(raw, SAMPLE_BYTES)
        if encoding is None:
            if is_binary(sample):
                raise FormatError(_("binary data, not a text file"), path=str(path), line=1)
            encoding = detect_encoding(sample) or "utf-8"
    except BaseException:
        raw.close()
        raise
    stream = io.BufferedReader(_BoundedReader(raw, sample, limit, path))
    return io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")


def head_lines(fh: IO[str], size: int = SAMPLE_BYTES) -> list[str]:
    """Whole lines from the start of ``fh`` until about ``size`` characters are read, for
    sniffing; go on reading ``fh`` after them (no seek needed, so pipes work)."""
    lines: list[str] = []
    total = 0
    while total < size:
        line = fh.readline()
        if not line:
            break
        lines.append(line)
        total += len(line)
    return lines


def sniff_delimiter(lines: Sequence[str]) -> str:
    """The delimiter of CSV ``lines``: of ``, ; tab |``, the one most lines hold equally
    often (title rows and notes aside); ``,`` when no line holds any.

    Only the delimiter is guessed: the quote character stays ``"`` (a guess of ``'`` from
    names such as ``Toys 'R' Us`` merged rows).
    """
    rows = [line for line in lines[:50] if line.strip()]
    if not rows:
        return ","
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        counts = Counter(line.count(delimiter) for line in rows)
        mode, lines_with_mode = max(counts.items(), key=lambda item: (item[1], item[0]))
        if mode and (lines_with_mode, mode) > best_score:
            best, best_score = delimiter, (lines_with_mode, mode)
    return best


def text_lines(
    path: Path, encoding: str | None = None, *, max_bytes: int = 0
) -> Iterator[tuple[int, str]]:
    """``(line number, line without its ending)`` for every line of a text file, streaming.

    A line that cannot be decoded raises :class:`FormatError` naming it.
    """
    with open_text(path, encoding, max_bytes=max_bytes) as fh:
        number = 0
        try:
            for number, line in enumerate(fh, start=1):
                yield number, line.rstrip("\r\n")
        except UnicodeDecodeError as exc:
            raise FormatError(
                _("cannot decode text ({reason})").format(reason=exc.reason),
                path=str(path),
                line=number + 1,
            ) from exc
