"""Our training engine against gensim's own loop, on the same segmented corpus, with one worker.

The engine trains slices of the corpus through gensim's internal corpus_file functions
(explorer/core/gensim_internals.py), and falls back to gensim's public Word2Vec.train when they change.
Either way it must learn what gensim itself learns: identical vocabulary, counts, Huffman tree and
negative-sampling table, a learning-rate schedule that ends where gensim's does, a training loss within a
few percent of gensim's, and top-10 neighbours that agree with gensim's at least as well as two gensim runs
with different seeds agree with each other (the seed floor, computed here), less a small margin.

Run with -s to see the figures. The larger corpus and the remaining architecture are marked slow.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from gensim.models import Word2Vec

from explorer.core.errors import Cancelled
from explorer.core.gensim_internals import FORCE_PUBLIC_LOOP_ENV
from explorer.core.tasks import CancelToken, Stage, StageKind
from explorer.core.training import EpochStats, TrainConfig, TrainResult, train
from tests.core.engine_reference import GENSIM_JOB_WORDS, gensim_model, neighbour_overlap

DATA = Path(__file__).resolve().parents[1] / "data"
PD = DATA / "pd199801_seg_head1200.txt"  # 65k words
PD_LARGE_GZ = DATA / "pd199801_seg_head6000.txt.gz"  # 2.1 MB, 357k words

HS = TrainConfig(sg=True, hs=True, negative=0, vector_size=64, window=5, min_count=5, sample=1e-3, epochs=5,
                 workers=1, seed=3)
CONFIGS = {
    "sg-hs": HS,
    "sg-ns": dataclasses.replace(HS, hs=False, negative=5),
    "cbow-ns": dataclasses.replace(HS, sg=False, hs=False, negative=5),
    "cbow-hs": dataclasses.replace(HS, sg=False),
}
# Loss: within 0.1 % per epoch on PD (65k words). gensim sums an epoch's loss in one float32; past 2**22
# (spacing 0.5) it rounds every word's loss visibly: 2.2 % off over the 2 MB slice (11M per epoch).
LOSS_TOLERANCE = 0.01
LOSS_TOLERANCE_ROUNDED = 0.05
OVERLAP_MARGIN = 0.05  # about 4 standard errors of a 300-word mean overlap
TOP_WORDS = 300
# Not our seed (3): a word's initial vector depends on the seed alone, and a weakly trained CBOW model keeps
# enough of it that equal seeds would agree far above the floor.
GENSIM_SEEDS = (1, 2)

_references: dict[tuple[Path, str], tuple[Word2Vec, Word2Vec, float]] = {}


def reference(corpus: Path, name: str) -> tuple[Word2Vec, Word2Vec, float]:
    """Two gensim runs with different seeds and their neighbour overlap (the seed floor); cached per module."""
    key = (corpus, name)
    if key not in _references:
        g1, g2 = (gensim_model(corpus, CONFIGS[name], seed) for seed in GENSIM_SEEDS)
        _references[key] = (g1, g2, neighbour_overlap(g1, g2, TOP_WORDS))
    return _references[key]


def assert_learns_like_gensim(ours: Word2Vec, result: TrainResult, corpus: Path, name: str, label: str) -> None:
    cfg = CONFIGS[name]
    g1, g2, floor = reference(corpus, name)
    # The vocabulary: the same words in the same order, with the same counts and tables.
    assert ours.wv.index_to_key == g1.wv.index_to_key
    assert np.array_equal(ours.wv.expandos["count"], g1.wv.expandos["count"])
    assert np.array_equal(ours.wv.expandos["sample_int"], g1.wv.expandos["sample_int"])
    assert (ours.corpus_count, ours.corpus_total_words) == (g1.corpus_count, g1.corpus_total_words)
    if cfg.hs:
        for i in range(len(g1.wv)):
            assert np.array_equal(ours.wv.get_vecattr(i, "code"), g1.wv.get_vecattr(i, "code"))
            assert np.array_equal(ours.wv.get_vecattr(i, "point"), g1.wv.get_vecattr(i, "point"))
    if cfg.negative:
        assert np.array_equal(ours.cum_table, g1.cum_table)
    # The schedule: the saved rates are the run's, and the last rate used is where gensim's ended, give or
    # take one of gensim's jobs (gensim keeps its rate fixed for 10,000 words).
    assert (ours.alpha, ours.min_alpha, ours.epochs) == (g1.alpha, g1.min_alpha, g1.epochs)
    job_step = (cfg.alpha - cfg.min_alpha) / cfg.epochs * GENSIM_JOB_WORDS / g1.corpus_total_words
    assert ours.min_alpha_yet_reached == pytest.approx(g1.min_alpha_yet_reached, abs=job_step)
    assert [s.epoch for s in result.epoch_stats] == list(range(1, cfg.epochs + 1))
    # The loss per epoch (gensim's restarted each epoch: see EpochLoss), and over the run.
    ours_losses = [s.loss or 0.0 for s in result.epoch_stats]
    gensim_losses = np.mean([g1.epoch_losses, g2.epoch_losses], axis=0)
    ours_loss, gensim_loss = sum(ours_losses), float(gensim_losses.sum())
    # The neighbours of the most frequent words.
    vs_gensim = [neighbour_overlap(ours, g, TOP_WORDS) for g in (g1, g2)]
    print(f"\n[{label} {name} {corpus.name}] overlap ours-vs-gensim {vs_gensim[0]:.3f} {vs_gensim[1]:.3f} "
          f"(mean {np.mean(vs_gensim):.3f}), gensim-vs-gensim floor {floor:.3f}; loss ours {ours_loss:,.0f} "
          f"gensim {gensim_loss:,.0f} ({ours_loss / gensim_loss - 1:+.1%}); last alpha ours "
          f"{ours.min_alpha_yet_reached:.6f} gensim {g1.min_alpha_yet_reached:.6f}")
    tolerance = LOSS_TOLERANCE if gensim_losses.max() < 2**22 else LOSS_TOLERANCE_ROUNDED
    assert abs(ours_loss / gensim_loss - 1) <= tolerance
    assert np.all(np.abs(np.array(ours_losses) / gensim_losses - 1) <= tolerance), (ours_losses, gensim_losses)
    assert float(np.mean(vs_gensim)) >= floor - OVERLAP_MARGIN


def engine_of(model: Word2Vec) -> str:
    """The engine our train() recorded in the model's lifecycle ("... engine NAME")."""
    msgs = [e.get("msg", "") for e in model.lifecycle_events if "explorer.core.training" in e.get("msg", "")]
    return msgs[-1].rsplit("engine ", 1)[-1]


