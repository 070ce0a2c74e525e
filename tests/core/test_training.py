"""Training engine: presets, preview, train/save/reload, progress, cancel at each stage, resume."""

from __future__ import annotations

import dataclasses
import json
import tempfile
from pathlib import Path

import numpy as np
import pytest
from gensim.models import Word2Vec

from explorer.core import training
from explorer.core.errors import Cancelled, CorpusError, EmptyCorpus, TrainingError
from explorer.core.tasks import CancelToken, Stage, StageKind
from explorer.core.fsutil import TEMP_MARK
from explorer.core.training import PARAM_HELP, PARAM_HELP_ZH, PRESETS, TrainConfig, engine, preview, resume, scan, \
    slices, train

DATA = Path(__file__).resolve().parents[1] / "data"
PD = DATA / "pd199801_seg_head1200.txt"

SMALL = TrainConfig(sg=True, hs=True, negative=0, vector_size=24, window=5, min_count=3, sample=1e-3,
                    epochs=3, workers=2)


@pytest.fixture
def fast_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    # The tiny corpus trains in a fraction of a second; report on every sentence so reports land inside epochs.
    for module in (scan, slices, engine):
        monkeypatch.setattr(module, "REPORT_INTERVAL", 0.0)
    monkeypatch.setattr(slices, "MIN_SLICE_WORDS", 1000)
    monkeypatch.setattr(slices, "MAX_SLICE_WORDS", 5000)


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if TEMP_MARK in p.name]


def test_presets_are_valid_and_documented() -> None:
    seed = PRESETS["seed"]
    assert (seed.sg, seed.hs, seed.negative, seed.vector_size, seed.window, seed.min_count, seed.epochs,
            seed.sample) == (True, True, 0, 256, 10, 64, 10, 1e-3)
    for cfg in PRESETS.values():
        cfg.validate()
    fields = {f.name for f in dataclasses.fields(TrainConfig)}
    assert fields <= set(PARAM_HELP) and fields <= set(PARAM_HELP_ZH)
    assert "frequent" in PARAM_HELP["sample"]


def test_bad_settings_raise_a_readable_error() -> None:
    with pytest.raises(TrainingError, match="negative"):
        dataclasses.replace(SMALL, hs=False, negative=0).validate()
    with pytest.raises(TrainingError, match="epoch"):
        dataclasses.replace(SMALL, epochs=0).validate()


def test_preview_numbers_are_sane_and_rescans_are_cached() -> None:
    p = preview(PD, SMALL)
    assert p.tokens > 50_000 and p.sentences == 1200
    assert 0 < p.vocab_kept < p.vocab_total
    assert 0.5 < p.coverage < 1.0
    assert 0.2 < p.sample_keep_ratio < 1.0
    assert p.most_thinned and p.most_thinned[0][0] in {"的", "，", "。", "、"}
    probs = [k for _, k in p.most_thinned]
    assert probs == sorted(probs) and 0 < probs[0] < 1
    assert p.memory_bytes > p.vocab_kept * SMALL.vector_size * 4
    assert p.estimated_seconds > 0
    stages: list[str] = []
    higher = preview(PD, dataclasses.replace(SMALL, min_count=20, sample=0),
                     report=lambda d, t, s: stages.append(s))
    assert higher.vocab_kept < p.vocab_kept and higher.coverage < p.coverage
    assert higher.sample_keep_ratio == 1.0 and higher.most_thinned == ()
    assert higher.tokens == p.tokens
    capped = preview(PD, dataclasses.replace(SMALL, max_final_vocab=100))
    assert capped.vocab_kept <= 100


def test_preview_matches_what_gensim_keeps(tmp_path: Path) -> None:
    p = preview(PD, SMALL)
    result = train(PD, SMALL, tmp_path / "m.model")
    assert result.vocab_size == p.vocab_kept
    model = Word2Vec.load(str(tmp_path / "m.model"))
    assert model.corpus_total_words == p.tokens and model.corpus_count == p.sentences


