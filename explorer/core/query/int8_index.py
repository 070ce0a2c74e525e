"""The int8 candidate index behind neighbour search at large vocabularies (faiss), with the error bounds
that make its exact float32 re-rank provably complete: the answers are always exactly gensim's."""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from explorer.core.fsutil import cpu_count
from explorer.core.query import stored
from explorer.core.query.memo import chunks, lock_for
from explorer.core.query.scoring import norms, rounding_tolerance
from explorer.core.tasks import CancelToken, Reporter, StageKind, null_reporter

if TYPE_CHECKING:
    from explorer.core.io import LoadedModel

# Below this many matrix elements an exact scan is as fast as any index, so no index is built.
INDEX_MIN_ELEMENTS = 8_000_000
_KEY = "query.int8_index"
_STORED = "int8_index"  # its folder in the model's reopen-cache entry
_FORMAT = 1

log = logging.getLogger(__name__)


class Int8Index:
    """An int8 copy of the unit-normalised matrix in faiss, sharded over the cores, plus its error bounds.

    For a unit query q and row x (unit), the int8 score a = q.x' differs from q.x by at most |x - x'| (Cauchy-
    Schwarz). Rows whose error exceeds ``max_error`` are few and always re-ranked exactly, so every other row j
    satisfies  cos_j <= a_j + max_error  -- the bound that makes the candidate re-rank provably complete.
    """

    def __init__(self, subs: list[Any], dims: int, scale: float, max_error: float, outliers: np.ndarray) -> None:
        import faiss

        self.n = int(sum(sub.ntotal for sub in subs))
        self.dims = dims
        self.scale = scale
        self.max_error = max_error
        self.outliers = outliers
        self.shards = len(subs)
        self.index = faiss.IndexShards(dims, True, True)  # type: ignore[call-arg]  # threaded, successive ids
        for sub in subs:
            self.index.add_shard(sub)
        self._subs = subs  # IndexShards does not own them
        # float32 rounding in faiss and in the exact re-rank
        self.tolerance = rounding_tolerance(dims)

    @classmethod
    def build(cls, vectors: np.ndarray, row_norms: np.ndarray, report: Reporter = null_reporter,
              cancel: CancelToken | None = None) -> Int8Index:
        """Quantise ``vectors`` (about 3 s at 350k x 256 on two cores)."""
        import faiss

        n, d = vectors.shape
        safe = np.where(row_norms > 0, row_norms, 1.0).astype(np.float32)
        # scale from a sample's extreme quantile: rare huge components get clipped and land in `outliers`
        rng = np.random.default_rng(0)
        sample_rows = np.sort(rng.choice(n, size=min(n, 20000), replace=False))
        sample = np.abs(np.asarray(vectors[sample_rows], dtype=np.float32) / safe[sample_rows, None])
        sample = sample[np.isfinite(sample)]
        top = float(np.quantile(sample, 0.99999)) if sample.size else 1.0
        scale = 127.0 / top if top > 0 else 1.0
        # more shards than cores: a busy machine gives CPU time per thread, and stragglers matter less
        shards = max(2, min(2 * cpu_count(), 8))
        bounds = np.linspace(0, n, shards + 1).astype(np.int64)
        subs = [faiss.IndexScalarQuantizer(d, faiss.ScalarQuantizer.QT_8bit_direct_signed, faiss.METRIC_INNER_PRODUCT)
                for _ in range(shards)]
        errors = np.empty(n, dtype=np.float32)
        for s, e in chunks(n, 65536):
            if cancel is not None:
                cancel.raise_if_cancelled()
            unit = np.asarray(vectors[s:e], dtype=np.float32) / safe[s:e, None]
            codes = np.nan_to_num(np.clip(np.rint(unit * scale), -127, 127), nan=0.0).astype(np.float32)
            errors[s:e] = np.linalg.norm(unit - codes / scale, axis=1)
            # a chunk may straddle a shard boundary
            for k in range(shards):
                lo, hi = max(s, bounds[k]), min(e, bounds[k + 1])
                if lo < hi:
                    subs[k].add(np.ascontiguousarray(codes[lo - s:hi - s]))
            report(e, n, StageKind.SEARCH_INDEX)
        errors[~np.isfinite(errors)] = np.inf  # rows with NaN/inf components: always re-ranked exactly
        finite = errors[np.isfinite(errors)]
        max_error = float(np.quantile(finite, 0.999)) if len(finite) else 0.0
        return cls(subs, d, scale, max_error, np.flatnonzero(errors > max_error))

    def save(self, folder: Path) -> None:
        """Write the index into an empty ``folder``: one faiss file per shard (memory-mappable) and its bounds."""
        import faiss

        for k, sub in enumerate(self._subs):
            faiss.write_index(sub, str(folder / f"shard{k}.faiss"))
        np.save(folder / "outliers.npy", np.asarray(self.outliers, dtype=np.int64), allow_pickle=False)
        sizes = [(folder / f"shard{k}.faiss").stat().st_size for k in range(self.shards)]
        meta = {"version": _FORMAT, "rows": self.n, "dims": self.dims, "shards": self.shards, "scale": self.scale,
                "max_error": self.max_error, "bytes": sizes}
        (folder / "index.json").write_text(json.dumps(meta), "utf-8")

    @classmethod
    def load(cls, folder: Path, rows: int, dims: int) -> Int8Index | None:
        """The index ``save`` wrote, its codes memory-mapped (no copy); None when absent or not for this matrix."""
        import faiss

        try:
            meta = json.loads((folder / "index.json").read_text("utf-8"))
            if meta.get("version") != _FORMAT or meta["rows"] != rows or meta["dims"] != dims:
                return None
            files = [folder / f"shard{k}.faiss" for k in range(int(meta["shards"]))]
            # a mapped file shorter than its header says would kill the process on first touch (SIGBUS)
            if [f.stat().st_size for f in files] != meta["bytes"]:
                raise ValueError("a shard file has the wrong size")
            subs = [faiss.read_index(str(f), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY) for f in files]
            outliers = np.load(folder / "outliers.npy", allow_pickle=False)
            if sum(sub.ntotal for sub in subs) != rows or any(sub.d != dims for sub in subs):
                return None
            return cls(subs, dims, float(meta["scale"]), float(meta["max_error"]), outliers)
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as err:
            log.warning("ignoring a damaged stored search index in %s: %s", folder, err)
            return None

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


