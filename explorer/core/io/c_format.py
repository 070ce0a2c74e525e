"""What the C word2vec .bin and .txt readers share: the header line, word decoding, fresh matrix memory."""

from __future__ import annotations

import mmap
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np

from explorer.core.errors import EmptyModelFile, UnknownModelFormat
from explorer.core.io.sniff import HEADER_RE


@dataclass
class RawVectors:
    """Words and vectors as read from a file, before they become a gensim KeyedVectors."""

    keys: list[str]
    vectors: np.ndarray
    header: tuple[int, int] | None = None
    replaced_bytes: int = 0
    warnings: list[str] = field(default_factory=list)
    compression: str | None = None


def new_region(size: int) -> mmap.mmap | bytearray:
    """Writable memory for a large array, without numpy's transparent-huge-page stall.

    numpy asks the kernel for huge pages on big arrays; when memory is fragmented (as it is right after
    a big file went through the page cache) Linux then compacts memory on first touch, which was
    measured here at 0.5-1.5 s for a 344 MB matrix instead of ~0.3 s with ordinary pages. The memory
    is freed when the last array made on it goes away.
    """
    if size < (64 << 20) or not hasattr(mmap, "MADV_NOHUGEPAGE") or not hasattr(mmap, "MAP_PRIVATE"):
        return bytearray(size)
    region = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    region.madvise(mmap.MADV_NOHUGEPAGE)
    return region


def release_tail(region: mmap.mmap | bytearray, used: int) -> None:
    """Give the pages of ``region`` past its first ``used`` bytes back to the system."""
    start = -(-used // mmap.PAGESIZE) * mmap.PAGESIZE
    if isinstance(region, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED") and start < len(region):
        region.madvise(mmap.MADV_DONTNEED, start, len(region) - start)


def new_matrix(rows: int, dims: int) -> np.ndarray:
    """An uninitialised float32 matrix for a reader to fill (see new_region)."""
    if rows * dims * 4 < (64 << 20):
        return np.empty((rows, dims), dtype=np.float32)
    return np.frombuffer(new_region(rows * dims * 4), dtype=np.float32).reshape(rows, dims)


def decode_joined_words(blob: bytes, count: int) -> tuple[list[str], int]:
    """``count`` words joined by "\n" (which no word contains) as str; bytes that are not UTF-8 become
    U+FFFD and are counted."""
    if not count:
        return [], 0
    try:
        return blob.decode("utf-8").split("\n"), 0
    except UnicodeDecodeError:
        return decode_words(blob.split(b"\n"))


def decode_words(raw: list[bytes]) -> tuple[list[str], int]:
    """Each word as str; bytes that are not UTF-8 become U+FFFD, and how many bytes that replaced."""
    keys = []
    replaced = 0
    for w in raw:
        try:
            keys.append(w.decode("utf-8"))
        except UnicodeDecodeError:
            s = w.decode("utf-8", errors="replace")
            # Each maximal invalid subsequence becomes one U+FFFD; count the bytes it stood for.
            replaced += len(w) - len(s.replace("\ufffd", "").encode("utf-8"))
            keys.append(s)
    return keys, replaced


def parse_header(f: IO[bytes], path: Path) -> tuple[int, int, bytes]:
    """The "words dimensions" line at the start of ``f``, and the bytes read past it."""
    head = f.read(4096)
    if not head:
        raise EmptyModelFile(f"{path.name} is empty.", "Download the model again; the copy you have has no content.")
    m = HEADER_RE.match(head)
    if not m:
        raise UnknownModelFormat(
            f"{path.name} does not start with the \"words dimensions\" line of a word2vec file.",
            "Check that it is a word2vec model file.",
        )
    return int(m.group(1)), int(m.group(2)), head[m.end():]
