"""Questions asked of a loaded model: neighbours, analogies, similarity, odd one out, related words, keywords.

Every function takes a LoadedModel and returns frozen dataclasses of plain data, so results can cross threads.
Scores match gensim 4 (`most_similar`, `most_similar_cosmul`, `similarity`, `doesnt_match`); neighbour search at
large vocabularies uses an int8 candidate scan (faiss) with an exact float32 re-rank that is provably complete.
"""

from __future__ import annotations

import bisect
import heapq
import logging
import math
import os
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Literal, Sequence

import numpy as np

from explorer.core.errors import NoOutputLayer, QueryError, WordNotInVocabulary
from explorer.core.models import LoadedModel
from explorer.core.tasks import CancelToken, Reporter, null_reporter

log = logging.getLogger(__name__)

__all__ = [
    "Neighbour", "Neighbours", "Analogy", "Similarity", "OddOneOut", "RelatedWord", "Related", "Keyword",
    "Keywords", "neighbours", "neighbours_of_vector", "batch_neighbours", "batch_neighbour_indices",
    "suggest", "complete", "completion_ready", "analogy", "similarity", "odd_one_out", "related", "keywords",
    "prepare", "segment",
]

# Below this many matrix elements an exact scan is as fast as any index, so no index is built.
INDEX_MIN_ELEMENTS = 8_000_000
_BLOCK_ROWS = 8192  # rows of the matrix per block in batch search: keeps the score block in cache-friendly size
_QUERY_CHUNK = 1024


# --- results ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Neighbour:
    word: str
    score: float  # cosine similarity (3CosMul: the 3CosMul objective)
    rank: int  # frequency rank: 1-based position in the vocabulary (1 = most frequent)


@dataclass(frozen=True)
class Neighbours:
    query: str  # the word or text asked about ("<vector>" for a raw vector)
    neighbours: tuple[Neighbour, ...]
    used: tuple[str, ...] = ()  # vocabulary words the query vector was built from
    unknown: tuple[str, ...] = ()  # words of the query that are not in the vocabulary (ignored)
    restrict: int | None = None  # searched only the `restrict` most frequent words

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(n.word for n in self.neighbours)


@dataclass(frozen=True)
class Analogy:
    """``a - b + c``: "b is to a as c is to ?" (gensim ``most_similar(positive=[a, c], negative=[b])``)."""

    a: str
    b: str
    c: str
    method: str  # "add" (3CosAdd) or "mul" (3CosMul)
    neighbours: tuple[Neighbour, ...]

    @property
    def answer(self) -> str | None:
        return self.neighbours[0].word if self.neighbours else None


@dataclass(frozen=True)
class Similarity:
    word1: str
    word2: str
    score: float  # cosine similarity, -1..1


@dataclass(frozen=True)
class OddOneOut:
    odd: str  # the word least similar to the mean of all the words
    ranking: tuple[tuple[str, float], ...]  # (word, cosine to the mean), most central first, odd one last
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelatedWord:
    word: str
    score: float  # hierarchical softmax: p(word | query); negative sampling: sigmoid(syn1neg . v)
    rank: int


@dataclass(frozen=True)
class Related:
    word: str
    method: str  # "hs" or "ns"
    score_label: str  # what `score` means, for display
    words: tuple[RelatedWord, ...]


@dataclass(frozen=True)
class Keyword:
    word: str
    score: float  # mean log-probability (HS) or mean log-sigmoid (NS) of the other words given this one
    rank: int


@dataclass(frozen=True)
class Keywords:
    sentence: str
    method: str  # "hs" or "ns"
    keywords: tuple[Keyword, ...]  # best first
    used: tuple[str, ...]
    unknown: tuple[str, ...]


# --- per-model cache -------------------------------------------------------------------------------
_locks_guard = threading.Lock()


def _lock(model: LoadedModel, key: str) -> threading.RLock:
    # one lock per cached item: completion must not wait seconds behind a search index being built
    name = "query.lock." + key
    lock = model.cache.get(name)
    if lock is None:
        with _locks_guard:
            lock = model.cache.setdefault(name, threading.RLock())
    return lock  # type: ignore[no-any-return]


def _cached(model: LoadedModel, key: str, build: Callable[[], Any]) -> Any:
    """``model.cache[key]``, built once by ``build`` even when several threads ask at the same time."""
    value = model.cache.get(key)
    if value is None:
        with _lock(model, key):
            value = model.cache.get(key)
            if value is None:
                value = build()
                model.cache[key] = value
    return value


def _chunks(total: int, size: int) -> Iterable[tuple[int, int]]:
    for start in range(0, total, size):
        yield start, min(total, start + size)


