"""The original C word2vec formats (.bin and .txt, optionally gzip/bz2) and the reopen cache.

Reading is tuned for large files: the binary reader moves each vector into the matrix with one memcpy
while a second thread reads ahead, the text reader parses whole blocks of numbers in C on worker processes,
and a converted, memory-mappable copy in the user's cache folder makes every later open take a fraction
of a second. bench/bench_open.py measures all three against gensim.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import itertools
import json
import logging
import mmap
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

import numpy as np

fastnumbers: Any
try:
    import fastnumbers
except ImportError:  # optional speed-up of the text reader: without it np.loadtxt parses everything
    fastnumbers = None

from explorer.core.errors import (
    DimensionMismatch,
    EmptyModelFile,
    ModelFileError,
    TruncatedModelFile,
    UnknownModelFormat,
)
from explorer.core.paths import cache_folder
from explorer.core.tasks import CancelToken, Reporter, null_reporter

log = logging.getLogger(__name__)

HEADER_RE = re.compile(rb"[ \t]*(\d+)[ \t]+(\d+)[ \t]*\r?\n")
_BLOCK = 8 << 20  # bytes read per step: big enough to amortise Python overhead, small for peak memory
_TEXT_BLOCK = 8 << 20  # text bytes parsed per step
_TEXT_PARALLEL_MIN = 64 << 20  # below this, starting worker processes (~0.3 s) costs more than it saves


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


# --- compression --------------------------------------------------------------------------------
def compression_of(head: bytes) -> str | None:
    if head[:2] == b"\x1f\x8b":
        return "gzip"
    if head[:3] == b"BZh":
        return "bz2"
    return None


def open_binary(path: Path, compression: str | None) -> IO[bytes]:
    if compression == "gzip":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if compression == "bz2":
        return bz2.open(path, "rb")
    return open(path, "rb")


def read_head(path: Path, nbytes: int = 8192) -> bytes:
    """The first ``nbytes`` of the file's content, decompressed when it is gzip/bz2."""
    with open(path, "rb") as f:
        raw = f.read(nbytes)
    comp = compression_of(raw)
    if comp is None:
        return raw
    try:
        with open_binary(path, comp) as f:
            return f.read(nbytes)
    except (OSError, EOFError, ValueError):
        return b""


# --- sniffing -----------------------------------------------------------------------------------
_FLOAT_RE = re.compile(rb"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?(nan|inf|NaN|Inf)$")


def _is_vector_line(line: bytes, dims: int | None = None) -> int | None:
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
        if nl >= 0 and _is_vector_line(first):  # even with the wrong count: open_model then says so
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
    ndims = _is_vector_line(lines[0])
    if not ndims or ndims < 2:  # "word count" vocabulary files are not models
        return None
    if all(_is_vector_line(ln, ndims) for ln in lines[1:20]):
        return "c-text-noheader"
    return None


# --- the binary format --------------------------------------------------------------------------
def _decode_blob(blob: bytes, count: int) -> tuple[list[str], int]:
    """``count`` words joined by "\n" (which no word contains) as str; bytes that are not UTF-8 become
    U+FFFD and are counted."""
    if not count:
        return [], 0
    try:
        return blob.decode("utf-8").split("\n"), 0
    except UnicodeDecodeError:
        return _decode_each(blob.split(b"\n"))


def _decode_each(raw: list[bytes]) -> tuple[list[str], int]:
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


def _parse_header(f: IO[bytes], path: Path) -> tuple[int, int, bytes]:
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


def read_c_binary(path: Path, report: Reporter = null_reporter, cancel: CancelToken | None = None,
                  compression: str | None = None) -> RawVectors:
    """Read the C word2vec binary format into a float32 matrix.

    Python only finds where each word ends (bytes.find) and moves each vector with one memoryview
    assignment (a memcpy) to its place in the matrix. An uncompressed file is read straight into the
    matrix's own memory by a second thread, ahead of the scan, and compacted in place (see
    _read_binary_in_place); a compressed one goes through a reused block buffer.
    """
    if compression is None:
        with open(path, "rb") as f:
            n, dims, head = _parse_header(f, path)
        header_len = len(_read_first(path, 4096)) - len(head)
        out, words = _read_binary_in_place(path, header_len, n, dims, report, cancel)
    else:
        with open_binary(path, compression) as f:
            n, dims, head = _parse_header(f, path)
            out, words = _read_binary_blocks(f, path, head, n, dims, report, cancel)
    keys, replaced = _decode_binary_words(words, n)
    if sys.byteorder != "little":
        out.byteswap(inplace=True)
    return RawVectors(keys, out, (n, dims), replaced, [], compression)