def test_empty_or_missing_corpus(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n \n", encoding="utf-8")
    with pytest.raises(EmptyCorpus):
        train(empty, SMALL, tmp_path / "out.model")
    with pytest.raises(CorpusError):
        preview(tmp_path / "missing.txt", SMALL)


def test_train_saves_a_full_model_that_reloads(tmp_path: Path, fast_reports: None) -> None:
    seen: list[tuple[float, float, str]] = []
    epochs: list[training.EpochStats] = []
    out = tmp_path / "sub" / "model.model"
    result = train(PD, SMALL, out, report=lambda d, t, s: seen.append((d, t, s)), on_epoch=epochs.append)
    assert result.model_path == out and out.is_file()
    assert [p.name for p in out.parent.iterdir()] == ["model.model"]  # one file, no sidecars, no temp
    model = Word2Vec.load(str(out))
    assert len(model.wv) == result.vocab_size and model.syn1.shape == model.wv.vectors.shape
    assert (model.sg, model.hs, model.negative, model.vector_size, model.window, model.epochs) == (1, 1, 0, 24, 5, 3)
    assert model.alpha == SMALL.alpha and model.min_alpha == SMALL.min_alpha
    assert model.wv.most_similar("中国", topn=5)
    assert result.epochs_done == 3 and [s.epoch for s in result.epoch_stats] == [1, 2, 3]
    assert epochs == list(result.epoch_stats)
    assert all(s.loss and s.loss > 0 for s in epochs) and all(s.words_per_second > 0 for s in epochs)
    stages = [s for _, _, s in seen]
    assert stages[0] == "vocabulary" and stages[-1] == "saving"
    assert {Stage.epoch(1, 3), Stage.epoch(2, 3), Stage.epoch(3, 3)} <= set(stages)
    # Progress inside epoch 2 is overall: strictly between the epoch boundaries, total = all epochs' words.
    tokens = preview(PD, SMALL).tokens
    inside = [(d, t) for d, t, s in seen if s == Stage.epoch(2, 3) and tokens < d < 2 * tokens]
    assert len(inside) > 3 and all(t == 3 * tokens for _, t in inside)
    dones = [d for d, _, s in seen if Stage.of(s).kind is StageKind.EPOCH]
    assert dones == sorted(dones)


@pytest.mark.parametrize("stage", ["vocabulary", "preparing", Stage.epoch(2, 3), "saving"])
def test_cancel_at_each_stage_keeps_the_previous_output(tmp_path: Path, fast_reports: None, stage: str | Stage,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    if stage == "vocabulary":
        monkeypatch.setattr(scan, "_counts_cache", {})  # force a real scan
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))  # the slices go there
    out = tmp_path / "model.model"
    out.write_bytes(b"the previous model")
    cancel = CancelToken()
    tokens = preview(PD, SMALL).tokens

    def report(done: float, total: float, s: str) -> None:
        # In an epoch, cancel mid-way (after some slices), not at its first report.
        if s == stage and (Stage.of(s).kind is not StageKind.EPOCH or done > tokens * 1.3):
            cancel.cancel()

    with pytest.raises(Cancelled):
        train(PD, SMALL, out, report=report, cancel=cancel)
    assert out.read_bytes() == b"the previous model"
    assert leftovers(tmp_path) == [] and list((tmp_path / "tmp").iterdir()) == []


def test_resume_after_an_interrupted_run(tmp_path: Path, fast_reports: None) -> None:
    ckpt = tmp_path / "ckpt"
    out = tmp_path / "model.model"
    cancel = CancelToken()

    def report(done: float, total: float, s: str) -> None:
        if s == Stage.epoch(3, 3):
            cancel.cancel()

    with pytest.raises(Cancelled):
        train(PD, SMALL, out, cancel=cancel, report=report, checkpoint_dir=ckpt)
    state = json.loads((ckpt / "state.json").read_text(encoding="utf-8"))
    assert state["epochs_done"] == 2 and not out.exists()
    assert state["alpha_next"] == pytest.approx(SMALL.alpha - (SMALL.alpha - SMALL.min_alpha) * 2 / 3)
    seen: list[str] = []
    result = resume(ckpt, report=lambda d, t, s: seen.append(s))
    assert result.epochs_done == 3 and [s.epoch for s in result.epoch_stats] == [1, 2, 3]
    assert Stage.epoch(1, 3) not in seen and Stage.epoch(3, 3) in seen
    model = Word2Vec.load(str(out))
    assert model.epochs == 3 and len(model.wv) == result.vocab_size
    assert json.loads((ckpt / "state.json").read_text(encoding="utf-8"))["finished"] is True
    assert [p.name for p in ckpt.iterdir()] == ["state.json"] and leftovers(tmp_path) == []
    with pytest.raises(TrainingError, match="already finished"):
        resume(ckpt)


def test_resume_refuses_a_changed_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "c.txt"
    corpus.write_text(PD.read_text(encoding="utf-8"), encoding="utf-8")
    ckpt = tmp_path / "ckpt"
    cancel = CancelToken()
    with pytest.raises(Cancelled):
        train(corpus, SMALL, tmp_path / "m.model", cancel=cancel, checkpoint_dir=ckpt,
              on_epoch=lambda s: cancel.cancel())
    with open(corpus, "a", encoding="utf-8") as fh:
        fh.write("新 的 一 行\n")
    with pytest.raises(CorpusError, match="changed"):
        resume(ckpt)


def test_resume_without_checkpoint_folder(tmp_path: Path) -> None:
    with pytest.raises(TrainingError, match="no training checkpoint"):
        resume(tmp_path)