def _norms(model: LoadedModel) -> np.ndarray:
    """Row norms, bit-identical to gensim's ``fill_norms`` but computed in blocks (no full-size temporary)."""

    def build() -> np.ndarray:
        wv = model.wv
        if wv.norms is not None and len(wv.norms) == len(wv.vectors):
            return np.asarray(wv.norms)
        vectors = wv.vectors
        out = np.empty(len(vectors), dtype=vectors.dtype)
        for s, e in _chunks(len(vectors), 32768):
            out[s:e] = np.linalg.norm(vectors[s:e], axis=1)
        wv.norms = out  # gensim's own get_vector(norm=True) then uses these
        return out

    return _cached(model, "query.norms", build)  # type: ignore[no-any-return]


def _safe_norms(model: LoadedModel) -> np.ndarray:
    """Norms with zero rows mapped to inf, so an all-zero vector scores 0 instead of NaN."""

    def build() -> np.ndarray:
        norms = _norms(model)
        if np.all(norms > 0):
            return norms
        return np.where(norms > 0, norms, np.inf).astype(norms.dtype)

    return _cached(model, "query.safe_norms", build)  # type: ignore[no-any-return]


def _index_of(model: LoadedModel, word: str) -> int:
    idx = model.wv.key_to_index.get(word)
    if idx is None:
        raise WordNotInVocabulary(word, suggest(model, word, 10))
    return int(idx)


def _row(model: LoadedModel, word: str, i: int, score: float) -> Neighbour:
    return Neighbour(word=word, score=float(score), rank=i + 1)


# --- vocabulary search: completion and suggestions ------------------------------------------------
class _VocabSearch:
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
            for s, e in _chunks(n, cls._CHUNK):
                table[s:e] = keys[s:e]
            return np.argsort(table, kind="stable").astype(np.int64)
        runs = [sorted(range(s, e), key=keys.__getitem__) for s, e in _chunks(n, cls._CHUNK)]
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


def _vocab_search(model: LoadedModel) -> _VocabSearch:
    return _cached(model, "query.vocab_search", lambda: _VocabSearch(model.wv.index_to_key))  # type: ignore[no-any-return]


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
    vs = _vocab_search(model)
    return tuple(vs.words[i] for i in vs.prefix(prefix, limit))


def suggest(model: LoadedModel, text: str, limit: int = 10) -> tuple[str, ...]:
    """Words to offer for an unknown ``text``: prefix matches, then words containing it, most frequent first.

    For a text with no match at all, words containing its longest known piece are offered.
    """
    text = text.strip()
    if not text or limit <= 0:
        return ()
    vs = _vocab_search(model)
    found = vs.prefix(text, limit)
    if len(found) < limit:
        found += vs.substring(text, limit - len(found), set(found))
    if not found and len(text) > 1:
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
def _is_content(token: str) -> bool:
    """False for whitespace and punctuation-only tokens, which carry no meaning to average or rank."""
    return any(unicodedata.category(ch)[0] in "LNM" for ch in token)


def _tokenizer(model: LoadedModel) -> Any:
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

    return _cached(model, "query.tokenizer", build)


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
    for token in _tokenizer(model).lcut(text, HMM=False):
        token = token.strip()
        if token and token in vocab and _is_content(token):
            used.append(token)
        elif token and _is_content(token):
            run += token
            continue
        if run:
            unknown.append(run)
            run = ""
    if run:
        unknown.append(run)
    return used, unknown


# --- exact search (gensim's formula) and the int8 candidate index ---------------------------------
def _query_vector(model: LoadedModel, keys: Sequence[str], weights: Sequence[float]) -> np.ndarray:
    """gensim's ``most_similar`` query: unit mean of unit vectors, bit-identical to gensim 4."""
    _norms(model)
    return np.asarray(model.wv.get_mean_vector(
        list(keys), np.asarray(weights, dtype=np.float64), pre_normalize=True, post_normalize=True,
        ignore_missing=False,
    ))


def _exact_scores(model: LoadedModel, mean: np.ndarray, end: int) -> np.ndarray:
    return np.dot(model.wv.vectors[:end], mean) / _safe_norms(model)[:end]


def _top_from_scores(scores: np.ndarray, n: int, exclude: set[int], offset: int = 0) -> list[tuple[int, float]]:
    if n <= 0 or len(scores) == 0:
        return []
    want = min(len(scores), n + len(exclude))
    if want >= len(scores):
        best = np.argsort(-scores, kind="stable")
    else:
        part = np.argpartition(-scores, want - 1)[:want]
        best = part[np.argsort(-scores[part], kind="stable")]
    out = [(int(i) + offset, float(scores[i])) for i in best if int(i) + offset not in exclude]
    return out[:n]


