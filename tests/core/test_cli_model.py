"""`w2v info`, `w2v convert`, `w2v doctor`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors, Word2Vec

from explorer.cli import main
from tests.core.model_fixtures import write_seed_layout


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    m = Word2Vec([["北京", "上海", "广州", "深圳"] * 5] * 30, vector_size=12, min_count=1, hs=1, negative=3,
                 epochs=1, workers=1, seed=4)
    return write_seed_layout(m, tmp_path_factory.mktemp("seed") / "word2vec_wx")


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("W2V_EXPLORER_CACHE", str(tmp_path / "cache"))


def test_info_text_and_json(seed: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(seed["main"])]) == 0
    out = capsys.readouterr().out
    assert "gensim 1.0–3.1 Word2Vec model" in out and "4 words" in out and "syn1neg" in out
    assert main(["info", str(seed["main"]), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["vocab_size"] == 4 and data["dims"] == 12 and data["hs"] is True and data["negative"] == 3
    assert data["has_output_layer"] is True and len(data["files"]) == 4


@pytest.mark.parametrize("to", ["gensim", "bin", "txt"])
def test_convert(to: str, seed: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"out.{to}"
    assert main(["convert", str(seed["main"]), str(out), "--to", to]) == 0
    assert out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]
    if to == "gensim":
        ref = Word2Vec.load(str(out)).wv
    else:
        ref = KeyedVectors.load_word2vec_format(str(out), binary=to == "bin")
    assert ref.index_to_key == ["北京", "上海", "广州", "深圳"] or len(ref) == 4
    np.testing.assert_allclose(ref.vectors, np.load(seed["syn0"]), rtol=1e-5, atol=1e-6)


def test_convert_bad_input_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(tmp_path / "missing"), str(tmp_path / "o"), "--to", "bin"]) == 2
    assert "no file" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_doctor_complete(seed: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", str(seed["main"]), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["complete"] is True
    by_name = {Path(p["path"]).name: p for p in data["parts"]}
    assert set(by_name) == {"word2vec_wx", "word2vec_wx.wv.syn0.npy", "word2vec_wx.syn1.npy",
                            "word2vec_wx.syn1neg.npy"}
    for name, part in by_name.items():
        assert part["sha256"] == hashlib.sha256((seed["main"].parent / name).read_bytes()).hexdigest()


def test_doctor_names_missing_part(seed: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("main", "syn0", "syn1"):
        (tmp_path / seed[name].name).write_bytes(seed[name].read_bytes())
    assert main(["doctor", str(tmp_path / "word2vec_wx")]) == 1
    out = capsys.readouterr().out
    assert "complete  NO" in out and "MISSING  word2vec_wx.syn1neg.npy" in out


def test_doctor_on_c_file(seed: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "v.bin"
    main(["convert", str(seed["main"]), str(out), "--to", "bin"])
    capsys.readouterr()
    assert main(["doctor", str(out)]) == 0
    assert "word2vec C binary format" in capsys.readouterr().out


def test_output_cut_short_by_a_closed_pipe_is_not_an_error() -> None:
    """`w2v ... | head`: the reader leaves early; no traceback, exit 0."""
    import subprocess
    import sys

    demo = Path(__file__).resolve().parents[2] / "resources" / "demo" / "demo.model"
    cmd = [sys.executable, "-m", "explorer.cli", "neighbours", str(demo), "曹操", "-n", "5000", "--json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # ~300 KB still to come: more than a pipe holds
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert "Traceback" not in err and "Broken pipe" not in err