def _read_first(path: Path, nbytes: int) -> bytes:
    with open(path, "rb") as f:
        return f.read(nbytes)


def _misaligned(path: Path, dims: int) -> DimensionMismatch:
    return DimensionMismatch(
        f"{path.name} says its vectors have {dims} dimensions, but the data does not line up with that.",
        "The file is damaged or its header is wrong.")


def _truncated_at(path: Path, i: int, n: int) -> TruncatedModelFile:
    return TruncatedModelFile(
        f"{path.name} ends in the middle of word {i + 1:,} of {n:,}: the file is incomplete.",
        "Download it again (the download was probably interrupted).")


def _check_tail(path: Path, tail: bytes | bytearray, n: int, dims: int) -> None:
    if tail.strip(b"\r\n\t \x00"):
        raise DimensionMismatch(
            f"{path.name} has more data than its header (\"{n} {dims}\") describes: the header and the "
            "vectors disagree.",
            "The file is damaged or was written with a wrong header.")


def _words_of_block(words: Sequence[bytes | bytearray], into: list[bytes | list[bytes]], path: Path,
                    dims: int) -> None:
    """Keep one block's words, joined by NUL (as a list if a word contains one); check they look like words."""
    if max(map(len, words)) > 100_000:  # a wrong dimension count makes vectors look like long words
        raise _misaligned(path, dims)
    joined = b"\0".join(words)
    into.append(joined if joined.count(b"\0") == len(words) - 1 else [bytes(w) for w in words])


def _read_binary_in_place(path: Path, header_len: int, n: int, dims: int, report: Reporter,
                          cancel: CancelToken | None) -> tuple[np.ndarray, list[bytes | list[bytes]]]:
    """Read an uncompressed .bin into the matrix's memory and slide each vector down to its place.

    A reader thread fills the memory with the file's bytes (readinto releases the GIL, and the page
    faults of a fresh 350 MB matrix, ~0.15 s, happen on that thread's core); this thread follows behind
    it, cuts the words out and moves each vector down by the bytes of the words before it. Vectors only
    ever move to lower addresses, below everything the reader still writes, so the two never collide.
    """
    rec = dims * 4
    size = os.path.getsize(path) - header_len
    region = new_region(max(size, n * rec, 1))
    view = memoryview(region)
    ready: queue.Queue[int | BaseException | None] = queue.Queue()
    stop = threading.Event()

    def read_ahead() -> None:
        try:
            with open(path, "rb", buffering=0) as f:
                f.seek(header_len)
                filled = 0
                while filled < size and not stop.is_set():
                    got = f.readinto(view[filled:min(size, filled + _BLOCK)])
                    if not got:
                        break
                    filled += got
                    ready.put(filled)
        except BaseException as err:  # noqa: BLE001 - handed to the scanning thread, which raises it
            ready.put(err)
        ready.put(None)

    reader = threading.Thread(target=read_ahead, name="w2v-bin-reader", daemon=True)
    reader.start()
    blocks: list[bytes | list[bytes]] = []
    find = region.find
    avail = 0
    done = False
    pos = 0
    o = 0
    i = 0
    try:
        while i < n:
            got = ready.get()
            if isinstance(got, BaseException):
                raise got
            if got is None:
                done = True
            else:
                avail = got
            limit = avail - rec  # a record whose word ends past this is not all read yet
            i0 = i
            words: list[bytes | bytearray] = []
            append = words.append
            # The hot loop: one find, one word slice and one memmove per word.
            while i < n:
                sp = find(b" ", pos, avail)
                if sp < 0 or sp >= limit:
                    break
                append(region[pos:sp])
                pos = sp + 1 + rec
                view[o:o + rec] = view[sp + 1:pos]
                o += rec
                i += 1
            if i > i0:
                _words_of_block(words, blocks, path, dims)
            elif avail - pos > 100_000 + rec:
                raise _misaligned(path, dims)
            if done and i < n:
                raise _truncated_at(path, i, n)
            report(header_len + pos, header_len + size, "Reading vectors")
            if cancel is not None:
                cancel.raise_if_cancelled()
        while not done:  # let the reader finish: whatever follows the last vector must be blank
            got = ready.get()
            if isinstance(got, BaseException):
                raise got
            done = got is None
            avail = got if isinstance(got, int) else avail
        _check_tail(path, region[pos:avail], n, dims)
    finally:
        stop.set()
        reader.join()
        view.release()
    release_tail(region, n * rec)
    report(1, 1, "Reading vectors")
    return np.frombuffer(region, dtype=np.float32, count=n * dims).reshape(n, dims), blocks