class _Int8Index:
    """An int8 copy of the unit-normalised matrix in faiss, sharded over the cores, plus its error bounds.

    For a unit query q and row x (unit), the int8 score a = q.x' differs from q.x by at most |x - x'| (Cauchy-
    Schwarz). Rows whose error exceeds ``max_error`` are few and always re-ranked exactly, so every other row j
    satisfies  cos_j <= a_j + max_error  -- the bound that makes the candidate re-rank provably complete.
    """

    def __init__(self, vectors: np.ndarray, norms: np.ndarray, report: Reporter, cancel: CancelToken | None) -> None:
        import faiss

        n, d = vectors.shape
        safe = np.where(norms > 0, norms, 1.0).astype(np.float32)
        # scale from a sample's extreme quantile: rare huge components get clipped and land in `outliers`
        rng = np.random.default_rng(0)
        sample_rows = np.sort(rng.choice(n, size=min(n, 20000), replace=False))
        sample = np.abs(np.asarray(vectors[sample_rows], dtype=np.float32) / safe[sample_rows, None])
        sample = sample[np.isfinite(sample)]
        top = float(np.quantile(sample, 0.99999)) if sample.size else 1.0
        self.scale = 127.0 / top if top > 0 else 1.0
        self.n = n
        # more shards than cores: a busy machine gives CPU time per thread, and stragglers matter less
        self.shards = max(2, min(2 * (os.cpu_count() or 1), 8))
        bounds = np.linspace(0, n, self.shards + 1).astype(np.int64)
        subs = [faiss.IndexScalarQuantizer(d, faiss.ScalarQuantizer.QT_8bit_direct_signed, faiss.METRIC_INNER_PRODUCT)
                for _ in range(self.shards)]
        errors = np.empty(n, dtype=np.float32)
        for s, e in _chunks(n, 65536):
            if cancel is not None:
                cancel.raise_if_cancelled()
            unit = np.asarray(vectors[s:e], dtype=np.float32) / safe[s:e, None]
            codes = np.nan_to_num(np.clip(np.rint(unit * self.scale), -127, 127), nan=0.0).astype(np.float32)
            errors[s:e] = np.linalg.norm(unit - codes / self.scale, axis=1)
            # a chunk may straddle a shard boundary
            for k in range(self.shards):
                lo, hi = max(s, bounds[k]), min(e, bounds[k + 1])
                if lo < hi:
                    subs[k].add(np.ascontiguousarray(codes[lo - s:hi - s]))
            report(e, n, "Building the search index")
        errors[~np.isfinite(errors)] = np.inf  # rows with NaN/inf components: always re-ranked exactly
        finite = errors[np.isfinite(errors)]
        self.max_error = float(np.quantile(finite, 0.999)) if len(finite) else 0.0
        self.outliers = np.flatnonzero(errors > self.max_error)
        self.index = faiss.IndexShards(d, True, True)  # type: ignore[call-arg]  # threaded, successive ids
        for sub in subs:
            self.index.add_shard(sub)
        self._subs = subs  # IndexShards does not own them
        # float32 rounding in faiss and in the exact re-rank (|error| <= ~d*2^-24 each), with room to spare
        self.tolerance = 4.0 * (d + 8) * 2.0 ** -24 + 1e-6

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, float]:
        """Candidate rows and the highest possible true cosine of any row not among them."""
        k = min(k, self.n)
        q = np.asarray(query, dtype=np.float32)
        top = float(np.abs(q).max())
        q_scale = 127.0 / top if top > 0 else 1.0
        # faiss truncates the query to int8 too, so hand it integers and account for their rounding error
        q_int = np.rint(q * q_scale).astype(np.float32)
        q_hat = q_int / q_scale
        dist, ids = self.index.search(np.ascontiguousarray(q_int[None, :]), k)
        ids = ids[0]
        valid = ids >= 0
        if valid.sum() < k or k >= self.n:
            bound = -math.inf
        else:
            # q.x = q_hat.x_hat + (q - q_hat).x + q_hat.(x - x_hat), and |x| = 1
            bound = (float(dist[0, -1]) / (q_scale * self.scale) + float(np.linalg.norm(q - q_hat))
                     + float(np.linalg.norm(q_hat)) * self.max_error + self.tolerance)
        cand = np.union1d(ids[valid], self.outliers)
        return cand, bound


def _index(model: LoadedModel, report: Reporter = null_reporter, cancel: CancelToken | None = None,
           wait: bool = True) -> _Int8Index | None:
    """The int8 index, built on first use. With ``wait=False``, None while another thread is building it
    (``prepare`` in the background): an exact scan answers sooner than waiting seconds for the index."""
    vectors = model.wv.vectors
    if vectors.size < INDEX_MIN_ELEMENTS:
        return None
    key = "query.int8_index"
    if wait or model.cache.get(key) is not None:
        return _cached(model, key, lambda: _Int8Index(vectors, _norms(model), report, cancel))  # type: ignore[no-any-return]
    lock = _lock(model, key)
    if not lock.acquire(blocking=False):
        return None
    try:
        return _cached(model, key, lambda: _Int8Index(vectors, _norms(model), report, cancel))  # type: ignore[no-any-return]
    finally:
        lock.release()


