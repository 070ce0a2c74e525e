"""The user cache as one store: converted models, segmented corpora and training checkpoints under a size cap.

Each part of the explorer that keeps files there gets its folder from :func:`folder` (which first removes
temporaries a killed run left behind), marks what it reuses with :func:`touch`, and holds what it reads with
:func:`hold` / :func:`acquire`. :func:`enforce_limit` then removes the least recently used entries until the
cache fits its cap; it never removes an entry that a running explorer holds, nor the checkpoint of a training
that can still be resumed. ``w2v cache list|clear`` and the window's cache setting sit on top of this.
"""

from __future__ import annotations

import collections
import contextlib
import json
import logging
import os
import re
import threading
import time
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer.core import fsutil
from explorer.core.errors import CacheError
from explorer.core.paths import cache_folder

log = logging.getLogger(__name__)

KINDS = ("models", "segmented", "checkpoints")
DEFAULT_LIMIT = 10 * 1000**3  # 10 GB, or a quarter of the space the cache can have when that is less
CHECKPOINT_STATE = "state.json"  # the file that makes a folder a training checkpoint (see explorer.core.training)
_SETTINGS = "cache-settings.json"
_LEASES = ".in-use"
# Temporaries written before fsutil.TEMP_MARK existed carry a pid (".part-PID-") or nothing: the ones without a
# pid are removed once untouched for this long (a running writer keeps its file's mtime fresh).
_LEGACY_TEMP_AGE = 6 * 3600.0
_LEGACY_PID = re.compile(r"\.part-(\d+)-")


@dataclass(frozen=True)
class CacheEntry:
    """One thing in the cache: a converted model, a segmented corpus, a segmenter state or a checkpoint."""

    kind: str  # one of KINDS
    name: str  # unique within its kind: the model key, the corpus key, "jieba/<state>", the checkpoint folder
    paths: tuple[Path, ...]  # the files and folders it consists of
    size: int  # bytes
    last_used: float  # seconds since the epoch
    in_use: bool  # held by a running explorer (this process or another)
    unfinished: bool  # a checkpoint of a training that can still be resumed
    label: str  # what it is, for people: the model file, the corpus files, the training's output


# --- folders and stale temporaries ----------------------------------------------------------------
_tidied: set[Path] = set()
_tidy_lock = threading.Lock()


def root() -> Path:
    """The cache's top folder (``$W2V_EXPLORER_CACHE``, else the platform's user cache folder)."""
    return cache_folder("")


def folder(kind: str) -> Path:
    """The folder of one kind of entry; the first call per process removes stale temporaries from it."""
    if kind not in KINDS:
        raise ValueError(f"unknown cache kind {kind!r}")
    path = cache_folder(kind)
    with _tidy_lock:
        first = path not in _tidied
        _tidied.add(path)
    if first:
        removed = remove_stale_temporaries(kind)
        if removed:
            log.info("removed %d temporary file(s) a stopped run left in %s", removed, path)
    return path


