"""The training settings: TrainConfig (every gensim Word2Vec parameter a user may change), presets, help texts."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from explorer.core.errors import TrainingError
from explorer.core.fsutil import cpu_count


@dataclass(frozen=True)
class TrainConfig:
    """Every gensim Word2Vec parameter the app lets a user change."""

    sg: bool
    hs: bool
    negative: int
    vector_size: int
    window: int
    min_count: int
    sample: float
    epochs: int
    alpha: float = 0.025
    min_alpha: float = 0.0001
    workers: int = field(default_factory=cpu_count)
    seed: int = 1
    max_final_vocab: int | None = None
    shrink_windows: bool = True
    compute_loss: bool = True

    def validate(self) -> None:
        """Raise TrainingError with a sentence a user can act on when a value makes no sense."""
        problems = []
        if not self.hs and self.negative <= 0:
            problems.append("Choose hierarchical softmax or a negative-sampling count above 0 (now neither is on).")
        if self.negative < 0:
            problems.append("negative must be 0 or more.")
        if self.vector_size < 1:
            problems.append("The number of dimensions must be at least 1.")
        if self.window < 1:
            problems.append("The window must be at least 1 word.")
        if self.min_count < 1:
            problems.append("min_count must be at least 1.")
        if self.sample < 0:
            problems.append("sample must be 0 (off) or a small positive number such as 0.001.")
        if self.epochs < 1:
            problems.append("Train for at least 1 epoch.")
        if not (0 < self.alpha <= 1) or not (0 <= self.min_alpha <= self.alpha):
            problems.append("The learning rate must satisfy 0 <= min_alpha <= alpha <= 1.")
        if self.workers < 1:
            problems.append("Use at least 1 worker thread.")
        if self.max_final_vocab is not None and self.max_final_vocab < 1:
            problems.append("max_final_vocab must be empty (no cap) or at least 1.")
        if problems:
            raise TrainingError("These training settings cannot work: " + " ".join(problems))

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TrainConfig":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


PRESETS: dict[str, TrainConfig] = {
    # The recipe of the model that inspired the app (skip-gram + hierarchical softmax, 256 d).
    "seed": TrainConfig(sg=True, hs=True, negative=0, vector_size=256, window=10, min_count=64,
                        sample=1e-3, epochs=10),
    # Small corpora (a novel, a few MB of reviews): fewer dimensions, keep rarer words, negative sampling.
    "quick": TrainConfig(sg=True, hs=False, negative=5, vector_size=100, window=5, min_count=5,
                         sample=1e-3, epochs=5),
}
PRESET_LABELS = {"seed": "Seed recipe", "quick": "Quick look"}
PRESET_LABELS_ZH = {"seed": "种子配方", "quick": "快速试看"}

PARAM_HELP: dict[str, str] = {
    "sg": "Skip-gram (on) predicts the words around each word; CBOW (off) predicts a word from its neighbours. "
          "Skip-gram is slower but better for rare words.",
    "hs": "Hierarchical softmax: a fast output layer organised as a tree of word frequencies. "
          "Use it or negative sampling (or both).",
    "negative": "Negative sampling: how many random 'wrong' words each example is contrasted with "
                "(5-20 is usual; 0 turns it off).",
    "vector_size": "Dimensions of each word vector: more can hold finer meaning but needs more text, "
                   "memory and time.",
    "window": "How many words on each side count as context. Larger windows capture topics, "
              "smaller ones capture syntax.",
    "min_count": "Words seen fewer times than this are ignored; raise it to drop typos and rare noise "
                 "and to save memory.",
    "sample": "Randomly skips occurrences of very frequent words (的, 了, 是) so training spends time on "
              "informative ones; 0.001 is usual, 0 turns it off, smaller values thin more.",
    "epochs": "How many passes over the corpus. More passes help small corpora.",
    "alpha": "Starting learning rate; it falls linearly to min_alpha over the whole training.",
    "min_alpha": "Learning rate reached at the very end of training.",
    "workers": "Threads that train in parallel; use the number of CPU cores.",
    "seed": "Random seed for the initial vectors (results still vary a little with several workers).",
    "max_final_vocab": "Keep at most this many of the most frequent words (raises min_count if needed); "
                       "empty for no limit.",
    "shrink_windows": "Use a random smaller window for each word, as the original word2vec does, "
                      "so nearer words weigh more.",
    "compute_loss": "Track the training loss per epoch for the chart (costs a little speed).",
}
PARAM_HELP_ZH: dict[str, str] = {
    "sg": "跳字模型（开）用每个词预测它周围的词；CBOW（关）用周围的词预测中间的词。跳字模型较慢，但对低频词更好。",
    "hs": "层次 softmax：按词频建成一棵树的快速输出层。与负采样至少选一种。",
    "negative": "负采样：每个训练样本与多少个随机“错误”词作对比（常用 5-20；0 表示关闭）。",
    "vector_size": "每个词向量的维数：维数越高能表达越细的含义，但需要更多语料、内存和时间。",
    "window": "每侧取多少个词作为上下文。窗口大偏向主题相关，窗口小偏向句法相关。",
    "min_count": "出现次数少于此值的词被忽略；调高可去掉错别字和罕见噪声，并节省内存。",
    "sample": "随机跳过高频词（的、了、是）的一部分出现，让训练把时间花在有信息量的词上；常用 0.001，0 表示关闭，数值越小跳过越多。",
    "epochs": "遍历语料的次数。小语料多跑几遍更好。",
    "alpha": "初始学习率；在整个训练过程中线性下降到 min_alpha。",
    "min_alpha": "训练结束时的学习率。",
    "workers": "并行训练的线程数；设为 CPU 核数。",
    "seed": "初始向量的随机种子（多线程时结果仍会略有不同）。",
    "max_final_vocab": "最多保留这么多个最高频的词（必要时自动提高 min_count）；留空表示不限。",
    "shrink_windows": "像原版 word2vec 一样为每个词随机缩小窗口，使越近的词权重越大。",
    "compute_loss": "记录每轮的训练损失以便画图（会稍微降低速度）。",
}


def alpha_at(config: TrainConfig, progress: float) -> float:
    """gensim's schedule: linear from alpha to min_alpha over the whole run (progress in epochs)."""
    return max(config.min_alpha, config.alpha - (config.alpha - config.min_alpha) * progress / config.epochs)
