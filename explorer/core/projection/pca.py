"""2-D PCA of word vectors for the plot, with deterministic signs, fitted on a chosen set of words.

Results are frozen dataclasses holding read-only numpy arrays, safe to hand from a worker thread to the UI.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from explorer.core.errors import QueryError
from explorer.core.projection.source import frozen, unknown_word, vectors_of
from explorer.core.tasks import CancelToken, Reporter, Stage, StageKind, check, null_reporter

if TYPE_CHECKING:
    from explorer.core.io import LoadedModel

# Rows per block when fitting and placing: the cancel token is checked and progress reported between blocks,
# so a 50,000-word background stops within one block (a few ms) of a cancel.
BLOCK_ROWS = 4096


@dataclass(frozen=True, eq=False)
class PCAFit:
    """A fitted 2-D PCA: ``coords = (x - mean) @ components.T``."""

    mean: np.ndarray  # (dims,)
    components: np.ndarray  # (2, dims), unit rows; each row's largest-|loading| entry is positive
    explained_variance_ratio: np.ndarray  # (2,): share of the fitted set's total variance on each axis
    normalized: bool  # vectors were scaled to unit length before fitting (cosine geometry)

    def transform(self, vectors: np.ndarray, report: Reporter = null_reporter,
                  cancel: CancelToken | None = None) -> np.ndarray:
        n = len(vectors)
        out = np.empty((n, 2), dtype=np.float32)
        stage = Stage(StageKind.PROJECTING, n)
        for start in range(0, n, BLOCK_ROWS):
            check(cancel)
            x = _prepare(np.asarray(vectors[start:start + BLOCK_ROWS], dtype=np.float64), self.normalized)
            out[start:start + BLOCK_ROWS] = (x - self.mean) @ self.components.T
            report(min(start + BLOCK_ROWS, n), n, stage)
        check(cancel)
        return frozen(out)


@dataclass(frozen=True, eq=False)
class Projection:
    words: tuple[str, ...]  # one per row of coords
    coords: np.ndarray  # (len(words), 2) float32
    explained_variance_ratio: np.ndarray  # (2,)
    fit: PCAFit
    unknown: tuple[str, ...] = ()  # requested words that are not in the vocabulary (left out)


def _prepare(x: np.ndarray, normalize: bool) -> np.ndarray:
    if x.ndim != 2:
        raise QueryError("Expected a matrix of vectors, one per row.")
    if normalize:
        norms = np.linalg.norm(x, axis=1, keepdims=True)
        x = x / np.where(norms > 0, norms, 1.0)
    return x


def fit_pca(source: LoadedModel | np.ndarray, words: Sequence[str] | None = None,
            normalize: bool = True, report: Reporter = null_reporter, cancel: CancelToken | None = None) -> PCAFit:
    """Fit a 2-D PCA to rows of a matrix, or to the vectors of ``words`` of a model (at least two).

    Signs are fixed so the same data always gives the same picture: in each component the entry with the
    largest absolute loading is made positive. Uses the dims x dims covariance, so fitting on tens of
    thousands of words stays cheap.
    """
    vectors = vectors_of(source, words)
    if vectors.ndim != 2:
        raise QueryError("Expected a matrix of vectors, one per row.")
    n, dims = vectors.shape
    if n < 2:
        raise QueryError("A 2-D projection needs at least two words.")
    # Two passes over blocks (mean, then the centred scatter matrix), checking the cancel token between
    # blocks; the dims x dims eigen-decomposition after them is instant.
    stage = Stage(StageKind.PROJECTING, n)
    sums = np.zeros(dims)
    for start in range(0, n, BLOCK_ROWS):
        check(cancel)
        sums += _prepare(np.asarray(vectors[start:start + BLOCK_ROWS], dtype=np.float64), normalize).sum(axis=0)
        report(min(start + BLOCK_ROWS, n) / 2, n, stage)
    mean = sums / n
    cov = np.zeros((dims, dims))
    for start in range(0, n, BLOCK_ROWS):
        check(cancel)
        centred = _prepare(np.asarray(vectors[start:start + BLOCK_ROWS], dtype=np.float64), normalize) - mean
        cov += centred.T @ centred
        report((n + min(start + BLOCK_ROWS, n)) / 2, n, stage)
    check(cancel)
    cov /= max(1, n - 1)
    values, vecs = np.linalg.eigh(cov)
    order = np.argsort(values)[::-1]
    values = np.clip(values[order], 0.0, None)
    vecs = vecs[:, order]
    comps = np.zeros((2, dims))
    k = min(2, vecs.shape[1])
    comps[:k] = vecs[:, :k].T
    for row in comps:
        if row.any() and row[np.argmax(np.abs(row))] < 0:
            row *= -1.0
    total = float(values.sum())
    ratio = np.zeros(2)
    if total > 0:
        ratio[:k] = values[:k] / total
    return PCAFit(mean=frozen(mean), components=frozen(comps), explained_variance_ratio=frozen(ratio),
                  normalized=normalize)


def transform(fit: PCAFit, source: LoadedModel | np.ndarray, words: Sequence[str] | None = None,
              report: Reporter = null_reporter, cancel: CancelToken | None = None) -> np.ndarray:
    """Coordinates (n, 2) of matrix rows, or of ``words`` of a model, on a fitted PCA."""
    vectors = vectors_of(source, words)
    if len(vectors) == 0:
        return frozen(np.zeros((0, 2), dtype=np.float32))
    return fit.transform(vectors, report, cancel)


def pca(vectors: np.ndarray, n_components: int = 2, normalize: bool = True) -> np.ndarray:
    """2-D PCA coordinates of the rows of ``vectors`` (only 2 components are supported)."""
    if n_components != 2:
        raise QueryError("Only 2-D projections are supported.")
    coords, _fit = project(vectors, normalize=normalize)
    return coords


def project(vectors: np.ndarray, fit_on: np.ndarray | None = None, normalize: bool = True) -> tuple[np.ndarray, PCAFit]:
    """PCA coordinates of ``vectors``; fitted on ``fit_on`` when given, else on ``vectors`` themselves."""
    fit = fit_pca(vectors if fit_on is None else fit_on, normalize=normalize)
    return fit.transform(vectors), fit


def project_words(model: LoadedModel, words: Sequence[str], fit_top: int | None = None,
                  normalize: bool = True, skip_unknown: bool = True, report: Reporter = null_reporter,
                  cancel: CancelToken | None = None) -> Projection:
    """2-D PCA of some vocabulary words.

    With ``fit_top=K`` the axes are fitted on the K most frequent words and the requested words are placed on
    them, so a word keeps its position whatever else is being shown. Unknown words are left out and listed
    (or raise WordNotInVocabulary with ``skip_unknown=False``).
    """
    vocab = model.wv.key_to_index
    known: list[str] = []
    unknown: list[str] = []
    for w in dict.fromkeys(words):
        (known if w in vocab else unknown).append(w)
    if unknown and not skip_unknown:
        raise unknown_word(model, unknown[0])
    idx = np.fromiter((vocab[w] for w in known), dtype=np.int64, count=len(known))
    vectors = np.asarray(model.wv.vectors[idx], dtype=np.float32)
    if fit_top:
        top = min(int(fit_top), model.vocab_size)
        fit = fit_pca(model.wv.vectors[:top], normalize=normalize, report=report, cancel=cancel)
    else:
        fit = fit_pca(vectors, normalize=normalize, report=report, cancel=cancel)
    coords = fit.transform(vectors, cancel=cancel) if len(known) else frozen(np.zeros((0, 2), dtype=np.float32))
    return Projection(words=tuple(known), coords=coords, explained_variance_ratio=fit.explained_variance_ratio,
                      fit=fit, unknown=tuple(unknown))
