"""What a training run reports back: per-epoch statistics and the result of the whole run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from explorer.core.training.config import TrainConfig
from explorer.core.training.drift import DriftReport


@dataclass(frozen=True)
class EpochStats:
    epoch: int  # 1-based
    epochs: int
    loss: float | None  # gensim's summed training loss of this epoch
    words_per_second: float  # effective words (after `sample`) per second, as gensim logs it
    seconds: float
    effective_words: int = 0
    raw_words: int = 0


@dataclass(frozen=True)
class TrainResult:
    model_path: Path
    epochs_done: int
    epoch_stats: tuple[EpochStats, ...]
    vocab_size: int
    drift: DriftReport | None
    seconds: float
    config: TrainConfig | None = None
    new_words: int = 0
