"""``train()`` and ``resume()``: set up a run (fresh, continued or resumed), run its epochs, save the model."""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any, Callable

from gensim.models import KeyedVectors, Word2Vec

from explorer.core import usercache
from explorer.core.errors import Cancelled, CorpusError, TrainingError
from explorer.core.io.model import LoadedModel
from explorer.core.tasks import CancelToken, Reporter, null_reporter
from explorer.core.training import checkpoints
from explorer.core.training.config import TrainConfig
from explorer.core.training.drift import neighbour_drift
from explorer.core.training.engine import ENGINES, Run, new_model, prepare_vocab
from explorer.core.training.incremental import (
    apply_lockf,
    config_for_base,
    start_continued,
    trainable_model,
)
from explorer.core.training.output import (
    check_free_space,
    check_output,
    describe_failure,
    model_file_bytes,
)
from explorer.core.training.results import EpochStats, TrainResult
from explorer.core.training.save import save_model_atomically
from explorer.core.training.scan import CorpusCounts, corpus_path, scan_corpus


def _inputs(corpus: Any) -> list[Path]:
    """Every file a training reads: the segmented corpus and, for a SegmentedCorpus, its source files."""
    return [corpus_path(corpus), *(Path(f.path) for f in getattr(corpus, "files", ()))]


def train(
    corpus: Any,
    config: TrainConfig,
    output: Path | str,
    report: Reporter = null_reporter,
    cancel: CancelToken | None = None,
    *,
    on_epoch: Callable[[EpochStats], None] | None = None,
    base: LoadedModel | Path | str | None = None,
    keep_known_fixed: bool = False,
    checkpoint_dir: Path | str | None = None,
    drift_words: int = 1000,
    engine: str = "slices",
) -> TrainResult:
    """Train a model on a segmented corpus (or continue training ``base`` on it) and save it to ``output``.

    Stages reported: "vocabulary" (bytes scanned; instant when the corpus was scanned before), "preparing"
    (bytes cut into slices), Stage.epoch(i, N) (done/total = words over the whole run, so one bar covers all
    epochs; up to 5 reports a second, from the training threads), "saving". Raises Cancelled within about
    a second when ``cancel`` fires; ``output`` is then untouched and no temporary file is left. With
    ``checkpoint_dir`` the model is checkpointed after every epoch and ``resume(checkpoint_dir)`` continues
    an interrupted (cancelled, crashed, killed) run. ``on_epoch`` is called after each epoch (loss chart).

    ``base``: continue training that full model on ``corpus`` (its architecture wins over ``config``'s);
    ``keep_known_fixed`` freezes the vectors of the words it already knows (gensim's per-word
    ``wv.vectors_lockf``: 0 for old words, 1 for new), so their neighbours among old words cannot change; the
    output layer keeps learning. For hierarchical softmax the old words keep their Huffman paths and the new
    words get a subtree of their own (see incremental.py). ``engine``: "slices" (gensim's C++ corpus_file
    loop on slices of the corpus; the fast default, used only if the gensim internals check passes, see
    gensim_internals), "gensim" (gensim's own Word2Vec.train on the corpus file, epoch by epoch: the fallback;
    reports and cancels between epochs) or "iterable" (gensim's train() on a streamed corpus; slower).
    """
    t_start = time.perf_counter()
    cancel = cancel or CancelToken()
    config.validate()
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    if keep_known_fixed and base is None:
        raise TrainingError("“Keep known words fixed” needs a model to continue from.")
    ckpt = Path(checkpoint_dir) if checkpoint_dir is not None else None
    output = check_output(output, _inputs(corpus), ckpt)
    if ckpt is not None:
        checkpoints.clean_folder(ckpt)
    counts = scan_corpus(corpus, report, cancel)
    cancel.raise_if_cancelled()
    state: dict[str, Any] = {
        "version": checkpoints.STATE_VERSION, "corpus": str(counts.path), "corpus_key": list(counts.key[1:]),
        "output": str(output), "config": config.to_dict(), "epochs_done": 0, "epoch_stats": [], "finished": False,
        "base": None, "keep_known_fixed": bool(keep_known_fixed), "n_old": 0, "engine": engine,
    }
    before: KeyedVectors | None = None
    if base is None:
        model = new_model(config)
        prepare_vocab(model, counts, update=False)
    else:
        model = trainable_model(base)
        if isinstance(base, (str, Path)):
            state["base"] = str(base)
        elif isinstance(base, LoadedModel) and base.info.path.is_file():
            state["base"] = str(base.info.path)
        config = config_for_base(model, config)
        state["config"] = config.to_dict()
        before = copy.deepcopy(model.wv)
        start_continued(model, counts, config, keep_known_fixed)
        state["n_old"] = len(before)
    cancel.raise_if_cancelled()
    check_free_space(output, model_file_bytes(len(model.wv), config), ckpt)
    if ckpt is not None:
        checkpoints.write_checkpoint(ckpt, model, state, config)
    return _run_and_save(model, counts, config, output, report, cancel, on_epoch, ckpt, state, engine, before,
                         t_start, drift_words)


