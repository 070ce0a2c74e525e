"""The original C word2vec formats (.bin and .txt, optionally gzip/bz2) and the reopen cache.

Reading is tuned for large files: the binary reader copies each record straight into a preallocated
float32 matrix, the text reader parses whole chunks of numbers in C (and on two processes when it can),
and a converted, memory-mappable copy in the user's cache folder makes every later open instant.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import json
import logging
import mmap
import os
import pickle
import re
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterator, Sequence, cast

import numpy as np

from explorer.core.errors import (
    DimensionMismatch,
    EmptyModelFile,
    ModelFileError,
    TruncatedModelFile,
    UnknownModelFormat,
)
from explorer.core.tasks import CancelToken, Reporter, null_reporter

log = logging.getLogger(__name__)

HEADER_RE = re.compile(rb"[ \t]*(\d+)[ \t]+(\d+)[ \t]*\r?\n")
_BLOCK = 8 << 20  # bytes read per step: big enough to amortise Python overhead, small for peak memory
_TEXT_PARALLEL_MIN = 64 << 20  # below this, a second process costs more than it saves


@dataclass
class RawVectors:
    """Words and vectors as read from a file, before they become a gensim KeyedVectors."""

    keys: list[str]
    vectors: np.ndarray
    header: tuple[int, int] | None = None
    replaced_bytes: int = 0
    warnings: list[str] = field(default_factory=list)
    compression: str | None = None


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
        return bz2.open(path, "rb")  # type: ignore[return-value]
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
def _decode_words(raw: list[bytes], strip_newlines: bool = False) -> tuple[list[str], int]:
    """Decode UTF-8 words in one pass; bytes that are not UTF-8 become U+FFFD and are counted.

    ``strip_newlines`` drops the newline bytes the C tool writes after each binary vector (they end up
    at the start of the next word), as gensim and word2vec.c do.
    """
    sep = b"\x00" if strip_newlines else b"\n"
    blob = sep.join(raw)
    if strip_newlines:
        blob = blob.replace(b"\n", b"")
    try:
        keys = blob.decode("utf-8").split(sep.decode())
        if len(keys) == len(raw):
            return keys, 0
    except UnicodeDecodeError:
        pass
    if strip_newlines:
        raw = [w.replace(b"\n", b"") for w in raw]
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

    Python only finds where each word ends (bytes.find) and copies each vector with one memoryview
    assignment (a memcpy) into the preallocated matrix; the file is read in blocks, never whole.
    """
    with open_binary(path, compression) as f:
        n, dims, buf = _parse_header(f, path)
        rec = dims * 4
        out = np.empty((n, dims), dtype=np.float32)
        flat = memoryview(cast(Any, out)).cast("B")
        words: list[bytes] = []
        append = words.append
        total = os.path.getsize(path) if compression is None else 0
        consumed = 0
        i = 0
        eof = False
        while i < n:
            more = b"" if eof else f.read(max(_BLOCK, 2 * rec + 4096))
            if not more:
                eof = True
            buf = buf + more
            find = buf.find
            view = memoryview(buf)
            limit = len(buf) - rec - 1
            pos = 0
            o = i * rec
            i0 = i
            # The hot loop: one find, one word slice and one memcpy per word.
            while i < n:
                sp = find(b" ", pos)
                if sp < 0 or sp > limit:
                    break
                append(buf[pos:sp])
                pos = sp + 1 + rec
                flat[o:o + rec] = view[sp + 1:pos]
                o += rec
                i += 1
            view.release()
            if i == i0 and eof:
                raise TruncatedModelFile(
                    f"{path.name} ends in the middle of word {i + 1:,} of {n:,}: the file is incomplete.",
                    "Download it again (the download was probably interrupted).",
                )
            if i > i0 and max(len(w) for w in words[i0:i]) > 100_000:
                raise DimensionMismatch(
                    f"{path.name} says its vectors have {dims} dimensions, but the data does not line up "
                    "with that.", "The file is damaged or its header is wrong.")
            consumed += pos
            buf = buf[pos:]
            report(consumed if total else i, total or n, "Reading vectors")
            if cancel is not None:
                cancel.raise_if_cancelled()
        tail = buf + f.read(1 << 16)
    if tail.strip(b"\r\n\t \x00"):
        raise DimensionMismatch(
            f"{path.name} has more data than its header (\"{n} {dims}\") describes: the header and the "
            "vectors disagree.",
            "The file is damaged or was written with a wrong header.",
        )
    keys, replaced = _decode_words(words, strip_newlines=True)
    if sys.byteorder != "little":
        out.byteswap(inplace=True)
    report(total or n, total or n, "Reading vectors")
    return RawVectors(keys, out, (n, dims), replaced, [], compression)