def train_ours(corpus: Path, name: str, out: Path, **kwargs: object) -> tuple[Word2Vec, TrainResult]:
    result = train(corpus, CONFIGS[name], out, **kwargs)  # type: ignore[arg-type]
    return Word2Vec.load(str(out)), result


@pytest.mark.parametrize("name", ["sg-hs", "sg-ns", "cbow-ns"])
def test_sliced_engine_learns_like_gensim(tmp_path: Path, name: str) -> None:
    ours, result = train_ours(PD, name, tmp_path / "ours.model")
    assert engine_of(ours) == "slices"
    assert_learns_like_gensim(ours, result, PD, name, "slices")


@pytest.mark.slow
def test_sliced_engine_learns_like_gensim_cbow_hs(tmp_path: Path) -> None:
    ours, result = train_ours(PD, "cbow-hs", tmp_path / "ours.model")
    assert_learns_like_gensim(ours, result, PD, "cbow-hs", "slices")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["sg-hs", "sg-ns"])
def test_sliced_engine_learns_like_gensim_on_2mb(tmp_path: Path, name: str) -> None:
    corpus = tmp_path / "pd199801_seg_head6000.txt"
    with gzip.open(PD_LARGE_GZ, "rb") as src, open(corpus, "wb") as dst:
        shutil.copyfileobj(src, dst)
    ours, result = train_ours(corpus, name, tmp_path / "ours.model")
    assert_learns_like_gensim(ours, result, corpus, name, "slices")


def test_forced_fallback_trains_with_gensims_own_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    """With the internals check failing (forced by the environment), gensim's public loop trains, correctly."""
    monkeypatch.setenv(FORCE_PUBLIC_LOOP_ENV, "1")
    stages: list[Stage | str] = []
    epochs: list[EpochStats] = []
    with caplog.at_level(logging.WARNING, logger="explorer.core"):
        ours, result = train_ours(PD, "sg-hs", tmp_path / "ours.model", report=lambda d, t, s: stages.append(s),
                                  on_epoch=epochs.append)
    assert "gensim's own training loop" in caplog.text and FORCE_PUBLIC_LOOP_ENV in caplog.text
    assert engine_of(ours) == "gensim"
    assert [Stage.epoch(i, 5) for i in range(1, 6)] == [s for s in dict.fromkeys(stages)
                                                        if Stage.of(s).kind is StageKind.EPOCH]
    assert [e.epoch for e in epochs] == [1, 2, 3, 4, 5]
    assert_learns_like_gensim(ours, result, PD, "sg-hs", "fallback")


def test_fallback_engine_by_name_and_cancel_between_epochs(tmp_path: Path) -> None:
    ours, result = train_ours(PD, "cbow-ns", tmp_path / "ours.model", engine="gensim")
    assert engine_of(ours) == "gensim"
    assert_learns_like_gensim(ours, result, PD, "cbow-ns", "fallback")
    # gensim's loop cannot stop inside an epoch: cancel is honoured at the next epoch boundary.
    cancel = CancelToken()
    with pytest.raises(Cancelled):
        train(PD, CONFIGS["cbow-ns"], tmp_path / "cancelled.model", cancel=cancel, engine="gensim",
              on_epoch=lambda stats: cancel.cancel())
    assert not (tmp_path / "cancelled.model").exists()


EVAL = Path("/work/shared/data/eval")
PD_FULL = Path("/work/shared/data/corpora/people_daily_199801/pd199801.seg.txt")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.skipif(not (EVAL.is_dir() and PD_FULL.is_file()), reason="needs /work/shared/data (eval sets, corpus)")
def test_scores_on_the_shared_eval_sets_are_within_noise_of_gensims(tmp_path: Path) -> None:
    """People's Daily (1.1M words), skip-gram + HS, 2 seeds per engine (about 2 minutes on 2 cores)."""
    out = tmp_path / "bench.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "bench_engine_vs_gensim.py"), "--seeds", "2",
                    "--engines", "ours,gensim", "--json", str(out)], check=True, cwd=ROOT)
    figures = json.loads(out.read_text(encoding="utf-8"))
    ours, gensim = figures["engines"]["ours"], figures["engines"]["gensim"]
    assert figures["same_top_words"]
    # Measured over 3 seeds each: analogy sd up to 0.9 points (571 questions), similarity rho sd up to 0.02.
    assert abs(ours["analogy_pct"][0] - gensim["analogy_pct"][0]) <= 3.0
    for name, (rho, _sd) in ours["similarity"].items():
        assert abs(rho - gensim["similarity"][name][0]) <= 0.05, name
    assert figures["overlap"]["ours|gensim"][0] >= figures["overlap"]["gensim|gensim"][0] - 0.02
