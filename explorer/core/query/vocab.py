"""The vocabulary side of a query: completion, suggestions for unknown words, example words, and splitting
a typed phrase into the model's own words (jieba routing over the model's vocabulary)."""

from __future__ import annotations

import bisect
import heapq
import logging
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from explorer.core.errors import WordNotInVocabulary
from explorer.core.query.memo import cached, chunks

if TYPE_CHECKING:
    from explorer.core.io import LoadedModel


def index_of(model: LoadedModel, word: str) -> int:
    """The row of a vocabulary word; raises WordNotInVocabulary with spelling suggestions otherwise."""
    idx = model.wv.key_to_index.get(word)
    if idx is None:
        raise WordNotInVocabulary(word, suggest(model, word, 10))
    return int(idx)


# --- vocabulary search: completion and suggestions ------------------------------------------------
class VocabSearch:
    """Prefix and substring search over the vocabulary, case-insensitive, most frequent first."""

    _SEP = "\x00"

    # Built on a worker thread while the GUI runs: no single call may hold the GIL for long, so no sorted()
    # or dict() over the whole vocabulary (~100 ms each at 350k words); numpy sorts without the GIL.
    _CHUNK = 16384
    _NUMPY_MAX_LEN = 64  # a fixed-width numpy string array costs 4 bytes x longest word per word

    def __init__(self, words: Sequence[str]) -> None:
        self.words = words
        lowered = [str(w).lower() for w in words]
        order = self._order(lowered)
        self.sorted_keys = [lowered[i] for i in order.tolist()]
        self.sorted_ranks = order
        self.joined = self._SEP.join(lowered)
        # code points, as str.find counts them; a separator ends each word
        code_points = np.frombuffer(self.joined.encode("utf-32-le"), dtype=np.uint32)
        ends = np.flatnonzero(code_points == 0)
        if len(ends) != max(len(lowered) - 1, 0):  # a word holding a NUL itself: count lengths instead
            ends = np.cumsum(np.fromiter((len(w) + 1 for w in lowered), dtype=np.int64, count=len(lowered)))[:-1] - 1
        self.starts = np.concatenate(([0], ends + 1))[:max(len(lowered), 1)].astype(np.int64)

    @classmethod
    def _order(cls, keys: list[str]) -> np.ndarray:
        """Indices that sort ``keys`` (Python's str order, ties by index), in short GIL-holding steps."""
        n = len(keys)
        longest = max((len(k) for k in keys), default=0)
        if 0 < longest <= cls._NUMPY_MAX_LEN:
            # numpy compares unicode by code point like Python does; only trailing NULs differ (never in keys)
            table = np.empty(n, dtype=f"<U{longest}")
            for s, e in chunks(n, cls._CHUNK):
                table[s:e] = keys[s:e]
            return np.argsort(table, kind="stable").astype(np.int64)
        runs = [sorted(range(s, e), key=keys.__getitem__) for s, e in chunks(n, cls._CHUNK)]
        return np.fromiter(heapq.merge(*runs, key=keys.__getitem__), dtype=np.int64, count=n)

    def prefix(self, prefix: str, limit: int) -> list[int]:
        key = prefix.lower()
        lo = bisect.bisect_left(self.sorted_keys, key)
        hi = bisect.bisect_left(self.sorted_keys, key + "\U0010ffff")
        ranks = self.sorted_ranks[lo:hi]
        if len(ranks) > limit:
            ranks = np.partition(ranks, limit - 1)[:limit]
        return [int(r) for r in np.sort(ranks)]

    def substring(self, text: str, limit: int, skip: set[int]) -> list[int]:
        key = text.lower()
        if not key or self._SEP in key:
            return []
        found: list[int] = []
        pos = self.joined.find(key)
        while pos >= 0 and len(found) < limit:
            i = int(np.searchsorted(self.starts, pos, side="right")) - 1
            if i not in skip:
                found.append(i)
                skip.add(i)
            # jump to the next word: the joined string is in frequency order, so matches come most frequent first
            nxt = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.joined)
            pos = self.joined.find(key, int(nxt))
        return found


def vocab_search(model: LoadedModel) -> VocabSearch:
    return cached(model, "query.vocab_search", lambda: VocabSearch(model.wv.index_to_key))  # type: ignore[no-any-return]


def completion_ready(model: LoadedModel) -> bool:
    """Whether ``complete`` answers at once (its index is built), so a GUI thread may call it."""
    return model.cache.get("query.vocab_search") is not None