# --- the text format ----------------------------------------------------------------------------
def _text_rows(chunk: bytes, dims: int, path: Path, first_row: int) -> tuple[list[bytes], np.ndarray]:
    """Parse complete lines of "word f1 .. fD": words by a byte scan, numbers by numpy's C parser."""
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
    except ValueError as err:
        m = re.search(r"row (\d+)", str(err))
        where = f" (line {first_row + int(m.group(1)):,})" if m else ""
        raise DimensionMismatch(
            f"{path.name} has a line with fewer than {dims} numbers or a value that is not a number{where}.",
            "The file is damaged or truncated.",
        ) from None
    return words, arr


def _iter_text_chunks(f: IO[bytes], first: bytes, limit: int | None) -> Iterator[bytes]:
    """Yield blocks of whole lines, reading at most ``limit`` bytes after ``first``."""
    carry = first
    left = limit
    while True:
        size = _BLOCK if left is None else min(_BLOCK, left)
        more = f.read(size) if size > 0 else b""
        if left is not None:
            left -= len(more)
        if not more:
            if carry.strip():
                yield carry if carry.endswith(b"\n") else carry + b"\n"
            return
        data = carry + more
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
            continue
        yield data[: cut + 1]
        carry = data[cut + 1:]


def _count_lines(path: Path, compression: str | None, start: int = 0, end: int | None = None) -> int:
    count = 0
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
            count += block.count(b"\n")
    return count


def _parse_text_range(path: Path, start: int, end: int, dims: int, out: np.ndarray, row0: int,
                      report: Reporter, cancel: CancelToken | None, total_rows: int) -> list[bytes]:
    words: list[bytes] = []
    row = row0
    with open(path, "rb") as f:
        f.seek(start)
        for chunk in _iter_text_chunks(f, b"", end - start):
            w, arr = _text_rows(chunk, dims, path, row)
            k = len(w)
            if row + k > len(out):
                raise DimensionMismatch(
                    f"{path.name} has more lines than its header says ({len(out):,} words).",
                    "The header and the data disagree; the file is damaged or was edited.",
                )
            out[row:row + k] = arr
            words.extend(w)
            row += k
            report(row, total_rows, "Reading vectors")
            if cancel is not None:
                cancel.raise_if_cancelled()
    return words


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