def _read_binary_blocks(f: IO[bytes], path: Path, head: bytes, n: int, dims: int, report: Reporter,
                        cancel: CancelToken | None) -> tuple[np.ndarray, list[bytes | list[bytes]]]:
    """Read a (decompressing) stream block by block into one reused buffer, copying each vector out."""
    rec = dims * 4
    out = new_matrix(n, dims)
    flat = memoryview(cast(Any, out)).cast("B")
    buf = bytearray(max(_BLOCK, 4 * (rec + 1024), len(head)))
    view = memoryview(buf)
    buf[: len(head)] = head
    have = len(head)
    blocks: list[bytes | list[bytes]] = []
    i = 0
    o = 0
    eof = False
    while i < n:
        while not eof and have < len(buf):
            got = f.readinto(view[have:])  # type: ignore[attr-defined]
            if not got:
                eof = True
            have += got or 0
        find = buf.find
        limit = have - rec
        pos = 0
        i0 = i
        words: list[bytes] = []
        append = words.append
        while i < n:
            sp = find(b" ", pos, have)
            if sp < 0 or sp >= limit:
                break
            append(bytes(view[pos:sp]))
            pos = sp + 1 + rec
            flat[o:o + rec] = view[sp + 1:pos]
            o += rec
            i += 1
        if i == i0:
            if eof:
                raise _truncated_at(path, i, n)
            raise _misaligned(path, dims)  # a whole buffer without one complete record
        _words_of_block(words, blocks, path, dims)
        buf[: have - pos] = view[pos:have]  # keep the unread tail at the front
        have -= pos
        report(i, n, "Reading vectors")
        if cancel is not None:
            cancel.raise_if_cancelled()
    tail = bytes(view[:have]) + f.read(1 << 16)
    view.release()
    flat.release()
    _check_tail(path, tail, n, dims)
    return out, blocks


def _decode_binary_words(blocks: list[bytes | list[bytes]], n: int) -> tuple[list[str], int]:
    """Words of a .bin file as str: one decode of everything in the common case.

    The newline the C tool writes after each vector ends up at the start of the next word; it is
    dropped, as gensim and word2vec.c do.
    """
    if all(isinstance(b, bytes) for b in blocks):
        blob = b"\0".join(cast(list[bytes], blocks)).replace(b"\n", b"")
        try:
            keys = blob.decode("utf-8").split("\0") if n else []
            if len(keys) == n:
                return keys, 0
        except UnicodeDecodeError:
            pass
    raw: list[bytes] = []
    for b in blocks:
        raw.extend(b.split(b"\0") if isinstance(b, bytes) else b)
    return _decode_each([w.replace(b"\n", b"") for w in raw])


# --- the text format ----------------------------------------------------------------------------
def _text_workers() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def _plain_text_rows(chunk: bytes, dims: int) -> tuple[list[bytes], np.ndarray] | None:
    """The common case, fast: every line is a word and ``dims`` numbers, one space apart.

    fastnumbers (fast_float underneath) converts the tokens of bytes.split() about 1.5x faster than
    np.loadtxt parses the same text. Returns None for anything else (blank lines, a tab in a word, a
    missing or extra number, a value that is not a number): _text_rows then reads the block the
    careful way and reports the exact line.
    """
    if fastnumbers is None:
        return None
    tokens = chunk.split()
    width = dims + 1
    lines = chunk.count(b"\n") + (not chunk.endswith(b"\n"))
    if not tokens or len(tokens) != lines * width:
        return None
    words = tokens[::width]
    # Each line's first token must be that line's word: a line with one number too many and another
    # with one too few would leave the total right but shift the rows between them.
    pos = 0
    find, startswith = chunk.find, chunk.startswith
    for word in words:
        end = pos + len(word)
        if not startswith(word, pos) or chunk[end:end + 1] != b" ":
            return None
        pos = find(b"\n", pos) + 1
    del tokens[::width]
    # float64 first, as Python's float() does, then float32: exactly the values gensim gets.
    values = np.empty(len(tokens), np.float64)
    try:
        fastnumbers.try_array(tokens, values)
    except (ValueError, TypeError, OverflowError):
        return None
    return words, values.astype(np.float32).reshape(lines, dims)


