"""2-D PCA for the plot: same numbers as an SVD, deterministic signs, fitted on one set and applied to another."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.core import projection
from explorer.core.errors import QueryError, WordNotInVocabulary
from explorer.core.io import LoadedModel
from tests.core.test_query_models import ns_model  # noqa: F401  (fixture)


def _svd_pca(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = x / np.linalg.norm(x, axis=1, keepdims=True)
    c = x - x.mean(axis=0)
    _u, s, vt = np.linalg.svd(c, full_matrices=False)
    return c @ vt[:2].T, (s[:2] ** 2) / (s ** 2).sum()


def test_matches_svd_up_to_sign_and_signs_are_fixed() -> None:
    rng = np.random.default_rng(0)
    x = (rng.standard_normal((300, 20)) * np.linspace(3, 0.5, 20)).astype(np.float32)
    coords, fit = projection.project(x)
    ref, ratio = _svd_pca(x.astype(np.float64))
    for k in range(2):
        sign = np.sign(coords[:, k] @ ref[:, k])
        np.testing.assert_allclose(coords[:, k], sign * ref[:, k], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(fit.explained_variance_ratio, ratio, rtol=1e-6)
    for row in fit.components:
        assert row[np.argmax(np.abs(row))] > 0
    # the same data, shuffled, or scaled, gives the same axes
    coords2, fit2 = projection.project(x[::-1] * 3.0)
    np.testing.assert_allclose(fit2.components, fit.components, atol=1e-6)
    np.testing.assert_allclose(coords2[::-1], coords, atol=1e-5)
    assert coords.dtype == np.float32 and not coords.flags.writeable


def test_fit_on_frequent_words_and_place_others(ns_model: LoadedModel) -> None:
    got = projection.project_words(ns_model, ["曹操", "刘备", "关公", "咕噜噜", "曹操"], fit_top=1000)
    assert got.words == ("曹操", "刘备", "关公") and got.unknown == ("咕噜噜",)
    assert got.coords.shape == (3, 2)
    fit = projection.fit_pca(ns_model, ns_model.wv.index_to_key[:1000])
    np.testing.assert_allclose(got.coords, projection.transform(fit, ns_model, ["曹操", "刘备", "关公"]))
    # a word keeps its place whatever else is shown
    alone = projection.project_words(ns_model, ["刘备"], fit_top=1000)
    np.testing.assert_allclose(alone.coords[0], got.coords[1])
    assert 0 < got.explained_variance_ratio[1] <= got.explained_variance_ratio[0] < 1
    with pytest.raises(WordNotInVocabulary):
        projection.project_words(ns_model, ["咕噜噜", "曹操"], skip_unknown=False)


def test_small_inputs() -> None:
    with pytest.raises(QueryError):
        projection.fit_pca(np.ones((1, 4)))
    coords = projection.pca(np.array([[1.0, 0.0], [0.0, 1.0]]))
    assert coords.shape == (2, 2) and np.all(np.isfinite(coords))
    same = projection.pca(np.ones((3, 4)))  # no variance at all
    assert np.all(same == 0)


def test_blocked_fit_equals_one_pass_and_a_cancel_stops_between_blocks() -> None:
    from explorer.core.errors import Cancelled
    from explorer.core.tasks import CancelToken, StageKind

    rng = np.random.default_rng(1)
    x = rng.standard_normal((50_000, 64)).astype(np.float32)
    ref, ratio = _svd_pca(x[:9000].astype(np.float64))  # more than two blocks, checked against an SVD
    fit = projection.fit_pca(x[:9000])
    coords = fit.transform(x[:9000])
    for k in range(2):
        np.testing.assert_allclose(np.abs(coords[:, k]), np.abs(ref[:, k]), rtol=1e-3, atol=1e-4)
    np.testing.assert_allclose(fit.explained_variance_ratio, ratio, rtol=1e-6)

    # A 50,000-word background: cancelled at its first progress report, it stops at the next block.
    token = CancelToken()
    reports: list[tuple[float, float, object]] = []

    def report(done: float, total: float, stage: object) -> None:
        reports.append((done, total, stage))
        token.cancel()

    with pytest.raises(Cancelled):
        projection.fit_pca(x, report=report, cancel=token)
    assert len(reports) == 1 and reports[0][1] == 50_000
    assert reports[0][2].kind is StageKind.PROJECTING  # type: ignore[attr-defined]
    with pytest.raises(Cancelled):
        projection.fit_pca(x, cancel=token)  # already cancelled: nothing is computed
