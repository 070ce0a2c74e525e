"""`w2v compare` on two saved models: a rotated copy with two words swapped, --json schema, --word."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors

from explorer.cli import main
from tests.core.test_evaluation import chinese


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("W2V_EXPLORER_CACHE", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, tuple[str, str]]:
    root = tmp_path_factory.mktemp("cli_compare")
    kv = chinese().wv
    rng = np.random.default_rng(0)
    q, _ = np.linalg.qr(rng.standard_normal((kv.vector_size, kv.vector_size)))
    vectors = (kv.vectors @ q).astype(np.float32)
    vectors[[40, 90]] = vectors[[90, 40]]
    b = KeyedVectors(kv.vector_size)
    b.add_vectors(kv.index_to_key[:-30], vectors[:-30])
    kv.save(str(root / "a.kv"))
    b.save_word2vec_format(str(root / "b.bin"), binary=True)
    return root / "a.kv", root / "b.bin", (kv.index_to_key[40], kv.index_to_key[90])


def test_json_lists_the_swapped_words_first(pair: tuple[Path, Path, tuple[str, str]],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    a, b, swapped = pair
    word = chinese().wv.index_to_key[10]
    assert main(["compare", str(a), str(b), "--top", "5", "--word", word, "--frequent", "1500", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"shared", "only_a", "only_b", "residual", "most_changed", "least_changed"} <= set(data)
    assert (data["shared"], data["only_a"], data["only_b"]) == (len(chinese().wv) - 30, 30, 0)
    assert {r["word"] for r in data["most_changed"][:2]} == set(swapped)
    assert all(set(r) == {"word", "distance", "overlap"} for r in data["most_changed"] + data["least_changed"])
    assert data["residual"] < 0.1 and len(data["least_changed"]) == 5
    assert data["word"] == word and len(data["neighbours"]["a"]) == 10 == len(data["neighbours"]["b"])


def test_text_and_bad_input(pair: tuple[Path, Path, tuple[str, str]], capsys: pytest.CaptureFixture[str]) -> None:
    a, b, swapped = pair
    assert main(["compare", str(a), str(b), "--top", "3", "--frequent", "800"]) == 0
    out = capsys.readouterr().out
    assert "most changed" in out and swapped[0] in out and "neighbour overlap" in out
    assert main(["compare", str(a), str(b), "--word", "不在词表里的词"]) == 2
    assert "not in this model's vocabulary" in capsys.readouterr().err
    assert main(["compare", str(a), str(b), "--top", "0"]) == 2
