"""Regression tests for the damaged files of the fault audit (issue 8, item 5), one named case each.

The fault suite (tests/core/test_fault_suite.py) covers thousands of variants in isolated children; these
are the audit's own examples, opened in-process, so a failure reads as a plain assertion.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from gensim.models import Word2Vec

from explorer.core import open_model
from explorer.core.errors import DimensionMismatch, ModelFileError, UnsafePickle
from tests.core.fault_specials import CRAFTED_PICKLES

REPO = Path(__file__).resolve().parents[3]
SENTENCES = [["甲", "乙", "丙", "丁", "戊", "己"] * 3] * 40


@pytest.fixture(scope="module")
def hs_model() -> Word2Vec:
    return Word2Vec(SENTENCES, vector_size=32, min_count=1, hs=1, negative=2, epochs=1, workers=1, seed=2)


def _save(model: Word2Vec, folder: Path) -> Path:
    folder.mkdir()
    path = folder / "m.model"
    model.save(str(path), sep_limit=0)
    return path


@pytest.mark.parametrize("cols", [31, 33])
def test_vectors_sidecar_with_the_wrong_column_count(cols: int, hs_model: Word2Vec, tmp_path: Path) -> None:
    path = _save(hs_model, tmp_path / "m")
    np.save(f"{path}.wv.vectors.npy", np.zeros((len(hs_model.wv), cols), np.float32))
    with pytest.raises(DimensionMismatch, match=r"m\.model.*32 dimensions.*" + str(cols)):
        open_model(path, use_cache=False)


@pytest.mark.parametrize("bad", ["int32", "columns", "rows"])
def test_output_layer_of_the_wrong_shape_or_dtype(bad: str, hs_model: Word2Vec, tmp_path: Path) -> None:
    path = _save(hs_model, tmp_path / "m")
    syn1neg = hs_model.syn1neg
    arr = {"int32": syn1neg.astype(np.int32), "columns": syn1neg[:, :-1], "rows": syn1neg[:-1]}[bad]
    np.save(f"{path}.syn1neg.npy", arr)
    with pytest.raises(ModelFileError, match=r"m\.model.*syn1neg"):
        open_model(path, use_cache=False)


def test_huffman_point_outside_the_tree_is_refused_before_related_can_fail(hs_model: Word2Vec,
                                                                          tmp_path: Path) -> None:
    model = Word2Vec.load(_save(hs_model, tmp_path / "src").as_posix())
    point = model.wv.expandos["point"][0].copy()
    point[0] = len(model.wv) + 7
    model.wv.expandos["point"][0] = point
    path = tmp_path / "bad.model"
    model.save(str(path))
    with pytest.raises(ModelFileError, match="Huffman code of word 1"):
        open_model(path, use_cache=False)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    r = subprocess.run([sys.executable, "-m", "explorer.cli", "related", str(path), "甲"], capture_output=True,
                       text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "Huffman" in r.stderr, r.stderr


def test_headerless_text_cut_at_16_bytes_is_not_a_silent_one_word_model(tmp_path: Path) -> None:
    full = b"ab 0.125 0.25 0.5 0.75\ncd 1.5 2.5 3.5 4.5\nef 1 2 3 4\n"
    cut = tmp_path / "cut.txt"
    cut.write_bytes(full[:16])  # "ab 0.125 0.25 0." reads as a word with three numbers
    try:
        model = open_model(cut, use_cache=False)
    except ModelFileError:
        return
    assert any("cut short" in w for w in model.info.warnings), model.info.warnings


def test_gzip_header_claiming_300_million_dimensions(tmp_path: Path) -> None:
    f = tmp_path / "a.bin.gz"
    f.write_bytes(gzip.compress(b"1 300000000\nw "))
    with pytest.raises(ModelFileError, match=r"a\.bin\.gz"):
        open_model(f, use_cache=False)


def test_allow_listed_bytearray_cannot_ask_for_gigabytes(tmp_path: Path) -> None:
    f = tmp_path / "p.model"
    f.write_bytes(CRAFTED_PICKLES["bytearray-4.5GB"])
    with pytest.raises(UnsafePickle, match=r"p\.model.*4,500,000,000"):
        open_model(f, use_cache=False)


@pytest.mark.parametrize("name", ["memo-2^28", "binbytes8-lie"])
def test_pickle_opcodes_that_would_make_the_c_unpickler_allocate(name: str, tmp_path: Path) -> None:
    f = tmp_path / "p.model"
    f.write_bytes(CRAFTED_PICKLES[name])
    with pytest.raises(UnsafePickle, match="beyond its own size"):
        open_model(f, use_cache=False)


def test_sidecar_that_is_a_folder(hs_model: Word2Vec, tmp_path: Path) -> None:
    path = _save(hs_model, tmp_path / "m")
    side = Path(f"{path}.wv.vectors.npy")
    side.unlink()
    side.mkdir()
    with pytest.raises(ModelFileError, match="folder"):
        open_model(path, use_cache=False)


def test_symlink_loop(tmp_path: Path) -> None:
    os.symlink("b.model", tmp_path / "a.model")
    os.symlink("a.model", tmp_path / "b.model")
    with pytest.raises(ModelFileError, match="points back to itself"):
        open_model(tmp_path / "a.model", use_cache=False)


def test_broken_gzip_stream(hs_model: Word2Vec, tmp_path: Path) -> None:
    plain = tmp_path / "v.txt"
    hs_model.wv.save_word2vec_format(str(plain), binary=False)
    data = bytearray(gzip.compress(plain.read_bytes()))
    data[len(data) // 2: len(data) // 2 + 8] = b"\xff" * 8
    f = tmp_path / "v.txt.gz"
    f.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match=r"v\.txt\.gz"):
        open_model(f, use_cache=False)
