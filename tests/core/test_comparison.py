"""Model comparison: alignment undoes a rotation, swapped words come out on top, overlap and side by side."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors, Word2Vec

from explorer.core import query
from explorer.core.analysis import comparison
from explorer.core.errors import QueryError, WordNotInVocabulary
from explorer.core.io.model import LoadedModel

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def model_a() -> LoadedModel:
    lines = (DATA / "pd199801_seg_head1200.txt").read_text(encoding="utf-8").splitlines()
    w2v = Word2Vec([ln.split() for ln in lines], vector_size=48, min_count=2, epochs=5, workers=1, seed=3)
    return LoadedModel.from_gensim(w2v)


def rotated_copy(model: LoadedModel, swaps: list[tuple[int, int]], drop: int = 0, extra: int = 0,
                 seed: int = 1) -> LoadedModel:
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((model.dims, model.dims)))
    vectors = (model.wv.vectors @ q).astype(np.float32)
    for i, j in swaps:
        vectors[[i, j]] = vectors[[j, i]]
    words = list(model.wv.index_to_key)
    keep = len(words) - drop
    kv = KeyedVectors(model.dims)
    kv.add_vectors(words[:keep] + [f"新词{i}" for i in range(extra)],
                   np.vstack([vectors[:keep], rng.standard_normal((extra, model.dims)).astype(np.float32)]))
    return LoadedModel.from_gensim(kv)


def test_swapped_words_are_the_most_changed_after_alignment(model_a: LoadedModel) -> None:
    rng = np.random.default_rng(4)
    picked = rng.choice(np.arange(20, 1500), size=20, replace=False)
    swaps = [(int(picked[i]), int(picked[i + 1])) for i in range(0, 20, 2)]
    b = rotated_copy(model_a, swaps, drop=100, extra=50)
    result = comparison.compare(model_a, b, k=10, anchors=2000)
    assert (result.shared, result.only_a, result.only_b) == (model_a.vocab_size - 100, 100, 50)
    swapped = {model_a.wv.index_to_key[i] for i in picked}
    top = result.most_changed(20)
    assert len(swapped & {c.word for c in top}) >= 18
    assert all(c.overlap is not None for c in top)
    assert result.residual is not None and result.residual < 0.2
    # words that were not swapped come back to themselves: distance ~0, identical neighbour lists
    calm = result.most_changed(50, least=True)
    assert all(c.distance is not None and c.distance < 1e-4 and c.word not in swapped for c in calm)
    assert result.most_changed(5, by="overlap", least=True)[0].overlap == 1.0


def test_overlap_is_the_jaccard_of_the_two_neighbour_lists(model_a: LoadedModel) -> None:
    b_kv = KeyedVectors(model_a.dims)
    rng = np.random.default_rng(8)
    noisy = model_a.wv.vectors + 0.6 * rng.standard_normal(model_a.wv.vectors.shape).astype(np.float32)
    b_kv.add_vectors(list(model_a.wv.index_to_key), noisy)
    b = LoadedModel.from_gensim(b_kv)
    result = comparison.compare(model_a, b, k=5, overlap_words=300)
    for word in result.words[:40]:
        # neighbours among the 300 most frequent shared words, by hand with the query engine
        na = set(query.neighbours(model_a, word, 5, restrict=300).words)
        nb = set(query.neighbours(b, word, 5, restrict=300).words)
        assert result.change(word).overlap == pytest.approx(len(na & nb) / len(na | nb))
    assert result.change(result.words[400]).overlap is None
    histogram = result.overlap_histogram()
    assert len(histogram) == 6 and sum(c for _, c in histogram) == 300


def test_side_by_side_marks_ranks_in_the_other_list(model_a: LoadedModel) -> None:
    b = rotated_copy(model_a, [(10, 11)])
    word = model_a.wv.index_to_key[30]
    view = comparison.side_by_side(model_a, b, word, n=10)
    assert [r.word for r in view.a] == list(query.neighbours(model_a, word, 10).words)
    for row in view.a:
        other = [r.word for r in view.b]
        assert row.other_rank == (other.index(row.word) + 1 if row.word in other else None)
    with pytest.raises(WordNotInVocabulary):
        comparison.side_by_side(model_a, b, "不在词表里的词")


def test_different_sizes_compare_by_overlap_only(model_a: LoadedModel) -> None:
    kv = KeyedVectors(16)
    kv.add_vectors(list(model_a.wv.index_to_key[:500]), model_a.wv.vectors[:500, :16].copy())
    result = comparison.compare(model_a, LoadedModel.from_gensim(kv), k=5)
    assert result.residual is None and result.distance is None
    assert len(result.most_changed(10, by="overlap")) == 10
    with pytest.raises(QueryError, match="different sizes"):
        result.most_changed(10)
