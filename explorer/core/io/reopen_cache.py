"""The reopen cache: a converted, memory-mappable copy of a large model in the user's cache folder.

A model file of more than :data:`CACHE_MIN_BYTES` is converted once, on a background thread, into a word
list and ``.npy`` arrays keyed by the file's identity; every later open maps them in a fraction of a
second. bench/bench_open.py measures the reopen against gensim.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from explorer.core import fsutil, usercache

log = logging.getLogger(__name__)

CACHE_MIN_BYTES = 16 << 20  # smaller files open fast enough without a converted copy
CACHE_VERSION = 3
_pending: list[threading.Thread] = []


def cache_root() -> Path:
    """The folder holding one sub-folder per cached model (see explorer.core.usercache for its upkeep)."""
    return usercache.folder("models")


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
        usercache.touch(d / "meta.json")  # last use: eviction removes the least recently used entries first
        for name in meta["arrays"]:
            usercache.hold_while_alive(arrays[name], d)  # mapped: not evicted while a model uses it
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
    # The temporary's name carries fsutil.TEMP_MARK and our pid, so one left by a killed run is found and removed.
    tmp = Path(tempfile.mkdtemp(prefix=f".{key}{fsutil.TEMP_MARK}{os.getpid()}-", dir=str(root)))
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
                    vocab_size=len(keys), key_sep=sep, keys_bytes=len(blob),
                    sources=[str(p) for p in sources])
        (tmp / "meta.json").write_text(json.dumps(meta, default=str), "utf-8")
        try:
            fsutil.replace(tmp, final)  # atomic: readers see the whole entry or none
        except OSError:
            pass  # another process won the race; its entry is equivalent
        usercache.enforce_limit(keep=[final])
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
    if DEFER_WRITES:
        _deferred.append(functools.partial(_write_cache, key, list(keys), arrays, meta, list(sources)))
        return
    t = threading.Thread(target=_write_cache, args=(key, list(keys), arrays, meta, list(sources)),
                         name="w2v-cache-writer")
    t.start()  # not a daemon: the interpreter waits for it at exit, so entries are never half-written
    _pending.append(t)


def wait_for_cache_writes() -> None:
    """Finish every write this process started or deferred."""
    while _deferred:
        _deferred.pop(0)()
    while _pending:
        _pending.pop().join()


# A command-line run (explorer.cli) defers its writes to the end and leaves them to a detached process, so
# it exits as soon as it has answered instead of waiting for a few hundred MB to reach the disk.
DEFER_WRITES = False
_deferred: list[Callable[[], None]] = []


def detach_cache_writes() -> None:
    """Finish the deferred writes in a child process that outlives this one (Linux), else here and now."""
    if not _deferred:
        return
    if not sys.platform.startswith("linux"):
        wait_for_cache_writes()  # fork without exec is unsafe with the system libraries of macOS
        return
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError:
        wait_for_cache_writes()
        return
    if pid:
        _deferred.clear()  # the child writes them
        return
    try:  # the child: no terminal, no pipes of the caller (a `| head` reader sees the end), low priority
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.nice(10)
        while _deferred:
            _deferred.pop(0)()  # each write logs and swallows its own errors
    finally:
        os._exit(0)


# --- files other layers keep with an entry (the query layer's row norms and search index) -------------
_DERIVED = "derived"


def derived_folder(key: str, name: str) -> Path | None:
    """The folder ``name`` that :func:`store_derived` kept with entry ``key``, or None when there is none."""
    folder = cache_root() / key / _DERIVED / name
    return folder if folder.is_dir() else None


def store_derived(key: str, name: str, write: Callable[[Path], None], background: bool = True) -> None:
    """Keep files computed from entry ``key``'s vectors inside the entry, as the folder ``name``.

    ``write(folder)`` fills an empty temporary folder; the folder then appears whole or not at all. On a
    background thread by default, which first lets this process's pending entry writes finish. Nothing is
    kept when the entry does not exist (a model too small to cache, a failed write) or already has ``name``.
    Whatever removes the entry (a changed source file, eviction) removes these with it.
    """
    if not background:
        _write_derived(key, name, write)
        return
    if DEFER_WRITES:
        _deferred.append(functools.partial(_write_derived, key, name, write))
        return
    t = threading.Thread(target=_write_derived, args=(key, name, write), name="w2v-cache-derived")
    t.start()  # not a daemon, like the entry writes: the interpreter waits for it at exit
    _pending.append(t)


def _write_derived(key: str, name: str, write: Callable[[Path], None]) -> None:
    for t in list(_pending):  # noqa: PERF101 - a copy: other threads append while this one waits
        if t is not threading.current_thread() and t.name == "w2v-cache-writer":
            t.join()
    entry = cache_root() / key
    final = entry / _DERIVED / name
    if not (entry / "meta.json").is_file() or final.exists():
        return
    tmp: Path | None = None
    try:
        _lower_thread_priority()
        final.parent.mkdir(exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}{fsutil.TEMP_MARK}{os.getpid()}-", dir=str(final.parent)))
        write(tmp)
        for part in tmp.iterdir():
            fsutil.fsync_path(part)  # a file cut short by a crash must not be memory-mapped later
        try:
            fsutil.replace(tmp, final)
        except OSError:
            pass  # another process won the race; its folder is equivalent
        usercache.enforce_limit(keep=[entry])  # the entry grew (a search index is a quarter of the vectors)
    except Exception as err:  # noqa: BLE001 - like the entry itself, these only save time
        log.warning("could not keep %s with the model cache entry %s: %s", name, entry, err)
    finally:
        if tmp is not None and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
