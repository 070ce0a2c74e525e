"""Checkpoints never run code: crafted files are refused with typed errors; snapshots resume bit-identically."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
from gensim.models import Word2Vec

from explorer.core.errors import Cancelled, ExplorerError, TrainingError, UnsafePickle
from explorer.core.tasks import CancelToken
from explorer.core.training import TrainConfig, resume, train

DATA = Path(__file__).resolve().parents[1] / "data"
PD = DATA / "pd199801_seg_head1200.txt"
REVIEWS = DATA / "shopping_reviews_seg_800.txt"
ONE_WORKER = TrainConfig(sg=True, hs=True, negative=3, vector_size=16, window=5, min_count=3, sample=1e-3,
                         epochs=3, workers=1)


class _Payload:
    """Unpickling this runs ``touch MARKER`` (what an attacker would put in a swapped checkpoint)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch '{self.marker}'",)


def _interrupted(tmp_path: Path, cfg: TrainConfig = ONE_WORKER, after: int = 1, **kw: object) -> Path:
    """A checkpoint folder of a training cancelled after ``after`` epochs."""
    ckpt = tmp_path / "ckpt"
    cancel = CancelToken()
    with pytest.raises(Cancelled):
        train(PD if "base" not in kw else REVIEWS, cfg, tmp_path / "out.model", cancel=cancel, checkpoint_dir=ckpt,
              on_epoch=lambda s: cancel.cancel() if s.epoch == after else None, **kw)  # type: ignore[arg-type]
    return ckpt


@pytest.fixture(scope="module")
def interrupted_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _interrupted(tmp_path_factory.mktemp("interrupted"))


@pytest.fixture
def interrupted(interrupted_once: Path, tmp_path: Path) -> Path:
    """A fresh copy of one interrupted training's checkpoint (its output, never written, stays elsewhere)."""
    shutil.copytree(interrupted_once, tmp_path / "ckpt")
    return tmp_path / "ckpt"


def _state(ckpt: Path) -> dict:
    return json.loads((ckpt / "state.json").read_text(encoding="utf-8"))


def test_checkpoints_hold_no_pickle(interrupted: Path) -> None:
    ckpt = interrupted
    state = _state(ckpt)
    assert state["model"] == "model-after-epoch-1.npz"
    assert sorted(p.name for p in ckpt.iterdir()) == ["model-after-epoch-1.npz", "state.json"]
    with np.load(ckpt / state["model"], allow_pickle=False) as z:  # every member is plain numbers
        assert all(z[name].dtype != object for name in z.files)


def test_a_swapped_checkpoint_model_is_refused_and_runs_nothing(tmp_path: Path, interrupted: Path) -> None:
    ckpt = interrupted
    marker = tmp_path / "marker"
    (ckpt / _state(ckpt)["model"]).write_bytes(pickle.dumps(_Payload(marker), protocol=4))
    with pytest.raises(TrainingError, match="not a checkpoint|cannot be read"):
        resume(ckpt)
    assert not marker.exists()


def test_an_old_style_pickle_checkpoint_goes_through_the_restricted_loader(tmp_path: Path) -> None:
    """Version-1 checkpoints (as the previous release wrote them) hold a gensim pickle, checkpoint.model."""
    ckpt = _interrupted(tmp_path)
    state = _state(ckpt)
    (ckpt / state["model"]).unlink()
    state.update(version=1, model="checkpoint.model")
    (ckpt / "state.json").write_text(json.dumps(state), encoding="utf-8")
    marker = tmp_path / "marker"
    (ckpt / "checkpoint.model").write_bytes(pickle.dumps(_Payload(marker), protocol=4))
    with pytest.raises(UnsafePickle):
        resume(ckpt)
    assert not marker.exists()
    # A genuine version-1 checkpoint (a gensim pickle) still resumes, through the restricted loader.
    sentences = [line.split() for line in PD.read_text(encoding="utf-8").splitlines()]
    genuine = Word2Vec(sentences, vector_size=16, min_count=3, hs=1, negative=3, sg=1, epochs=1, workers=1)
    genuine.save(str(ckpt / "checkpoint.model"))
    result = resume(ckpt)
    assert result.epochs_done == 3 and Word2Vec.load(str(tmp_path / "out.model")).wv.most_similar("中国", topn=3)