def _parallel_text(path: Path, body_start: int, n: int, dims: int, report: Reporter,
                   cancel: CancelToken | None) -> tuple[np.ndarray, list[bytes]]:
    """Parse the file's two halves at once: a forked child writes its rows into shared memory."""
    size = os.path.getsize(path)
    mid = _line_start_after(path, body_start + (size - body_start) * 47 // 100)
    shm = mmap.mmap(-1, max(1, n * dims * 4))
    out = np.frombuffer(shm, dtype=np.float32, count=n * dims).reshape(n, dims)
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: count the first half's lines to know where its rows go, then parse
        os.close(rfd)
        try:
            row0 = _count_lines(path, None, body_start, mid)
            words = _parse_text_range(path, mid, size, dims, out, row0, null_reporter, None, n)
            payload = pickle.dumps(("ok", row0, b"\n".join(words), len(words)))
        except ModelFileError as err:
            payload = pickle.dumps(("error", type(err).__name__, err.message, err.hint))
        except BaseException as err:  # noqa: BLE001 - reported to the parent, which raises it
            payload = pickle.dumps(("error", "ModelFileError", f"Reading {path.name} failed: {err}", ""))
        with os.fdopen(wfd, "wb") as w:
            w.write(payload)
        os._exit(0)
    os.close(wfd)
    result: list[Any] = []

    def collect() -> None:
        with os.fdopen(rfd, "rb") as r:
            result.append(r.read())

    reader = threading.Thread(target=collect, daemon=True)
    reader.start()
    try:
        words = _parse_text_range(path, body_start, mid, dims, out, 0, report, cancel, n)
    except BaseException:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        raise
    reader.join()
    os.waitpid(pid, 0)
    # Everything in the payload is bytes/str/int written by our own child a moment ago.
    msg: Any = pickle.loads(result[0]) if result and result[0] else ("error", "ModelFileError", "reader died", "")
    if msg[0] == "error":
        from explorer.core import errors

        cls = getattr(errors, msg[1], ModelFileError)
        raise cls(msg[2], msg[3])
    row0 = int(msg[1])
    blob: bytes = msg[2]
    count: int = msg[3]
    if row0 != len(words):
        raise DimensionMismatch(f"{path.name} has blank or broken lines in its first half.",
                                "The file is damaged.")
    words.extend(blob.split(b"\n") if count else [])
    if len(words) < n:
        raise TruncatedModelFile(
            f"{path.name} says it has {n:,} words but only {len(words):,} lines were found: it is incomplete.",
            "Download it again (the download was probably interrupted).")
    return out, words


def read_c_text(path: Path, report: Reporter = null_reporter, cancel: CancelToken | None = None,
                compression: str | None = None, header: bool = True, parallel: bool | None = None) -> RawVectors:
    """Read the C word2vec text format, with or without its "words dimensions" header line."""
    warnings: list[str] = []
    if header:
        with open_binary(path, compression) as f:
            n, dims, rest = _parse_header(f, path)
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
        with open_binary(path, compression) as f:
            data_end = f.seek(0, io.SEEK_END) if compression is None else None
            if data_end:
                f.seek(data_end - 1)
                if f.read(1) != b"\n":
                    n += 1
        body_start = 0
    size = os.path.getsize(path)
    if parallel is None:
        parallel = (compression is None and hasattr(os, "fork") and size >= _TEXT_PARALLEL_MIN
                    and (os.cpu_count() or 1) > 1)
    if parallel and compression is None:
        out, words = _parallel_text(path, body_start, n, dims, report, cancel)
    else:
        out = np.empty((n, dims), dtype=np.float32)
        words = []
        row = 0
        with open_binary(path, compression) as f:
            if header:
                f.readline()
            for chunk in _iter_text_chunks(f, b"", None):
                w, arr = _text_rows(chunk, dims, path, row)
                k = len(w)
                if row + k > n:
                    raise DimensionMismatch(
                        f"{path.name} has more lines than its header says ({n:,} words).",
                        "The header and the data disagree; the file is damaged or was edited.")
                out[row:row + k] = arr
                words.extend(w)
                row += k
                report(row, n, "Reading vectors")
                if cancel is not None:
                    cancel.raise_if_cancelled()
        if row < n:
            if header:
                raise TruncatedModelFile(
                    f"{path.name} says it has {n:,} words but only {row:,} lines were found: it is incomplete.",
                    "Download it again (the download was probably interrupted).")
            out = out[:row]
    raw = [w.replace(b"\r", b"") if b"\r" in w else w for w in words]
    keys, replaced = _decode_words(raw)
    return RawVectors(keys, out, (n, dims) if header else None, replaced, warnings, compression)


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
            fmt = " ".join(["%.6g"] * vectors.shape[1])
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
CACHE_VERSION = 2
_pending: list[threading.Thread] = []


def cache_root() -> Path:
    env = os.environ.get("W2V_EXPLORER_CACHE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("w2v-explorer", appauthor=False)) / "models"


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


def load_cached(key: str) -> CachedModel | None:
    """The cached conversion for ``key``, memory-mapped, or None when absent or damaged."""
    d = cache_root() / key
    try:
        meta = json.loads((d / "meta.json").read_text("utf-8"))
        if meta.get("version") != CACHE_VERSION:
            return None
        from explorer.core.legacy import restricted_loads

        # One pickled (list, dict) pair shares its strings and rebuilds both in a single C pass; it holds
        # only str and int, so the restricted unpickler is enough (nothing else could be built from it).
        keys, key_to_index = restricted_loads((d / "index.pkl").read_bytes())
        if not isinstance(keys, list) or not isinstance(key_to_index, dict):
            raise ValueError("bad index")
        arrays: dict[str, np.ndarray] = {}
        for name in meta["arrays"]:
            arrays[name] = np.load(d / f"{name}.npy", mmap_mode="r", allow_pickle=False)
        if len(keys) != meta["vocab_size"] or arrays["vectors"].shape[0] != len(keys):
            raise ValueError("inconsistent cache entry")
        return CachedModel(keys, arrays, meta, key_to_index)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, UnicodeDecodeError, pickle.UnpicklingError, EOFError,
            ModelFileError) as err:
        log.warning("ignoring a damaged cache entry %s: %s", d, err)
        shutil.rmtree(d, ignore_errors=True)
        return None


def _write_cache(key: str, keys: Sequence[str], arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    root = cache_root()
    final = root / key
    if final.exists():
        return
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=str(root)))
    try:
        keys = list(keys)
        index = (keys, dict(zip(keys, range(len(keys)))))
        (tmp / "index.pkl").write_bytes(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
        for name, arr in arrays.items():
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(arr), allow_pickle=False)
        meta = dict(meta, version=CACHE_VERSION, arrays=list(arrays), vocab_size=len(keys))
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


def store_cached(key: str, keys: Sequence[str], arrays: dict[str, np.ndarray], meta: dict[str, Any],
                 background: bool = True) -> None:
    """Write a cache entry atomically; by default on a thread so the first open is not slowed down."""
    if not background:
        _write_cache(key, keys, arrays, meta)
        return
    t = threading.Thread(target=_write_cache, args=(key, list(keys), arrays, meta), name="w2v-cache-writer")
    t.start()  # not a daemon: the interpreter waits for it at exit, so entries are never half-written
    _pending.append(t)


def wait_for_cache_writes() -> None:
    while _pending:
        _pending.pop().join()

