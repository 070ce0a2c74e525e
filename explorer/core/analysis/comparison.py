"""What changed between two models: shared vocabulary, alignment, and the words that moved most.

Models trained separately live in unrelated coordinates, so B is first rotated onto A by orthogonal
Procrustes on the frequent shared words (scipy's ``orthogonal_procrustes``). Two measures per shared word:
the cosine distance of the word to itself after alignment (every shared word), and the overlap of its
top-k neighbour lists in A and B (Jaccard; among the ``overlap_words`` most frequent shared words, where
neighbour lists are not dominated by noise). Lists of most- and least-changed words show both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from explorer.core.analysis.blas import one_thread_when_busy
from explorer.core.errors import QueryError
from explorer.core.io.model import LoadedModel
from explorer.core.tasks import CancelToken, Reporter, StageKind, null_reporter

__all__ = ["WordChange", "Comparison", "NeighbourRow", "SideBySide", "compare", "align", "side_by_side"]


@dataclass(frozen=True)
class WordChange:
    word: str
    distance: float | None  # cosine distance between the word in A and in aligned B (0 same .. 2 opposite)
    overlap: float | None  # Jaccard overlap of its top-k neighbours in A and in B (1 same .. 0 none shared)
    rank_a: int  # frequency rank in A (1 = most frequent)
    rank_b: int


@dataclass(frozen=True)
class Comparison:
    shared: int
    only_a: int
    only_b: int
    anchors: int  # shared words the alignment was fitted on
    residual: float | None  # root-mean-square distance |a - bR| of the unit anchor vectors (0..2); None: no alignment
    k: int
    words: tuple[str, ...]  # the shared words, in A's frequency order
    ranks_a: np.ndarray = field(repr=False)  # 0-based rows in A and B
    ranks_b: np.ndarray = field(repr=False)
    distance: np.ndarray | None = field(repr=False)  # per shared word; None when the dimensions differ
    overlap: np.ndarray = field(repr=False)  # per shared word; NaN beyond the overlap_words most frequent
    counts: np.ndarray | None = field(default=None, repr=False)  # min(count in A, count in B) when both have counts

    def _row(self, i: int) -> WordChange:
        d = None if self.distance is None else float(self.distance[i])
        o = float(self.overlap[i])
        return WordChange(self.words[i], d, None if np.isnan(o) else o, int(self.ranks_a[i]) + 1,
                          int(self.ranks_b[i]) + 1)

    def _eligible(self, min_count: int | None, max_rank: int | None) -> np.ndarray:
        keep = np.ones(len(self.words), dtype=bool)
        if min_count is not None and self.counts is not None:
            keep &= self.counts >= min_count
        if max_rank is not None:
            keep &= np.maximum(self.ranks_a, self.ranks_b) < max_rank
        return keep

    def most_changed(self, n: int = 20, by: Literal["distance", "overlap"] = "distance",
                     min_count: int | None = None, max_rank: int | None = None, least: bool = False) -> list[WordChange]:
        """The ``n`` words that moved most (or least), by aligned distance or by neighbour overlap.

        ``min_count`` (when both models know word counts) and ``max_rank`` (frequency rank in both) keep rare,
        noisy words out of the list. Ties go to the more frequent word.
        """
        keep = self._eligible(min_count, max_rank)
        if by == "distance":
            if self.distance is None:
                raise QueryError("The two models have vectors of different sizes, so they cannot be aligned; "
                                 "rank by neighbour overlap instead.")
            score = -self.distance if not least else self.distance.copy()
        else:
            score = self.overlap.copy() if not least else -self.overlap
            keep &= ~np.isnan(self.overlap)
        idx = np.flatnonzero(keep)
        order = idx[np.lexsort((idx, score[idx]))][:n]
        return [self._row(int(i)) for i in order]

    def overlap_histogram(self) -> list[tuple[float, int]]:
        """(Jaccard value, number of words) for every possible overlap of two top-k lists, 0 shared .. k shared."""
        values = self.overlap[~np.isnan(self.overlap)]
        out = []
        for shared in range(self.k + 1):
            jac = shared / (2 * self.k - shared)
            out.append((jac, int(np.sum(np.isclose(values, jac)))))
        return out

    def change(self, word: str) -> WordChange:
        try:
            return self._row(self.words.index(word))
        except ValueError:
            raise QueryError(f"“{word}” is not in both models.") from None


def align(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, float]:
    """Rotation R minimising |a - b R| over the rows (unit-normalised first), and the RMS residual."""
    from scipy.linalg import orthogonal_procrustes

    ua = _unit(a)
    ub = _unit(b)
    rotation, _ = orthogonal_procrustes(ub, ua)
    residual = float(np.sqrt(np.mean(np.sum((ua - ub @ rotation) ** 2, axis=1)))) if len(ua) else 0.0
    return rotation.astype(np.float32), residual


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)  # type: ignore[no-any-return]


def compare(a: LoadedModel, b: LoadedModel, k: int = 10, anchors: int = 10_000, overlap_words: int = 20_000,
            report: Reporter = null_reporter, cancel: CancelToken | None = None) -> Comparison:
    """Compare two models word by word (see the module docstring). ``anchors``: how many of the most
    frequent shared words fit the alignment; ``overlap_words``: how many get neighbour lists."""
    if k < 1:
        raise QueryError("k (the neighbours compared per word) must be at least 1.")
    index_b = b.wv.key_to_index
    words_a = a.wv.index_to_key
    rows_a, rows_b, words = [], [], []
    for i, w in enumerate(words_a):
        j = index_b.get(w)
        if j is not None:
            rows_a.append(i)
            rows_b.append(int(j))
            words.append(w)
    shared = len(words)
    if shared < 2:
        raise QueryError("The two models share fewer than two words; there is nothing to compare.",
                         "Check that both are models of the same language and segmentation.")
    ra = np.asarray(rows_a, dtype=np.int64)
    rb = np.asarray(rows_b, dtype=np.int64)
    report(0, 3, StageKind.ALIGNING)
    distance = None
    residual = None
    n_anchor = min(anchors, shared)
    if a.dims == b.dims:
        rotation, residual = align(a.wv.vectors[ra[:n_anchor]], b.wv.vectors[rb[:n_anchor]])
        distance = np.empty(shared, dtype=np.float32)
        for s in range(0, shared, 65536):  # blocks: no full-size float64 copies of either matrix
            ua = _unit(a.wv.vectors[ra[s:s + 65536]])
            ub = _unit(b.wv.vectors[rb[s:s + 65536]]) @ rotation
            distance[s:s + 65536] = np.clip(1.0 - np.sum(ua * ub, axis=1), 0.0, 2.0)
    if cancel is not None:
        cancel.raise_if_cancelled()
    overlap = np.full(shared, np.nan, dtype=np.float32)
    m = min(overlap_words, shared)
    if m > k:
        stage = StageKind.FINDING_NEIGHBOURS
        with one_thread_when_busy():
            na = _neighbours_within(a, ra[:m], k, lambda d, t, s: report(1 + d / max(t, 1) / 2, 3, stage), cancel)
            nb = _neighbours_within(b, rb[:m], k, lambda d, t, s: report(1.5 + d / max(t, 1) / 2, 3, stage), cancel)
        overlap[:m] = _jaccard(na, nb, k)
    counts = None
    extra_a, extra_b = getattr(a.wv, "expandos", {}), getattr(b.wv, "expandos", {})
    if "count" in extra_a and "count" in extra_b:
        ca = np.asarray(extra_a["count"])[ra]
        cb = np.asarray(extra_b["count"])[rb]
        counts = np.minimum(ca, cb)
        if not counts.any():
            counts = None  # formats without counts store zeros
    report(3, 3, StageKind.READY)
    return Comparison(shared=shared, only_a=len(words_a) - shared, only_b=len(b.wv.index_to_key) - shared,
                      anchors=n_anchor if distance is not None else 0, residual=residual, k=k, words=tuple(words),
                      ranks_a=ra, ranks_b=rb, distance=distance, overlap=overlap, counts=counts)


def _neighbours_within(model: LoadedModel, rows: np.ndarray, k: int, report: Reporter,
                       cancel: CancelToken | None) -> np.ndarray:
    """Top-k neighbours of each of ``rows`` among ``rows`` only, as positions into ``rows``."""
    from gensim.models import KeyedVectors

    from explorer.core import query

    sub = KeyedVectors(model.dims, dtype=np.float32)
    sub.add_vectors([str(i) for i in range(len(rows))], np.asarray(model.wv.vectors[rows], dtype=np.float32))
    ids, _ = query.batch_neighbour_indices(LoadedModel.from_gensim(sub), np.arange(len(rows)), k,
                                           report=report, cancel=cancel)
    return ids


def _jaccard(na: np.ndarray, nb: np.ndarray, k: int) -> np.ndarray:
    both = np.concatenate((na, nb), axis=1)
    both.sort(axis=1)
    shared = np.sum((both[:, 1:] == both[:, :-1]) & (both[:, 1:] >= 0), axis=1)
    return shared / (2 * k - shared)  # type: ignore[no-any-return]


# --- one word, side by side -----------------------------------------------------------------------------
@dataclass(frozen=True)
class NeighbourRow:
    word: str
    score: float
    other_rank: int | None  # its rank (1-based) in the other model's list; None: not in that list


@dataclass(frozen=True)
class SideBySide:
    word: str
    a: tuple[NeighbourRow, ...]
    b: tuple[NeighbourRow, ...]


def side_by_side(a: LoadedModel, b: LoadedModel, word: str, n: int = 10) -> SideBySide:
    """``word``'s nearest words in A and in B, each marked with its rank in the other list."""
    from explorer.core import query
    from explorer.core.errors import WordNotInVocabulary

    for model in (a, b):
        if word not in model.wv.key_to_index:
            raise WordNotInVocabulary(word, query.suggest(model, word, 10))
    list_a = query.neighbours(a, word, n).neighbours
    list_b = query.neighbours(b, word, n).neighbours
    pos_a = {r.word: i + 1 for i, r in enumerate(list_a)}
    pos_b = {r.word: i + 1 for i, r in enumerate(list_b)}
    return SideBySide(word=word, a=tuple(NeighbourRow(r.word, r.score, pos_b.get(r.word)) for r in list_a),
                      b=tuple(NeighbourRow(r.word, r.score, pos_a.get(r.word)) for r in list_b))
