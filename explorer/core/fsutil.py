"""File-system plumbing with one home each: atomic writes, compressed opening, free space, core count.

Every file the explorer writes for a user goes through :func:`atomic_write` (or :func:`atomic_folder` for a
set of files that must change together), so a kill or a full disk leaves the previous file intact or the
new one complete, never half of either.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import os
import shutil
import stat
import tempfile
import threading
from pathlib import Path
from typing import IO, Iterator

TEMP_MARK = ".w2v-part-"  # every temporary the explorer creates carries this, so stale ones can be found


def cpu_count() -> int:
    """Cores this process may run on (the affinity mask where there is one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def compression_of(head: bytes) -> str | None:
    """'gzip' or 'bz2' from a file's first bytes, else None."""
    if head[:2] == b"\x1f\x8b":
        return "gzip"
    if head[:3] == b"BZh":
        return "bz2"
    return None


def open_compressed(path: Path | str, compression: str | None = "detect") -> IO[bytes]:
    """Open ``path`` for binary reading, decompressing gzip/bz2 (detected from content by default)."""
    path = Path(path)
    if compression == "detect":
        with open(path, "rb") as f:
            compression = compression_of(f.read(3))
    if compression == "gzip":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if compression == "bz2":
        return bz2.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def free_space(folder: Path | str) -> int:
    """Bytes free for an unprivileged user on the file system holding ``folder`` (or its nearest parent)."""
    p = Path(folder).absolute()
    while not p.exists() and p != p.parent:
        p = p.parent
    return shutil.disk_usage(p).free


def _umask() -> int:
    # os.umask can only be read by setting it; do it under a lock so threads do not race.
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


_UMASK_LOCK = threading.Lock()


def temp_path_for(target: Path, suffix: str = "") -> Path:
    """A fresh temporary name next to ``target`` (same file system, so a rename over it is atomic).

    The name keeps ``target``'s suffix last (gensim and smart_open pick compression from the name) and
    carries :data:`TEMP_MARK` so :func:`remove_stale_temporaries` can find it after a kill.
    """
    fd, name = tempfile.mkstemp(prefix=f".{target.name}{TEMP_MARK}{os.getpid()}-", suffix=suffix + target.suffix,
                                dir=str(target.parent))
    os.close(fd)
    return Path(name)


def fsync_path(path: Path | str) -> None:
    """Flush a file's (or folder's) content to disk."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) if Path(path).is_dir() else os.O_RDONLY
    try:
        fd = os.open(path, flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def replace(tmp: Path | str, target: Path | str) -> None:
    """fsync ``tmp``, give it the user's default permissions, rename it over ``target``, fsync the folder."""
    fsync_path(tmp)
    with contextlib.suppress(OSError):
        os.chmod(tmp, 0o666 & ~_umask() if not Path(tmp).is_dir() else 0o777 & ~_umask())
    os.replace(tmp, target)
    fsync_path(Path(target).parent)


@contextlib.contextmanager
def atomic_write(target: Path | str, mode: str = "wb", encoding: str | None = None) -> Iterator[IO]:
    """Write ``target`` through a temporary next to it; on success it replaces ``target`` in one rename.

    On any exception (including a kill's KeyboardInterrupt) the temporary is removed and ``target`` is untouched.
    """
    target = Path(target)
    tmp = temp_path_for(target)
    try:
        with open(tmp, mode, encoding=encoding) as f:
            yield f
            f.flush()
        replace(tmp, target)
    except BaseException:
        remove_quietly(tmp)
        raise


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Like :func:`atomic_write` for writers that want a path (gensim's save, numpy): yields the temporary."""
    target = Path(target)
    tmp = temp_path_for(target)
    try:
        yield tmp
        replace(tmp, target)
    except BaseException:
        remove_quietly(tmp)
        raise


def remove_quietly(path: Path | str) -> None:
    """Remove a file or folder if it is there; never raise."""
    p = Path(path)
    try:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink()
    except (FileNotFoundError, OSError):
        pass


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def remove_stale_temporaries(folder: Path | str, max_age_seconds: float = 24 * 3600.0) -> int:
    """Remove temporaries that a killed run of the explorer left in ``folder``; returns how many.

    Only names carrying :data:`TEMP_MARK` are touched, and only when the process that made them is gone
    (or the file is older than ``max_age_seconds``, in case its pid was reused).
    """
    import time

    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    now = time.time()
    for entry in entries:
        if TEMP_MARK not in entry.name:
            continue
        pid_text = entry.name.split(TEMP_MARK, 1)[1].split("-", 1)[0]
        pid = int(pid_text) if pid_text.isdigit() else -1
        if pid == os.getpid():
            continue  # ours, still being written
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if pid > 0 and process_alive(pid) and age < max_age_seconds:
            continue
        remove_quietly(entry.path)
        removed += 1
    return removed


def glob_escape(name: str) -> str:
    """``name`` with glob wildcards escaped, to list files that start with it."""
    return "".join("[" + c + "]" if c in "*?[" else c for c in name)


def is_regular_file(path: Path | str) -> bool:
    """True for a regular file (after following symlinks); False for folders, FIFOs, devices, loops."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def same_file(a: Path | str, b: Path | str) -> bool:
    """True when ``a`` and ``b`` are the same existing file (hard links and symlinks included)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False
