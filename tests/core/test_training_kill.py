"""SIGKILL `w2v train` at chosen and at random points: the previous model stays intact (or the new one is
complete), the next run finishes the job, and nothing is left behind.

Chosen points are reached by a hook in the killed process that sends itself SIGKILL from inside
``fsutil.replace`` (the one rename every file the trainer writes goes through): with the temporary half
written, complete but not renamed, or renamed but not followed by the next step. Random points are
uniform over a whole run.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from gensim.models import Word2Vec

from explorer.core.fsutil import TEMP_MARK

ROOT = Path(__file__).resolve().parents[2]
PD = ROOT / "tests" / "data" / "pd199801_seg_head1200.txt"
EPOCHS = 4
CLI = "import sys; from explorer.cli import main; sys.exit(main(sys.argv[1:]))"
ARGS = ["--segmented", "--quiet", "--min-count", "3", "--dims", "16", "--epochs", str(EPOCHS), "--workers", "2",
        "--preset", "seed"]

HOOK = r"""
import os, signal, sys
from pathlib import Path
from explorer.core import fsutil

point, name, nth = sys.argv[1], sys.argv[2], int(sys.argv[3])
calls = [0]
original = fsutil.replace


def replace(tmp, target):
    if Path(target).name == name:
        calls[0] += 1
        if calls[0] == nth:
            if point == "half-written":
                os.truncate(tmp, os.path.getsize(tmp) // 2)
            if point != "renamed":
                os.kill(os.getpid(), signal.SIGKILL)
            original(tmp, target)
            os.kill(os.getpid(), signal.SIGKILL)
    original(tmp, target)


fsutil.replace = replace
from explorer.cli import main

sys.exit(main(sys.argv[4:]))
"""

# (where, file, which call): what the killed run was doing.
CHOSEN = {
    "saving the model, half written": ("half-written", "m.model", 1),
    "saving the model, before the rename": ("complete", "m.model", 1),
    "checkpoint after epoch 2, snapshot renamed, state not yet": ("renamed", "model-after-epoch-2.npz", 1),
    "checkpoint after epoch 1, state half written": ("half-written", "state.json", 2),
    "checkpoint after epoch 2, state renamed, old snapshot not yet removed": ("renamed", "state.json", 3),
}
SLOW_ONLY = {"saving the model, half written", "checkpoint after epoch 1, state half written",
             "checkpoint after epoch 2, state renamed, old snapshot not yet removed"}


@pytest.fixture(scope="module")
def previous_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from explorer.core.training import PRESETS, train

    out = tmp_path_factory.mktemp("previous") / "previous.model"
    train(PD, dataclasses.replace(PRESETS["quick"], min_count=3, vector_size=8, epochs=1), out)
    return out


class Case:
    def __init__(self, tmp_path: Path, previous: Path) -> None:
        self.out, self.ckpt, self.tmp = tmp_path / "out" / "m.model", tmp_path / "ckpt", tmp_path / "tmp"
        self.out.parent.mkdir(parents=True)
        self.tmp.mkdir()
        shutil.copy(previous, self.out)
        self.previous = previous.read_bytes()
        self.env = dict(os.environ, TMPDIR=str(self.tmp))  # slices of killed runs must not litter /tmp

    def command(self) -> list[str]:
        return ["train", str(PD), "-o", str(self.out), "--checkpoint-dir", str(self.ckpt), *ARGS]

    def start(self, argv: list[str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, *argv], cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)

    def check_after_kill(self) -> None:
        """The previous model, byte for byte, or a complete new one; never anything else."""
        data = self.out.read_bytes()
        if data != self.previous:
            assert Word2Vec.load(str(self.out)).epochs == EPOCHS

    def next_run(self) -> None:
        state = self.ckpt / "state.json"
        unfinished = state.exists() and not json.loads(state.read_text(encoding="utf-8")).get("finished")
        argv = ["train", "--resume", str(self.ckpt), "--quiet"] if unfinished else self.command()
        proc = self.start(["-c", CLI, *argv])
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()

    def check_clean(self) -> None:
        model = Word2Vec.load(str(self.out))
        assert model.epochs == EPOCHS and model.wv.most_similar("中国", topn=3)
        left = [p.name for folder in (self.out.parent, self.ckpt) if folder.exists() for p in folder.iterdir()]
        assert sorted(left) == ["m.model", "state.json"], left  # no temporaries, no stray snapshots
        assert not any(TEMP_MARK in name for name in left)
        assert list(self.tmp.iterdir()) == []  # the killed run's slices were removed too


@pytest.mark.parametrize("where", [pytest.param(w, marks=pytest.mark.slow) if w in SLOW_ONLY else w
                                   for w in CHOSEN])
def test_a_kill_at_a_chosen_point(tmp_path: Path, previous_model: Path, where: str) -> None:
    case = Case(tmp_path, previous_model)
    point, name, nth = CHOSEN[where]
    proc = case.start(["-c", HOOK, point, name, str(nth), *case.command()])
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL, err.decode()  # killed where we meant, not finished or failed
    case.check_after_kill()
    case.next_run()
    case.check_clean()


def _kills_at_random_points(tmp_path: Path, previous: Path, count: int, seed: int) -> None:
    t0 = time.monotonic()
    probe = Case(tmp_path / "whole", previous)
    probe.next_run()
    whole = time.monotonic() - t0
    rng = random.Random(seed)
    for i in range(count):
        case = Case(tmp_path / str(i), previous)
        proc = case.start(["-c", CLI, *case.command()])
        delay = rng.uniform(0.3, whole)
        try:
            proc.wait(delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
        case.check_after_kill()
        case.next_run()
        case.check_clean()


def test_kills_at_random_points(tmp_path: Path, previous_model: Path) -> None:
    _kills_at_random_points(tmp_path, previous_model, count=1, seed=8)


@pytest.mark.slow
def test_many_kills_at_random_points(tmp_path: Path, previous_model: Path) -> None:
    _kills_at_random_points(tmp_path, previous_model, count=20, seed=int(time.time()))
