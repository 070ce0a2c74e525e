"""Continue training a full model on new text: keep-known-fixed, the HS tree graft, the drift report."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from gensim.models import Word2Vec

from explorer.core.errors import TrainingError
from explorer.core.io import LoadedModel
from explorer.core.training import TrainConfig, neighbour_drift, train

DATA = Path(__file__).resolve().parents[1] / "data"
PD = DATA / "pd199801_seg_head1200.txt"
REVIEWS = DATA / "shopping_reviews_seg_800.txt"

HS = TrainConfig(sg=True, hs=True, negative=0, vector_size=24, window=5, min_count=3, sample=1e-3,
                 epochs=3, workers=2)
NS = dataclasses.replace(HS, hs=False, negative=5)


@pytest.fixture(scope="module", params=["hs", "ns"])
def base(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("base") / f"base-{request.param}.model"
    train(PD, HS if request.param == "hs" else NS, out)
    return out


@pytest.fixture(scope="module")
def continued(base: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    folder = tmp_path_factory.mktemp("continued")
    outs = {}
    for fixed in (True, False):
        outs[fixed] = folder / f"fixed-{fixed}.model"
        result = train(REVIEWS, HS, outs[fixed], base=base, keep_known_fixed=fixed, drift_words=300)
        assert result.drift is not None and result.new_words > 100
        outs[fixed].with_suffix(".drift").write_text(repr(result.drift.mean_overlap_at_10))
    return outs


def test_keep_fixed_leaves_old_vectors_bit_identical(base: Path, continued: dict[bool, Path]) -> None:
    old = Word2Vec.load(str(base))
    new = Word2Vec.load(str(continued[True]))
    n_old = len(old.wv)
    assert new.wv.index_to_key[:n_old] == old.wv.index_to_key
    assert len(new.wv) > n_old
    assert np.array_equal(new.wv.vectors[:n_old], old.wv.vectors)
    # The saved model trains normally later: no per-word lock left in it.
    assert new.wv.vectors_lockf.shape == (1,)


def test_keep_fixed_drift_report_is_exactly_one(base: Path, continued: dict[bool, Path]) -> None:
    drift = neighbour_drift(Word2Vec.load(str(base)).wv, Word2Vec.load(str(continued[True])).wv, top_words=300)
    assert drift.words_checked == 300
    assert drift.mean_overlap_at_10 == 1.0 and drift.max_vector_change == 0.0
    assert all(d.old_top == d.new_top for d in drift.per_word)
    assert drift.new_words > 100
    assert float(continued[True].with_suffix(".drift").read_text()) == 1.0


def test_without_keep_fixed_old_words_drift(base: Path, continued: dict[bool, Path]) -> None:
    drift = neighbour_drift(Word2Vec.load(str(base)).wv, Word2Vec.load(str(continued[False])).wv, top_words=300)
    assert drift.mean_overlap_at_10 < 1.0 and drift.max_vector_change > 0
    assert drift.most_moved[0].overlap <= drift.mean_overlap_at_10


def test_new_words_are_trained(base: Path, continued: dict[bool, Path]) -> None:
    old = Word2Vec.load(str(base))
    new = Word2Vec.load(str(continued[True]))
    fresh = [w for w in new.wv.index_to_key if w not in old.wv.key_to_index][:50]
    assert fresh
    # Fresh vectors start tiny and random; training moves them well away from that.
    init_scale = 0.5 / new.vector_size
    assert np.mean(np.abs(new.wv[fresh])) > 2 * init_scale
    assert new.wv.most_similar(fresh[0], topn=5)


def test_hs_tree_keeps_old_paths(base: Path, continued: dict[bool, Path]) -> None:
    old = Word2Vec.load(str(base))
    if not old.hs:
        pytest.skip("negative sampling has no tree")
    new = Word2Vec.load(str(continued[True]))
    n_old = len(old.wv)
    for i in range(0, n_old, max(1, n_old // 50)):
        assert list(new.wv.get_vecattr(i, "code")[1:]) == list(old.wv.get_vecattr(i, "code"))
        assert list(new.wv.get_vecattr(i, "point")[1:]) == list(old.wv.get_vecattr(i, "point"))
    points = [new.wv.get_vecattr(i, "point") for i in range(len(new.wv))]
    assert max(int(p.max()) for p in points) < new.syn1.shape[0]
    # Every word has a distinct code: the grafted tree is a real prefix code.
    codes = {tuple(new.wv.get_vecattr(i, "code")) for i in range(len(new.wv))}
    assert len(codes) == len(new.wv)


def test_continue_from_a_loaded_model_leaves_it_untouched(base: Path, tmp_path: Path) -> None:
    model = Word2Vec.load(str(base))
    loaded = LoadedModel.from_gensim(model, base)
    before = model.wv.vectors.copy()
    n = len(model.wv)
    result = train(REVIEWS, dataclasses.replace(HS, epochs=1), tmp_path / "c.model", base=loaded, drift_words=50)
    assert len(model.wv) == n and np.array_equal(model.wv.vectors, before)
    assert result.vocab_size > n and result.drift is not None and result.drift.words_checked == 50


def test_keep_fixed_needs_a_base(tmp_path: Path) -> None:
    with pytest.raises(TrainingError, match="continue from"):
        train(REVIEWS, HS, tmp_path / "x.model", keep_known_fixed=True)
