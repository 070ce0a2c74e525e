"""Files whose lines mix UTF-8 with a legacy encoding (GBK, Big5...): each line is decoded with its own.

Concatenated exports often hold UTF-8 lines among GBK ones. Read whole as GB18030, the UTF-8 lines become
mojibake (锛, 紝, 涓) that cannot be told from words afterwards; read whole as UTF-8, the GBK lines are lost.
So every file in an ASCII-compatible legacy encoding is read line by line: a line that is valid UTF-8 made
mostly of characters UTF-8 writes in three or four bytes (CJK among them) is UTF-8; any other line is the
legacy encoding. GBK or Big5 text almost never passes that test by chance: on every line (and every word)
of the shared corpora re-encoded as GBK or Big5, none did, whereas 32 passed the plain "valid UTF-8" test.
"""

from __future__ import annotations

import codecs
import io
import re
from typing import IO

_HIGH_BYTES = bytes(range(0x80, 0x100))
_TWO_BYTE_CHARS = re.compile("[\u0080-\u07ff]")  # what GBK and Big5 byte pairs read as UTF-8 mostly become
_PIECE_BYTES = 1 << 20  # a line longer than this is decoded in pieces (the first piece decides its encoding)


def line_wise(encoding: str) -> bool:
    """True for ASCII-compatible, stateless legacy encodings: those a UTF-8 line can hide among."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    if name.startswith(("utf", "hz", "iso2022")):
        return False
    try:
        return "\n az09".encode(name) == b"\n az09"
    except (UnicodeError, LookupError):
        return False


def line_is_utf8(line: bytes, final: bool = True) -> bool:
    """Whether a line holding non-ASCII bytes is UTF-8 (possibly with a few damaged bytes) rather than legacy."""
    try:
        text, _ = codecs.utf_8_decode(line, "strict", final)
    except UnicodeDecodeError as err:
        # A legacy line read as UTF-8 fails within its first characters; damaged UTF-8 (kept as UTF-8, the bad
        # bytes replaced) fails after good ones, and has only a few bad bytes among its good characters.
        if err.start < 6 or not _mostly_wide(line[:err.start].decode("utf-8"), line[:err.start], minimum=2):
            return False
        text = codecs.utf_8_decode(line, "replace", final)[0]
        return text.count("\ufffd") * 4 < len(line) - len(line.translate(None, _HIGH_BYTES)) and _mostly_wide(
            text.replace("\ufffd", ""), line)
    return _mostly_wide(text, line)


def _mostly_wide(text: str, raw: bytes, minimum: int = 0) -> bool:
    """At least ``minimum`` non-ASCII characters, no more than half of them two-byte ones (U+0080-U+07FF)."""
    non_ascii = len(text) - len(raw.translate(None, _HIGH_BYTES))
    return non_ascii >= minimum and 2 * len(_TWO_BYTE_CHARS.findall(text)) <= non_ascii


class LineWiseTranscoder(io.RawIOBase):
    """A readable byte stream: ``source`` in ``legacy`` with UTF-8 lines among it, re-encoded as UTF-8.

    Counts the lines holding non-ASCII text that were read as UTF-8 and as ``legacy``.
    """

    def __init__(self, source: IO[bytes], legacy: str, errors: str = "replace") -> None:
        super().__init__()
        self.source = source
        self.legacy = legacy
        self.errors = errors
        self.utf8_lines = 0
        self.legacy_lines = 0
        self._decoder: codecs.IncrementalDecoder | None = None  # set while inside a line longer than one piece
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "bytearray | memoryview") -> int:  # type: ignore[override]
        if not self._pending:
            self._pending = memoryview(self._transcode_lines(max(len(buffer), 8192)))
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def _transcode_lines(self, size: int) -> bytes:
        """About ``size`` bytes of UTF-8: whole lines, or a piece of a very long one; b"" at the end."""
        out: list[bytes] = []
        filled = 0
        while filled < size:
            piece = self.source.readline(_PIECE_BYTES)
            if not piece:
                if self._decoder is not None:
                    out.append(self._decoder.decode(b"", final=True).encode("utf-8", "surrogatepass"))
                    self._decoder = None
                break
            data = self._transcode(piece)
            out.append(data)
            filled += len(data)
        return b"".join(out)

    def _transcode(self, piece: bytes) -> bytes:
        line_end = piece.endswith(b"\n")
        if self._decoder is not None:  # the rest of a very long line: same encoding as its start
            text = self._decoder.decode(piece, final=line_end)
            if line_end:
                self._decoder = None
            return text.encode("utf-8", "surrogatepass")
        if piece.isascii():
            return piece  # ASCII reads the same in both, and never splits a character
        utf8 = line_is_utf8(piece, final=line_end)
        if utf8:
            self.utf8_lines += 1
        else:
            self.legacy_lines += 1
        encoding = "utf-8" if utf8 else self.legacy
        if line_end:
            return piece.decode(encoding, self.errors).encode("utf-8", "surrogatepass")
        self._decoder = codecs.getincrementaldecoder(encoding)(self.errors)
        return self._decoder.decode(piece, final=False).encode("utf-8", "surrogatepass")

    def close(self) -> None:
        super().close()
        self.source.close()
