"""The int8 candidate index behind neighbour search at large vocabularies: exactly gensim's top-n, always."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors

from explorer.core import query
from explorer.core.io import LoadedModel
from explorer.core.query.int8_index import ready_index, search_index
from explorer.core.query.scoring import query_vector
from tests.core.test_query_models import synthetic

ROWS = query.INDEX_MIN_ELEMENTS // 256 + 4000  # just above the size where the index is used


def _gensim(kv: KeyedVectors, word: str, n: int = 10, **kw: object) -> list[tuple[str, float]]:
    return kv.most_similar(word, topn=n, **kw)  # type: ignore[no-any-return]


def _pairs(result: query.Neighbours) -> list[tuple[str, float]]:
    return [(r.word, r.score) for r in result.neighbours]


@pytest.fixture(scope="module")
def clustered() -> LoadedModel:
    kv = synthetic(ROWS, clusters=400, seed=3)
    # a tight clump of near-duplicates: hundreds of rows tie within the int8 error, forcing a wider search
    base = kv.vectors[100].copy()
    rng = np.random.default_rng(9)
    kv.vectors[1000:1600] = base + 0.05 * rng.standard_normal((600, 256)).astype(np.float32)
    kv.norms = None
    return LoadedModel.from_gensim(kv)


@pytest.fixture(scope="module")
def plain_random() -> LoadedModel:
    return LoadedModel.from_gensim(synthetic(ROWS, seed=4))


@pytest.mark.parametrize("which", ["clustered", "plain_random"])
def test_index_neighbours_equal_gensim(which: str, request: pytest.FixtureRequest) -> None:
    model: LoadedModel = request.getfixturevalue(which)
    assert search_index(model) is not None
    rng = np.random.default_rng(1)
    words = [f"w{i}" for i in rng.integers(0, ROWS, 40)] + ["w100", "w1000", "w1234", "w0"]
    for word in words:
        assert _pairs(query.neighbours(model, word, n=10)) == _gensim(model.wv, word), word
    assert _pairs(query.neighbours(model, "w7", n=50)) == _gensim(model.wv, "w7", 50)


def test_clump_of_near_duplicates_widens_the_search(clustered: LoadedModel) -> None:
    index = search_index(clustered)
    assert index is not None
    mean = query_vector(clustered, ["w1200"], [1.0])
    _cand, bound = index.search(mean, 256)
    tenth = _gensim(clustered.wv, "w1200")[-1][1]
    assert bound >= tenth  # 256 candidates cannot prove the answer here...
    got = query.neighbours(clustered, "w1200", n=10)
    assert _pairs(got) == _gensim(clustered.wv, "w1200")  # ...so the search widened and is still exact
    assert all(1000 <= r.rank - 1 < 1600 or r.rank - 1 == 100 for r in got.neighbours)


def test_index_vector_analogy_and_restrict_equal_gensim(clustered: LoadedModel) -> None:
    wv = clustered.wv
    vec = wv["w5"] - wv["w6"] + wv["w7"]
    assert _pairs(query.neighbours_of_vector(clustered, vec, n=10)) == wv.similar_by_vector(vec, topn=10)
    got = query.analogy(clustered, "w5", "w6", "w7", n=10)
    assert [(r.word, r.score) for r in got.neighbours] == wv.most_similar(positive=["w5", "w7"], negative=["w6"])
    assert _pairs(query.neighbours(clustered, "w9", restrict=5000)) == _gensim(wv, "w9", restrict_vocab=5000)


def test_batch_equals_one_by_one(clustered: LoadedModel) -> None:
    rng = np.random.default_rng(2)
    idx = np.concatenate((rng.integers(0, ROWS, 60), [100, 1000, 1001, ROWS - 1]))
    ids, scores = query.batch_neighbour_indices(clustered, idx, n=10)
    words = clustered.wv.index_to_key
    for row, i in enumerate(idx):
        want = _gensim(clustered.wv, words[i])
        assert [(words[j], float(s)) for j, s in zip(ids[row], scores[row])] == want


def test_index_works_on_memory_mapped_vectors(tmp_path: Path) -> None:
    kv = synthetic(ROWS, clusters=50, seed=5)
    np.save(tmp_path / "vectors.npy", kv.vectors)
    mapped = KeyedVectors(kv.vector_size)
    mapped.add_vectors(kv.index_to_key, np.zeros((1, 1), np.float32).repeat(len(kv), 0).repeat(256, 1))
    mapped.vectors = np.load(tmp_path / "vectors.npy", mmap_mode="r")
    assert isinstance(mapped.vectors, np.memmap)
    model = LoadedModel.from_gensim(mapped)
    for word in ("w1", "w20000", "w33333"):
        assert _pairs(query.neighbours(model, word)) == _gensim(kv, word)
    assert not mapped.vectors.flags.writeable  # nothing wrote into the file's pages


def test_concurrent_first_queries_build_one_index(plain_random: LoadedModel) -> None:
    model = LoadedModel.from_gensim(plain_random.wv)  # fresh cache, same vectors
    model.wv.norms = None
    results: dict[int, list[tuple[str, float]]] = {}
    errors: list[BaseException] = []
    indices: list[object] = []

    def work(k: int) -> None:
        try:
            results[k] = _pairs(query.neighbours(model, f"w{k}"))
            indices.append(search_index(model))
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len({id(i) for i in indices}) == 1
    for k, got in results.items():
        assert got == _gensim(plain_random.wv, f"w{k}")


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_zero_rows_do_not_break_search() -> None:
    kv = synthetic(ROWS, seed=6)
    kv.vectors[10] = 0.0
    kv.vectors[20000] = 0.0
    kv.vectors[30000, 5] = np.nan  # a damaged row must not poison the index
    model = LoadedModel.from_gensim(kv)
    got = query.neighbours(model, "w11")
    assert len(got.neighbours) == 10 and all(np.isfinite(r.score) for r in got.neighbours)
    assert not {"w10", "w20000", "w30000"} & set(got.words)
    index = search_index(model)
    assert index is not None and np.isfinite(index.max_error) and 30000 in index.outliers
    ids, _scores = query.batch_neighbour_indices(model, [11, 12], n=10)
    assert [model.wv.index_to_key[i] for i in ids[0]] == list(got.words)


def test_prepare_reports_progress_and_can_be_cancelled(plain_random: LoadedModel) -> None:
    from explorer.core.errors import Cancelled
    from explorer.core.tasks import CancelToken, Stage, StageKind

    model = LoadedModel.from_gensim(plain_random.wv)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        query.prepare(model, cancel=token)
    stages: list[StageKind] = []
    query.prepare(model, report=lambda done, total, stage: stages.append(Stage.of(stage).kind))
    assert StageKind.SEARCH_INDEX in stages and stages[-1] is StageKind.READY


def test_one_shot_queries_scan_exactly_and_build_no_index(plain_random: LoadedModel) -> None:
    model = LoadedModel.from_gensim(plain_random.wv)  # fresh cache, same vectors
    for word in ("w3", "w30000", "w0"):
        assert _pairs(query.neighbours(model, word)) == _gensim(plain_random.wv, word)
    wv = plain_random.wv
    got = query.analogy(model, "w5", "w6", "w7")
    assert [(r.word, r.score) for r in got.neighbours] == wv.most_similar(positive=["w5", "w7"], negative=["w6"])
    assert ready_index(model) is None  # seconds of building would not pay for a few queries
    query.prepare(model)
    assert ready_index(model) is not None