def test_the_cli_refuses_a_crafted_checkpoint(tmp_path: Path, interrupted: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from explorer.cli import main

    ckpt = interrupted
    marker = tmp_path / "marker"
    (ckpt / _state(ckpt)["model"]).write_bytes(pickle.dumps(_Payload(marker), protocol=4))
    assert main(["train", "--resume", str(ckpt), "--quiet"]) == 2
    assert "checkpoint" in capsys.readouterr().err and not marker.exists()


def _rewrite(path: Path, change: dict[str, np.ndarray | None]) -> None:
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    for k, v in change.items():
        if v is None:
            arrays.pop(k)
        else:
            arrays[k] = v
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)  # type: ignore[arg-type]


@pytest.mark.parametrize("damage", ["truncated", "header lies", "object array", "compressed", "short vectors",
                                    "bad tree", "no meta", "foreign json", "missing syn1neg"])
def test_damaged_snapshots_are_typed_errors(tmp_path: Path, interrupted: Path, damage: str) -> None:
    ckpt = interrupted
    path = ckpt / _state(ckpt)["model"]
    with np.load(path, allow_pickle=False) as z:
        n, d = z["vectors"].shape
        total = int(z["code_flat"].size)
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "header lies":  # a member whose header asks for far more than the file holds
        data = bytearray(path.read_bytes())
        at = data.index(b"'shape': (%d, %d)" % (n, d))
        data[at:at + 20] = b"'shape': (9999999999"[:20]
        path.write_bytes(bytes(data))
    elif damage == "object array":
        with zipfile.ZipFile(path, "a") as zf:
            with zf.open("evil.npy", "w") as fh:
                np.lib.format.write_array(fh, np.array([_Payload(tmp_path / "marker")], dtype=object),
                                          allow_pickle=True)
    elif damage == "compressed":
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **arrays)  # type: ignore[arg-type]
    elif damage == "short vectors":
        _rewrite(path, {"vectors": np.zeros((n - 1, d), np.float32)})
    elif damage == "bad tree":
        _rewrite(path, {"point_flat": np.full(total, n + 5, np.uint32)})
    elif damage == "no meta":
        _rewrite(path, {"meta": None})
    elif damage == "foreign json":
        _rewrite(path, {"meta": np.frombuffer(b'{"format": "something else"}', np.uint8)})
    elif damage == "missing syn1neg":
        _rewrite(path, {"syn1neg": None})
    with pytest.raises(TrainingError):
        resume(ckpt)
    assert not (tmp_path / "marker").exists() and not Path(_state(ckpt)["output"]).exists()


@pytest.mark.parametrize("field,value", [("engine", "rm -rf"), ("epochs_done", 99), ("config", {"sg": "x"}),
                                         ("model", "../../etc/passwd"), ("corpus_key", "nope")])
def test_a_damaged_state_is_a_typed_error(interrupted: Path, field: str, value: object) -> None:
    ckpt = interrupted
    state = _state(ckpt)
    state[field] = value
    (ckpt / "state.json").write_text(json.dumps(state), encoding="utf-8")
    with pytest.raises(ExplorerError):
        resume(ckpt)


@pytest.mark.parametrize("kind", ["fresh", pytest.param("continued, keep fixed", marks=pytest.mark.slow)])
def test_a_resumed_single_worker_run_is_bit_identical(tmp_path: Path, kind: str) -> None:
    """The snapshot keeps everything gensim trains with, the random generator's state included."""
    kw: dict[str, object] = {}
    if kind != "fresh":
        base = tmp_path / "base.model"
        train(PD, dataclasses.replace(ONE_WORKER, epochs=1), base)
        kw = {"base": base, "keep_known_fixed": True}
    corpus = REVIEWS if kw else PD
    whole = train(corpus, ONE_WORKER, tmp_path / "whole.model", **kw)  # type: ignore[arg-type]
    ckpt = _interrupted(tmp_path, after=2, **kw)
    resumed = resume(ckpt)
    a, b = Word2Vec.load(str(whole.model_path)), Word2Vec.load(str(resumed.model_path))
    assert a.wv.index_to_key == b.wv.index_to_key
    assert np.array_equal(a.wv.vectors, b.wv.vectors)
    assert np.array_equal(a.syn1, b.syn1) and np.array_equal(a.syn1neg, b.syn1neg)
    assert [s.loss for s in whole.epoch_stats] == [s.loss for s in resumed.epoch_stats]
