"""gensim's own Word2Vec loop as the reference for our training engine (used by test_engine_vs_gensim.py
and bench/bench_engine_vs_gensim.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from gensim.models import Word2Vec
from gensim.models.callbacks import CallbackAny2Vec
from gensim.models.word2vec import LineSentence

from explorer.core.training import TrainConfig

# gensim's iterable mode cuts each epoch into jobs of this many words and keeps the rate fixed per job.
GENSIM_JOB_WORDS = 10000


class EpochLoss(CallbackAny2Vec):  # type: ignore[misc]
    """gensim's loss per epoch. gensim adds every word's loss into one float32 for the whole train() call,
    which stops absorbing small additions once the sum passes a few million (the loss it reports then falls
    far below the true one); restarting the sum each epoch keeps it comparable on small corpora."""

    def __init__(self) -> None:
        self.losses: list[float] = []

    def on_epoch_begin(self, model: Word2Vec) -> None:
        model.running_training_loss = 0.0

    def on_epoch_end(self, model: Word2Vec) -> None:
        self.losses.append(float(model.get_latest_training_loss()))


def gensim_model(corpus: Path, cfg: TrainConfig, seed: int, mode: str = "iterable") -> Word2Vec:
    """A model trained by gensim alone with ``cfg`` ("iterable": LineSentence; "corpus_file": its C++ reader).

    Its loss per epoch is left in ``model.epoch_losses``.
    """
    losses = EpochLoss()
    model = Word2Vec(sg=int(cfg.sg), hs=int(cfg.hs), negative=cfg.negative, vector_size=cfg.vector_size,
                     window=cfg.window, min_count=cfg.min_count, sample=cfg.sample, epochs=cfg.epochs,
                     alpha=cfg.alpha, min_alpha=cfg.min_alpha, workers=cfg.workers, seed=seed,
                     max_final_vocab=cfg.max_final_vocab, shrink_windows=cfg.shrink_windows)
    if mode == "corpus_file":
        model.build_vocab(corpus_file=str(corpus))
        model.train(corpus_file=str(corpus), total_examples=model.corpus_count,
                    total_words=model.corpus_total_words, epochs=model.epochs, compute_loss=True, callbacks=[losses])
    else:
        model.build_vocab(LineSentence(str(corpus)))
        model.train(LineSentence(str(corpus)), total_examples=model.corpus_count, epochs=model.epochs,
                    compute_loss=True, callbacks=[losses])
    model.epoch_losses = losses.losses
    return model


def top10(model: Word2Vec, words: list[str]) -> list[set[str]]:
    return [{w for w, _ in model.wv.most_similar(word, topn=10)} for word in words]


def neighbour_overlap(a: Word2Vec, b: Word2Vec, n_words: int) -> float:
    """Mean share of the top-10 neighbours (gensim's most_similar) two models agree on, over the
    ``n_words`` most frequent words of ``a``."""
    words = a.wv.index_to_key[:n_words]
    return float(np.mean([len(x & y) / 10 for x, y in zip(top10(a, words), top10(b, words))]))
