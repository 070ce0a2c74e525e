"""Neighbour drift: how far continued training moved the nearest neighbours of the words a model knew."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from gensim.models import KeyedVectors, Word2Vec

from explorer.core.io.model import LoadedModel
from explorer.core.tasks import CancelToken


@dataclass(frozen=True)
class WordDrift:
    word: str
    overlap: float  # share of the old top-n that is still in the new top-n
    old_top: tuple[str, ...]
    new_top: tuple[str, ...]


@dataclass(frozen=True)
class DriftReport:
    words_checked: int
    n: int
    mean_overlap_at_10: float  # mean overlap at n (n is 10 unless asked otherwise)
    per_word: tuple[WordDrift, ...]  # in the old model's frequency order
    most_moved: tuple[WordDrift, ...]  # lowest overlap first
    new_words: int  # words the new model has that the old one did not
    max_vector_change: float  # largest absolute change of an old word's vector component


def _as_kv(model: LoadedModel | KeyedVectors | Word2Vec) -> KeyedVectors:
    return model if isinstance(model, KeyedVectors) else model.wv


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    m = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return m / norms


def _top_n(queries: np.ndarray, base: np.ndarray, query_rows: np.ndarray, n: int) -> np.ndarray:
    """Row indices of each query's n nearest rows of ``base`` (excluding the query itself), best first."""
    sims = queries @ base.T
    sims[np.arange(len(query_rows)), query_rows] = -np.inf
    k = min(n, base.shape[0] - 1)
    part = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(sims, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


def neighbour_drift(before: LoadedModel | KeyedVectors | Word2Vec, after: LoadedModel | KeyedVectors | Word2Vec,
                    top_words: int = 1000, n: int = 10, among_old_only: bool = True,
                    most_moved: int = 20, cancel: CancelToken | None = None) -> DriftReport:
    """How many of the top-n neighbours of the most frequent old words stayed after (continued) training.

    With ``among_old_only`` the new model's neighbours are searched among the old vocabulary only, so
    that new words entering a list do not count as drift.
    """
    old_kv, new_kv = _as_kv(before), _as_kv(after)
    old_words = list(old_kv.index_to_key)
    common = [w for w in old_words if w in new_kv.key_to_index]
    new_words = sum(1 for w in new_kv.index_to_key if w not in old_kv.key_to_index)
    if len(common) < 2:
        return DriftReport(0, n, 1.0, (), (), new_words, 0.0)
    old_raw = old_kv.vectors[[old_kv.key_to_index[w] for w in common]]
    new_raw = new_kv.vectors[[new_kv.key_to_index[w] for w in common]]
    max_change = float(np.max(np.abs(new_raw - old_raw)))
    old_mat = _unit_rows(old_raw)
    if among_old_only:
        new_mat, new_vocab = _unit_rows(new_raw), common
    else:
        new_mat, new_vocab = _unit_rows(new_kv.vectors), list(new_kv.index_to_key)
    checked = list(range(min(top_words, len(common))))
    per_word: list[WordDrift] = []
    for start in range(0, len(checked), 256):
        if cancel is not None:
            cancel.raise_if_cancelled()
        rows = np.array(checked[start:start + 256])
        old_top = _top_n(old_mat[rows], old_mat, rows, n)
        if among_old_only:
            new_rows = rows
        else:
            new_rows = np.array([new_kv.key_to_index[common[r]] for r in rows])
        new_top = _top_n(new_mat[new_rows], new_mat, new_rows, n)
        for i, r in enumerate(rows):
            o = tuple(common[j] for j in old_top[i])
            nw = tuple(new_vocab[j] for j in new_top[i])
            per_word.append(WordDrift(common[r], len(set(o) & set(nw)) / max(len(o), 1), o, nw))
    mean = float(np.mean([d.overlap for d in per_word])) if per_word else 1.0
    moved = tuple(sorted(per_word, key=lambda d: d.overlap)[:most_moved])
    return DriftReport(len(per_word), n, mean, tuple(per_word), moved, new_words, max_change)