def _text_rows(chunk: bytes, dims: int, path: Path, first_row: int) -> tuple[list[bytes], np.ndarray]:
    """Parse complete lines of "word f1 .. fD": words by a byte scan, numbers by numpy's C parser.

    Neither parser runs in parallel on threads, so the parallel reader uses processes, each running this.
    """
    plain = _plain_text_rows(chunk, dims)
    if plain is not None:
        return plain
    words: list[bytes] = []
    append = words.append
    pos = 0
    n = len(chunk)
    find = chunk.find
    while pos < n:
        nl = find(b"\n", pos)
        if nl < 0:
            nl = n
        sp = find(b" ", pos, nl)
        if sp < 0:
            if chunk[pos:nl].strip():
                raise DimensionMismatch(
                    f"Line {first_row + len(words) + 1:,} of {path.name} has a word but no numbers.",
                    "The file is damaged or is not a word2vec text file.",
                )
            chunk = chunk[:pos] + chunk[nl + 1:]  # rare: drop blank lines so rows line up
            n = len(chunk)
            find = chunk.find
            continue
        append(chunk[pos:sp])
        pos = nl + 1
    if not words:
        return [], np.empty((0, dims), np.float32)
    first_line = chunk[: chunk.find(b"\n")] if b"\n" in chunk else chunk
    got = len(first_line.rstrip(b"\r ").split(b" ")) - 1
    if got != dims:
        raise DimensionMismatch(
            f"{path.name} says its vectors have {dims} dimensions, but line {first_row + 1:,} has {got} numbers.",
            "The header and the data disagree; the file is damaged or was edited.",
        )
    try:
        arr = np.loadtxt(io.BytesIO(chunk), dtype=np.float32, usecols=range(1, dims + 1), delimiter=" ",
                         comments=None, encoding="latin1", quotechar=None, ndmin=2)
    except ValueError:
        arr = None
    # loadtxt ignores numbers past the last column it was asked for: count the separators too (one
    # space per number, or one more where lines end with a space as the C tool writes them).
    spaces = np.count_nonzero(np.frombuffer(chunk, np.uint8) == 32)
    if arr is None or spaces not in (len(words) * dims, len(words) * (dims + 1)):
        raise _bad_line(chunk, dims, path, first_row)
    return words, arr


def _bad_line(chunk: bytes, dims: int, path: Path, first_row: int) -> DimensionMismatch:
    """The error for the first line of ``chunk`` that is not "word" and ``dims`` numbers (error path only)."""
    row = 0
    for line in chunk.split(b"\n"):
        if not line.strip():
            continue
        nums = line.rstrip(b"\r ").split(b" ")[1:]
        try:
            np.array(nums, dtype=np.float64)
            ok = True
        except ValueError:
            ok = False
        if len(nums) != dims or not ok:
            what = f"{len(nums)} numbers" if len(nums) != dims else "a value that is not a number"
            return DimensionMismatch(
                f"{path.name} says its vectors have {dims} dimensions, but line {first_row + row + 1:,} has "
                f"{what}.", "The file is damaged, truncated or was edited.")
        row += 1
    return DimensionMismatch(f"{path.name} has a line that is not a word and {dims} numbers.",
                             "The file is damaged, truncated or was edited.")


def _text_chunks(f: IO[bytes], limit: int | None) -> Iterator[bytes]:
    """Yield blocks of whole lines (each ending with a newline), reading at most ``limit`` bytes."""
    carry = b""
    left = limit
    while True:
        size = _TEXT_BLOCK if left is None else min(_TEXT_BLOCK, left)
        more = f.read(size) if size > 0 else b""
        if left is not None:
            left -= len(more)
        if not more:
            if carry.strip():
                yield carry if carry.endswith(b"\n") else carry + b"\n"
            return
        data = carry + more if carry else more
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
            continue
        yield data[: cut + 1] if cut + 1 < len(data) else data
        carry = data[cut + 1:]


def _read_text_range(f: IO[bytes], limit: int | None, dims: int, rows: int, path: Path, first_row: int,
                     emit: Callable[[int, np.ndarray], None]) -> tuple[bytes, int]:
    """Parse up to ``rows`` lines from ``f``, handing each block's vectors to ``emit(row, block)``.

    ``first_row`` is the file line the range starts at (for error messages). Returns the words joined
    by "\n" and the number of rows.
    """
    blobs: list[bytes] = []
    row = 0
    for chunk in _text_chunks(f, limit):
        words, arr = _text_rows(chunk, dims, path, first_row + row)
        k = len(words)
        if row + k > rows:
            raise DimensionMismatch(
                f"{path.name} has more lines than its header says.",
                "The header and the data disagree; the file is damaged or was edited.")
        emit(row, arr)
        if k:
            blobs.append(b"\n".join(words))
        row += k
    return b"\n".join(blobs), row