def prepare(model: LoadedModel, report: Reporter = null_reporter, cancel: CancelToken | None = None) -> None:
    """Build everything the queries need once (norms, search index, vocabulary search) ahead of time.

    Optional: each query builds what it needs lazily. The UI calls this on a worker thread after opening a
    model so the first search is instant. Safe to call from several threads. The slow search index comes
    last: until it is ready, neighbour queries from other threads use an exact scan rather than wait for it.
    """
    report(0, 3, "Computing vector norms")
    _norms(model)
    _safe_norms(model)
    if cancel is not None:
        cancel.raise_if_cancelled()
    report(1, 3, "Indexing the vocabulary")
    _vocab_search(model)
    _tokenizer(model)
    if cancel is not None:
        cancel.raise_if_cancelled()
    _index(model, lambda done, total, stage: report(2 + done / max(total, 1), 3, stage), cancel)
    report(3, 3, "Ready")


def _top_k(model: LoadedModel, mean: np.ndarray, n: int, exclude: set[int], restrict: int | None) -> list[tuple[int, float]]:
    """Exact top-n rows by gensim's cosine (dot / norm), skipping ``exclude``. Returns (index, score)."""
    total = len(model.wv.vectors)
    end = total if restrict is None else max(0, min(int(restrict), total))
    index = _index(model, wait=False) if end == total else None
    if index is None:
        return _top_from_scores(_exact_scores(model, mean, end), n, exclude)
    vectors = model.wv.vectors
    norms = _safe_norms(model)
    excluded = np.fromiter(exclude, dtype=np.int64, count=len(exclude))
    wanted = min(n, total - len(exclude))
    k = max(256, 8 * (n + len(exclude)))
    while True:
        cand, bound = index.search(mean, k)
        scores = np.dot(vectors[cand], mean) / norms[cand]
        scores[np.isin(cand, excluded)] = -np.inf
        top = [(int(cand[i]), s) for i, s in _top_from_scores(scores, n, set()) if s != -np.inf]
        if bound == -math.inf or (len(top) >= wanted and top and bound < top[-1][1]):
            return top
        if k >= total:
            return _top_from_scores(_exact_scores(model, mean, end), n, exclude)
        k = min(total, k * 4)


def _rows(model: LoadedModel, top: Sequence[tuple[int, float]]) -> tuple[Neighbour, ...]:
    words = model.wv.index_to_key
    return tuple(_row(model, words[i], i, s) for i, s in top)


# --- neighbours ------------------------------------------------------------------------------------
def neighbours(model: LoadedModel, text: str, n: int = 10, restrict: int | None = None) -> Neighbours:
    """Nearest words by cosine similarity to a word, or to the mean of a phrase's words.

    ``text`` that is a vocabulary word is looked up as is; otherwise it is segmented with jieba and the unit
    vectors of its known words are averaged (gensim ``most_similar(positive=words)``). The query words are
    never returned. ``restrict`` limits the search to the ``restrict`` most frequent words.
    Raises WordNotInVocabulary (with suggestions) when nothing of ``text`` is known.
    """
    text = text.strip()
    if not text:
        raise QueryError("Type a word or a phrase to look up.")
    vocab = model.wv.key_to_index
    if text in vocab:
        used, unknown = [text], list[str]()
    else:
        used, unknown = segment(model, text)
        # one typed token that is mostly unknown is a word the model lacks (曹孟 -> 曹 + ?), not a phrase:
        # offer spellings instead of an answer about one stray character
        one_token = all(_is_content(ch) for ch in text)
        if not used or (one_token and sum(map(len, used)) < sum(map(len, unknown))):
            raise WordNotInVocabulary(text, suggest(model, text, 10))
        used = list(dict.fromkeys(used))
    mean = _query_vector(model, used, [1.0] * len(used))
    exclude = {int(vocab[w]) for w in used}
    top = _top_k(model, mean, n, exclude, restrict)
    return Neighbours(query=text, neighbours=_rows(model, top), used=tuple(used), unknown=tuple(unknown),
                      restrict=restrict)