def resume(checkpoint_dir: Path | str, report: Reporter = null_reporter, cancel: CancelToken | None = None,
           on_epoch: Callable[[EpochStats], None] | None = None, drift_words: int = 1000) -> TrainResult:
    """Continue an interrupted ``train(..., checkpoint_dir=...)`` from its last finished epoch."""
    t_start = time.perf_counter()
    ckpt = Path(checkpoint_dir)
    cancel = cancel or CancelToken()
    state = checkpoints.read_checkpoint(ckpt)
    if state.get("finished"):
        raise TrainingError(f"The training in {ckpt} already finished; its model is {state.get('output')}.")
    config = TrainConfig.from_dict(state["config"])
    corpus = Path(state["corpus"])
    if not corpus.is_file():
        raise CorpusError(f"The corpus of this training, {corpus}, is gone.", "Put it back to resume.")
    st = corpus.stat()
    if [st.st_size, st.st_mtime_ns] != list(state["corpus_key"]):
        raise CorpusError(f"The corpus {corpus.name} changed since the training started, so it cannot be resumed.",
                          "Start a new training instead.")
    output = check_output(state["output"], [corpus], ckpt)
    checkpoints.clean_folder(ckpt)
    base = state.get("base")
    engine = state.get("engine", "slices")
    model = checkpoints.read_checkpoint_model(ckpt, state)
    if model is None:
        # Killed before the first epoch ended: nothing to keep, start again with the same settings.
        return train(corpus, config, output, report, cancel, on_epoch=on_epoch,
                     base=Path(base) if base else None, keep_known_fixed=bool(state.get("keep_known_fixed")),
                     checkpoint_dir=ckpt, drift_words=drift_words, engine=engine)
    counts = scan_corpus(corpus, report, cancel)
    if state.get("keep_known_fixed"):
        apply_lockf(model, int(state["n_old"]))
    before = trainable_model(Path(base)).wv if base and Path(base).is_file() else None
    check_free_space(output, model_file_bytes(len(model.wv), config), ckpt)
    return _run_and_save(model, counts, config, output, report, cancel, on_epoch, ckpt, state,
                         engine, before, t_start, drift_words)


def _run_and_save(model: Word2Vec, counts: CorpusCounts, config: TrainConfig, output: Path, report: Reporter,
                  cancel: CancelToken, on_epoch: Callable[[EpochStats], None] | None, ckpt: Path | None,
                  state: dict[str, Any], engine: str, before: KeyedVectors | None, t_start: float,
                  drift_words: int) -> TrainResult:
    on_checkpoint = None if ckpt is None else (lambda: checkpoints.write_checkpoint(ckpt, model, state, config))
    run = Run(model, counts, config, report, cancel, on_epoch, state, on_checkpoint, engine)
    # The segmented corpus and the checkpoint folder live in the user cache: held, so no cap evicts them mid-run.
    with usercache.hold(ckpt, counts.path):
        try:
            run.run_epochs()
            cancel.raise_if_cancelled()
            report(0, 1, "saving")
            cancel.raise_if_cancelled()
            save_model_atomically(model, output)
            report(1, 1, "saving")
            if ckpt is not None:
                checkpoints.mark_finished(ckpt, state)
        except Cancelled:
            raise
        except (MemoryError, OSError) as err:
            raise describe_failure(err, output) from err
    n_old = int(state.get("n_old") or 0)
    drift = neighbour_drift(before, model.wv, top_words=drift_words) if before is not None else None
    return TrainResult(
        model_path=output, epochs_done=int(state["epochs_done"]), epoch_stats=tuple(run.stats),
        vocab_size=len(model.wv), drift=drift, seconds=time.perf_counter() - t_start, config=config,
        new_words=len(model.wv) - n_old if before is not None else 0,
    )
