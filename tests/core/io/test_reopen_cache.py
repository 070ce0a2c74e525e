"""The reopen cache: a second open maps the converted copy; damaged or stale entries are never used."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors

from explorer.core.io import open_model, reopen_cache


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("W2V_EXPLORER_CACHE", str(root))
    monkeypatch.setattr(reopen_cache, "CACHE_MIN_BYTES", 0)
    return root / "models"


@pytest.mark.parametrize("kind", ["bin", "txt", "txt.gz"])
def test_second_open_comes_from_cache(kind: str, cache: Path, files: dict[str, Path], tmp_path: Path) -> None:
    src = tmp_path / files[kind].name
    shutil.copy(files[kind], src)
    first = open_model(src)
    reopen_cache.wait_for_cache_writes()
    assert not first.info.from_cache
    second = open_model(src)
    assert second.info.from_cache and second.info.format == first.info.format
    assert second.wv.index_to_key == first.wv.index_to_key
    np.testing.assert_array_equal(second.wv.vectors, first.wv.vectors)
    assert isinstance(second.wv.vectors, np.memmap)
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # no half-written entries


def test_cache_keeps_output_layer(cache: Path, tmp_path: Path) -> None:
    from gensim.test.utils import datapath

    src = tmp_path / "w2v_0.12.0.mdl"
    shutil.copy(Path(datapath("old_w2v_models")) / "w2v_0.12.0.mdl", src)
    first = open_model(src)
    reopen_cache.wait_for_cache_writes()
    second = open_model(src)
    assert second.info.from_cache and second.info.hs and second.info.gensim_version == first.info.gensim_version
    np.testing.assert_array_equal(second.syn1, first.syn1)
    for i in range(first.vocab_size):
        np.testing.assert_array_equal(second.wv.expandos["code"][i], first.wv.expandos["code"][i])
        np.testing.assert_array_equal(second.wv.expandos["point"][i], first.wv.expandos["point"][i])
    np.testing.assert_array_equal(second.wv.expandos["count"], first.wv.expandos["count"])


def test_cache_safe_against_changed_or_truncated_source(cache: Path, files: dict[str, Path],
                                                         tmp_path: Path) -> None:
    from explorer.core.errors import TruncatedModelFile

    src = tmp_path / "v.bin"
    shutil.copy(files["bin"], src)
    open_model(src)
    reopen_cache.wait_for_cache_writes()
    data = bytearray(src.read_bytes())
    # same size, same mtime, one vector byte changed in the middle
    st = src.stat()
    data[len(data) - 10] ^= 0xFF
    src.write_bytes(bytes(data))
    os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns))
    changed = open_model(src)
    assert not changed.info.from_cache
    ref = KeyedVectors.load_word2vec_format(str(src), binary=True)
    np.testing.assert_array_equal(changed.wv.vectors, ref.vectors)
    reopen_cache.wait_for_cache_writes()
    src.write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(TruncatedModelFile):
        open_model(src)


def test_damaged_cache_entry_is_ignored(cache: Path, files: dict[str, Path], tmp_path: Path) -> None:
    src = tmp_path / "v.bin"
    shutil.copy(files["bin"], src)
    open_model(src)
    reopen_cache.wait_for_cache_writes()
    (entry,) = list(cache.iterdir())
    vec = entry / "vectors.npy"
    vec.write_bytes(vec.read_bytes()[:200])
    again = open_model(src)
    assert not again.info.from_cache and again.vocab_size > 0


def test_use_cache_false_writes_nothing(cache: Path, files: dict[str, Path]) -> None:
    open_model(files["bin"], use_cache=False)
    reopen_cache.wait_for_cache_writes()
    assert not cache.exists() or not list(cache.iterdir())


def test_cache_points_at_a_models_own_npy_instead_of_copying(cache: Path, kv: KeyedVectors, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.core.io import gensim_pickle as legacy

    monkeypatch.setattr(legacy, "MMAP_MIN_BYTES", 0)  # map the sidecar as a large model's would be
    src = tmp_path / "m.kv"
    kv.save(str(src), sep_limit=1)
    sidecar = tmp_path / "m.kv.vectors.npy"
    assert sidecar.exists()
    first = open_model(src)
    reopen_cache.wait_for_cache_writes()
    (entry,) = list(cache.iterdir())
    assert not (entry / "vectors.npy").exists()  # referenced, not copied
    second = open_model(src)
    assert second.info.from_cache and second.wv.index_to_key == kv.index_to_key
    assert isinstance(second.wv.vectors, np.memmap)
    assert Path(second.wv.vectors.filename).resolve() == sidecar.resolve()
    np.testing.assert_array_equal(second.wv.vectors, first.wv.vectors)
    # a sidecar replaced by one of another shape (a new key anyway): the old entry is not used either
    np.save(sidecar, np.zeros((len(kv), kv.vector_size + 1), np.float32))
    assert reopen_cache.load_cached(entry.name) is None


def test_cache_keeps_words_with_newlines(cache: Path, tmp_path: Path) -> None:
    keys = ["甲", "乙\n丙", "丁"]
    vec = np.arange(6, dtype=np.float32).reshape(3, 2)
    reopen_cache.store_cached("k", keys, {"vectors": vec}, {}, background=False)
    hit = reopen_cache.load_cached("k")
    assert hit is not None and hit.keys == keys and hit.key_to_index == {k: i for i, k in enumerate(keys)}
    np.testing.assert_array_equal(hit.arrays["vectors"], vec)
    empty = reopen_cache.store_cached("e", [], {"vectors": np.zeros((0, 2), np.float32)}, {}, background=False)
    assert empty is None and reopen_cache.load_cached("e") is not None
    assert reopen_cache.load_cached("e").keys == []  # type: ignore[union-attr]