def remove_stale_temporaries(kind: str) -> int:
    """Remove what killed runs left in the folder of ``kind`` (and its sub-folders); returns how many."""
    base = cache_folder(kind)
    folders = [base]
    with contextlib.suppress(OSError):
        folders += [p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")]
    removed = 0
    now = time.time()
    for f in folders:
        removed += fsutil.remove_stale_temporaries(f)
        try:
            names = list(os.scandir(f))
        except OSError:
            continue
        for entry in names:
            if fsutil.TEMP_MARK not in entry.name and _is_stale_legacy_temporary(kind, entry, f == base, now):
                fsutil.remove_quietly(entry.path)
                removed += 1
    _remove_dead_leases()
    return removed


def _is_stale_legacy_temporary(kind: str, entry: os.DirEntry[str], top: bool, now: float) -> bool:
    name = entry.name
    if not (name.endswith(".tmp") or (kind == "models" and top and name.startswith(".") and name != _LEASES)
            or ".part-" in name):
        return False
    m = _LEGACY_PID.search(name)
    if m is not None:
        pid = int(m.group(1))
        return pid != os.getpid() and not fsutil.process_alive(pid)
    try:
        return now - entry.stat(follow_symlinks=False).st_mtime > _LEGACY_TEMP_AGE
    except OSError:
        return False


# --- in use: leases --------------------------------------------------------------------------------
# A held entry has a lease file in <root>/.in-use named "<kind>~<name>~<pid>"; other processes see it, and a
# lease whose process is gone no longer counts. Within this process holds are counted, so nested holds work.
_held: dict[tuple[str, str], int] = {}
_held_lock = threading.Lock()


def _lease_name(kind: str, name: str, pid: int) -> str:
    return f"{kind}~{name.replace('/', '%')}~{pid}"


def entry_of(path: Path | str) -> tuple[str, str] | None:
    """``(kind, name)`` of the cache entry that ``path`` (a file or folder of it) belongs to, else None."""
    p = Path(os.path.abspath(path))
    for kind in KINDS:
        base = Path(os.path.abspath(cache_folder(kind)))
        try:
            rel = p.relative_to(base).parts
        except ValueError:
            continue
        if not rel:
            return None
        if kind == "segmented":
            if rel[0] == "jieba" and len(rel) > 1:
                return kind, "jieba/" + Path(rel[1]).stem
            return kind, Path(rel[0]).stem
        return kind, rel[0]
    return None


class Lease:
    """A hold on one cache entry; :meth:`release` (idempotent) lets eviction have it again."""

    def __init__(self, key: tuple[str, str] | None) -> None:
        self._key = key
        if key is None:
            return
        with _held_lock:
            count = _held.get(key, 0)
            _held[key] = count + 1
            if count == 0:
                leases = root() / _LEASES
                with contextlib.suppress(OSError):
                    leases.mkdir(parents=True, exist_ok=True)
                    (leases / _lease_name(*key, os.getpid())).touch()
            _drain_releases()

    def release(self) -> None:
        with _held_lock:
            self._release_locked()
            _drain_releases()

    def release_soon(self) -> None:
        """:meth:`release` for finalizers: it never waits, since it may run inside a locked section of its own
        thread (a garbage collection there); when the lock is taken, the next lease operation releases it."""
        _releases.append(self)
        if _held_lock.acquire(blocking=False):
            try:
                _drain_releases()
            finally:
                _held_lock.release()

    def _release_locked(self) -> None:
        key, self._key = self._key, None
        if key is None:
            return
        count = _held.get(key, 0) - 1
        if count > 0:
            _held[key] = count
            return
        _held.pop(key, None)
        with contextlib.suppress(OSError):
            (root() / _LEASES / _lease_name(*key, os.getpid())).unlink()


_releases: collections.deque[Lease] = collections.deque()


def _drain_releases() -> None:
    while _releases:
        _releases.popleft()._release_locked()


def hold_while_alive(obj: object, path: Path | str) -> None:
    """Hold the entry of ``path`` until ``obj`` (e.g. an array memory-mapped from it) is garbage."""
    weakref.finalize(obj, acquire(path).release_soon)


def acquire(path: Path | str) -> Lease:
    """Hold the entry ``path`` belongs to (a no-op lease when it is not in the cache)."""
    return Lease(entry_of(path))


@contextlib.contextmanager
def hold(*paths: Path | str | None) -> Iterator[None]:
    """Hold the entries of ``paths`` (None and paths outside the cache are ignored) for the ``with`` block."""
    leases = [acquire(p) for p in paths if p is not None]
    try:
        yield
    finally:
        for lease in leases:
            lease.release()


def _leases_in_use() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    with _held_lock:
        _drain_releases()
        found.update(_held)
    try:
        names = os.listdir(root() / _LEASES)
    except OSError:
        return found
    for lease in names:
        parts = lease.split("~")
        if len(parts) == 3 and parts[2].isdigit() and int(parts[2]) != os.getpid() and \
                fsutil.process_alive(int(parts[2])):
            found.add((parts[0], parts[1].replace("%", "/")))
    return found


def _remove_dead_leases() -> None:
    leases = root() / _LEASES
    with contextlib.suppress(OSError):
        for lease in os.listdir(leases):
            pid = lease.rsplit("~", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and not fsutil.process_alive(int(pid)):
                fsutil.remove_quietly(leases / lease)


def touch(path: Path | str) -> None:
    """Mark ``path`` (the file whose time stands for an entry's last use) as used now."""
    with contextlib.suppress(OSError):
        os.utime(path)


# --- what is in the cache ----------------------------------------------------------------------------
def _size_of(path: Path) -> int:
    try:
        st = path.lstat()
    except OSError:
        return 0
    if not path.is_dir() or path.is_symlink():
        return st.st_size
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(dirpath, name)).st_size
    return total


def _mtime(*paths: Path) -> float:
    for p in paths:
        with contextlib.suppress(OSError):
            return p.stat().st_mtime
    return 0.0


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _is_temporary(name: str) -> bool:
    return name.startswith(".") or fsutil.TEMP_MARK in name or name.endswith(".tmp")


def _names(files: Iterable[Any]) -> str:
    names = [Path(str(f)).name for f in files]
    return ", ".join(names[:2]) + (f" (+{len(names) - 2} more)" if len(names) > 2 else "")


def _model_entries(base: Path) -> Iterator[tuple[str, tuple[Path, ...], float, bool, str]]:
    for d in _listdir(base):
        if not d.is_dir() or _is_temporary(d.name):
            continue
        meta = _read_json(d / "meta.json")
        label = _names(meta.get("sources") or []) or str(meta.get("format_label") or "converted model")
        yield d.name, (d,), _mtime(d / "meta.json", d), False, label


def _segmented_entries(base: Path) -> Iterator[tuple[str, tuple[Path, ...], float, bool, str]]:
    groups: dict[str, list[Path]] = {}
    for p in _listdir(base):
        if p.is_file() and not _is_temporary(p.name) and p.suffix in (".txt", ".json"):
            groups.setdefault(p.stem, []).append(p)
    for key, parts in sorted(groups.items()):
        meta = _read_json(base / f"{key}.json")
        files = [f.get("path", "") for f in meta.get("files", []) if isinstance(f, dict)]
        label = f"segmented {_names(files)}" if files else "segmented corpus (incomplete)"
        # The word list first, the text after: an entry whose .json is gone is never reused half-removed.
        parts.sort(key=lambda p: p.suffix != ".json")
        yield key, tuple(parts), _mtime(base / f"{key}.json", base / f"{key}.txt"), False, label
    for p in _listdir(base / "jieba"):
        if p.is_file() and not _is_temporary(p.name):
            yield f"jieba/{p.stem}", (p,), _mtime(p), False, "saved jieba dictionary state"


def _checkpoint_entries(base: Path) -> Iterator[tuple[str, tuple[Path, ...], float, bool, str]]:
    for d in _listdir(base):
        if not d.is_dir() or _is_temporary(d.name):
            continue
        state = _read_json(d / CHECKPOINT_STATE)
        unfinished = bool(state) and not state.get("finished")
        config = state.get("config")
        epochs = config.get("epochs", "?") if isinstance(config, dict) else "?"
        output = Path(str(state.get("output", ""))).name or d.name
        what = f"epoch {state.get('epochs_done', 0)}/{epochs}, can be resumed" if unfinished else "finished"
        yield d.name, (d,), _mtime(d / CHECKPOINT_STATE, d), unfinished, f"training of {output} ({what})"


def _listdir(path: Path) -> list[Path]:
    try:
        return sorted(path.iterdir())
    except OSError:
        return []


_LISTERS = {"models": _model_entries, "segmented": _segmented_entries, "checkpoints": _checkpoint_entries}


def entries(kinds: Iterable[str] = KINDS) -> list[CacheEntry]:
    """Everything in the cache of the given kinds, least recently used first."""
    busy = _leases_in_use()
    found: list[CacheEntry] = []
    for kind in kinds:
        if kind not in KINDS:
            raise ValueError(f"unknown cache kind {kind!r}")
        for name, paths, last_used, unfinished, label in _LISTERS[kind](folder(kind)):
            found.append(CacheEntry(kind, name, paths, sum(_size_of(p) for p in paths), last_used,
                                    (kind, name) in busy, unfinished, label))
    return sorted(found, key=lambda e: e.last_used)


# --- the cap ----------------------------------------------------------------------------------------
def default_limit(used: int | None = None) -> int:
    """10 GB, or a quarter of the space the cache could occupy (free space plus what it holds) when less."""
    if used is None:
        used = sum(e.size for e in entries())
    try:
        room = fsutil.free_space(root()) + used
    except OSError:
        return DEFAULT_LIMIT
    return min(DEFAULT_LIMIT, room // 4)


def configured_limit() -> int | None:
    """The cap the user chose (bytes), or None for the default."""
    value = _read_json(root() / _SETTINGS).get("limit_bytes")
    return int(value) if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def limit(used: int | None = None) -> int:
    """The cap in bytes: the user's choice, else :func:`default_limit`."""
    chosen = configured_limit()
    return chosen if chosen is not None else default_limit(used)


def set_limit(limit_bytes: int | None) -> None:
    """Store the cap (bytes; None: back to the default). Kept in the cache folder, shared by the CLI and window."""
    if limit_bytes is not None and limit_bytes < 0:
        raise CacheError("The cache limit cannot be negative.", "Give a size such as 10GB or 500MB.")
    path = root() / _SETTINGS
    settings = _read_json(path)
    if limit_bytes is None:
        settings.pop("limit_bytes", None)
    else:
        settings["limit_bytes"] = int(limit_bytes)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with fsutil.atomic_write(path, "w", encoding="utf-8") as f:
            json.dump(settings, f)
    except OSError as err:
        raise CacheError(f"Cannot save the cache limit in {path.parent}: {err.strerror or err}.",
                         "Check that the cache folder exists and that you may write to it.") from err


# --- eviction and clearing ----------------------------------------------------------------------------
def remove(entry: CacheEntry) -> bool:
    """Remove one entry now (whatever holds it); True when nothing of it is left."""
    for p in entry.paths:
        target = p
        if p.is_dir() and not p.is_symlink():
            # Renamed away first so a reader sees the whole entry or none, then deleted at leisure.
            aside = p.with_name(f".{p.name}{fsutil.TEMP_MARK}{os.getpid()}-removed")
            with contextlib.suppress(OSError):
                os.replace(p, aside)
                target = aside
        fsutil.remove_quietly(target)
    return not any(os.path.lexists(p) for p in entry.paths)


def enforce_limit(limit_bytes: int | None = None, keep: Iterable[Path | str] = ()) -> list[CacheEntry]:
    """Remove least recently used entries until the cache fits ``limit_bytes`` (default: :func:`limit`).

    Never removes an entry in use, a checkpoint of an unfinished training, or the entries of ``keep`` (the
    one just written). Returns what was removed.
    """
    found = entries()
    total = sum(e.size for e in found)
    cap = limit(total) if limit_bytes is None else limit_bytes
    kept = {entry_of(p) for p in keep}
    removed: list[CacheEntry] = []
    for e in found:  # least recently used first
        if total <= cap:
            break
        if e.in_use or e.unfinished or (e.kind, e.name) in kept:
            continue
        if remove(e):
            total -= e.size
            removed.append(e)
    if removed:
        log.info("cache over its %d-byte cap: removed %d least recently used entr%s (%d bytes)", cap,
                 len(removed), "y" if len(removed) == 1 else "ies", sum(e.size for e in removed))
    return removed


@dataclass(frozen=True)
class ClearResult:
    removed: tuple[CacheEntry, ...]
    kept: tuple[CacheEntry, ...]  # in use, or checkpoints of unfinished trainings not asked for

    @property
    def freed(self) -> int:
        return sum(e.size for e in self.removed)


def clear(kinds: Iterable[str] = KINDS, include_unfinished: bool = False) -> ClearResult:
    """Remove every entry of ``kinds`` except those in use and, unless asked, resumable checkpoints."""
    removed: list[CacheEntry] = []
    kept: list[CacheEntry] = []
    for e in entries(kinds):
        if e.in_use or (e.unfinished and not include_unfinished) or not remove(e):
            kept.append(e)
        else:
            removed.append(e)
    return ClearResult(tuple(removed), tuple(kept))


# --- sizes for people -----------------------------------------------------------------------------------
_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2, "g": 1000**3, "gb": 1000**3,
          "t": 1000**4, "tb": 1000**4, "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40}


def format_size(size: int) -> str:
    """``1.2 GB``: decimal units, as disks and file managers count."""
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"


def parse_size(text: str) -> int:
    """Bytes from ``10GB``, ``500 MB``, ``1.5g``, ``2GiB`` or a plain number of bytes."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-zA-Z]*)\s*", text)
    unit = m.group(2).lower() if m else ""
    if m is None or unit not in _UNITS:
        raise CacheError(f"“{text}” is not a size.", "Write it like 10GB, 500MB or 2GiB.")
    return int(float(m.group(1)) * _UNITS[unit])
