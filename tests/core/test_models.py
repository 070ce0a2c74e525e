"""open_model on gensim pickles of every generation: the wheel's old models, gensim 4, the seed layout."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors, Word2Vec
from gensim.test.utils import datapath

from explorer.core.errors import CannotContinueTraining
from explorer.core.io import LoadedModel, open_model, save_model, sniff_format
from tests.core.model_fixtures import raw_vectors, write_seed_layout

TEST_DATA = Path(datapath("x")).parent
OLD = sorted((TEST_DATA / "old_w2v_models").iterdir())
NAMED = sorted(p for p in TEST_DATA.iterdir()
               if p.name.startswith(("word2vec_", "w2v")) and p.suffix not in (".npy", ".vocab") and p.is_file())
CORPUS = Path(__file__).parents[1] / "data" / "pd199801_seg_head1200.txt"


def gensim_reference(path: Path) -> KeyedVectors | None:
    """What gensim 4 itself reads from the file, or None when it cannot open it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for attempt in (lambda: Word2Vec.load(str(path)).wv, lambda: KeyedVectors.load(str(path)),
                        lambda: KeyedVectors.load_word2vec_format(str(path))):
            try:
                return attempt()
            except Exception:  # noqa: BLE001 - try the next reader
                continue
    return None


@pytest.mark.parametrize("path", OLD + NAMED, ids=lambda p: p.name)
def test_every_old_and_named_model_opens_with_stored_order_and_vectors(path: Path) -> None:
    model = open_model(path, use_cache=False)
    assert model.vocab_size > 0 and model.dims > 0
    ref = gensim_reference(path)
    if ref is not None:
        assert list(model.wv.index_to_key) == list(ref.index_to_key)
        np.testing.assert_array_equal(model.wv.vectors, ref.vectors)
    elif model.info.format.startswith("gensim"):
        keys, vectors = raw_vectors(path)
        assert list(model.wv.index_to_key) == keys
        np.testing.assert_array_equal(model.wv.vectors, vectors)


def test_word_count_file_is_not_a_model() -> None:
    # gensim's fvocab side file ("word count" per line) looks like a 1-dimensional model; it is not one.
    from explorer.core.errors import UnknownModelFormat

    vocab = TEST_DATA / "w2v_keyedvectors_load_test.vocab"
    assert sniff_format(vocab) is None
    with pytest.raises(UnknownModelFormat):
        open_model(vocab)


def test_models_gensim4_cannot_open_are_among_them() -> None:
    names = {p.name for p in OLD + NAMED}
    for n in ("w2v_0.12.0.mdl", "w2v_0.13.3.mdl", "word2vec_pre_kv_py2", "word2vec_pre_kv_py3",
              "word2vec_pre_kv_sep_py3"):
        assert n in names


def test_old_model_info_and_output_layer() -> None:
    m = open_model(TEST_DATA / "old_w2v_models" / "w2v_0.12.0.mdl", use_cache=False)
    assert m.info.format == "gensim-legacy" and m.info.gensim_version.startswith("0.12")
    assert m.info.architecture == "skip-gram" and m.info.hs is True
    assert m.syn1 is not None and "code" in m.wv.expandos
    m = open_model(TEST_DATA / "word2vec_pre_kv_py2", use_cache=False)
    assert m.info.python_pickle == 2
    m = open_model(TEST_DATA / "word2vec_pre_kv_sep_py3", use_cache=False)
    assert m.info.python_pickle == 3 and m.syn1neg is not None and m.info.negative == 5
    assert any(f.name.endswith(".syn0.npy") for f in m.info.files)
    m = open_model(TEST_DATA / "word2vec_3.3", use_cache=False)
    assert m.info.gensim_version == "3.3–3.8" and m.info.epochs == 5 and m.info.has_counts


@pytest.fixture(scope="module")
def trained() -> Word2Vec:
    sentences = [line.split() for line in CORPUS.read_text("utf-8").splitlines()]
    return Word2Vec(sentences, vector_size=24, min_count=3, hs=1, negative=5, epochs=2, workers=1, seed=3)


