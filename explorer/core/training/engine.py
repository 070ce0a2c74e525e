"""The training loop: epochs over gensim's C++ corpus_file routine on slices (or gensim's own train()).

``Run.run_epochs()`` follows gensim's global linear learning-rate schedule, reports inside an epoch, stops
within about a second of a cancel, and calls back after each epoch (loss chart, checkpoint).

The slices engine calls gensim internals (see explorer/core/gensim_internals.py). They are checked once per
process at the first training; if they fail, the run falls back to gensim's own public loop, epoch by epoch
(engine "gensim"), with a log line.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from gensim.models import Word2Vec

from explorer.core import gensim_internals
from explorer.core.errors import Cancelled, TrainingError
from explorer.core.tasks import CancelToken, Reporter, Stage
from explorer.core.training.config import TrainConfig, alpha_at
from explorer.core.training.preview import estimate_words_per_second
from explorer.core.training.results import EpochStats
from explorer.core.training.scan import CorpusCounts, decode_word, split_line
from explorer.core.training.slices import (
    Slice,
    slice_words,
    slices_folder,
    write_slices,
)

# "gensim": gensim's public Word2Vec.train(corpus_file=...) per epoch, the fallback when its internals change.
ENGINES = ("slices", "iterable", "gensim")
# Report at most this often (seconds) from inside an epoch (the issue asks for >= 1 update a second).
REPORT_INTERVAL = 0.2

log = logging.getLogger(__name__)


def new_model(config: TrainConfig) -> Word2Vec:
    return Word2Vec(
        sg=int(config.sg), hs=int(config.hs), negative=config.negative, vector_size=config.vector_size,
        window=config.window, min_count=config.min_count, sample=config.sample, epochs=config.epochs,
        alpha=config.alpha, min_alpha=config.min_alpha, workers=config.workers, seed=config.seed,
        max_final_vocab=config.max_final_vocab, shrink_windows=config.shrink_windows,
        compute_loss=config.compute_loss,
    )


def prepare_vocab(model: Word2Vec, counts: CorpusCounts, update: bool) -> None:
    model.build_vocab_from_freq(counts.word_freq, corpus_count=counts.sentences, update=update)
    # build_vocab_from_freq leaves these unset; gensim's own scan sets them.
    model.corpus_total_words = counts.tokens
    model.raw_vocab = {}


def apply_settings(model: Word2Vec, config: TrainConfig) -> None:
    """Give an existing model (a base to continue, a checkpoint) the schedule, window and thresholds of ``config``."""
    for name in ("window", "sample", "min_count", "epochs", "alpha", "min_alpha", "workers", "shrink_windows",
                 "max_final_vocab", "compute_loss"):
        setattr(model, name, getattr(config, name))


class _StreamedCorpus:
    """Re-iterable sentences from the segmented file; counts words for progress and stops on cancel.

    gensim's job producer thread pulls from it, so progress is reported (and cancel noticed) from there.
    """

    def __init__(self, path: Path, on_words: Callable[[int], None], cancel: CancelToken) -> None:
        self.path = path
        self.on_words = on_words
        self.cancel = cancel
        self.stopped = False

    def __iter__(self) -> Iterator[list[str]]:
        is_set = self.cancel._event.is_set
        on_words = self.on_words
        with open(self.path, "rb") as fh:
            for raw in fh:
                if is_set():
                    # Ending the iteration makes gensim finish the queued batches and return quickly.
                    self.stopped = True
                    return
                for words in split_line(raw):
                    on_words(len(words))
                    yield [decode_word(w) for w in words]


class Run:
    """State of one training run (fresh, continued or resumed)."""

    def __init__(self, model: Word2Vec, counts: CorpusCounts, config: TrainConfig, report: Reporter,
                 cancel: CancelToken, on_epoch: Callable[[EpochStats], None] | None, state: dict[str, Any],
                 on_checkpoint: Callable[[], None] | None = None, engine: str = "slices") -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r}")
        self.model, self.counts, self.config = model, counts, config
        self.report, self.cancel, self.on_epoch, self.on_checkpoint = report, cancel, on_epoch, on_checkpoint
        self.state = state  # epochs_done and epoch_stats are kept up to date here (they are checkpointed)
        self.engine = engine
        self.stats: list[EpochStats] = [EpochStats(**s) for s in state.get("epoch_stats", [])]
        self.slices: list[Slice] = []
        self.slice_folder: Path | None = None
        self.words_per_second = 0.0  # raw words/s of the last epoch, for progress between slices

    def run_epochs(self) -> None:
        cfg, model, counts = self.config, self.model, self.counts
        total_words = counts.tokens * cfg.epochs
        self.words_per_second = estimate_words_per_second(cfg, len(model.wv))
        if self.engine == "slices":
            self.engine = usable_engine()
        try:
            if self.engine == "slices":
                self.slice_folder = slices_folder(counts.path)
                self.slices = write_slices(counts.path, slice_words(cfg, len(model.wv)), self.slice_folder,
                                            self.report, self.cancel, counts.tokens, cfg.workers)
            for epoch in range(int(self.state["epochs_done"]), cfg.epochs):
                self.cancel.raise_if_cancelled()
                stage = Stage.epoch(epoch + 1, cfg.epochs)
                self.report(counts.tokens * epoch, total_words, stage)
                t0 = time.perf_counter()
                if self.engine == "slices":
                    effective, raw, loss = self._epoch_slices(epoch, stage, total_words)
                elif self.engine == "gensim":
                    effective, raw, loss = gensim_internals.train_epoch_public(
                        model, counts.path, counts.sentences, counts.tokens, alpha_at(cfg, epoch),
                        alpha_at(cfg, epoch + 1), cfg.compute_loss)
                else:
                    effective, raw, loss = self._epoch_iterable(epoch, stage, total_words)
                seconds = time.perf_counter() - t0
                # gensim's own train() left a one-epoch schedule in these; the saved model says the real one.
                model.alpha, model.min_alpha, model.epochs = cfg.alpha, cfg.min_alpha, cfg.epochs
                self.cancel.raise_if_cancelled()
                stats = EpochStats(epoch=epoch + 1, epochs=cfg.epochs, loss=loss if cfg.compute_loss else None,
                                   words_per_second=effective / max(seconds, 1e-9), seconds=seconds,
                                   effective_words=int(effective), raw_words=int(raw))
                self.stats.append(stats)
                self.state["epochs_done"] = epoch + 1
                self.state["epoch_stats"] = [dataclasses.asdict(s) for s in self.stats]
                self.report(counts.tokens * (epoch + 1), total_words, stage)
                if self.on_checkpoint is not None and epoch + 1 < cfg.epochs:
                    self.on_checkpoint()
                if self.on_epoch is not None:
                    self.on_epoch(stats)
        finally:
            if self.slice_folder is not None:
                shutil.rmtree(self.slice_folder, ignore_errors=True)
                self.slice_folder = None
        model.running_training_loss = self.stats[-1].loss or 0.0 if self.stats else 0.0
        model.min_alpha_yet_reached = cfg.min_alpha
        model.train_count += 1
        model.wv.norms = None  # gensim's _clear_post_train: cached norms are stale now
        model.add_lifecycle_event("train", msg=f"explorer.core.training: {cfg.epochs} epochs, engine {self.engine}")

    def _epoch_iterable(self, epoch: int, stage: Stage, total_words: int) -> tuple[int, int, float]:
        """One epoch through gensim's own train() on a streamed corpus (the fallback engine)."""
        cfg, model, counts, report = self.config, self.model, self.counts, self.report
        base_done = counts.tokens * epoch
        seen = [0]
        last = [0.0]

        def on_words(k: int) -> None:
            seen[0] += k
            now = time.monotonic()
            if now - last[0] >= REPORT_INTERVAL:
                last[0] = now
                report(base_done + seen[0], total_words, stage)

        stream = _StreamedCorpus(counts.path, on_words, self.cancel)
        effective, raw = model.train(
            corpus_iterable=stream, total_examples=counts.sentences, epochs=1,
            start_alpha=alpha_at(cfg, epoch), end_alpha=alpha_at(cfg, epoch + 1), compute_loss=cfg.compute_loss,
        )
        if stream.stopped:
            raise Cancelled()
        return int(effective), int(raw), float(model.get_latest_training_loss())

    def _epoch_slices(self, epoch: int, stage: Stage, total_words: int) -> tuple[int, int, float]:
        """One epoch with gensim's C++ corpus_file loop, one slice per call, on ``workers`` threads.

        Each slice gets the part of the global linear learning-rate schedule that its words cover, so the
        run follows gensim's schedule. Threads notice cancel between slices; the calling thread reports.
        """
        cfg, model, counts = self.config, self.model, self.counts
        api = gensim_internals.slice_api()
        cython_vocab = api.vocab(model)
        slices, tokens, cancel = self.slices, counts.tokens, self.cancel
        lock = threading.Lock()
        tally = {"next": 0, "effective": 0, "raw": 0, "loss": 0.0, "started": 0}
        errors: list[BaseException] = []

        def worker() -> None:
            work, neu1 = gensim_internals.work_arrays(model)
            while True:
                with lock:
                    if cancel.cancelled or errors or tally["next"] >= len(slices):
                        return
                    piece = slices[int(tally["next"])]
                    tally["next"] += 1
                    tally["started"] += piece.words
                view = gensim_internals.SliceView(model, alpha_at(cfg, epoch + piece.start / tokens),
                                                  alpha_at(cfg, epoch + (piece.start + piece.words) / tokens))
                try:
                    effective, raw = api.train_slice(view, piece.path, piece.words, cython_vocab, work, neu1,
                                                     cfg.compute_loss)
                except BaseException as err:  # surfaced in the calling thread
                    errors.append(err)
                    return
                with lock:
                    tally["effective"] += effective
                    tally["raw"] += raw
                    tally["loss"] += view.running_training_loss

        threads = [threading.Thread(target=worker, name=f"w2v-train-{i}", daemon=True) for i in range(cfg.workers)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        # Report from this (the calling) thread. Between slice completions the position is interpolated at
        # the rate measured so far (never past the slices in flight), so the bar moves smoothly.
        shown = float(tokens * epoch)
        last = 0.0
        rate = self.words_per_second
        while True:
            alive = [t for t in threads if t.is_alive()]
            if not alive:
                break
            # Short waits keep this thread responsive to signals (Ctrl+C) and to the report interval.
            alive[0].join(max(0.005, min(0.1, REPORT_INTERVAL)))
            now = time.monotonic()
            if now - last < REPORT_INTERVAL:
                continue
            last = now
            with lock:
                done, started = float(tally["raw"]), float(tally["started"])
            elapsed = now - t0
            if done and elapsed > 0.5:
                rate = done / elapsed
            guess = min(started, rate * elapsed) if rate else done
            shown = max(shown, tokens * epoch + max(done, guess))
            self.report(shown, total_words, stage)
        for t in threads:
            t.join()
        if tally["raw"]:
            self.words_per_second = tally["raw"] / max(time.monotonic() - t0, 1e-9)
        if errors:
            raise TrainingError(f"Training failed inside gensim: {errors[0]}") from errors[0]
        cancel.raise_if_cancelled()
        return int(tally["effective"]), int(tally["raw"]), float(tally["loss"])


def usable_engine() -> str:
    """"slices" when the gensim internals it calls pass the check (run once per process), else a fallback:
    gensim's own corpus_file loop, or its iterable loop where gensim was built without corpus_file support."""
    report = gensim_internals.engine_check()
    if report.ok:
        return "slices"
    if gensim_internals.corpusfile_available():
        log.warning("%s. Training with gensim's own training loop (engine gensim): progress and cancel only "
                    "between epochs.", report.summary())
        return "gensim"
    log.warning("%s. Training with gensim's own training loop on a streamed corpus (engine iterable).",
                report.summary())
    return "iterable"
