"""C word2vec files written by gensim from a small real corpus: plain, gzip, bz2, header-less, CRLF."""

from __future__ import annotations

import bz2
import gzip
import shutil
from pathlib import Path

import pytest
from gensim.models import KeyedVectors, Word2Vec

DATA = Path(__file__).parents[2] / "data"
CORPUS = DATA / "pd199801_seg_head1200.txt"


@pytest.fixture(scope="module")
def kv() -> KeyedVectors:
    sentences = [line.split() for line in CORPUS.read_text("utf-8").splitlines()]
    return Word2Vec(sentences, vector_size=20, min_count=2, epochs=1, workers=1, seed=5).wv


@pytest.fixture(scope="module")
def files(kv: KeyedVectors, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("c")
    out = {"bin": d / "v.bin", "txt": d / "v.txt"}
    kv.save_word2vec_format(str(out["bin"]), binary=True)
    kv.save_word2vec_format(str(out["txt"]), binary=False)
    for kind in ("bin", "txt"):
        with open(out[kind], "rb") as f, gzip.open(d / f"v.{kind}.gz", "wb") as g:
            shutil.copyfileobj(f, g)
        out[kind + ".gz"] = d / f"v.{kind}.gz"
        out[kind + ".bz2"] = d / f"v.{kind}.bz2"
        out[kind + ".bz2"].write_bytes(bz2.compress(out[kind].read_bytes()))
    lines = out["txt"].read_bytes().split(b"\n", 1)[1]
    out["noheader"] = d / "v_noheader.txt"
    out["noheader"].write_bytes(lines)
    # the C tool's own text style: trailing space, CRLF written by some Windows tools
    out["crlf"] = d / "v_crlf.txt"
    out["crlf"].write_bytes(out["txt"].read_bytes().replace(b"\n", b" \r\n"))
    return out
