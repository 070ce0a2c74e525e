"""2-D projections of word vectors for the plot: numpy arrays or a model's words in, coordinates out.

pca: principal components with deterministic signs (source: the shared input and output helpers).
"""

from __future__ import annotations

from explorer.core.projection.pca import (
    PCAFit,
    Projection,
    fit_pca,
    pca,
    project,
    project_words,
    transform,
)

__all__ = ["PCAFit", "Projection", "fit_pca", "pca", "project", "project_words", "transform"]