def test_seeded_single_worker_training_is_reproducible(tmp_path: Path) -> None:
    cfg = dataclasses.replace(SMALL, workers=1, epochs=1)
    a = train(PD, cfg, tmp_path / "a.model")
    b = train(PD, cfg, tmp_path / "b.model")
    va = Word2Vec.load(str(a.model_path)).wv.vectors
    vb = Word2Vec.load(str(b.model_path)).wv.vectors
    assert np.array_equal(va, vb)


@pytest.mark.parametrize("engine", ["slices", "iterable"])
def test_both_engines_train_and_cancel_mid_epoch(tmp_path: Path, fast_reports: None, engine: str) -> None:
    result = train(PD, dataclasses.replace(SMALL, epochs=2), tmp_path / "a.model", engine=engine)
    assert Word2Vec.load(str(result.model_path)).wv.most_similar("经济", topn=3)
    tokens = result.epoch_stats[0].raw_words
    assert tokens == preview(PD, SMALL).tokens  # every word of the corpus was read once per epoch
    cancel = CancelToken()
    reports: list[float] = []

    def report(done: float, total: float, s: str) -> None:
        if Stage.of(s).kind is StageKind.EPOCH:
            reports.append(done)
        if s == Stage.epoch(1, 3) and done > tokens * 0.3:
            cancel.cancel()

    with pytest.raises(Cancelled):
        train(PD, SMALL, tmp_path / "b.model", report=report, cancel=cancel, engine=engine)
    assert not (tmp_path / "b.model").exists() and max(reports) < tokens


def test_a_killed_training_resumes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGKILL a training process after its first checkpoint; resume() finishes the job."""
    import os
    import signal
    import subprocess
    import sys
    import time

    ckpt, out = tmp_path / "ckpt", tmp_path / "model.model"
    cfg = dataclasses.replace(SMALL, epochs=15)
    code = (
        "import sys; from pathlib import Path; from explorer.core.training import TrainConfig, train; "
        f"train(Path(sys.argv[1]), TrainConfig(**{cfg.to_dict()!r}), Path(sys.argv[2]), checkpoint_dir=Path(sys.argv[3]))"
    )
    (tmp_path / "tmp").mkdir()
    env = dict(os.environ, TMPDIR=str(tmp_path / "tmp"))  # its slices must not litter the real temp folder
    proc = subprocess.Popen([sys.executable, "-c", code, str(PD), str(out), str(ckpt)],
                            cwd=Path(__file__).resolve().parents[2], env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            state = ckpt / "state.json"
            if state.exists() and json.loads(state.read_text(encoding="utf-8"))["epochs_done"] >= 1:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the training ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    done_before = json.loads((ckpt / "state.json").read_text(encoding="utf-8"))["epochs_done"]
    assert 1 <= done_before < 15 and not out.exists()
    leftover = list((tmp_path / "tmp").iterdir())
    assert leftover and leftover[0].name.startswith(f"w2v-slices-{proc.pid}-")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    result = resume(ckpt)
    assert not leftover[0].exists()  # a dead run's slices are cleaned up by the next run
    assert result.epochs_done == 15 and len(result.epoch_stats) == 15
    assert Word2Vec.load(str(out)).wv.most_similar("经济", topn=3)


def test_segmented_corpus_counts_are_kept_beside_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.core.corpus import SegmentOptions, SegmentedCorpus

    seg = tmp_path / "corpus.txt"
    seg.write_bytes(PD.read_bytes())
    corpus = SegmentedCorpus(path=seg, sentences=1200, tokens=0, bytes=seg.stat().st_size, files=(),
                             from_cache=False, options=SegmentOptions())
    first = preview(corpus, SMALL)
    assert (tmp_path / "corpus.txt.counts.json").is_file()
    monkeypatch.setattr(scan, "_counts_cache", {})  # a new session
    stages: list[tuple[float, float, str]] = []
    again = preview(corpus, dataclasses.replace(SMALL, min_count=10), report=lambda d, t, s: stages.append((d, t, s)))
    assert stages == [(1, 1, "vocabulary")]  # no rescan
    assert again.tokens == first.tokens and again.vocab_total == first.vocab_total
    train(corpus, dataclasses.replace(SMALL, epochs=1), tmp_path / "m.model")
    assert not (PD.parent / (PD.name + ".counts.json")).exists()  # plain paths get no sidecar


def test_cbow_with_both_output_layers(tmp_path: Path) -> None:
    cfg = dataclasses.replace(SMALL, sg=False, hs=True, negative=3, epochs=2)
    result = train(PD, cfg, tmp_path / "c.model")
    model = Word2Vec.load(str(result.model_path))
    assert (model.sg, model.hs, model.negative) == (0, 1, 3)
    assert model.syn1.shape == model.syn1neg.shape == model.wv.vectors.shape
    assert all(s.loss and s.effective_words for s in result.epoch_stats)
