"""Count the words and sentences of a segmented corpus once, cached in memory and beside cached corpora."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from explorer.core.errors import CorpusError, EmptyCorpus
from explorer.core.tasks import CancelToken, Reporter, null_reporter
from explorer.core.training.save import write_json_atomically

log = logging.getLogger(__name__)

# gensim's LineSentence splits longer lines, and its Cython loops cap sentences at this length too.
MAX_SENTENCE_WORDS = 10000
# Report at most this often (seconds) while scanning (the issue asks for >= 1 update a second).
REPORT_INTERVAL = 0.2


def corpus_path(corpus: Any) -> Path:
    """The segmented file behind ``corpus``: a SegmentedCorpus (its ``.path``) or a path to one."""
    raw = getattr(corpus, "path", corpus)
    try:
        path = Path(raw)
    except TypeError:
        raise CorpusError(f"Cannot train on {corpus!r}: expected a segmented corpus or a path to one.") from None
    if not path.is_file():
        raise CorpusError(f"The segmented corpus {path} does not exist.",
                          "Segment the text again, or choose another file.")
    return path


def _corpus_key(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return (str(path.resolve()), st.st_size, st.st_mtime_ns)


def split_line(raw: bytes) -> Iterator[list[bytes]]:
    # bytes.split() splits on ASCII whitespace only, exactly like gensim's C++ corpus_file reader
    # (str.split() would also split on U+3000 and disagree with it).
    words = raw.split()
    for i in range(0, len(words), MAX_SENTENCE_WORDS):
        yield words[i:i + MAX_SENTENCE_WORDS]


def decode_word(word: bytes) -> str:
    return word.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class CorpusCounts:
    """The raw vocabulary of a segmented corpus (one scan, reused by preview and train)."""

    path: Path
    key: tuple[str, int, int]
    word_freq: dict[str, int]  # first-occurrence order, like gensim's own scan
    sentences: int
    tokens: int


_counts_cache: dict[tuple[str, int, int], CorpusCounts] = {}
_counts_lock = threading.Lock()


def _counts_file(path: Path) -> Path:
    return path.with_name(path.name + ".counts.json")


def _load_counts_file(path: Path, key: tuple[str, int, int]) -> CorpusCounts | None:
    try:
        data = json.loads(_counts_file(path).read_text(encoding="utf-8"))
        if data.get("key") != list(key[1:]):
            return None
        return CorpusCounts(path=path, key=key, word_freq=dict(data["words"]), sentences=int(data["sentences"]),
                            tokens=int(data["tokens"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def scan_corpus(corpus: Any, report: Reporter = null_reporter, cancel: CancelToken | None = None) -> CorpusCounts:
    """Count words and sentences of a segmented corpus; cached per file (path, size, mtime).

    For a SegmentedCorpus (which lives in the app's cache folder) the counts are also kept on disk beside
    it, so the preview is instant in a later session too; plain paths (user files) get no sidecar.
    """
    path = corpus_path(corpus)
    key = _corpus_key(path)
    persist = not isinstance(corpus, (str, os.PathLike))
    with _counts_lock:
        cached = _counts_cache.get(key)
    if cached is None and persist:
        cached = _load_counts_file(path, key)
        if cached is not None:
            with _counts_lock:
                _counts_cache[key] = cached
    if cached is not None:
        report(1, 1, "vocabulary")
        return cached
    cancel = cancel or CancelToken()
    size = key[1]
    counts: Counter[bytes] = Counter()
    sentences = tokens = done = 0
    last = time.monotonic()
    report(0, size, "vocabulary")
    with open(path, "rb") as fh:
        for raw in fh:
            done += len(raw)
            for words in split_line(raw):
                sentences += 1
                tokens += len(words)
                counts.update(words)
            now = time.monotonic()
            if now - last >= REPORT_INTERVAL:
                last = now
                cancel.raise_if_cancelled()
                report(done, size, "vocabulary")
    cancel.raise_if_cancelled()
    report(size, size, "vocabulary")
    if tokens == 0:
        raise EmptyCorpus(f"The corpus {path.name} has no words to train on.",
                          "Check that the text files are not empty and were segmented.")
    word_freq: dict[str, int] = {}
    for word, n in counts.items():
        text = decode_word(word)
        word_freq[text] = word_freq.get(text, 0) + n
    result = CorpusCounts(path=path, key=key, word_freq=word_freq, sentences=sentences, tokens=tokens)
    with _counts_lock:
        _counts_cache[key] = result
    if persist:
        try:
            write_json_atomically({"key": list(key[1:]), "sentences": sentences, "tokens": tokens,
                                   "words": list(word_freq.items())}, _counts_file(path), indent=None)
        except OSError as err:  # a read-only cache folder only costs a rescan next time
            log.info("could not cache the word counts of %s: %s", path, err)
    return result