def complete(model: LoadedModel, prefix: str, limit: int = 10) -> tuple[str, ...]:
    """Vocabulary words starting with ``prefix`` (case-insensitive), most frequent first.

    The first call builds a sorted index of the vocabulary (about a second at 350k words); later calls take
    well under a millisecond, fast enough for completion as the user types.
    """
    if not prefix or limit <= 0:
        return ()
    vs = vocab_search(model)
    return tuple(vs.words[i] for i in vs.prefix(prefix, limit))


def suggest(model: LoadedModel, text: str, limit: int = 10) -> tuple[str, ...]:
    """Words to offer for an unknown ``text``, best first: likely misspellings of it (same or similar pinyin,
    one edit away; see explorer.core.query.spelling), then words starting with it, then words containing it.

    A Chinese text with no match at all gets the words starting with its longest known leading piece; a
    Latin one does not ("good" -> G or GHOST helps nobody).
    """
    from explorer.core.query.spelling import suggest_spelling

    text = text.strip()
    if not text or limit <= 0:
        return ()
    vs = vocab_search(model)
    found = suggest_spelling(model, text, limit)
    if len(found) < limit:
        found += [i for i in vs.prefix(text, limit) if i not in found][: limit - len(found)]
    if len(found) < limit:
        found += vs.substring(text, limit - len(found), set(found))
    if not found and len(text) > 1 and not text.isascii():
        # fall back to the longest leading piece that occurs somewhere
        for cut in range(len(text) - 1, 0, -1):
            found = vs.prefix(text[:cut], limit)
            if found:
                break
    return tuple(vs.words[i] for i in found)


# Well-known words to offer as an example, in order: the first the model knows is shown.
EXAMPLE_WORDS = ("微信", "酒店", "曹操", "手机", "北京", "电脑", "中国", "computer", "king", "dog")


def example_word(model: LoadedModel) -> str | None:
    """A word to show as an example query: a well-known one the model knows, else a frequent content word."""
    index = model.wv.key_to_index
    for word in EXAMPLE_WORDS:
        if word in index:
            return word
    for word in model.wv.index_to_key[50:5000]:  # past the function words, among words with good vectors
        if len(word) >= 2 and all(unicodedata.category(ch)[0] == "L" for ch in word):
            return str(word)
    return None


# --- segmentation of phrases -----------------------------------------------------------------------
def is_content(token: str) -> bool:
    """False for whitespace and punctuation-only tokens, which carry no meaning to average or rank."""
    return any(unicodedata.category(ch)[0] in "LNM" for ch in token)


def tokenizer(model: LoadedModel) -> Any:
    """A jieba tokenizer whose dictionary is the model's own vocabulary, so phrases split into known words.

    jieba's default dictionary often cuts differently from the corpus the model was trained on (曹操引兵 ->
    曹 / 操引兵); routing over the model's vocabulary with its word frequencies (or Zipf estimates from the
    frequency rank) gives the words the model actually has.
    """

    def build() -> Any:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        wv = model.wv
        words = wv.index_to_key
        counts: Any = None
        if model.info.has_counts and "count" in wv.expandos:
            counts = np.asarray(wv.expandos["count"], dtype=np.int64)
        if counts is None or len(counts) != len(words) or counts.max(initial=0) <= 0:
            counts = (10_000_000 // (np.arange(len(words), dtype=np.int64) + 10)) + 1
        freq: dict[str, int] = {}
        for w, c in zip(words, counts.tolist()):
            w = str(w)
            if 0 < len(w) <= 24 and freq.get(w, 0) < c:
                freq[w] = max(1, c)
        for w in list(freq):
            for i in range(1, len(w)):
                freq.setdefault(w[:i], 0)
        tokenizer = jieba.Tokenizer()
        tokenizer.FREQ = freq
        tokenizer.total = max(1, sum(freq.values()))
        tokenizer.initialized = True
        return tokenizer

    return cached(model, "query.tokenizer", build)


def segment(model: LoadedModel, text: str) -> tuple[list[str], list[str]]:
    """Split ``text`` into vocabulary words; returns (used words, unknown pieces), both in text order.

    Segmentation is jieba's dictionary routing over the model's own vocabulary (no HMM guessing of new
    words); runs of characters the model does not know are reported together as one unknown piece.
    Whitespace and punctuation are dropped.
    """
    vocab = model.wv.key_to_index
    text = text.strip()
    if text in vocab:
        return [text], []
    used: list[str] = []
    unknown: list[str] = []
    run = ""
    for token in tokenizer(model).lcut(text, HMM=False):
        token = token.strip()
        if token and token in vocab and is_content(token):
            used.append(token)
        elif token and is_content(token):
            run += token
            continue
        if run:
            unknown.append(run)
            run = ""
    if run:
        unknown.append(run)
    return used, unknown
