"""Nearest words: to a word, to a phrase's mean, to a raw vector; exactly gensim's ``most_similar`` answers.

A matrix small enough is scanned exactly; a large one goes through the int8 candidate index when it is
ready, with an exact re-rank. ``prepare`` builds everything ahead of time on a worker thread.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from explorer.core.errors import QueryError, WordNotInVocabulary
from explorer.core.query.int8_index import ready_index, search_index
from explorer.core.query.results import Neighbours
from explorer.core.query.scoring import (
    exact_scores,
    norms,
    query_vector,
    rows,
    safe_norms,
    top_from_scores,
)
from explorer.core.query.spelling import MAX_WORD_LEN
from explorer.core.query.vocab import (
    is_content,
    segment,
    suggest,
    tokenizer,
    vocab_search,
)
from explorer.core.tasks import CancelToken, Reporter, StageKind, null_reporter

if TYPE_CHECKING:
    from explorer.core.io import LoadedModel


def top_k(model: LoadedModel, mean: np.ndarray, n: int, exclude: set[int],
          restrict: int | None) -> list[tuple[int, float]]:
    """Exact top-n rows by gensim's cosine (dot / norm), skipping ``exclude``. Returns (index, score)."""
    total = len(model.wv.vectors)
    end = total if restrict is None else max(0, min(int(restrict), total))
    index = ready_index(model) if end == total else None
    if index is None:
        return top_from_scores(exact_scores(model, mean, end), n, exclude)
    vectors = model.wv.vectors
    divisors = safe_norms(model)
    excluded = np.fromiter(exclude, dtype=np.int64, count=len(exclude))
    wanted = min(n, total - len(exclude))
    k = max(256, 8 * (n + len(exclude)))
    while True:
        cand, bound = index.search(mean, k)
        scores = np.dot(vectors[cand], mean) / divisors[cand]
        scores[np.isin(cand, excluded)] = -np.inf
        top = [(int(cand[i]), s) for i, s in top_from_scores(scores, n, set()) if s != -np.inf]
        if bound == -math.inf or (len(top) >= wanted and top and bound < top[-1][1]):
            return top
        if k >= total:
            return top_from_scores(exact_scores(model, mean, end), n, exclude)
        k = min(total, k * 4)


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
    suggestions: tuple[str, ...] = ()
    if text in vocab:
        used, unknown = [text], list[str]()
    else:
        used, unknown = segment(model, text)
        # one typed token that is mostly unknown is a word the model lacks (曹孟 -> 曹 + ?), not a phrase:
        # offer spellings instead of an answer about one stray character
        one_token = all(is_content(ch) for ch in text)
        if not used or (one_token and sum(map(len, used)) < sum(map(len, unknown))):
            raise WordNotInVocabulary(text, suggest(model, text, 10))
        used = list(dict.fromkeys(used))
        # a typo (微博 for 微信) is answered from its pieces all the same; say what it may have meant
        suggestions = suggest(model, text, 10) if one_token and len(text) <= MAX_WORD_LEN else ()
    mean = query_vector(model, used, [1.0] * len(used))
    exclude = {int(vocab[w]) for w in used}
    top = top_k(model, mean, n, exclude, restrict)
    return Neighbours(query=text, neighbours=rows(model, top), used=tuple(used), unknown=tuple(unknown),
                      restrict=restrict, suggestions=suggestions)


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
    top = top_k(model, mean, n, excl, restrict)
    return Neighbours(query="<vector>", neighbours=rows(model, top), restrict=restrict)


def prepare(model: LoadedModel, report: Reporter = null_reporter, cancel: CancelToken | None = None) -> None:
    """Build everything the queries need once (norms, search index, vocabulary search) ahead of time.

    Optional: each query builds what it needs lazily, except the search index, which only this builds (a
    one-shot query scans exactly instead). The UI calls this on a worker thread after opening a model so
    that later searches are instant; the norms and the index are stored with the reopen cache, so after a
    reopen they are mapped at once. Safe to call from several threads.
    """
    report(0, 3, StageKind.NORMS)
    norms(model)
    safe_norms(model)
    search_index(model, build=False)  # a stored index answers from the first query on
    if cancel is not None:
        cancel.raise_if_cancelled()
    report(1, 3, StageKind.INDEXING_VOCABULARY)
    vocab_search(model)
    tokenizer(model)
    if cancel is not None:
        cancel.raise_if_cancelled()
    search_index(model, lambda done, total, stage: report(2 + done / max(total, 1), 3, stage), cancel)
    report(3, 3, StageKind.READY)
