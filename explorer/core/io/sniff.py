"""Which C word2vec format a file's first few KB are in (.bin, .txt, header-less .txt), decompressed if need be."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from explorer.core.fsutil import compression_of, open_compressed

HEADER_RE = re.compile(rb"[ \t]*(\d+)[ \t]+(\d+)[ \t]*\r?\n")


def read_head(path: Path, nbytes: int = 8192) -> bytes:
    """The first ``nbytes`` of the file's content, decompressed when it is gzip/bz2."""
    with open(path, "rb") as f:
        raw = f.read(nbytes)
    comp = compression_of(raw)
    if comp is None:
        return raw
    try:
        with open_compressed(path, comp) as f:
            return f.read(nbytes)
    except (OSError, EOFError, ValueError, zlib.error):  # a damaged stream: the caller says so
        return b""


_FLOAT_RE = re.compile(rb"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?(nan|inf|NaN|Inf)$")


def numbers_on_line(line: bytes, dims: int | None = None) -> int | None:
    """Number of floats on a "word f1 f2 ..." line, or None when the line is not one."""
    parts = line.rstrip(b"\r\n").rstrip(b" ").split(b" ")
    if len(parts) < 2 or not parts[0]:
        return None
    nums = parts[1:]
    if dims is not None and len(nums) != dims:
        return None
    if not all(_FLOAT_RE.match(p) for p in nums):
        return None
    return len(nums)


def sniff_c_format(head: bytes) -> str | None:
    """"c-bin", "c-text", "c-text-noheader" or None, from the first few KB of (decompressed) content."""
    m = HEADER_RE.match(head)
    if m:
        dims = int(m.group(2))
        if dims <= 0:
            return None
        rest = head[m.end():]
        nl = rest.find(b"\n")
        first = rest[:nl] if nl >= 0 else rest
        if nl >= 0 and numbers_on_line(first):  # even with the wrong count: open_model then says so
            return "c-text"
        # A text line longer than the sample: check its start looks like "word float float".
        if nl < 0 and len(rest) > 64:
            sp = rest.find(b" ")
            toks = rest[sp + 1:].split(b" ")[:-1]
            if sp > 0 and toks and all(_FLOAT_RE.match(t) for t in toks[:50]):
                return "c-text"
        sp = rest.find(b" ")
        if 0 < sp <= 1000:
            return "c-bin"
        return None
    lines = head.split(b"\n")
    if len(head) >= 8192 and len(lines) > 1:
        lines = lines[:-1]  # the last line of the sample may be cut short
    lines = [ln for ln in lines if ln.strip()]
    if not lines:
        return None
    ndims = numbers_on_line(lines[0])
    if not ndims or ndims < 2:  # "word count" vocabulary files are not models
        return None
    if all(numbers_on_line(ln, ndims) for ln in lines[1:20]):
        return "c-text-noheader"
    return None
