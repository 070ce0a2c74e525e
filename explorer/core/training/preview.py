"""What a training would keep, thin, cost and take, from one (cached) vocabulary scan; the speed estimate."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from gensim.models import Word2Vec

from explorer.core.fsutil import cpu_count
from explorer.core.tasks import CancelToken, Reporter, null_reporter
from explorer.core.training.config import TrainConfig
from explorer.core.training.scan import scan_corpus

# Seconds per effective word and worker, calibrated with bench/bench_train.py on People's Daily (2 cores):
# skip-gram + HS, 256 d, window 10 (15k words): ~65k words/s per worker; skip-gram + NS 5, 100 d, window 5:
# ~110k. HS walks ~0.6*log2(V) tree nodes per prediction; a negative sample also costs a table lookup.
_HS_NODE_SECONDS_256D = 0.17e-6
_NS_SAMPLE_SECONDS = (0.10e-6, 0.39e-6)  # fixed part, part per 256 dimensions
_WORD_SECONDS = 0.3e-6
# Fewer kept words than this give a model whose neighbour lists are mostly the same few frequent words:
# the preview then warns and suggests a min_count that keeps about this many.
FEW_WORDS = 2000


def estimate_words_per_second(config: TrainConfig, vocab_size: int) -> float:
    """A rough effective-words/s figure for ``config`` on this kind of machine (for the duration estimate)."""
    # Average number of context words with shrink_windows is window+1 (both sides), else 2*window.
    contexts = (config.window + 1) if config.shrink_windows else 2 * config.window
    d = config.vector_size / 256
    per_prediction = 0.0
    if config.hs:
        per_prediction += 0.6 * math.log2(max(vocab_size, 2)) * _HS_NODE_SECONDS_256D * d
    if config.negative:
        per_prediction += (config.negative + 1) * (_NS_SAMPLE_SECONDS[0] + _NS_SAMPLE_SECONDS[1] * d)
    if config.sg:
        seconds = contexts * per_prediction
    else:  # CBOW predicts once per word from the averaged context
        seconds = per_prediction + contexts * 2 * config.vector_size * 0.5e-9
    workers = min(config.workers, cpu_count())
    return workers / (seconds + _WORD_SECONDS)


@dataclass(frozen=True)
class TrainingPreview:
    """What a vocabulary scan says about a training run, before it starts."""

    tokens: int  # words in the corpus
    sentences: int
    vocab_total: int  # distinct words
    vocab_kept: int  # distinct words at this min_count / max_final_vocab
    effective_min_count: int
    coverage: float  # share of corpus tokens that are kept words
    sample_keep_ratio: float  # share of kept tokens that survive `sample` on average
    most_thinned: tuple[tuple[str, float], ...]  # (word, keep probability), most thinned first
    memory_bytes: int  # gensim's estimate_memory total
    words_per_second: float
    estimated_seconds: float
    # When fewer than FEW_WORDS are kept: a lower min_count that keeps about FEW_WORDS (or all the corpus
    # has) and how many words it keeps; None when lowering min_count would not help.
    suggested_min_count: int | None = None
    suggested_kept: int = 0

    @property
    def too_few_words(self) -> bool:
        return self.vocab_kept < FEW_WORDS


def suggest_min_count(freqs: np.ndarray, min_count: int, target: int = FEW_WORDS) -> tuple[int | None, int]:
    """The highest min_count below ``min_count`` that keeps ``target`` words (else 1), and what it keeps."""
    if min_count <= 1 or len(freqs) == 0:
        return None, 0
    ordered = np.sort(freqs)[::-1]
    reach = int(ordered[target - 1]) if len(ordered) >= target else 1
    suggestion = max(1, min(min_count - 1, reach))
    kept = int((freqs >= suggestion).sum())
    return (suggestion, kept) if kept > int((freqs >= min_count).sum()) else (None, 0)


def _keep_probabilities(counts: np.ndarray, sample: float, retain_total: int) -> np.ndarray:
    """gensim's per-word downsampling keep probability (prepare_vocab)."""
    if not sample:
        return np.ones_like(counts, dtype=np.float64)
    threshold = sample * retain_total if sample < 1.0 else int(sample * (3 + np.sqrt(5)) / 2)
    c = counts.astype(np.float64)
    prob = (np.sqrt(c / threshold) + 1) * (threshold / c)
    return np.minimum(prob, 1.0)


def _effective_min_count(freqs: np.ndarray, config: TrainConfig) -> int:
    """As gensim's prepare_vocab: max_final_vocab may raise min_count."""
    if config.max_final_vocab is not None and config.max_final_vocab < len(freqs):
        ordered = np.sort(freqs)[::-1]
        return max(int(ordered[config.max_final_vocab]) + 1, config.min_count)
    return config.min_count


def preview(corpus: Any, config: TrainConfig, report: Reporter = null_reporter,
            cancel: CancelToken | None = None, top_thinned: int = 10) -> TrainingPreview:
    """Scan the corpus once (cached) and say what ``config`` would keep, thin, cost and take."""
    config.validate()
    counts = scan_corpus(corpus, report, cancel)
    freqs = np.fromiter(counts.word_freq.values(), dtype=np.int64, count=len(counts.word_freq))
    min_count = _effective_min_count(freqs, config)
    kept_mask = freqs >= min_count
    kept = freqs[kept_mask]
    retain_total = int(kept.sum())
    probs = _keep_probabilities(kept, config.sample, retain_total)
    effective = float((kept * probs).sum())
    words = [w for w, keep in zip(counts.word_freq, kept_mask) if keep]
    order = np.argsort(probs, kind="stable")[:top_thinned]
    thinned = tuple((words[i], float(probs[i])) for i in order if probs[i] < 1.0)
    vocab_kept = int(kept_mask.sum())
    memory = Word2Vec(vector_size=config.vector_size, hs=int(config.hs), negative=config.negative,
                      sg=int(config.sg)).estimate_memory(vocab_size=max(vocab_kept, 1))["total"]
    rate = estimate_words_per_second(config, vocab_kept)
    suggested, suggested_kept = (suggest_min_count(freqs, min_count) if vocab_kept < FEW_WORDS else (None, 0))
    return TrainingPreview(
        tokens=counts.tokens, sentences=counts.sentences, vocab_total=len(freqs), vocab_kept=vocab_kept,
        effective_min_count=min_count, coverage=retain_total / max(counts.tokens, 1),
        sample_keep_ratio=effective / max(retain_total, 1), most_thinned=thinned, memory_bytes=int(memory),
        words_per_second=rate, estimated_seconds=effective * config.epochs / rate,
        suggested_min_count=suggested, suggested_kept=suggested_kept,
    )