def _count_lines(path: Path, compression: str | None, start: int = 0, end: int | None = None) -> int:
    """Lines in the byte range (a last line without its newline counts too)."""
    count = 0
    last = b"\n"
    with open_binary(path, compression) as f:
        if start:
            f.seek(start)
        left = None if end is None else end - start
        while left is None or left > 0:
            block = f.read(_BLOCK if left is None else min(_BLOCK, left))
            if not block:
                break
            if left is not None:
                left -= len(block)
            count += int(np.count_nonzero(np.frombuffer(block, np.uint8) == 10))  # 5x bytes.count
            last = block[-1:]
    return count + (last != b"\n")


def _line_start_after(path: Path, offset: int) -> int:
    with open(path, "rb") as f:
        f.seek(offset)
        while True:
            block = f.read(1 << 16)
            if not block:
                return os.path.getsize(path)
            nl = block.find(b"\n")
            if nl >= 0:
                return offset + nl + 1
            offset += len(block)


def _text_worker_main() -> None:
    """Entry point of a text-parsing worker process (see _read_text_in_processes for the protocol)."""
    path, start, end, dims = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    out_ = sys.stdout.buffer
    if sys.argv[5] == "count":
        out_.write(b"count %d\n" % _count_lines(Path(path), None, start, end))
        out_.flush()

    def emit(row: int, block: np.ndarray) -> None:
        data = np.ascontiguousarray(block, dtype="<f4")
        out_.write(b"rows %d %d\n" % (len(data), data.nbytes))
        out_.write(memoryview(cast(Any, data)).cast("B"))
        out_.flush()

    try:
        with open(path, "rb") as f:
            f.seek(start)
            blob, k = _read_text_range(f, end - start, dims, 1 << 62, Path(path), 0, emit)
    except ModelFileError:
        out_.write(b"error\n")  # the caller reads the file again in one process, to say where and why
    else:
        out_.write(b"done %d %d\n" % (k, len(blob)) + blob)
    out_.flush()


