"""The int8 candidate index behind neighbour search at large vocabularies (faiss), with the error bounds
that make its exact float32 re-rank provably complete: the answers are always exactly gensim's."""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING

import numpy as np

from explorer.core.query.memo import cached, chunks, lock_for
from explorer.core.query.scoring import norms, rounding_tolerance
from explorer.core.tasks import CancelToken, Reporter, null_reporter

if TYPE_CHECKING:
    from explorer.core.io import LoadedModel

# Below this many matrix elements an exact scan is as fast as any index, so no index is built.
INDEX_MIN_ELEMENTS = 8_000_000
_KEY = "query.int8_index"


class Int8Index:
    """An int8 copy of the unit-normalised matrix in faiss, sharded over the cores, plus its error bounds.

    For a unit query q and row x (unit), the int8 score a = q.x' differs from q.x by at most |x - x'| (Cauchy-
    Schwarz). Rows whose error exceeds ``max_error`` are few and always re-ranked exactly, so every other row j
    satisfies  cos_j <= a_j + max_error  -- the bound that makes the candidate re-rank provably complete.
    """

    def __init__(self, vectors: np.ndarray, row_norms: np.ndarray, report: Reporter,
                 cancel: CancelToken | None) -> None:
        import faiss

        n, d = vectors.shape
        safe = np.where(row_norms > 0, row_norms, 1.0).astype(np.float32)
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
        for s, e in chunks(n, 65536):
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
        # float32 rounding in faiss and in the exact re-rank
        self.tolerance = rounding_tolerance(d)

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


def search_index(model: LoadedModel, report: Reporter = null_reporter, cancel: CancelToken | None = None,
                 wait: bool = True) -> Int8Index | None:
    """The int8 index, built on first use; None for a matrix small enough to scan. With ``wait=False``, None
    while another thread is building it (``prepare`` in the background): an exact scan answers sooner than
    waiting seconds for the index."""
    vectors = model.wv.vectors
    if vectors.size < INDEX_MIN_ELEMENTS:
        return None
    ready = model.cache.get(_KEY)
    if ready is not None:
        return ready  # type: ignore[no-any-return]
    lock = lock_for(model, _KEY)
    if not lock.acquire(blocking=wait):
        return None
    try:
        return cached(model, _KEY, lambda: Int8Index(vectors, norms(model), report, cancel))  # type: ignore[no-any-return]
    finally:
        lock.release()