def ready_index(model: LoadedModel) -> Int8Index | None:
    """The index when it is already there (built, or loaded from the reopen cache); never builds one.

    A one-shot query scans exactly instead: about 70 ms at 350k x 256, where building costs seconds.
    """
    return model.cache.get(_KEY)  # type: ignore[no-any-return]


def search_index(model: LoadedModel, report: Reporter = null_reporter, cancel: CancelToken | None = None,
                 build: bool = True) -> Int8Index | None:
    """The int8 index: mapped from the reopen cache when it was stored there, else built and stored.

    None for a matrix small enough to scan exactly, or when ``build`` is False and no stored index exists.
    Several threads asking at once get one index.
    """
    vectors = model.wv.vectors
    if vectors.size < INDEX_MIN_ELEMENTS:
        return None
    index = model.cache.get(_KEY)
    if index is not None:
        return index  # type: ignore[no-any-return]
    with lock_for(model, _KEY):
        index = model.cache.get(_KEY)
        if index is None:
            rows, dims = vectors.shape
            folder = stored.folder(model, _STORED)
            index = Int8Index.load(folder, rows, dims) if folder is not None else None
            if index is None and build:
                index = Int8Index.build(vectors, norms(model), report, cancel)
                stored.save(model, _STORED, index.save)
            if index is not None:
                model.cache[_KEY] = index
        return index  # type: ignore[no-any-return]