class _Worker:
    """One text-parsing worker process; a thread here copies the rows it sends into the matrix."""

    def __init__(self, path: Path, start: int, end: int, dims: int, count_first: bool) -> None:
        root = str(Path(__file__).resolve().parents[2])  # so the worker imports this same code
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p))
        code = "from explorer.core.textformats import _text_worker_main; _text_worker_main()"
        args = [str(path), str(start), str(end), str(dims), "count" if count_first else "-"]
        self.proc = subprocess.Popen([sys.executable, "-c", code, *args], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        self.count: int | None = None
        self.counted = threading.Event()
        if not count_first:
            self.counted.set()
        self.rows = 0
        self.result: tuple[int, bytes] | None = None
        self.target: queue.Queue[tuple[memoryview, int] | None] = queue.Queue()
        self.thread = threading.Thread(target=self._listen, daemon=True)
        self.thread.start()

    def place(self, into: memoryview | None, rows: int = 0) -> None:
        """Where this worker's rows go (at most ``rows`` of them); None: nowhere, stop."""
        self.target.put(None if into is None else (into, rows))

    def _listen(self) -> None:
        out = cast(io.BufferedReader, self.proc.stdout)
        try:
            if not self.counted.is_set():
                first = out.readline().split()
                if len(first) != 2 or first[0] != b"count":
                    return
                self.count = int(first[1])
                self.counted.set()
            target = self.target.get()  # meanwhile the worker parses on, until the pipe is full
            if target is None:
                return
            into, rows = target
            offset = 0
            for line in iter(out.readline, b""):
                word, _, rest = line.partition(b" ")
                if word not in (b"rows", b"done"):
                    return
                k, size = map(int, rest.split())
                if word == b"done":
                    self.result = (k, out.read(size))
                    return
                if self.rows + k > rows or offset + size > len(into):
                    return  # more lines than expected: the one-process reader will say so
                end = offset + size
                while offset < end:
                    got = out.readinto(into[offset:end])
                    if not got:
                        return
                    offset += got
                self.rows += k
        finally:
            self.counted.set()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.target.put(None)
        self.thread.join()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.proc.wait()


def _read_text_in_processes(path: Path, body_start: int, n: int, dims: int, report: Reporter,
                            cancel: CancelToken | None) -> tuple[np.ndarray, bytes] | None:
    """Parse the file's byte ranges in worker processes, one per core.

    Each worker parses its range with np.loadtxt and streams the float32 rows back through its
    stdout; a thread here reads them straight into the matrix, then the worker's words. The first
    range's rows start at row 0; every other worker first counts the lines of its range, so its rows
    go to n minus the lines of its range and of those after it. Returns None when that does not work
    out (blank or extra lines, a damaged line, a worker that died): the one-process reader then reads
    the file and reports any problem exactly. Workers are fresh interpreters importing only this
    module: nothing is forked (the GUI calls this from a QThread), and nothing of the caller's script
    runs again in them (as it would with multiprocessing).
    """
    workers = _text_workers()
    size = os.path.getsize(path)
    cuts = [body_start] + [_line_start_after(path, body_start + (size - body_start) * k // workers)
                           for k in range(1, workers)] + [size]
    ranges = [(a, b) for a, b in itertools.pairwise(cuts) if b > a]
    procs: list[_Worker] = []
    try:
        try:
            for i, (a, b) in enumerate(ranges):
                procs.append(_Worker(path, a, b, dims, count_first=i > 0))
        except (OSError, ValueError) as err:  # e.g. an embedded interpreter without a usable executable
            log.info("reading %s in one process: cannot start workers (%s)", path.name, err)
            return None
        report(0, n, "Reading vectors")
        out = new_matrix(n, dims)
        flat = memoryview(cast(Any, out)).cast("B")
        rec = dims * 4
        procs[0].place(flat, n)
        end = n
        for w in reversed(procs[1:]):  # each range ends where the next one starts
            w.counted.wait()
            if w.count is None or w.count > end:
                return None
            w.place(flat[(end - w.count) * rec:end * rec], w.count)
            end -= w.count
        first_rows = end
        while any(w.thread.is_alive() for w in procs):
            time.sleep(0.05)
            report(sum(w.rows for w in procs), n, "Reading vectors")
            if cancel is not None:
                cancel.raise_if_cancelled()
        expected = [first_rows] + [w.count for w in procs[1:]]
        if any(w.result is None or w.result[0] != c or w.rows != c for w, c in zip(procs, expected, strict=True)):
            return None
        if sys.byteorder != "little":
            out.byteswap(inplace=True)
        return out, b"\n".join(w.result[1] for w in procs if w.result and w.result[0])
    finally:
        for w in procs:
            w.stop()


def _parallel_text_possible(path: Path, compression: str | None) -> bool:
    # Frozen builds: sys.executable is the application itself, which cannot run a worker. Windows: a
    # worker started from the GUI would flash a console window, and this path is only tested on POSIX.
    return (compression is None and os.name == "posix" and not getattr(sys, "frozen", False)
            and bool(sys.executable) and _text_workers() > 1)


def read_c_text(path: Path, report: Reporter = null_reporter, cancel: CancelToken | None = None,
                compression: str | None = None, header: bool = True, parallel: bool | None = None) -> RawVectors:
    """Read the C word2vec text format, with or without its "words dimensions" header line.

    Large uncompressed files are parsed by one worker process per core (``parallel=None`` decides by
    size; frozen builds and Windows read in this process).
    """
    if header:
        with open_binary(path, compression) as f:
            n, dims, _ = _parse_header(f, path)
        m = HEADER_RE.match(read_head(path, 4096))
        body_start = m.end() if m else 0
    else:
        with open_binary(path, compression) as f:
            first = f.readline()
        dims = _is_vector_line(first) or 0
        if not dims:
            raise UnknownModelFormat(f"{path.name} is not a word2vec text file.",
                                     "Check that it is a word2vec model file.")
        n = _count_lines(path, compression)
        body_start = 0
    if parallel is None:
        parallel = os.path.getsize(path) >= _TEXT_PARALLEL_MIN
    if parallel and _parallel_text_possible(path, compression):
        got = _read_text_in_processes(path, body_start, n, dims, report, cancel)
        if got is not None:
            out, blob = got
            keys, replaced = _decode_blob(blob.replace(b"\r", b"") if b"\r" in blob else blob, n)
            report(n, n, "Reading vectors")
            return RawVectors(keys, out, (n, dims) if header else None, replaced, [], compression)
    out = new_matrix(n, dims)

    def emit(row: int, block: np.ndarray) -> None:
        out[row:row + len(block)] = block
        report(row + len(block), n, "Reading vectors")
        if cancel is not None:
            cancel.raise_if_cancelled()

    with open_binary(path, compression) as f:
        if header:
            f.readline()
        blob, row = _read_text_range(f, None, dims, n, path, 0, emit)
    if row < n:
        if header:
            raise TruncatedModelFile(
                f"{path.name} says it has {n:,} words but only {row:,} lines were found: it is incomplete.",
                "Download it again (the download was probably interrupted).")
        out = out[:row]
    keys, replaced = _decode_blob(blob.replace(b"\r", b"") if b"\r" in blob else blob, row)
    return RawVectors(keys, out, (n, dims) if header else None, replaced, [], compression)


# --- writing ------------------------------------------------------------------------------------
def atomic_path(out: Path) -> tuple[int, Path]:
    """A temporary file next to ``out`` (same filesystem, so os.replace is atomic)."""
    fd, tmp = tempfile.mkstemp(prefix="." + out.name + ".", suffix=".tmp", dir=str(out.parent))
    return fd, Path(tmp)


def write_c_binary(out: Path, keys: Sequence[str], vectors: np.ndarray,
                   report: Reporter = null_reporter) -> None:
    vectors = np.asarray(vectors, dtype="<f4")
    fd, tmp = atomic_path(out)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(f"{len(keys)} {vectors.shape[1]}\n".encode())
            n = len(keys)
            for i, key in enumerate(keys):
                f.write(key.encode("utf-8") + b" ")
                f.write(vectors[i].tobytes())
                f.write(b"\n")
                if i % 10000 == 0:
                    report(i, n, "Writing")
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_c_text(out: Path, keys: Sequence[str], vectors: np.ndarray, report: Reporter = null_reporter) -> None:
    vectors = np.asarray(vectors, dtype=np.float32)
    fd, tmp = atomic_path(out)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(f"{len(keys)} {vectors.shape[1]}\n".encode())
            n = len(keys)
            fmt = " ".join(["%.9g"] * vectors.shape[1])  # 9 significant digits: every float32 reads back exactly
            for start in range(0, n, 5000):
                block = vectors[start:start + 5000]
                lines = [keys[start + j] + " " + fmt % tuple(row) for j, row in enumerate(block.tolist())]
                f.write(("\n".join(lines) + "\n").encode("utf-8"))
                report(start, n, "Writing")
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# --- the reopen cache ---------------------------------------------------------------------------
CACHE_MIN_BYTES = 16 << 20  # smaller files open fast enough without a converted copy
CACHE_VERSION = 3
_pending: list[threading.Thread] = []


def cache_root() -> Path:
    return cache_folder("models")


def file_identity(paths: Sequence[Path]) -> str:
    """A key that changes when any file is replaced, edited, grown or truncated."""
    h = hashlib.sha256(f"v{CACHE_VERSION}".encode())
    for p in paths:
        st = os.stat(p)
        h.update(f"{os.path.realpath(p)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        with open(p, "rb") as f:
            h.update(f.read(1 << 16))
            if st.st_size > 1 << 16:
                f.seek(max(1 << 16, st.st_size - (1 << 16)))
                h.update(f.read(1 << 16))
    return h.hexdigest()[:40]


@dataclass
class CachedModel:
    keys: list[str]
    arrays: dict[str, np.ndarray]
    meta: dict[str, Any]
    key_to_index: dict[str, int] | None = None


# Vocabulary-sized work is done in slices of this many words: each C call then holds the GIL for a few
# milliseconds, so the GUI thread (which needs it to paint) never waits long for a model loading beside it.
GIL_SLICE = 32768


def key_index(keys: Sequence[str]) -> dict[str, int]:
    """``{word: row}``, as dict(zip(keys, range(n))) but in slices (see GIL_SLICE)."""
    index: dict[str, int] = {}
    for start in range(0, len(keys), GIL_SLICE):
        index.update(zip(keys[start:start + GIL_SLICE], range(start, start + GIL_SLICE)))
    return index


def split_words(blob: bytes, sep: str) -> list[str]:
    """``blob.decode("utf-8", "surrogatepass").split(sep)``, decoded in slices of about 256 KB (see GIL_SLICE)."""
    bsep = sep.encode("utf-8", "surrogatepass")
    words: list[str] = []
    start = 0
    while True:
        cut = blob.find(bsep, start + (256 << 10)) if len(blob) - start > (256 << 10) else -1
        piece = blob[start:] if cut < 0 else blob[start:cut]
        words.extend(piece.decode("utf-8", errors="surrogatepass").split(sep))
        if cut < 0:
            return words
        start = cut + len(bsep)


def load_cached(key: str) -> CachedModel | None:
    """The cached conversion for ``key``, memory-mapped, or None when absent or damaged."""
    d = cache_root() / key
    try:
        meta_text = (d / "meta.json").read_text("utf-8")
    except OSError:
        return None
    try:
        meta = json.loads(meta_text)
        if meta.get("version") != CACHE_VERSION:
            return None
        # The vocabulary is one UTF-8 blob: decoding and splitting it is about twice as fast as unpickling
        # a list; the index then costs the same hashing gensim's own load does.
        blob = (d / "keys.txt").read_bytes()
        if len(blob) != meta["keys_bytes"]:
            raise ValueError("the word list was cut short")
        keys = split_words(blob, meta["key_sep"]) if meta["vocab_size"] else []
        del blob
        arrays: dict[str, np.ndarray] = {}
        for name in meta["arrays"]:
            arrays[name] = np.load(d / f"{name}.npy", mmap_mode="r", allow_pickle=False)
        for name, (source, shape, dtype) in meta.get("linked", {}).items():
            # The model's own .npy file, whose size and mtime are part of ``key``.
            arr = np.load(source, mmap_mode="r", allow_pickle=False)
            if list(arr.shape) != shape or str(arr.dtype) != dtype:
                raise ValueError(f"{source} changed")
            arrays[name] = arr
        if len(keys) != meta["vocab_size"] or arrays["vectors"].shape[0] != len(keys):
            raise ValueError("inconsistent cache entry")
        return CachedModel(keys, arrays, meta, key_index(keys))
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError) as err:
        log.warning("ignoring a damaged cache entry %s: %s", d, err)
        shutil.rmtree(d, ignore_errors=True)
        return None


def _joined_keys(keys: Sequence[str]) -> tuple[str, bytes] | None:
    """The vocabulary as one UTF-8 blob, joined by a character that occurs in no word (nearly always "\n")."""
    for sep in ("\n", "\x00", "\x1f", "\x1e", "\ufffe"):
        text = sep.join(keys)
        if text.count(sep) == max(0, len(keys) - 1):
            return sep, text.encode("utf-8", errors="surrogatepass")
    return None


def _linkable(arr: np.ndarray, sources: Sequence[Path]) -> str | None:
    """The path of the source .npy that ``arr`` maps whole, so the cache can point at it, not copy it."""
    if not isinstance(arr, np.memmap) or not arr.filename or not arr.flags.c_contiguous:
        return None
    path = os.path.realpath(arr.filename)
    if path not in {os.path.realpath(p) for p in sources}:
        return None
    try:
        whole = np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError):
        return None
    same = whole.shape == arr.shape and whole.dtype == arr.dtype and whole.offset == arr.offset
    return path if same else None


def _write_cache(key: str, keys: Sequence[str], arrays: dict[str, np.ndarray], meta: dict[str, Any],
                 sources: Sequence[Path] = ()) -> None:
    root = cache_root()
    final = root / key
    if final.exists():
        return
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=str(root)))
    try:
        _lower_thread_priority()  # a background job: leave the cores to the user's first queries
        joined = _joined_keys(keys)
        if joined is None:
            return  # a vocabulary with every candidate separator in its words: open it from the source
        sep, blob = joined
        (tmp / "keys.txt").write_bytes(blob)
        linked: dict[str, tuple[str, list[int], str]] = {}
        for name, arr in arrays.items():
            source = _linkable(arr, sources)
            if source is not None:
                linked[name] = (source, list(arr.shape), str(arr.dtype))
            else:
                np.save(tmp / f"{name}.npy", np.ascontiguousarray(arr), allow_pickle=False)
        meta = dict(meta, version=CACHE_VERSION, arrays=[a for a in arrays if a not in linked], linked=linked,
                    vocab_size=len(keys), key_sep=sep, keys_bytes=len(blob))
        (tmp / "meta.json").write_text(json.dumps(meta, default=str), "utf-8")
        try:
            os.replace(tmp, final)  # atomic: readers see the whole entry or none
        except OSError:
            pass  # another process won the race; its entry is equivalent
    except Exception as err:  # noqa: BLE001 - a cache that cannot be written only costs speed
        log.warning("could not write the model cache in %s: %s", root, err)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _lower_thread_priority() -> None:
    # Only on Linux does a thread id name the thread (elsewhere it could name another process).
    if threading.current_thread() is threading.main_thread() or not sys.platform.startswith("linux"):
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except OSError:
        pass


def store_cached(key: str, keys: Sequence[str], arrays: dict[str, np.ndarray], meta: dict[str, Any],
                 background: bool = True, sources: Sequence[Path] = ()) -> None:
    """Write a cache entry atomically; by default on a thread so the first open is not slowed down.

    Arrays that are memory-mapped whole from one of ``sources`` (the model's own uncompressed .npy
    files, covered by ``key``) are referenced, not copied.
    """
    if not background:
        _write_cache(key, keys, arrays, meta, sources)
        return
    t = threading.Thread(target=_write_cache, args=(key, list(keys), arrays, meta, list(sources)),
                         name="w2v-cache-writer")
    t.start()  # not a daemon: the interpreter waits for it at exit, so entries are never half-written
    _pending.append(t)


def wait_for_cache_writes() -> None:
    while _pending:
        _pending.pop().join()

