"""Every bad input gives a typed error with an actionable message, never a traceback."""

from __future__ import annotations

import bz2
import gzip
import io
import shutil
import tarfile
import zipfile
from pathlib import Path

import numpy as np
import pytest
from gensim.models import Word2Vec

from explorer.core.errors import (
    DimensionMismatch,
    EmptyModelFile,
    MissingSidecarFile,
    ModelFileNotFound,
    PackedArchive,
    TruncatedModelFile,
    UnknownModelFormat,
)
from explorer.core.io import open_model, sniff_format
from tests.core.model_fixtures import write_seed_layout


@pytest.fixture(scope="module")
def model() -> Word2Vec:
    return Word2Vec([["甲", "乙", "丙", "丁", "戊"] * 4] * 30, vector_size=16, min_count=1, hs=1, negative=3,
                    epochs=1, workers=1, seed=2)


@pytest.fixture(scope="module")
def binfile(model: Word2Vec, tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = tmp_path_factory.mktemp("b") / "v.bin"
    model.wv.save_word2vec_format(str(p), binary=True)
    return p


def test_not_found(tmp_path: Path) -> None:
    with pytest.raises(ModelFileNotFound, match="no file"):
        open_model(tmp_path / "nope.bin")
    with pytest.raises(ModelFileNotFound, match="folder"):
        open_model(tmp_path)


def test_empty(tmp_path: Path) -> None:
    (tmp_path / "e.bin").write_bytes(b"")
    with pytest.raises(EmptyModelFile, match="empty"):
        open_model(tmp_path / "e.bin")


def test_bin_cut_mid_vector(binfile: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.bin"
    data = binfile.read_bytes()
    cut.write_bytes(data[: len(data) - 30])
    with pytest.raises(TruncatedModelFile, match="middle of word 5 of 5"):
        open_model(cut, use_cache=False)


def test_gz_cut(binfile: Path, tmp_path: Path) -> None:
    gz = tmp_path / "v.bin.gz"
    gz.write_bytes(gzip.compress(binfile.read_bytes())[:-40])
    with pytest.raises(TruncatedModelFile):
        open_model(gz, use_cache=False)


def test_text_fewer_lines_than_header(model: Word2Vec, tmp_path: Path) -> None:
    p = tmp_path / "v.txt"
    model.wv.save_word2vec_format(str(p))
    lines = p.read_bytes().splitlines(keepends=True)
    p.write_bytes(b"".join(lines[:-2]))
    with pytest.raises(TruncatedModelFile, match="only 3 lines"):
        open_model(p, use_cache=False)


def test_npy_shorter_than_header(model: Word2Vec, tmp_path: Path) -> None:
    files = write_seed_layout(model, tmp_path / "word2vec_wx")
    data = files["syn0"].read_bytes()
    files["syn0"].write_bytes(data[:-100])
    with pytest.raises(TruncatedModelFile, match="word2vec_wx.wv.syn0.npy is incomplete"):
        open_model(files["main"], use_cache=False)


def test_pickle_cut(model: Word2Vec, tmp_path: Path) -> None:
    model.save(str(tmp_path / "m.model"))
    data = (tmp_path / "m.model").read_bytes()
    (tmp_path / "m.model").write_bytes(data[: len(data) // 2])
    with pytest.raises(TruncatedModelFile):
        open_model(tmp_path / "m.model", use_cache=False)


@pytest.mark.parametrize("part", ["syn0", "syn1", "syn1neg"])
def test_missing_sidecar_names_exact_file(part: str, model: Word2Vec, tmp_path: Path) -> None:
    files = write_seed_layout(model, tmp_path / "word2vec_wx")
    files[part].unlink()
    with pytest.raises(MissingSidecarFile) as exc:
        open_model(files["main"], use_cache=False)
    assert exc.value.expected == files[part]
    assert files[part].name in str(exc.value)


def test_header_dims_disagree_text(tmp_path: Path) -> None:
    p = tmp_path / "d.txt"
    p.write_text("2 3\n甲 1 2 3 4\n乙 1 2 3 4\n", "utf-8")
    with pytest.raises(DimensionMismatch, match="3 dimensions"):
        open_model(p, use_cache=False)
    p.write_text("2 3\n甲 1 2 3\n乙 1 2\n", "utf-8")
    with pytest.raises(DimensionMismatch):
        open_model(p, use_cache=False)


def test_header_dims_disagree_bin(model: Word2Vec, tmp_path: Path) -> None:
    p = tmp_path / "d.bin"
    vec = np.ones((2, 4), np.float32)
    body = b"".join(w.encode() + b" " + v.tobytes() + b"\n" for w, v in zip(["甲", "乙"], vec))
    p.write_bytes(b"2 3\n" + body)  # header says 3, data has 4
    with pytest.raises(DimensionMismatch):
        open_model(p, use_cache=False)


def _zip(p: Path, inner: Path) -> None:
    with zipfile.ZipFile(p, "w") as z:
        z.write(inner, inner.name)


def _targz(p: Path, inner: Path) -> None:
    with tarfile.open(p, "w:gz") as t:
        t.add(inner, inner.name)


def _tar(p: Path, inner: Path) -> None:
    with tarfile.open(p, "w") as t:
        t.add(inner, inner.name)


def _tarbz2(p: Path, inner: Path) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        t.add(inner, inner.name)
    p.write_bytes(bz2.compress(buf.getvalue()))


@pytest.mark.parametrize("maker,name", [(_zip, "m.zip"), (_targz, "m.tar.gz"), (_tar, "m.tar"),
                                        (_tarbz2, "m.tar.bz2")])
def test_packed_archive(maker, name: str, binfile: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / name
    maker(p, binfile)
    with pytest.raises(PackedArchive, match="Unpack it first"):
        open_model(p)
    assert sniff_format(p) == "archive"


@pytest.mark.parametrize("magic", [b"7z\xbc\xaf\x27\x1c\x00\x04", b"Rar!\x1a\x07\x01\x00"])
def test_7z_and_rar_by_magic(magic: bytes, tmp_path: Path) -> None:
    p = tmp_path / "model.bin"  # the name says .bin; the content says archive
    p.write_bytes(magic + b"\x00" * 100)
    with pytest.raises(PackedArchive):
        open_model(p)


def test_unknown_format(tmp_path: Path) -> None:
    p = tmp_path / "notes.bin"
    p.write_text("这不是模型，只是一段中文文字。\n第二行。\n", "utf-8")
    with pytest.raises(UnknownModelFormat):
        open_model(p)
    assert sniff_format(p) is None


def test_random_bytes_unknown(tmp_path: Path) -> None:
    p = tmp_path / "noise"
    p.write_bytes(np.random.default_rng(1).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    with pytest.raises(UnknownModelFormat):
        open_model(p)


def test_non_word2vec_gensim_pickle(tmp_path: Path) -> None:
    from tests.core.model_fixtures import fake_class, fake_dumps

    d2v = fake_class("gensim.models.doc2vec", "Doc2Vec")
    (tmp_path / "d2v").write_bytes(fake_dumps(d2v(x=1)))
    with pytest.raises(UnknownModelFormat, match="Doc2Vec"):
        open_model(tmp_path / "d2v")


def test_sidecar_npy_opened_by_itself(model: Word2Vec, tmp_path: Path) -> None:
    files = write_seed_layout(model, tmp_path / "word2vec_wx")
    assert sniff_format(files["syn0"]) == "npy"
    with pytest.raises(UnknownModelFormat):
        open_model(files["syn0"])


def test_errors_have_hints(tmp_path: Path) -> None:
    try:
        open_model(tmp_path / "x")
    except ModelFileNotFound as err:
        assert err.hint
    _ = shutil
