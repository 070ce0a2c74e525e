"""Neighbours of many vocabulary words at once (the plot's labels, benchmark sets): blocked float32 matrix
products over the matrix, then an exact re-rank with gensim's formula, so each answer equals ``neighbours``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from explorer.core.errors import QueryError
from explorer.core.query.memo import chunks
from explorer.core.query.results import Neighbours
from explorer.core.query.scoring import (
    query_vector,
    rounding_tolerance,
    rows,
    safe_norms,
)
from explorer.core.query.search import top_k
from explorer.core.query.vocab import index_of
from explorer.core.tasks import CancelToken, Reporter, StageKind, null_reporter

if TYPE_CHECKING:
    from explorer.core.io import LoadedModel

_BLOCK_ROWS = 8192  # rows of the matrix per block: keeps the score block a cache-friendly size
_QUERY_CHUNK = 1024


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
    divisors = safe_norms(model)
    words = model.wv.index_to_key
    queries = np.stack([query_vector(model, [words[i]], [1.0]) for i in qidx]).astype(np.float32)
    keep = min(end, n + 4)  # a few spare candidates so the exact re-rank can prove the order
    tol = rounding_tolerance(model.dims)
    done = 0
    for qs, qe in chunks(m, _QUERY_CHUNK):
        q = queries[qs:qe]
        mq = qe - qs
        top_s = np.full((mq, keep), -np.inf, dtype=np.float32)
        top_i = np.full((mq, keep), -1, dtype=np.int64)
        rows = np.arange(mq)
        # buffers reused across blocks: fresh 30 MB arrays per block cost more in page faults than in arithmetic
        unit_buf = np.empty((_BLOCK_ROWS, model.dims), dtype=np.float32)
        block_buf = np.empty((mq, _BLOCK_ROWS), dtype=np.float32)
        mask_buf = np.empty((mq, _BLOCK_ROWS), dtype=bool)
        for s, e in chunks(end, _BLOCK_ROWS):
            if cancel is not None:
                cancel.raise_if_cancelled()
            # normalising the block's rows first (rows x dims) is cheaper than dividing the scores (queries x rows)
            unit = np.divide(vectors[s:e], divisors[s:e, None], out=unit_buf[: e - s])
            block = np.matmul(q, unit.T, out=block_buf[:, : e - s] if e - s == _BLOCK_ROWS else None)
            inside = (qidx[qs:qe] >= s) & (qidx[qs:qe] < e)
            if inside.any():
                block[rows[inside], qidx[qs:qe][inside] - s] = -np.inf
            merge_block(block, s, top_s, top_i, keep, first=(s == 0),
                         mask=mask_buf if e - s == _BLOCK_ROWS else None)
            done += (e - s) * mq
            report(done, end * m, StageKind.FINDING_NEIGHBOURS)
        # exact re-rank of the spare candidates with gensim's formula (sgemv instead of sgemm rounding)
        for r in range(mq):
            cand = top_i[r][(top_i[r] >= 0) & np.isfinite(top_s[r]) & (top_i[r] != qidx[qs + r])]
            exact = np.dot(vectors[cand], q[r]) / divisors[cand]
            order = np.argsort(-exact, kind="stable")[:n]
            got = len(order)
            safe = keep >= end or (got == n and float(top_s[r, -1]) + 2 * tol < float(exact[order[-1]]))
            if safe:
                out_i[qs + r, :got] = cand[order]
                out_s[qs + r, :got] = exact[order]
            else:  # near-tie at the edge of the spare candidates: ask the exact single-word search
                top = top_k(model, q[r], n, {int(qidx[qs + r])}, restrict)
                out_i[qs + r, :len(top)] = [i for i, _ in top]
                out_s[qs + r, :len(top)] = [sc for _, sc in top]
    return out_i, out_s


def merge_block(block: np.ndarray, offset: int, top_s: np.ndarray, top_i: np.ndarray, keep: int,
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
    idx = [index_of(model, w) for w in words]
    ids, scores = batch_neighbour_indices(model, idx, n, restrict, report, cancel)
    out = []
    for w, row_i, row_s in zip(words, ids, scores):
        top = [(int(i), float(s)) for i, s in zip(row_i, row_s) if i >= 0]
        out.append(Neighbours(query=w, neighbours=rows(model, top), used=(w,), restrict=restrict))
    return tuple(out)
