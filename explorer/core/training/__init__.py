"""Train, continue training and resume word2vec models on a segmented corpus, with progress and cancel.

``train(corpus, config, output, report, cancel)`` runs gensim's C++ corpus_file loop on half-second slices
of the corpus, so it reports inside an epoch and stops within a second at bare-gensim speed, and saves a
full gensim 4 model atomically.

The modules, in the order a run uses them: config (TrainConfig, presets, help texts), output (is the
output place usable?), scan (the corpus vocabulary, cached), preview (what a config keeps and costs),
incremental (continuing a model), slices and engine (the epoch loop), checkpoints and snapshot (resume,
interrupted trainings; no pickle), save (atomic files), drift (how far continued training moved old words),
runner (train() and resume()).
"""

from __future__ import annotations

from explorer.core.training.checkpoints import (
    CHECKPOINT_STATE,
    InterruptedTraining,
    checkpoint_dir_for,
    checkpoints_root,
    discard_checkpoint,
    interrupted_trainings,
    read_checkpoint,
)
from explorer.core.training.config import (
    PARAM_HELP,
    PARAM_HELP_ZH,
    PRESET_LABELS,
    PRESET_LABELS_ZH,
    PRESETS,
    TrainConfig,
)
from explorer.core.training.drift import DriftReport, WordDrift, neighbour_drift
from explorer.core.training.incremental import trainable_model
from explorer.core.training.output import check_output
from explorer.core.training.preview import (
    FEW_WORDS,
    TrainingPreview,
    estimate_words_per_second,
    preview,
)
from explorer.core.training.results import EpochStats, TrainResult
from explorer.core.training.runner import resume, train
from explorer.core.training.save import save_model_atomically
from explorer.core.training.scan import (
    MAX_SENTENCE_WORDS,
    CorpusCounts,
    corpus_path,
    scan_corpus,
)

__all__ = [
    "CHECKPOINT_STATE", "FEW_WORDS", "MAX_SENTENCE_WORDS", "PARAM_HELP", "PARAM_HELP_ZH", "PRESETS",
    "PRESET_LABELS", "PRESET_LABELS_ZH", "CorpusCounts", "DriftReport", "EpochStats", "InterruptedTraining",
    "TrainConfig", "TrainResult", "TrainingPreview", "WordDrift", "check_output", "checkpoint_dir_for",
    "checkpoints_root", "corpus_path", "discard_checkpoint", "estimate_words_per_second", "interrupted_trainings",
    "neighbour_drift", "preview", "read_checkpoint", "resume", "save_model_atomically", "scan_corpus", "train",
    "trainable_model",
]
