"""Tiny real models shared by the query tests: skip-gram HS and NS trained on a slice of 三国演义, built once.

Other test modules import the fixtures from here; the builders are memoised so each model is trained once per
session even though several modules use it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from gensim.models import KeyedVectors, Word2Vec

from explorer.core.io import LoadedModel

DATA = Path(__file__).resolve().parents[1] / "data" / "sanguo_yanyi_head300.txt"
_built: dict[str, Any] = {}


def sentences() -> list[list[str]]:
    if "sentences" not in _built:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        lines = DATA.read_text(encoding="utf-8").splitlines()
        _built["sentences"] = [[w for w in jieba.lcut(line) if w.strip()] for line in lines if line.strip()]
    return _built["sentences"]  # type: ignore[no-any-return]


def trained(kind: str) -> Word2Vec:
    if kind not in _built:
        hs, negative = (1, 0) if kind == "hs" else (0, 5)
        _built[kind] = Word2Vec(sentences(), vector_size=32, window=5, min_count=3, sg=1, hs=hs,
                                negative=negative, epochs=5, workers=1, seed=1)  # 1 worker: the same model every run
    return _built[kind]  # type: ignore[no-any-return]


def synthetic(rows: int, dims: int = 256, clusters: int = 0, seed: int = 0) -> KeyedVectors:
    """Random vectors (optionally around cluster centres) under made-up words w0, w1, ..."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((rows, dims)).astype(np.float32)
    if clusters:
        centres = rng.standard_normal((clusters, dims)).astype(np.float32)
        x = (x + 1.5 * centres[rng.integers(0, clusters, rows)]).astype(np.float32)
    kv = KeyedVectors(dims)
    kv.add_vectors([f"w{i}" for i in range(rows)], x)
    return kv


@pytest.fixture(scope="session")
def hs_model() -> LoadedModel:
    return LoadedModel.from_gensim(trained("hs"))


@pytest.fixture(scope="session")
def ns_model() -> LoadedModel:
    return LoadedModel.from_gensim(trained("ns"))


@pytest.fixture(scope="session")
def kv_model() -> LoadedModel:
    """Word vectors only: no output layer."""
    return LoadedModel.from_gensim(trained("ns").wv)


def test_models_are_real_and_ordered_by_frequency(hs_model: LoadedModel, ns_model: LoadedModel) -> None:
    for m in (hs_model, ns_model):
        assert m.vocab_size > 2000 and "曹操" in m.wv.key_to_index
        counts = [m.wv.get_vecattr(w, "count") for w in m.wv.index_to_key[:200]]
        assert counts == sorted(counts, reverse=True)
    assert hs_model.syn1 is not None and ns_model.syn1neg is not None
