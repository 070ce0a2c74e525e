"""Encodings: sniff a file's encoding from samples, count undecodable bytes, open through gzip."""

from __future__ import annotations

import codecs
import gzip
import os
import threading
from pathlib import Path
from typing import IO, cast

from explorer.core.corpus.mixed import line_is_utf8
from explorer.core.errors import CorpusError
from explorer.core.fsutil import compression_of

SAMPLE_BYTES = 64 * 1024  # per sample; a file gets up to three (head, middle, tail)
COUNT_REPLACE = "w2v_explorer.count_replace"  # an error handler that replaces undecodable bytes and counts them

# --- counting undecodable bytes ------------------------------------------------------------------------
_replaced = threading.local()


def _count_and_replace(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeDecodeError):
        raise err
    _replaced.count = getattr(_replaced, "count", 0) + (err.end - err.start)
    return "\ufffd", err.end


codecs.register_error(COUNT_REPLACE, _count_and_replace)


def reset_replaced() -> None:
    _replaced.count = 0


def replaced_count() -> int:
    return int(getattr(_replaced, "count", 0))


# --- sniffing ------------------------------------------------------------------------------------------
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x7fELF", b"Rar!",
                 b"7z\xbc\xaf", b"\xd0\xcf\x11\xe0", b"SQLite format 3", b"BZh9", b"\xfd7zXZ", b"\x93NUMPY")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))


def open_raw(path: Path) -> tuple[IO[bytes], IO[bytes]]:
    """(stream of content bytes, underlying file whose tell() measures progress). Looks through gzip."""
    raw = open(path, "rb")
    try:
        magic = raw.read(3)
        raw.seek(0)
        if compression_of(magic) == "gzip":
            return cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb")), raw
    except BaseException:
        raw.close()
        raise
    return raw, raw


def trim_to_lines(piece: bytes, at_start: bool, at_end: bool) -> bytes:
    """Cut a sample at line breaks so it never starts or ends inside a multi-byte character."""
    if not at_start:
        cut = piece.find(b"\n")
        piece = piece[cut + 1:] if 0 <= cut < len(piece) - 1 else piece
    if not at_end:
        cut = piece.rfind(b"\n")
        piece = piece[:cut + 1] if cut > 0 else piece
    return piece


