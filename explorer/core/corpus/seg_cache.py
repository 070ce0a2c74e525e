"""The segmented-corpus cache: one UTF-8 text file plus a JSON record per (files, options), keyed by content."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import unicodedata
from pathlib import Path
from typing import Any

from explorer.core.corpus.records import CorpusFileReport, SegmentedCorpus, SegmentOptions
from explorer.core.corpus.segment import BUILTIN_STOPWORDS, STATE_FORMAT
from explorer.core.errors import CorpusError
from explorer.core.fsutil import atomic_write
from explorer.core.paths import cache_folder

CACHE_FORMAT = 1


def default_cache_dir() -> Path:
    """Where segmented corpora are kept: $W2V_EXPLORER_CACHE/segmented, else the user cache folder."""
    return cache_folder("segmented")


def clear_cache(cache_dir: Path | None = None) -> int:
    """Delete every cached segmented corpus and saved jieba state; returns the number of bytes freed."""
    folder = cache_dir or default_cache_dir()
    freed = 0
    for entries in (folder.glob("*"), (folder / "jieba").glob("*")):
        for entry in entries:
            if entry.suffix in (".txt", ".json", ".tmp", ".pickle") and entry.is_file():
                freed += entry.stat().st_size
                entry.unlink(missing_ok=True)
    return freed


def cache_key(files: list[Path], options: SegmentOptions, user_dict: bytes | None, stopwords: bytes | None) -> str:
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
    return folder / "jieba" / f"{state_key(user_dict)}.pickle"


def report_to_json(r: CorpusFileReport) -> dict[str, Any]:
    return {"path": str(r.path), "encoding": r.encoding, "size_bytes": r.size_bytes, "lines": r.lines,
            "replaced_bytes": r.replaced_bytes, "skipped": r.skipped, "note": r.note}


def load_cached(folder: Path, key: str, options: SegmentOptions) -> SegmentedCorpus | None:
    text_path, meta_path = folder / f"{key}.txt", folder / f"{key}.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != CACHE_FORMAT or text_path.stat().st_size != meta["bytes"]:
            return None
        files = tuple(CorpusFileReport(Path(f["path"]), f["encoding"], f["size_bytes"], f["lines"],
                                       f["replaced_bytes"], f["skipped"], f.get("note", "")) for f in meta["files"])
        os.utime(meta_path)  # last use, for whoever prunes the cache
        return SegmentedCorpus(text_path, meta["sentences"], meta["tokens"], meta["bytes"], files, True, options)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store_record(folder: Path, key: str, sentences: int, tokens: int, size: int,
                 reports: tuple[CorpusFileReport, ...]) -> None:
    """Write the JSON record that makes ``folder/key.txt`` a cache entry (written last: no record, no entry)."""
    meta = {"format": CACHE_FORMAT, "sentences": sentences, "tokens": tokens, "bytes": size,
            "files": [report_to_json(r) for r in reports]}
    with atomic_write(folder / f"{key}.json") as f:
        f.write(json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