def neighbours_of_vector(model: LoadedModel, vector: np.ndarray, n: int = 10, restrict: int | None = None,
                         exclude: Sequence[str] = ()) -> Neighbours:
    """Nearest words to a raw vector (gensim ``similar_by_vector``); words in ``exclude`` are skipped."""
    vec = np.asarray(vector, dtype=np.float32).reshape(-1)
    if vec.shape[0] != model.dims:
        raise QueryError(f"The vector has {vec.shape[0]} numbers but this model's vectors have {model.dims}.")
    if not np.all(np.isfinite(vec)) or not np.any(vec):
        raise QueryError("The vector is all zeros or contains invalid numbers; it points nowhere.")
    from gensim import matutils

    mean = matutils.unitvec(vec).astype(np.float32)
    vocab = model.wv.key_to_index
    excl = {int(vocab[w]) for w in exclude if w in vocab}
    top = _top_k(model, mean, n, excl, restrict)
    return Neighbours(query="<vector>", neighbours=_rows(model, top), restrict=restrict)


def batch_neighbour_indices(model: LoadedModel, indices: Sequence[int] | np.ndarray, n: int = 10,
                            restrict: int | None = None, report: Reporter = null_reporter,
                            cancel: CancelToken | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Top-n neighbours of many vocabulary rows at once: (indices (m, n) int64, scores (m, n) float32).

    One float32 matrix product per block of rows, then an exact re-rank with gensim's formula; the same
    results as calling ``neighbours`` word by word. Rows with fewer than n candidates are padded with -1/NaN.
    """
    vectors = model.wv.vectors
    total = len(vectors)
    end = total if restrict is None else max(0, min(int(restrict), total))
    qidx = np.asarray(indices, dtype=np.int64).reshape(-1)
    m = len(qidx)
    out_i = np.full((m, n), -1, dtype=np.int64)
    out_s = np.full((m, n), np.nan, dtype=np.float32)
    if m == 0 or n <= 0 or end == 0:
        return out_i, out_s
    if np.any((qidx < 0) | (qidx >= total)):
        raise QueryError("Some of the requested rows are outside the vocabulary.")
    norms = _safe_norms(model)
    words = model.wv.index_to_key
    queries = np.stack([_query_vector(model, [words[i]], [1.0]) for i in qidx]).astype(np.float32)
    keep = min(end, n + 4)  # a few spare candidates so the exact re-rank can prove the order
    tol = 4.0 * (model.dims + 8) * 2.0 ** -24 + 1e-6
    done = 0
    for qs, qe in _chunks(m, _QUERY_CHUNK):
        q = queries[qs:qe]
        mq = qe - qs
        top_s = np.full((mq, keep), -np.inf, dtype=np.float32)
        top_i = np.full((mq, keep), -1, dtype=np.int64)
        rows = np.arange(mq)
        # buffers reused across blocks: fresh 30 MB arrays per block cost more in page faults than in arithmetic
        unit_buf = np.empty((_BLOCK_ROWS, model.dims), dtype=np.float32)
        block_buf = np.empty((mq, _BLOCK_ROWS), dtype=np.float32)
        mask_buf = np.empty((mq, _BLOCK_ROWS), dtype=bool)
        for s, e in _chunks(end, _BLOCK_ROWS):
            if cancel is not None:
                cancel.raise_if_cancelled()
            # normalising the block's rows first (rows x dims) is cheaper than dividing the scores (queries x rows)
            unit = np.divide(vectors[s:e], norms[s:e, None], out=unit_buf[: e - s])
            block = np.matmul(q, unit.T, out=block_buf[:, : e - s] if e - s == _BLOCK_ROWS else None)
            inside = (qidx[qs:qe] >= s) & (qidx[qs:qe] < e)
            if inside.any():
                block[rows[inside], qidx[qs:qe][inside] - s] = -np.inf
            _merge_block(block, s, top_s, top_i, keep, first=(s == 0),
                         mask=mask_buf if e - s == _BLOCK_ROWS else None)
            done += (e - s) * mq
            report(done, end * m, "Finding neighbours")
        # exact re-rank of the spare candidates with gensim's formula (sgemv instead of sgemm rounding)
        for r in range(mq):
            cand = top_i[r][(top_i[r] >= 0) & np.isfinite(top_s[r]) & (top_i[r] != qidx[qs + r])]
            exact = np.dot(vectors[cand], q[r]) / norms[cand]
            order = np.argsort(-exact, kind="stable")[:n]
            got = len(order)
            safe = keep >= end or (got == n and float(top_s[r, -1]) + 2 * tol < float(exact[order[-1]]))
            if safe:
                out_i[qs + r, :got] = cand[order]
                out_s[qs + r, :got] = exact[order]
            else:  # near-tie at the edge of the spare candidates: ask the exact single-word search
                top = _top_k(model, q[r], n, {int(qidx[qs + r])}, restrict)
                out_i[qs + r, :len(top)] = [i for i, _ in top]
                out_s[qs + r, :len(top)] = [sc for _, sc in top]
    return out_i, out_s


def _merge_block(block: np.ndarray, offset: int, top_s: np.ndarray, top_i: np.ndarray, keep: int,
                 first: bool, mask: np.ndarray | None = None) -> None:
    """Merge a (queries x rows) score block into the running per-query top-`keep` lists, in place."""
    mq, width = block.shape
    if first:
        # every score beats the empty lists: cut each row to its own top-`keep` instead
        kk = min(keep, width)
        part = np.argpartition(-block, kk - 1, axis=1)[:, :kk] if kk < width else np.tile(np.arange(width), (mq, 1))
        r = np.repeat(np.arange(mq), kk)
        c = part.ravel()
    else:
        # later blocks: only a handful of scores per query beat its current keep-th best
        hits = np.greater(block, top_s[:, -1:], out=mask)
        flat = np.flatnonzero(hits)  # far faster than a 2-D np.nonzero
        if len(flat) == 0:
            return
        r, c = np.divmod(flat, width)
    vals = block[r, c]
    all_r = np.concatenate((np.repeat(np.arange(mq), keep), r))
    all_s = np.concatenate((top_s.ravel(), vals))
    all_i = np.concatenate((top_i.ravel(), c.astype(np.int64) + offset))
    order = np.lexsort((-all_s, all_r))
    sorted_r = all_r[order]
    starts = np.searchsorted(sorted_r, np.arange(mq))
    pos = np.arange(len(order)) - starts[sorted_r]
    take = pos < keep
    top_s[sorted_r[take], pos[take]] = all_s[order][take]
    top_i[sorted_r[take], pos[take]] = all_i[order][take]


def batch_neighbours(model: LoadedModel, words: Sequence[str], n: int = 10, restrict: int | None = None,
                     report: Reporter = null_reporter, cancel: CancelToken | None = None) -> tuple[Neighbours, ...]:
    """``neighbours`` for many vocabulary words at once (for the plot). Unknown words raise WordNotInVocabulary."""
    idx = [_index_of(model, w) for w in words]
    ids, scores = batch_neighbour_indices(model, idx, n, restrict, report, cancel)
    vocab = model.wv.index_to_key
    out = []
    for w, row_i, row_s in zip(words, ids, scores):
        rows = tuple(_row(model, vocab[i], int(i), float(s)) for i, s in zip(row_i, row_s) if i >= 0)
        out.append(Neighbours(query=w, neighbours=rows, used=(w,), restrict=restrict))
    return tuple(out)


# --- analogy, similarity, odd one out --------------------------------------------------------------
def analogy(model: LoadedModel, a: str, b: str, c: str, n: int = 10,
            method: Literal["add", "mul"] = "add", restrict: int | None = None) -> Analogy:
    """Words closest to ``a - b + c``: "b is to a as c is to ?".

    Example: analogy(m, "king", "man", "woman") -> "queen" (man is to king as woman is to queen).
    "add" is 3CosAdd = gensim ``most_similar(positive=[a, c], negative=[b])``; "mul" is 3CosMul = gensim
    ``most_similar_cosmul(positive=[a, c], negative=[b])`` (Levy & Goldberg 2014). The three input words are
    never returned. ``restrict`` limits the candidates to the most frequent words.
    """
    for w in (a, b, c):
        _index_of(model, w)
    vocab = model.wv.key_to_index
    exclude = {int(vocab[w]) for w in (a, b, c)}
    if method == "add":
        mean = _query_vector(model, [a, c, b], [1.0, 1.0, -1.0])
        top = _top_k(model, mean, n, exclude, restrict)
    elif method == "mul":
        top = _top_from_scores(_cosmul_scores(model, [a, c], [b], restrict), n, exclude)
    else:
        raise QueryError(f"Unknown analogy method {method!r}; use 'add' (3CosAdd) or 'mul' (3CosMul).")
    return Analogy(a=a, b=b, c=c, method=method, neighbours=_rows(model, top))


def _cosmul_scores(model: LoadedModel, positive: Sequence[str], negative: Sequence[str],
                   restrict: int | None) -> np.ndarray:
    # gensim most_similar_cosmul's arithmetic, term by term, so the scores match it bit for bit
    wv = model.wv
    norms = _safe_norms(model)
    end = len(wv.vectors) if restrict is None else min(int(restrict), len(wv.vectors))
    vectors = wv.vectors[:end]
    pos = [((1 + np.dot(vectors, wv.get_vector(w, norm=True)) / norms[:end]) / 2) for w in positive]
    neg = [((1 + np.dot(vectors, wv.get_vector(w, norm=True)) / norms[:end]) / 2) for w in negative]
    return np.prod(pos, axis=0) / (np.prod(neg, axis=0) + 0.000001)  # type: ignore[no-any-return]


def similarity(model: LoadedModel, word1: str, word2: str) -> Similarity:
    """Cosine similarity of two vocabulary words (gensim ``similarity``)."""
    from gensim import matutils

    v1 = model.wv.vectors[_index_of(model, word1)]
    v2 = model.wv.vectors[_index_of(model, word2)]
    return Similarity(word1, word2, float(np.dot(matutils.unitvec(v1), matutils.unitvec(v2))))


def odd_one_out(model: LoadedModel, words: Sequence[str]) -> OddOneOut:
    """The word that fits least with the others (gensim ``doesnt_match``): least similar to their mean.

    Unknown words are ignored and listed; at least three known words are needed.
    """
    from gensim import matutils

    unique = list(dict.fromkeys(w.strip() for w in words if w.strip()))
    vocab = model.wv.key_to_index
    used = [w for w in unique if w in vocab]
    unknown = [w for w in unique if w not in vocab]
    if len(used) < 3:
        if unknown and len(used) + len(unknown) >= 3:
            raise WordNotInVocabulary(unknown[0], suggest(model, unknown[0], 10))
        raise QueryError("Give at least three different words to find the odd one out.")
    _norms(model)
    vectors = np.vstack([model.wv.get_vector(w, norm=True) for w in used]).astype(np.float32)
    mean = matutils.unitvec(vectors.mean(axis=0)).astype(np.float32)
    dists = np.dot(vectors, mean)
    ranking = sorted(zip((float(x) for x in dists), used), reverse=True)
    return OddOneOut(odd=ranking[-1][1], ranking=tuple((w, s) for s, w in ranking), unknown=tuple(unknown))


# --- the output layer: related words and keywords --------------------------------------------------
def _no_output_layer(model: LoadedModel, what: str) -> NoOutputLayer:
    return NoOutputLayer(
        f"{what} needs the model's output layer, and {model.info.path.name} holds only the word vectors "
        "(the output weights syn1/syn1neg are saved only in a full model).",
        "Open the full model instead (a gensim Word2Vec .model with its .syn1.npy / .syn1neg.npy files), "
        "or use neighbours, which work with word vectors alone.",
    )


class _HuffmanPaths:
    """Every word's Huffman path flattened (CSR) so log p(word | v) for the whole vocabulary is one gather."""

    def __init__(self, model: LoadedModel) -> None:
        wv = model.wv
        n = len(wv.index_to_key)
        if "code" not in wv.expandos or "point" not in wv.expandos:
            raise _no_output_layer(model, "Finding related words")
        codes = wv.expandos["code"]
        points = wv.expandos["point"]
        lengths = np.fromiter((len(c) for c in codes[:n]), dtype=np.int64, count=n)
        if np.any(lengths == 0):
            raise QueryError("This model's hierarchical-softmax tree is incomplete (a word has no Huffman code).")
        self.offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        self.ends = self.offsets + lengths
        flat_code = np.concatenate(list(codes[:n])).astype(np.int64)
        flat_point = np.concatenate(list(points[:n])).astype(np.int64)
        # index into [log sigmoid(h) ; log sigmoid(-h)]: code 0 at a node means sigmoid(+h), code 1 sigmoid(-h)
        self.inner = len(model.syn1) if model.syn1 is not None else 0
        lookup = flat_point + flat_code * self.inner
        self.lookup = lookup.astype(np.int32) if 2 * self.inner < 2**31 else lookup

    def log_prob(self, syn1: np.ndarray, v: np.ndarray) -> np.ndarray:
        h = np.dot(syn1, v)
        # float32 halves the memory traffic of the big gather; ~18 terms per word lose nothing that matters
        table = np.concatenate((_log_sigmoid(h), _log_sigmoid(-h))).astype(np.float32)
        return np.add.reduceat(table[self.lookup], self.offsets)  # type: ignore[no-any-return]

    def log_prob_of(self, syn1: np.ndarray, v: np.ndarray, word_idx: np.ndarray) -> np.ndarray:
        """log p(word | v) for a few words only, in float64."""
        out = np.empty(len(word_idx))
        for k, w in enumerate(word_idx):
            look = self.lookup[self.offsets[w]:self.ends[w]].astype(np.int64)
            nodes = look % self.inner
            sign = np.where(look >= self.inner, -1.0, 1.0)
            out[k] = float(np.sum(_log_sigmoid(sign * np.dot(syn1[nodes], v).astype(np.float64))))
        return out


def _log_sigmoid(x: np.ndarray) -> np.ndarray:
    return -np.logaddexp(0.0, -x)  # type: ignore[no-any-return]


def _content_mask(model: LoadedModel) -> np.ndarray:
    """True for vocabulary entries with a letter or digit (not punctuation, symbols or whitespace)."""
    return _cached(model, "query.content_mask", lambda: np.fromiter(  # type: ignore[no-any-return]
        (_is_content(str(w)) for w in model.wv.index_to_key), dtype=bool, count=model.vocab_size))


def _keyword_background(model: LoadedModel) -> np.ndarray:
    """A fixed, evenly spread sample of up to 1,000 content words among the 20,000 most frequent."""
    def build() -> np.ndarray:
        top = np.flatnonzero(_content_mask(model)[:20000])
        step = max(1, len(top) // 1000)
        return top[::step][:1000].astype(np.int64)
    return _cached(model, "query.keyword_background", build)  # type: ignore[no-any-return]


def _output_method(model: LoadedModel, what: str) -> str:
    if model.syn1 is not None:
        return "hs"
    if model.syn1neg is not None:
        return "ns"
    raise _no_output_layer(model, what)


def related(model: LoadedModel, word: str, n: int = 10) -> Related:
    """Words the model predicts around ``word``: its output layer's view of likely context words.

    Hierarchical softmax: p(w | word) = product over w's Huffman path of sigmoid(+-syn1[node] . v), a true
    probability over the vocabulary. Negative sampling: sigmoid(syn1neg[w] . v). ``word`` itself and
    punctuation are left out.
    Raises NoOutputLayer when the file has only word vectors.
    """
    method = _output_method(model, "Finding the words that appear around a word")
    i = _index_of(model, word)
    v = np.asarray(model.wv.vectors[i], dtype=np.float32)
    if method == "hs":
        paths: _HuffmanPaths = _cached(model, "query.huffman", lambda: _HuffmanPaths(model))
        assert model.syn1 is not None
        scores = np.exp(paths.log_prob(model.syn1, v))
        label = "p(word nearby)"
    else:
        assert model.syn1neg is not None
        scores = 1.0 / (1.0 + np.exp(-np.dot(model.syn1neg, v).astype(np.float64)))
        label = "sigmoid score"
    # punctuation is the most likely neighbour of everything; it says nothing about the word
    scores = np.where(_content_mask(model), scores, -np.inf)
    top = [(j, s) for j, s in _top_from_scores(scores, n, {i}) if s != -np.inf]
    vocab = model.wv.index_to_key
    return Related(word=word, method=method, score_label=label,
                   words=tuple(RelatedWord(vocab[j], s, j + 1) for j, s in top))


def keywords(model: LoadedModel, sentence: str, n: int = 10) -> Keywords:
    """Rank a sentence's words by how well each predicts the others through the output layer.

    A word's score is the mean over the sentence's other words of log p(other | word) (hierarchical softmax)
    or log sigmoid(syn1neg[other] . v) (negative sampling), minus the same mean over a fixed sample of
    ordinary vocabulary words: function words such as 很 or 的 predict every word well, so without that
    baseline they would top every list. Higher means it says more about this sentence in particular.
    Punctuation is never a keyword. Raises NoOutputLayer when the file has only word vectors.
    """
    method = _output_method(model, "Finding the keywords of a sentence")
    if not sentence.strip():
        raise QueryError("Type a sentence to find its keywords.")
    used, unknown = segment(model, sentence)
    used = list(dict.fromkeys(used))
    if not used:
        raise WordNotInVocabulary(sentence.strip(), suggest(model, sentence.strip(), 10))
    vocab = model.wv.key_to_index
    idx = np.asarray([vocab[w] for w in used], dtype=np.int64)
    vecs = np.asarray(model.wv.vectors[idx], dtype=np.float32)
    m = len(used)
    logp = np.zeros((m, m))
    if m > 1:
        background = _keyword_background(model)
        if method == "hs":
            paths: _HuffmanPaths = _cached(model, "query.huffman", lambda: _HuffmanPaths(model))
            assert model.syn1 is not None
            base = np.empty(m)
            for a in range(m):
                logp[a] = paths.log_prob_of(model.syn1, vecs[a], idx)
                base[a] = paths.log_prob_of(model.syn1, vecs[a], background).mean()
        else:
            assert model.syn1neg is not None
            out = np.asarray(model.syn1neg[idx], dtype=np.float64)
            logp = _log_sigmoid(vecs.astype(np.float64) @ out.T)
            bg_out = np.asarray(model.syn1neg[background], dtype=np.float64)
            base = _log_sigmoid(vecs.astype(np.float64) @ bg_out.T).mean(axis=1)
        np.fill_diagonal(logp, 0.0)
        scores = logp.sum(axis=1) / (m - 1) - base
    else:
        scores = np.zeros(1)
    content = _content_mask(model)[idx]
    ranked = [k for k in np.argsort(-scores, kind="stable") if content[k] or not content.any()]
    order = ranked[:n]
    return Keywords(sentence=sentence, method=method,
                    keywords=tuple(Keyword(used[k], float(scores[k]), int(idx[k]) + 1) for k in order),
                    used=tuple(used), unknown=tuple(unknown))