@pytest.fixture(scope="module")
def saved(trained: Word2Vec, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("g4")
    trained.save(str(d / "full.model"))
    trained.wv.save(str(d / "vectors.kv"))
    # a large-ish model saves its arrays separately, like real ones
    trained.save(str(d / "sep.model"), sep_limit=1)
    return {"full": d / "full.model", "kv": d / "vectors.kv", "sep": d / "sep.model"}


@pytest.mark.parametrize("kind", ["full", "kv", "sep"])
def test_gensim4_models_match_gensim(kind: str, saved: dict[str, Path], trained: Word2Vec) -> None:
    m = open_model(saved[kind], use_cache=False)
    assert sniff_format(saved[kind]) == "gensim-pickle"
    assert m.wv.index_to_key == trained.wv.index_to_key
    np.testing.assert_array_equal(m.wv.vectors, trained.wv.vectors)
    word = trained.wv.index_to_key[10]
    assert [w for w, _ in m.wv.most_similar(word, topn=5)] == [w for w, _ in trained.wv.most_similar(word, topn=5)]
    if kind == "kv":
        assert m.info.format == "gensim-kv" and not m.has_output_layer
    else:
        assert m.info.format == "gensim-full" and m.info.gensim_version == "4.x"
        np.testing.assert_array_equal(m.syn1, trained.syn1)
        np.testing.assert_array_equal(m.syn1neg, trained.syn1neg)
        assert m.info.hs is True and m.info.negative == 5 and m.info.epochs == 2 and m.info.min_count == 3
        assert m.info.corpus_count == trained.corpus_count
        np.testing.assert_array_equal(m.wv.expandos["code"][5], trained.wv.get_vecattr(5, "code"))


def test_large_sidecar_is_memory_mapped(saved: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.core.io import gensim_pickle as legacy

    monkeypatch.setattr(legacy, "MMAP_MIN_BYTES", 1)
    m = open_model(saved["sep"], use_cache=False)
    assert isinstance(m.wv.vectors, np.memmap)


def test_seed_layout_model(trained: Word2Vec, tmp_path: Path) -> None:
    files = write_seed_layout(trained, tmp_path / "word2vec_wx")
    m = open_model(files["main"], use_cache=False)
    assert m.info.format == "gensim-legacy" and m.info.gensim_version == "1.0–3.1"
    assert m.wv.index_to_key == trained.wv.index_to_key
    np.testing.assert_array_equal(m.wv.vectors, trained.wv.vectors)
    np.testing.assert_array_equal(m.syn1, trained.syn1)
    np.testing.assert_array_equal(m.syn1neg, trained.syn1neg)
    for i in (0, 7, len(trained.wv) - 1):
        np.testing.assert_array_equal(m.wv.expandos["code"][i], trained.wv.get_vecattr(i, "code"))
        np.testing.assert_array_equal(m.wv.expandos["point"][i], trained.wv.get_vecattr(i, "point"))
    np.testing.assert_array_equal(m.wv.expandos["count"], trained.wv.expandos["count"])
    assert set(files.values()) <= set(m.info.files)
    assert m.info.epochs == 2 and m.info.architecture == "cbow"


def test_continue_training_from_seed_layout(trained: Word2Vec, tmp_path: Path) -> None:
    files = write_seed_layout(trained, tmp_path / "word2vec_wx")
    w2v = open_model(files["main"], use_cache=False).to_word2vec()
    assert isinstance(w2v, Word2Vec)
    np.testing.assert_array_equal(w2v.wv.expandos["sample_int"], trained.wv.expandos["sample_int"])
    np.testing.assert_array_equal(w2v.cum_table, trained.cum_table)
    before = w2v.wv.vectors.copy()
    sentences = [line.split() for line in CORPUS.read_text("utf-8").splitlines()[:300]]
    w2v.build_vocab(sentences + [["新词甲", "新词乙"] * 3] * 3, update=True)
    w2v.train(sentences, total_examples=len(sentences), epochs=1)
    assert "新词甲" in w2v.wv.key_to_index
    assert not np.array_equal(w2v.wv.vectors[: len(before)], before)


def test_continue_training_old_wheel_model() -> None:
    m = open_model(TEST_DATA / "word2vec_pre_kv_sep_py2", use_cache=False)
    w2v = m.to_word2vec()
    w2v.train([list(m.wv.index_to_key)] * 5, total_examples=5, epochs=1)


def test_vectors_only_cannot_continue(saved: dict[str, Path]) -> None:
    with pytest.raises(CannotContinueTraining):
        open_model(saved["kv"], use_cache=False).to_word2vec()


@pytest.mark.parametrize("to", ["gensim", "bin", "txt"])
def test_save_model_round_trip(to: str, saved: dict[str, Path], tmp_path: Path) -> None:
    m = open_model(saved["full"], use_cache=False)
    out = save_model(m, tmp_path / f"out.{to}", to=to)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left
    r = open_model(out, use_cache=False)
    assert r.wv.index_to_key == m.wv.index_to_key
    np.testing.assert_allclose(r.wv.vectors, m.wv.vectors, rtol=1e-5, atol=1e-6)
    if to == "gensim":
        np.testing.assert_array_equal(r.syn1neg, m.syn1neg)
        assert r.info.has_counts


def test_from_gensim_wraps_in_memory_model(trained: Word2Vec) -> None:
    lm = LoadedModel.from_gensim(trained)
    assert lm.to_word2vec() is trained


def test_gensim_load_never_called(saved: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import gensim.utils

    def boom(*a: object, **k: object) -> None:
        raise AssertionError("gensim's own loader was used")

    monkeypatch.setattr(gensim.utils.SaveLoad, "load", classmethod(boom))
    monkeypatch.setattr(gensim.utils, "unpickle", boom)
    open_model(saved["sep"], use_cache=False)
    open_model(TEST_DATA / "word2vec_old_sep", use_cache=False)


def test_names_do_not_matter(saved: dict[str, Path], tmp_path: Path) -> None:
    odd = tmp_path / "model.txt"
    os.symlink(saved["kv"], odd)
    for npy in saved["kv"].parent.glob("vectors.kv.*.npy"):
        os.symlink(npy, tmp_path / npy.name.replace("vectors.kv", "model.txt"))
    assert open_model(odd, use_cache=False).info.format == "gensim-kv"
