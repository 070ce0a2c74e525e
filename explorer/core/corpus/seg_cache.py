"""The segmented-corpus cache: one UTF-8 text file plus a JSON record per (files, options), keyed by content."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

from explorer.core import usercache
from explorer.core.corpus.records import CorpusFileReport, SegmentedCorpus, SegmentOptions
from explorer.core.corpus.jieba_state import STATE_FORMAT, STATE_SUFFIX
from explorer.core.corpus.segment import BUILTIN_STOPWORDS
from explorer.core.errors import CorpusError
from explorer.core import fsutil
from explorer.core.fsutil import atomic_write

# 2: entries made before each segmenter kept its own jieba state may be wrong (a user dictionary's
# frequency-0 words leaked into later segmentations without one), and UTF-8 lines in GBK or Big5 files
# were mojibake: never reuse them.
CACHE_FORMAT = 2
_LEGACY_TEMP_AGE = 3600.0  # seconds untouched after which a temporary without our pid mark is a kill's litter

log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """Where segmented corpora are kept: $W2V_EXPLORER_CACHE/segmented, else the user cache folder.

    Part of the user cache (explorer.core.usercache): listed, capped and cleared with the other entries.
    """
    return usercache.folder("segmented")


def prepare_folder(folder: Path) -> tuple[Path, str]:
    """A folder the segmented corpus can be written to, and a note for the user when it is not ``folder``.

    Removes what killed runs left there. When ``folder`` cannot be written (read-only, no permission, a file
    in the way), a fresh private temporary folder is used this time instead.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fsutil.remove_quietly(fsutil.temp_path_for(folder / "probe"))  # creating a file is the only sure test
    except OSError as err:
        try:
            fallback = Path(tempfile.mkdtemp(prefix="w2v-explorer-segmented-"))
        except OSError as err2:
            raise CorpusError(f"The segmented corpus cannot be written to {folder} ({err.strerror or err}) nor to "
                              f"a temporary folder ({err2.strerror or err2}).",
                              "Set W2V_EXPLORER_CACHE to a folder you can write to, or free some disk space.")
        note = (f"The cache folder {folder} cannot be written ({err.strerror or err}), so the segmented corpus "
                f"is kept in {fallback} this time and will not be reused. Set W2V_EXPLORER_CACHE to a folder "
                "you can write to.")
        log.warning("%s", note)
        return fallback, note
    for sub in (folder, folder / "jieba"):
        fsutil.remove_stale_temporaries(sub)
        _remove_legacy_temporaries(sub)
    return folder, ""


def _remove_legacy_temporaries(folder: Path) -> None:
    """Temporaries named before fsutil's pid mark (``key.XXXX.tmp``, jieba's ``tmpXXXX``) left by a kill."""
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not (entry.name.endswith(".tmp") or (folder.name == "jieba" and entry.name.startswith("tmp"))):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and now - entry.stat().st_mtime > _LEGACY_TEMP_AGE:
                os.unlink(entry.path)


def clear_cache(cache_dir: Path | None = None) -> int:
    """Delete every cached segmented corpus and saved jieba state; returns the number of bytes freed."""
    folder = cache_dir or default_cache_dir()
    freed = 0
    for entries in (folder.glob("*"), (folder / "jieba").glob("*")):
        for entry in entries:
            if entry.suffix in (".txt", ".json", ".tmp", ".pickle", STATE_SUFFIX, ".cache") and entry.is_file():
                freed += entry.stat().st_size
                entry.unlink(missing_ok=True)
    return freed


def cache_key(files: list[Path], options: SegmentOptions, user_dict: bytes | None, stopwords: bytes | None,
              backend: str = "jieba") -> str:
    import jieba

    def digest(data: bytes | None) -> str | None:
        return None if data is None else hashlib.sha256(data).hexdigest()

    entries = []
    for path in files:
        try:
            st = path.stat()
        except OSError as err:
            raise CorpusError(f"Cannot read {path}: {err.strerror or err}.", "Check that the file is still there.")
        entries.append([str(path.resolve()), st.st_size, st.st_mtime_ns])
    payload = {
        "format": CACHE_FORMAT,
        "jieba": jieba.__version__,
        "unicode": unicodedata.unidata_version,
        "files": entries,
        "options": {
            "remove_punctuation": options.remove_punctuation,
            "remove_stopwords": options.remove_stopwords,
            "hmm": options.hmm,
            "csv_column": options.csv_column,
            "lowercase": options.lowercase,
        },
        "user_dict": digest(user_dict),
        # The backends give the same tokens, but a user comparing them must get a fresh run of each.
        **({"segmenter": backend} if backend != "jieba" else {}),
        "stopwords": (digest(stopwords) if options.stopwords else digest(" ".join(sorted(BUILTIN_STOPWORDS)).encode()))
        if options.remove_stopwords else None,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def state_key(user_dict: bytes | None) -> str:
    import jieba

    h = hashlib.sha256(f"{STATE_FORMAT} jieba {jieba.__version__} python {sys.version_info[:2]}".encode())
    h.update(user_dict or b"")
    return h.hexdigest()[:24]


def state_file(folder: Path, user_dict: bytes | None) -> Path:
    """Where the segmenter's saved jieba state for this user dictionary lives."""
    return folder / "jieba" / f"{state_key(user_dict)}{STATE_SUFFIX}"


def report_to_json(r: CorpusFileReport) -> dict[str, Any]:
    return {"path": str(r.path), "encoding": r.encoding, "size_bytes": r.size_bytes, "lines": r.lines,
            "replaced_bytes": r.replaced_bytes, "skipped": r.skipped, "note": r.note, "utf8_lines": r.utf8_lines,
            "legacy_lines": r.legacy_lines}


def load_cached(folder: Path, key: str, options: SegmentOptions) -> SegmentedCorpus | None:
    text_path, meta_path = folder / f"{key}.txt", folder / f"{key}.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != CACHE_FORMAT or text_path.stat().st_size != meta["bytes"]:
            return None
        files = tuple(CorpusFileReport(Path(f["path"]), f["encoding"], f["size_bytes"], f["lines"],
                                       f["replaced_bytes"], f["skipped"], f["note"], int(f["utf8_lines"]),
                                       int(f["legacy_lines"])) for f in meta["files"])
        usercache.touch(meta_path)  # last use: the cap evicts the least recently used first (read-only: no-op)
        return SegmentedCorpus(text_path, meta["sentences"], meta["tokens"], meta["bytes"], files, True, options,
                               segmenter=str(meta.get("segmenter", "jieba")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store_record(folder: Path, key: str, sentences: int, tokens: int, size: int,
                 reports: tuple[CorpusFileReport, ...], segmenter: str = "jieba") -> None:
    """Write the JSON record that makes ``folder/key.txt`` a cache entry (written last: no record, no entry)."""
    meta = {"format": CACHE_FORMAT, "sentences": sentences, "tokens": tokens, "bytes": size, "segmenter": segmenter,
            "files": [report_to_json(r) for r in reports]}
    with atomic_write(folder / f"{key}.json") as f:
        f.write(json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
