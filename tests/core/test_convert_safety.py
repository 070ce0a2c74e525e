"""`w2v convert` never destroys its input and replaces an output whole or not at all (issue: nothing lost)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from gensim.models import Word2Vec

from explorer.cli import main
from explorer.core.io import open_model
from tests.core.model_fixtures import write_seed_layout

ROOT = Path(__file__).resolve().parents[2]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _model(seed: int, tmp: Path, name: str = "m.model", multi_file: bool = True) -> Path:
    m = Word2Vec([["北京", "上海", "广州", "深圳", "天津"] * 5] * 30, vector_size=16, min_count=1, hs=1,
                 negative=2, epochs=1, workers=1, seed=seed)
    out = tmp / name
    m.save(str(out), sep_limit=1 if multi_file else 1 << 62)
    return out


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("W2V_EXPLORER_CACHE", str(tmp_path / "cache"))


@pytest.mark.parametrize("to", ["txt", "bin", "gensim"])
def test_convert_onto_its_own_input_is_refused(to: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _model(1, tmp_path)
    before = {p.name: _sha(p) for p in tmp_path.iterdir() if p.is_file()}
    assert main(["convert", str(src), str(src), "--to", to]) == 2
    assert "one of the files being read" in capsys.readouterr().err
    assert {p.name: _sha(p) for p in tmp_path.iterdir() if p.is_file()} == before


def test_convert_onto_a_link_or_a_sidecar_of_its_input_is_refused(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    src = _model(1, tmp_path)
    sidecar = tmp_path / "m.model.wv.vectors.npy"
    assert sidecar.exists()
    (tmp_path / "alias.model").symlink_to(src)
    os.link(src, tmp_path / "hard.model")
    before = {p.name: _sha(p) for p in tmp_path.iterdir() if p.is_file() and not p.is_symlink()}
    for out in (sidecar, tmp_path / "alias.model", tmp_path / "hard.model"):
        assert main(["convert", str(src), str(out), "--to", "txt"]) == 2
        assert "one of the files being read" in capsys.readouterr().err
    assert {p.name: _sha(p) for p in tmp_path.iterdir() if p.is_file() and not p.is_symlink()} == before


def test_convert_into_a_folder_or_a_missing_folder_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _model(1, tmp_path)
    assert main(["convert", str(src), str(tmp_path), "--to", "txt"]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main(["convert", str(src), str(tmp_path / "nope" / "o.txt"), "--to", "txt"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_convert_to_gensim_over_a_multi_file_model_leaves_one_consistent_file(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    src = _model(1, tmp_path / "src")
    old = _model(2, tmp_path, "out.model")  # an older multi-file model at the output name
    assert (tmp_path / "out.model.wv.vectors.npy").exists()
    assert main(["convert", str(src), str(old), "--to", "gensim"]) == 0
    left = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    assert left == ["out.model"], left  # the old model's arrays are gone with it; no temporaries
    ref = Word2Vec.load(str(src))
    back = Word2Vec.load(str(old))  # gensim itself reads what we wrote
    np.testing.assert_array_equal(back.wv.vectors, ref.wv.vectors)
    np.testing.assert_array_equal(back.syn1neg, ref.syn1neg)
    mine = open_model(old, use_cache=False)
    np.testing.assert_array_equal(mine.wv.vectors, ref.wv.vectors)


def test_convert_output_gets_the_users_permissions(tmp_path: Path) -> None:
    src = _model(1, tmp_path)
    old = os.umask(0o027)
    try:
        assert main(["convert", str(src), str(tmp_path / "o.txt"), "--to", "txt"]) == 0
    finally:
        os.umask(old)
    assert (tmp_path / "o.txt").stat().st_mode & 0o777 == 0o640


def test_json_output_with_a_file_name_that_is_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _model(1, tmp_path)
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/\xff\xfe.model"))
    shutil.copy(src, odd)
    for p in tmp_path.glob("m.model.*.npy"):
        shutil.copy(p, Path(os.fsdecode(bytes(tmp_path) + b"/\xff\xfe.model" + p.name[len("m.model"):].encode())))
    assert main(["info", str(odd), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["vocab_size"] == 5


def _strace_works() -> bool:
    if not shutil.which("strace"):
        return False
    return subprocess.run(["strace", "-f", "-o", os.devnull, "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _strace_works(), reason="strace cannot trace here")
@pytest.mark.parametrize("when", [1, 2, 3])
def test_kill_at_any_rename_leaves_the_old_model_or_the_new_one(when: int, tmp_path: Path) -> None:
    src_dir = tmp_path / "src"
    src_dir.mkdir()
    src = _model(1, src_dir)
    out = _model(2, tmp_path, "out.model")
    old_vectors = Word2Vec.load(str(out)).wv.vectors.copy()
    new_vectors = Word2Vec.load(str(src)).wv.vectors.copy()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = ["strace", "-f", "-o", os.devnull, "-e", f"inject=rename,renameat,renameat2:signal=SIGKILL:when={when}",
           sys.executable, "-m", "explorer.cli", "convert", str(src), str(out), "--to", "gensim"]
    subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, timeout=120)
    got = open_model(out, use_cache=False).wv.vectors  # never a mixed set: it opens, and it is one of the two
    assert np.array_equal(got, old_vectors) or np.array_equal(got, new_vectors)
    if np.array_equal(got, new_vectors):
        assert not list(tmp_path.glob("out.model.*.npy")) or np.array_equal(
            Word2Vec.load(str(out)).wv.vectors, new_vectors)
    # the next run tidies what the killed one left, and succeeds
    assert main(["convert", str(src), str(out), "--to", "gensim"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["out.model"]
