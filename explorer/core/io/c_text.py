"""The C word2vec text format (.txt, optionally gzip/bz2, with or without its header line): reading and writing.

Large files are parsed in C (fastnumbers, else np.loadtxt) by one worker process per core, each a fresh
interpreter running :func:`_text_worker_main`; bench/bench_open.py measures it against gensim.
"""

from __future__ import annotations

import io
import itertools
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
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
    ModelFileError,
    TruncatedModelFile,
    UnknownModelFormat,
)
from explorer.core.fsutil import atomic_write, cpu_count, open_compressed
from explorer.core.io.c_format import (
    RawVectors,
    decode_joined_words,
    new_matrix,
    parse_header,
)
from explorer.core.io.checks import check_claim, content_limit
from explorer.core.io.sniff import HEADER_RE, numbers_on_line, read_head
from explorer.core.tasks import CancelToken, Reporter, null_reporter

log = logging.getLogger(__name__)

_COUNT_BLOCK = 8 << 20  # bytes counted per step: big enough to amortise Python overhead, small for peak memory
_TEXT_BLOCK = 8 << 20  # text bytes parsed per step
_TEXT_PARALLEL_MIN = 64 << 20  # below this, starting worker processes (~0.3 s) costs more than it saves


def _text_workers() -> int:
    return min(4, cpu_count())


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
    return _count_lines_and_end(path, compression, start, end)[0]


def _count_lines_and_end(path: Path, compression: str | None, start: int = 0,
                         end: int | None = None) -> tuple[int, bool]:
    """Lines in the byte range, and whether the last one ends with a newline."""
    count = 0
    last = b"\n"
    with open_compressed(path, compression) as f:
        if start:
            f.seek(start)
        left = None if end is None else end - start
        while left is None or left > 0:
            block = f.read(_COUNT_BLOCK if left is None else min(_COUNT_BLOCK, left))
            if not block:
                break
            if left is not None:
                left -= len(block)
            count += int(np.count_nonzero(np.frombuffer(block, np.uint8) == 10))  # 5x bytes.count
            last = block[-1:]
    return count + (last != b"\n"), last == b"\n"


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
        root = str(Path(__file__).resolve().parents[3])  # so the worker imports this same code
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p))
        code = "from explorer.core.io.c_text import _text_worker_main; _text_worker_main()"
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


def _check_first_line(path: Path, compression: str | None, dims: int) -> None:
    """The first vector line has the header's number of values (read with a bounded readline, so a header
    claiming billions of dimensions costs nothing before it is refused)."""
    with open_compressed(path, compression) as f:
        f.readline(1 << 16)
        line = f.readline(min(dims, 1 << 24) * 64 + 4096)
    got = len(line.rstrip(b"\r\n ").split(b" ")) - 1
    if line.strip() and got != dims:
        raise DimensionMismatch(
            f"{path.name} says its vectors have {dims:,} dimensions, but line 1 has {got:,} numbers.",
            "The header and the data disagree; the file is damaged or was edited.")


def read_c_text(path: Path, report: Reporter = null_reporter, cancel: CancelToken | None = None,
                compression: str | None = None, header: bool = True, parallel: bool | None = None) -> RawVectors:
    """Read the C word2vec text format, with or without its "words dimensions" header line.

    Large uncompressed files are parsed by one worker process per core (``parallel=None`` decides by
    size; frozen builds and Windows read in this process).
    """
    warnings: list[str] = []
    if header:
        with open_compressed(path, compression) as f:
            n, dims, _ = parse_header(f, path)
        m = HEADER_RE.match(read_head(path, 4096))
        body_start = m.end() if m else 0
        # Per number a line holds at least a space and a digit: checked before anything is allocated.
        limit = content_limit(path, compression)
        check_claim(path, n, dims, None if limit is None else limit - body_start, "text")
        if n:
            _check_first_line(path, compression, dims)
    else:
        with open_compressed(path, compression) as f:
            first = f.readline()
        dims = numbers_on_line(first) or 0
        if not dims:
            raise UnknownModelFormat(f"{path.name} is not a word2vec text file.",
                                     "Check that it is a word2vec model file.")
        n, complete = _count_lines_and_end(path, compression)
        body_start = 0
        if not complete:
            # Without a header nothing says how long the file should be; a missing final line end is the
            # one sign that it was cut short.
            warnings.append(f"the last line of {path.name} has no line end: the file may have been cut short")
    if parallel is None:
        parallel = os.path.getsize(path) >= _TEXT_PARALLEL_MIN
    # The parallel reader allocates the whole matrix up front: only when the file can hold what the header
    # says (a line per word, at least a space and a digit per number).
    plausible = n * (2 * dims + 1) <= os.path.getsize(path) - body_start
    if parallel and plausible and _parallel_text_possible(path, compression):
        got = _read_text_in_processes(path, body_start, n, dims, report, cancel)
        if got is not None:
            out, blob = got
            keys, replaced = decode_joined_words(blob.replace(b"\r", b"") if b"\r" in blob else blob, n)
            report(n, n, "Reading vectors")
            return RawVectors(keys, out, (n, dims) if header else None, replaced, warnings, compression)
    # Rows are allocated as they arrive (doubling), not all at once from the header: a compressed file's
    # header cannot be checked against its size.
    out = new_matrix(min(n, max(1, (8 << 20) // (4 * dims))), dims)

    def emit(row: int, block: np.ndarray) -> None:
        nonlocal out
        if row + len(block) > len(out):
            grown = new_matrix(min(n, max(row + len(block), 2 * len(out))), dims)
            grown[:row] = out[:row]
            out = grown
        out[row:row + len(block)] = block
        report(row + len(block), n, "Reading vectors")
        if cancel is not None:
            cancel.raise_if_cancelled()

    with open_compressed(path, compression) as f:
        if header:
            f.readline()
        blob, row = _read_text_range(f, None, dims, n, path, 0, emit)
    if row < n:
        if header:
            raise TruncatedModelFile(
                f"{path.name} says it has {n:,} words but only {row:,} lines were found: it is incomplete.",
                "Download it again (the download was probably interrupted).")
    out = out[:row]
    keys, replaced = decode_joined_words(blob.replace(b"\r", b"") if b"\r" in blob else blob, row)
    return RawVectors(keys, out, (n, dims) if header else None, replaced, warnings, compression)


def write_c_text(out: Path, keys: Sequence[str], vectors: np.ndarray, report: Reporter = null_reporter) -> None:
    """Write ``keys`` and ``vectors`` as a C word2vec .txt with its header, atomically (see fsutil.atomic_write)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    with atomic_write(out) as f:
        f.write(f"{len(keys)} {vectors.shape[1]}\n".encode())
        n = len(keys)
        fmt = " ".join(["%.9g"] * vectors.shape[1])  # 9 significant digits: every float32 reads back exactly
        for start in range(0, n, 5000):
            block = vectors[start:start + 5000]
            lines = [keys[start + j] + " " + fmt % tuple(row) for j, row in enumerate(block.tolist())]
            f.write(("\n".join(lines) + "\n").encode("utf-8"))
            report(start, n, "Writing")