def read_samples(path: Path) -> tuple[list[bytes], bool]:
    """Head (+ middle and tail for big plain files) of the content, and whether that is the whole content."""
    stream, raw = open_raw(path)
    try:
        if stream is raw:
            size = os.fstat(raw.fileno()).st_size
            if size <= 3 * SAMPLE_BYTES:
                return [raw.read()], True
            pieces = [trim_to_lines(raw.read(SAMPLE_BYTES), True, False)]
            for offset, at_end in ((size // 2, False), (size - SAMPLE_BYTES, True)):
                raw.seek(offset)
                pieces.append(trim_to_lines(raw.read(SAMPLE_BYTES), False, at_end))
            return pieces, False
        head = stream.read(4 * SAMPLE_BYTES)
        complete = len(head) < 4 * SAMPLE_BYTES
        return [head if complete else trim_to_lines(head, True, False)], complete
    finally:
        stream.close()
        raw.close()


def _utf16_without_bom(head: bytes) -> str | None:
    sample = head[: 4096 - 4096 % 2]
    if len(sample) < 8:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    if odd > 0.3 and even < 0.02:
        return "utf-16-le"
    if even > 0.3 and odd < 0.02:
        return "utf-16-be"
    return None


def _utf8_errors(pieces: list[bytes], complete: bool) -> tuple[int, int]:
    """(undecodable bytes, non-ASCII bytes) when the samples are read as UTF-8."""
    errors = non_ascii = 0
    for i, piece in enumerate(pieces):
        if i > 0:  # samples from the middle may start inside a character
            piece = piece.lstrip(bytes(range(0x80, 0xC0)))
        decoder = codecs.getincrementaldecoder("utf-8")(COUNT_REPLACE)
        reset_replaced()
        decoder.decode(piece, final=complete or i == len(pieces) - 1)
        errors += replaced_count()
        non_ascii += len(piece) - len(piece.translate(None, bytes(range(0x80, 0x100))))
    return errors, non_ascii


_CHINESE_CODECS = frozenset({"gb2312", "gbk", "gb18030", "hz", "big5", "big5hkscs", "cp950"})


def _normalise_encoding(name: str) -> str:
    name = codecs.lookup(name).name
    if name in ("gb2312", "gbk", "gb18030", "hz", "euc_cn", "cp936"):
        return "gb18030"  # a superset of GBK and GB2312 that decodes every file they do
    if name in ("big5", "cp950"):
        return "cp950"  # Big5 as Windows writes it; a strict superset of Python's big5
    if name == "utf-8":
        return "utf-8"
    return name


def _decode_errors(data: bytes, encoding: str) -> int:
    reset_replaced()
    data.decode(encoding, COUNT_REPLACE)
    return replaced_count()


def sniff(pieces: list[bytes], complete: bool) -> tuple[str | None, str | None]:
    """(encoding, None) for text, (None, reason) for content that should be skipped."""
    head = pieces[0]
    if not head:
        return None, "empty file"
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            if complete and len(head) == len(bom):
                return None, "empty file"
            return name, None
    if head.startswith(_BINARY_MAGIC):
        return None, "binary file"
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16, None
    sample = b"".join(pieces)
    if b"\x00" in sample:
        return None, "binary file"
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > 0.02 * len(sample):
        return None, "binary file"
    if not sample.strip():
        return None, "empty file"
    errors, non_ascii = _utf8_errors(pieces, complete)
    if errors == 0:
        return "utf-8", None
    # A few bad bytes among many good multi-byte characters is damaged UTF-8, whereas GBK or Big5 read as
    # UTF-8 fail on nearly every character. Judged line by line, so that a few GBK lines among UTF-8 ones
    # are found (the file is then read line by line in the legacy encoding, its UTF-8 lines as UTF-8).
    lines = [line for piece in pieces for line in piece.split(b"\n") if not line.isascii()]
    legacy = [line for line in lines if not line_is_utf8(line)]
    if len(legacy) < max(2, 0.01 * len(lines)) and errors * 50 <= non_ascii:
        return "utf-8", None
    import charset_normalizer  # imported here: it is only needed for non-UTF-8 files

    # Detect the legacy encoding on its own lines: UTF-8 lines among them would only confuse the detector.
    matches = list(charset_normalizer.from_bytes(b"\n".join(legacy) if legacy else sample))  # best first
    if matches:
        # Short samples fit several code pages equally well (two GBK words also read as Korean cp949):
        # prefer a Chinese reading when it is about as plausible as the best one.
        chinese = [m for m in matches if m.encoding in _CHINESE_CODECS and m.chaos <= matches[0].chaos + 0.1]
        for match in chinese[:1] + matches:
            try:
                return _normalise_encoding(match.encoding), None
            except LookupError:
                continue
    scored = [(_decode_errors(sample, enc), i, enc) for i, enc in enumerate(("gb18030", "cp950", "utf-8"))]
    return min(scored)[2], None


def detect_encoding(path: Path | str) -> str | None:
    """The Python codec to read ``path`` with (looking through gzip), or None for empty/binary files."""
    pieces, complete = read_samples(Path(path))
    return sniff(pieces, complete)[0]


def read_text_file(path: Path) -> str:
    """A whole small file (user dictionary, stop-word list) decoded with its detected encoding."""
    try:
        encoding = detect_encoding(path)
        stream, raw = open_raw(path)
        with raw, stream:
            data = stream.read()
    except OSError as err:
        raise CorpusError(f"Cannot read {path}: {err.strerror or err}.", "Check that the file exists and is readable.")
    if encoding is None:
        if not data.strip():
            return ""
        raise CorpusError(f"{path.name} is not a text file.", "Choose a plain-text file, one word per line.")
    return data.decode(encoding, "replace").lstrip("\ufeff")
