"""gensim 4's cosine arithmetic, shared by every search so scores match ``most_similar`` bit for bit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from explorer.core.query import stored
from explorer.core.query.memo import cached, chunks
from explorer.core.query.results import Neighbour

if TYPE_CHECKING:
    from explorer.core.io import LoadedModel

_NORMS = "norms"  # their folder in the model's reopen-cache entry


def norms(model: LoadedModel) -> np.ndarray:
    """Row norms, bit-identical to gensim's ``fill_norms`` but computed in blocks (no full-size temporary).

    Stored with the model's reopen-cache entry, so a reopen maps them instead of reading every vector.
    """

    def build() -> np.ndarray:
        wv = model.wv
        if wv.norms is not None and len(wv.norms) == len(wv.vectors):
            return np.asarray(wv.norms)
        out = _stored_norms(model)
        if out is None:
            vectors = wv.vectors
            out = np.empty(len(vectors), dtype=vectors.dtype)
            for s, e in chunks(len(vectors), 4096):  # a block stays in the CPU cache for the square and the sum
                out[s:e] = np.linalg.norm(vectors[s:e], axis=1)
            computed = out
            stored.save(model, _NORMS, lambda folder: np.save(folder / "norms.npy", computed, allow_pickle=False))
        wv.norms = out  # gensim's own get_vector(norm=True) then uses these
        return out

    return cached(model, "query.norms", build)  # type: ignore[no-any-return]


def _stored_norms(model: LoadedModel) -> np.ndarray | None:
    folder = stored.folder(model, _NORMS)
    if folder is None:
        return None
    vectors = model.wv.vectors
    try:
        out = np.load(folder / "norms.npy", mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError):
        return None
    return out if out.shape == (len(vectors),) and out.dtype == vectors.dtype else None


def safe_norms(model: LoadedModel) -> np.ndarray:
    """Norms with zero rows mapped to inf, so an all-zero vector scores 0 instead of NaN."""

    def build() -> np.ndarray:
        raw = norms(model)
        if np.all(raw > 0):
            return raw
        return np.where(raw > 0, raw, np.inf).astype(raw.dtype)

    return cached(model, "query.safe_norms", build)  # type: ignore[no-any-return]


def query_vector(model: LoadedModel, keys: Sequence[str], weights: Sequence[float]) -> np.ndarray:
    """gensim's ``most_similar`` query: unit mean of unit vectors, bit-identical to gensim 4."""
    norms(model)
    return np.asarray(model.wv.get_mean_vector(
        list(keys), np.asarray(weights, dtype=np.float64), pre_normalize=True, post_normalize=True,
        ignore_missing=False,
    ))


def exact_scores(model: LoadedModel, mean: np.ndarray, end: int) -> np.ndarray:
    """Cosine of ``mean`` (a unit vector) with the first ``end`` rows: gensim's ``dot / norms``."""
    return np.dot(model.wv.vectors[:end], mean) / safe_norms(model)[:end]  # type: ignore[no-any-return]


def top_from_scores(scores: np.ndarray, n: int, exclude: set[int]) -> list[tuple[int, float]]:
    """The ``n`` best (row, score) pairs, best first, skipping rows in ``exclude``; ties keep row order."""
    if n <= 0 or len(scores) == 0:
        return []
    want = min(len(scores), n + len(exclude))
    if want >= len(scores):
        best = np.argsort(-scores, kind="stable")
    else:
        part = np.argpartition(-scores, want - 1)[:want]
        best = part[np.argsort(-scores[part], kind="stable")]
    out = [(int(i), float(scores[i])) for i in best if int(i) not in exclude]
    return out[:n]


def rounding_tolerance(dims: int) -> float:
    """Bound on float32 rounding in a dims-long dot product (|error| <= ~dims * 2^-24), with room to spare.

    Two scores of the same pair computed by different kernels (sgemm in a batch, sgemv in gensim, int8 in
    faiss) can differ by this much; a candidate list is only trusted when its margin exceeds it.
    """
    return 4.0 * (dims + 8) * 2.0 ** -24 + 1e-6


def rows(model: LoadedModel, top: Sequence[tuple[int, float]]) -> tuple[Neighbour, ...]:
    """Result rows for (row, score) pairs; the rank is the 1-based frequency rank."""
    words = model.wv.index_to_key
    return tuple(Neighbour(word=words[i], score=float(s), rank=int(i) + 1) for i, s in top)
