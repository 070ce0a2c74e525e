"""The C word2vec binary format (.bin, optionally gzip/bz2): reading, fast, and writing.

The reader moves each vector into the matrix with one memcpy while a second thread reads ahead;
bench/bench_open.py measures it against gensim.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, cast

import numpy as np

from explorer.core.errors import DimensionMismatch, TruncatedModelFile
from explorer.core.fsutil import atomic_write, open_compressed
from explorer.core.io.c_format import (
    RawVectors,
    decode_words,
    new_matrix,
    new_region,
    parse_header,
    release_tail,
)
from explorer.core.io.checks import check_claim, content_limit
from explorer.core.tasks import CancelToken, Reporter, null_reporter

_BLOCK = 8 << 20  # bytes read per step: big enough to amortise Python overhead, small for peak memory


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
            n, dims, head = parse_header(f, path)
        header_len = len(_read_first(path, 4096)) - len(head)
        check_claim(path, n, dims, os.path.getsize(path) - header_len, "binary")
        out, words = _read_binary_in_place(path, header_len, n, dims, report, cancel)
    else:
        with open_compressed(path, compression) as f:
            n, dims, head = parse_header(f, path)
            check_claim(path, n, dims, content_limit(path, compression), "binary")
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
    # A complete file holds all n vectors, so its size bounds the matrix; a header claiming more than the
    # file holds then ends in "incomplete" at the word where the data stops, with nothing more allocated.
    region = new_region(max(size, 1))
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
    """Read a (decompressing) stream block by block into one reused buffer, copying each vector out.

    A compressed file's header cannot be checked against its size (bz2 expands up to ~900,000:1), so
    memory follows the data that actually arrives: the matrix doubles as rows come in, and the buffer
    grows only while it is full of data without one complete record. A lying header then costs at most
    twice the real content, never what it claims.
    """
    rec = dims * 4
    rows = 0  # the matrix is made when the first complete record has arrived, and grows from there
    out = new_matrix(0, dims)
    flat = _bytes_of(out)
    buf = bytearray(max(_BLOCK, len(head)))
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
            if o + rec > len(flat):  # the matrix is full: double it (capped at the header's count)
                flat.release()
                rows = min(n, max(2 * rows, _BLOCK // rec, 1))
                grown = new_matrix(rows, dims)
                grown[:i] = out[:i]
                out = grown
                flat = _bytes_of(out)
            append(bytes(view[pos:sp]))
            pos = sp + 1 + rec
            flat[o:o + rec] = view[sp + 1:pos]
            o += rec
            i += 1
        if i == i0:
            if eof:
                raise _truncated_at(path, i, n)
            if len(buf) >= 4 * (rec + 1024):
                raise _misaligned(path, dims)  # a whole buffer without one complete record
            view.release()  # a record longer than the buffer, and more data to come: make room for it
            buf.extend(bytes(len(buf)))
            view = memoryview(buf)
            continue
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


def _bytes_of(matrix: np.ndarray) -> memoryview:
    """The matrix's memory as bytes (also for a matrix with no rows, which memoryview.cast refuses)."""
    return memoryview(cast(Any, matrix.reshape(-1).view(np.uint8)))


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
    return decode_words([w.replace(b"\n", b"") for w in raw])


def write_c_binary(out: Path, keys: Sequence[str], vectors: np.ndarray,
                   report: Reporter = null_reporter) -> None:
    """Write ``keys`` and ``vectors`` as a C word2vec .bin, atomically (see fsutil.atomic_write)."""
    vectors = np.asarray(vectors, dtype="<f4")
    with atomic_write(out) as f:
        f.write(f"{len(keys)} {vectors.shape[1]}\n".encode())
        n = len(keys)
        for i, key in enumerate(keys):
            f.write(key.encode("utf-8") + b" ")
            f.write(vectors[i].tobytes())
            f.write(b"\n")
            if i % 10000 == 0:
                report(i, n, "Writing")
