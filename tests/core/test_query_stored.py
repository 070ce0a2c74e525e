"""Row norms and the int8 search index kept with the reopen cache: a reopen maps them, answers stay gensim's."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors

from explorer.core import query
from explorer.core.io import open_model, reopen_cache
from explorer.core.query import int8_index
from explorer.core.query.int8_index import ready_index, search_index
from tests.core.test_query_models import synthetic

ROWS, DIMS = 6000, 64


@pytest.fixture()
def model_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, KeyedVectors]:
    # small enough for a unit test: lower the sizes above which files are cached and an index pays
    monkeypatch.setenv("W2V_EXPLORER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(reopen_cache, "CACHE_MIN_BYTES", 0)
    monkeypatch.setattr(int8_index, "INDEX_MIN_ELEMENTS", 0)
    kv = synthetic(ROWS, DIMS, clusters=40, seed=8)
    path = tmp_path / "vectors.bin"
    kv.save_word2vec_format(str(path), binary=True)
    return path, KeyedVectors.load_word2vec_format(str(path), binary=True)


def _pairs(result: query.Neighbours) -> list[tuple[str, float]]:
    return [(r.word, r.score) for r in result.neighbours]


def test_a_reopen_maps_the_stored_norms_and_index(model_file: tuple[Path, KeyedVectors]) -> None:
    path, kv = model_file
    first = open_model(path)
    assert first.info.cache_key and not first.info.from_cache
    assert _pairs(query.neighbours(first, "w7")) == kv.most_similar("w7")  # one-shot: exact scan, no index
    assert ready_index(first) is None
    query.prepare(first)  # what the window does in the background: builds the index and stores it
    reopen_cache.wait_for_cache_writes()
    key = first.info.cache_key
    assert reopen_cache.derived_folder(key, "norms") is not None
    assert reopen_cache.derived_folder(key, "int8_index") is not None

    again = open_model(path)
    assert again.info.from_cache and again.info.cache_key == key
    assert _pairs(query.neighbours(again, "w8")) == kv.most_similar("w8")
    assert isinstance(again.wv.norms, np.memmap)  # the stored norms, not computed again...
    index = search_index(again, build=False)  # ...and the stored index, mapped rather than built
    assert index is not None and ready_index(again) is index
    built = ready_index(first)
    assert built is not None
    assert index.scale == built.scale and index.max_error == built.max_error
    np.testing.assert_array_equal(index.outliers, built.outliers)
    for word in ("w0", "w7", "w1234", "w5999"):
        assert _pairs(query.neighbours(again, word)) == kv.most_similar(word), word
    vec = kv["w5"] - kv["w6"] + kv["w7"]
    assert _pairs(query.neighbours_of_vector(again, vec)) == kv.similar_by_vector(vec)


def test_a_damaged_stored_index_is_ignored_and_rebuilt(model_file: tuple[Path, KeyedVectors],
                                                       caplog: pytest.LogCaptureFixture) -> None:
    path, kv = model_file
    first = open_model(path)
    query.prepare(first)
    reopen_cache.wait_for_cache_writes()
    key = first.info.cache_key
    assert key is not None
    folder = reopen_cache.derived_folder(key, "int8_index")
    assert folder is not None
    shard = folder / "shard0.faiss"
    shard.write_bytes(shard.read_bytes()[: shard.stat().st_size // 2])  # cut short, as by a crash

    again = open_model(path)
    with caplog.at_level(logging.WARNING):
        assert search_index(again, build=False) is None
    assert "damaged stored search index" in caplog.text
    assert search_index(again) is not None  # built afresh
    assert _pairs(query.neighbours(again, "w42")) == kv.most_similar("w42")


def test_models_without_a_cache_entry_keep_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("W2V_EXPLORER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(int8_index, "INDEX_MIN_ELEMENTS", 0)
    kv = synthetic(2000, 32, seed=9)
    path = tmp_path / "small.bin"
    kv.save_word2vec_format(str(path), binary=True)
    model = open_model(path)  # below the cache's size threshold
    assert model.info.cache_key is None
    query.prepare(model)
    reopen_cache.wait_for_cache_writes()
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").rglob("*.faiss"))
    assert _pairs(query.neighbours(model, "w3")) == KeyedVectors.load_word2vec_format(str(path), binary=True) \
        .most_similar("w3")


def test_w2v_answers_first_and_a_detached_process_writes_the_cache(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    import os
    import subprocess
    import sys
    import time

    kv = synthetic(17_000, 256, seed=10)  # 17 MB: above the size from which the reopen cache keeps a copy
    path = tmp_path / "big.bin"
    kv.save_word2vec_format(str(path), binary=True)
    cache = tmp_path / "cache"
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, W2V_EXPLORER_CACHE=str(cache), PYTHONPATH=str(root))
    cmd = [sys.executable, "-m", "explorer.cli", "neighbours", str(path), "w5", "--json"]
    want = [[w, s] for w, s in KeyedVectors.load_word2vec_format(str(path), binary=True).most_similar("w5")]

    def answer() -> list[list[object]]:
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=root, timeout=300, check=True)
        return [[r["word"], r["score"]] for r in json.loads(out.stdout)["neighbours"]]

    assert answer() == want
    # the entry and the row norms (written last) appear once the detached writer is done: wait for it
    deadline = time.monotonic() + 240
    while not list(cache.glob("models/*/derived/norms")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(cache.glob("models/*/derived/norms/norms.npy"))
    assert not list(cache.glob("models/.*"))  # no temporary left behind
    assert answer() == want  # warm: from the cache, the same answer
    monkeypatch.setenv("W2V_EXPLORER_CACHE", str(cache))
    assert open_model(path).info.from_cache
