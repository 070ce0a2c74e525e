"""Train, continue training and resume word2vec models on a segmented corpus, with progress and cancel.

``train(corpus, config, output, report, cancel)`` runs gensim's C++ corpus_file loop on half-second slices
of the corpus, so it reports inside an epoch and stops within a second at bare-gensim speed, and saves a
full gensim 4 model atomically.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import heapq
import json
import logging
import math
import os
import shutil
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import numpy as np
from gensim.models import KeyedVectors, Word2Vec

from explorer.core.errors import Cancelled, CorpusError, EmptyCorpus, TrainingError
from explorer.core.io.model import LoadedModel
from explorer.core.paths import cache_folder
from explorer.core.tasks import CancelToken, Reporter, null_reporter

log = logging.getLogger(__name__)

# gensim's LineSentence splits longer lines, and its Cython loops cap sentences at this length too.
MAX_SENTENCE_WORDS = 10000
# Report at most this often from inside an epoch (the issue asks for >= 1 update a second).
REPORT_INTERVAL = 0.2
# A single-file save: arrays up to this size stay inside the pickle instead of .npy sidecars.
SINGLE_FILE_SEP_LIMIT = 1 << 62
CHECKPOINT_MODEL = "checkpoint.model"
CHECKPOINT_STATE = "state.json"


def _default_workers() -> int:
    return max(1, os.cpu_count() or 1)


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
    workers: int = field(default_factory=_default_workers)
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


# --- the corpus ----------------------------------------------------------------------------------
def corpus_path(corpus: Any) -> Path:
    """The segmented file behind ``corpus``: a SegmentedCorpus (its ``.path``) or a path to one."""
    raw = getattr(corpus, "path", corpus)
    try:
        path = Path(raw)
    except TypeError:
        raise CorpusError(f"Cannot train on {corpus!r}: expected a segmented corpus or a path to one.") from None
    if not path.is_file():
        raise CorpusError(f"The segmented corpus {path} does not exist.",
                          "Segment the text again, or choose another file.")
    return path


def _corpus_key(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return (str(path.resolve()), st.st_size, st.st_mtime_ns)


def _split_line(raw: bytes) -> Iterator[list[bytes]]:
    # bytes.split() splits on ASCII whitespace only, exactly like gensim's C++ corpus_file reader
    # (str.split() would also split on U+3000 and disagree with it).
    words = raw.split()
    for i in range(0, len(words), MAX_SENTENCE_WORDS):
        yield words[i:i + MAX_SENTENCE_WORDS]


def _decode(word: bytes) -> str:
    return word.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class CorpusCounts:
    """The raw vocabulary of a segmented corpus (one scan, reused by preview and train)."""

    path: Path
    key: tuple[str, int, int]
    word_freq: dict[str, int]  # first-occurrence order, like gensim's own scan
    sentences: int
    tokens: int


_counts_cache: dict[tuple[str, int, int], CorpusCounts] = {}
_counts_lock = threading.Lock()


def _counts_file(path: Path) -> Path:
    return path.with_name(path.name + ".counts.json")


def _load_counts_file(path: Path, key: tuple[str, int, int]) -> CorpusCounts | None:
    try:
        data = json.loads(_counts_file(path).read_text(encoding="utf-8"))
        if data.get("key") != list(key[1:]):
            return None
        return CorpusCounts(path=path, key=key, word_freq=dict(data["words"]), sentences=int(data["sentences"]),
                            tokens=int(data["tokens"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def scan_corpus(corpus: Any, report: Reporter = null_reporter, cancel: CancelToken | None = None) -> CorpusCounts:
    """Count words and sentences of a segmented corpus; cached per file (path, size, mtime).

    For a SegmentedCorpus (which lives in the app's cache folder) the counts are also kept on disk beside
    it, so the preview is instant in a later session too; plain paths (user files) get no sidecar.
    """
    path = corpus_path(corpus)
    key = _corpus_key(path)
    persist = not isinstance(corpus, (str, os.PathLike))
    with _counts_lock:
        cached = _counts_cache.get(key)
    if cached is None and persist:
        cached = _load_counts_file(path, key)
        if cached is not None:
            with _counts_lock:
                _counts_cache[key] = cached
    if cached is not None:
        report(1, 1, "vocabulary")
        return cached
    cancel = cancel or CancelToken()
    size = key[1]
    counts: Counter[bytes] = Counter()
    sentences = tokens = done = 0
    last = time.monotonic()
    report(0, size, "vocabulary")
    with open(path, "rb") as fh:
        for raw in fh:
            done += len(raw)
            for words in _split_line(raw):
                sentences += 1
                tokens += len(words)
                counts.update(words)
            now = time.monotonic()
            if now - last >= REPORT_INTERVAL:
                last = now
                cancel.raise_if_cancelled()
                report(done, size, "vocabulary")
    cancel.raise_if_cancelled()
    report(size, size, "vocabulary")
    if tokens == 0:
        raise EmptyCorpus(f"The corpus {path.name} has no words to train on.",
                          "Check that the text files are not empty and were segmented.")
    word_freq: dict[str, int] = {}
    for word, n in counts.items():
        text = _decode(word)
        word_freq[text] = word_freq.get(text, 0) + n
    result = CorpusCounts(path=path, key=key, word_freq=word_freq, sentences=sentences, tokens=tokens)
    with _counts_lock:
        _counts_cache[key] = result
    if persist:
        try:
            _write_json_atomically({"key": list(key[1:]), "sentences": sentences, "tokens": tokens,
                                    "words": list(word_freq.items())}, _counts_file(path), indent=None)
        except OSError as err:  # a read-only cache folder only costs a rescan next time
            log.info("could not cache the word counts of %s: %s", path, err)
    return result


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
                for words in _split_line(raw):
                    on_words(len(words))
                    yield [_decode(w) for w in words]


@dataclass(frozen=True)
class _Slice:
    path: Path
    start: int  # corpus words before this slice
    words: int


# A slice takes one worker about this long at the estimated rate, so cancel stays well within 2 s even
# when the machine is busy (a slice costs ~1 ms of overhead, so small slices are cheap).
SLICE_SECONDS = 0.25
MIN_SLICE_WORDS = 2_000
MAX_SLICE_WORDS = 2_000_000
TAIL_SLICE_WORDS = 2_000


def _slice_words(config: TrainConfig, vocab_size: int) -> int:
    per_worker = estimate_words_per_second(config, vocab_size) / max(1, min(config.workers, os.cpu_count() or 1))
    return int(min(MAX_SLICE_WORDS, max(MIN_SLICE_WORDS, per_worker * SLICE_SECONDS)))


_SLICES_PREFIX = "w2v-slices-"


def _slices_folder(corpus: Path) -> Path:
    # The system temp folder: never the user's folders; removed when the run ends, cancelled or not.
    _remove_stale_slices()
    return Path(tempfile.mkdtemp(prefix=f"{_SLICES_PREFIX}{os.getpid()}-{corpus.stem[:20]}-"))


def _remove_stale_slices() -> None:
    """Remove slice folders left by killed runs (their process is gone). POSIX only: Windows has no
    harmless way to probe a pid, and its temp cleaner handles it."""
    if os.name != "posix":
        return
    try:
        entries = list(Path(tempfile.gettempdir()).glob(_SLICES_PREFIX + "*"))
    except OSError:
        return
    for entry in entries:
        pid_text = entry.name[len(_SLICES_PREFIX):].split("-", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid():
            continue
        try:
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            pass


def _write_slices(path: Path, slice_words: int, folder: Path, report: Reporter, cancel: CancelToken,
                  tokens: int = 0, workers: int = 1) -> list[_Slice]:
    """Cut the corpus at line ends into files of about ``slice_words`` words, for gensim's C++ reader.

    Towards the end the slices get smaller (guided scheduling), so no thread idles long while another
    finishes the epoch's last slice.
    """
    size = max(path.stat().st_size, 1)
    slices: list[_Slice] = []
    buf: list[bytes] = []
    start = words = done = 0
    last = time.monotonic()

    def flush() -> None:
        nonlocal buf, start, words
        if not words:
            return
        out = folder / f"{len(slices):06d}.txt"
        out.write_bytes(b"".join(buf))
        slices.append(_Slice(out, start, words))
        start += words
        buf, words = [], 0

    report(0, size, "preparing")
    with open(path, "rb") as fh:
        for raw in fh:
            done += len(raw)
            n = len(raw.split())
            if not n:
                continue
            buf.append(raw if raw.endswith(b"\n") else raw + b"\n")
            words += n
            remaining = tokens - start - words
            if words >= slice_words or (words >= TAIL_SLICE_WORDS and words * 2 * workers >= remaining > 0):
                flush()
                now = time.monotonic()
                if now - last >= REPORT_INTERVAL:
                    last = now
                    cancel.raise_if_cancelled()
                    report(done, size, "preparing")
    flush()
    report(size, size, "preparing")
    return slices


class _ModelView:
    """The model as gensim's corpus_file epoch loop sees it, with this slice's own learning-rate span.

    The loop reads alpha/min_alpha/epochs/workers from the object it is given and writes its loss back; a
    view per slice lets several slices train at once on the shared weights without racing on those fields.
    """

    def __init__(self, model: Word2Vec, start_alpha: float, end_alpha: float) -> None:
        self._model = model
        self.alpha = start_alpha
        self.min_alpha = end_alpha
        self.epochs = 1
        self.workers = 1  # this view's slice is read by one thread, start to end
        self.running_training_loss = 0.0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)


# --- preview -------------------------------------------------------------------------------------
# Seconds per effective word and worker, calibrated with bench/bench_train.py on People's Daily (2 cores):
# skip-gram + HS, 256 d, window 10 (15k words): ~65k words/s per worker; skip-gram + NS 5, 100 d, window 5:
# ~110k. HS walks ~0.6*log2(V) tree nodes per prediction; a negative sample also costs a table lookup.
_HS_NODE_SECONDS_256D = 0.17e-6
_NS_SAMPLE_SECONDS = (0.10e-6, 0.39e-6)  # fixed part, part per 256 dimensions
_WORD_SECONDS = 0.3e-6


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
    workers = min(config.workers, os.cpu_count() or 1)
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
    return TrainingPreview(
        tokens=counts.tokens, sentences=counts.sentences, vocab_total=len(freqs), vocab_kept=vocab_kept,
        effective_min_count=min_count, coverage=retain_total / max(counts.tokens, 1),
        sample_keep_ratio=effective / max(retain_total, 1), most_thinned=thinned, memory_bytes=int(memory),
        words_per_second=rate, estimated_seconds=effective * config.epochs / rate,
    )


# --- results -------------------------------------------------------------------------------------
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
class WordDrift:
    word: str
    overlap: float  # share of the old top-n that is still in the new top-n
    old_top: tuple[str, ...]
    new_top: tuple[str, ...]


@dataclass(frozen=True)
class DriftReport:
    words_checked: int
    n: int
    mean_overlap_at_10: float  # mean overlap at n (n is 10 unless asked otherwise)
    per_word: tuple[WordDrift, ...]  # in the old model's frequency order
    most_moved: tuple[WordDrift, ...]  # lowest overlap first
    new_words: int  # words the new model has that the old one did not
    max_vector_change: float  # largest absolute change of an old word's vector component


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


# --- neighbour drift -----------------------------------------------------------------------------
def _as_kv(model: LoadedModel | KeyedVectors | Word2Vec) -> KeyedVectors:
    if isinstance(model, LoadedModel):
        return model.wv
    if isinstance(model, Word2Vec):
        return model.wv
    return model


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    m = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return m / norms


def _top_n(queries: np.ndarray, base: np.ndarray, query_rows: np.ndarray, n: int) -> np.ndarray:
    """Row indices of each query's n nearest rows of ``base`` (excluding the query itself), best first."""
    sims = queries @ base.T
    sims[np.arange(len(query_rows)), query_rows] = -np.inf
    k = min(n, base.shape[0] - 1)
    part = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(sims, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


def neighbour_drift(before: LoadedModel | KeyedVectors | Word2Vec, after: LoadedModel | KeyedVectors | Word2Vec,
                    top_words: int = 1000, n: int = 10, among_old_only: bool = True,
                    most_moved: int = 20, cancel: CancelToken | None = None) -> DriftReport:
    """How many of the top-n neighbours of the most frequent old words stayed after (continued) training.

    With ``among_old_only`` the new model's neighbours are searched among the old vocabulary only, so
    that new words entering a list do not count as drift.
    """
    old_kv, new_kv = _as_kv(before), _as_kv(after)
    old_words = list(old_kv.index_to_key)
    common = [w for w in old_words if w in new_kv.key_to_index]
    new_words = sum(1 for w in new_kv.index_to_key if w not in old_kv.key_to_index)
    if len(common) < 2:
        return DriftReport(0, n, 1.0, (), (), new_words, 0.0)
    old_mat = _unit_rows(old_kv.vectors[[old_kv.key_to_index[w] for w in common]])
    new_raw = new_kv.vectors[[new_kv.key_to_index[w] for w in common]]
    max_change = float(np.max(np.abs(new_raw - old_kv.vectors[[old_kv.key_to_index[w] for w in common]])))
    if among_old_only:
        new_mat, new_vocab = _unit_rows(new_raw), common
    else:
        new_mat, new_vocab = _unit_rows(new_kv.vectors), list(new_kv.index_to_key)
    checked = list(range(min(top_words, len(common))))
    per_word: list[WordDrift] = []
    for start in range(0, len(checked), 256):
        if cancel is not None:
            cancel.raise_if_cancelled()
        rows = np.array(checked[start:start + 256])
        old_top = _top_n(old_mat[rows], old_mat, rows, n)
        if among_old_only:
            new_rows = rows
        else:
            new_rows = np.array([new_kv.key_to_index[common[r]] for r in rows])
        new_top = _top_n(new_mat[new_rows] if among_old_only else new_mat[new_rows], new_mat, new_rows, n)
        for i, r in enumerate(rows):
            o = tuple(common[j] for j in old_top[i])
            nw = tuple(new_vocab[j] for j in new_top[i])
            per_word.append(WordDrift(common[r], len(set(o) & set(nw)) / max(len(o), 1), o, nw))
    mean = float(np.mean([d.overlap for d in per_word])) if per_word else 1.0
    moved = tuple(sorted(per_word, key=lambda d: d.overlap)[:most_moved])
    return DriftReport(len(per_word), n, mean, tuple(per_word), moved, new_words, max_change)


# --- continue training: keep the old Huffman tree ------------------------------------------------
def _huffman(counts: Sequence[int]) -> tuple[list[list[int]], list[list[int]], int]:
    """Huffman codes for ``counts``: per leaf (bits, inner-node ids from the root), and the inner-node count.

    Inner nodes are numbered 0..m-2 with the root last, as gensim does.
    """
    m = len(counts)
    if m == 1:
        return [[]], [[]], 0
    heap = [(int(c), i) for i, c in enumerate(counts)]
    heapq.heapify(heap)
    children: dict[int, tuple[int, int]] = {}
    for j in range(m - 1):
        c1, a = heapq.heappop(heap)
        c2, b = heapq.heappop(heap)
        children[m + j] = (a, b)
        heapq.heappush(heap, (c1 + c2, m + j))
    codes: list[list[int]] = [[] for _ in range(m)]
    points: list[list[int]] = [[] for _ in range(m)]
    stack: list[tuple[int, list[int], list[int]]] = [(2 * m - 2, [], [])]
    while stack:
        node, code, point = stack.pop()
        if node < m:
            codes[node], points[node] = code, point
        else:
            left, right = children[node]
            p = point + [node - m]
            stack.append((left, code + [0], p))
            stack.append((right, code + [1], p))
    return codes, points, m - 1


def _graft_new_words_onto_tree(model: Word2Vec, old_codes: list[np.ndarray], old_points: list[np.ndarray]) -> None:
    """After a vocabulary update, keep every old word's Huffman path and hang the new words beside it.

    gensim rebuilds the whole tree on ``build_vocab(update=True)``, so old words get new paths through
    inner nodes whose ``syn1`` rows were trained for other words. Instead: a new root whose left child is
    the old root (old words' paths gain one leading node, their syn1 rows keep their meaning) and whose
    right child is a Huffman tree of the new words on fresh (zero) syn1 rows.
    """
    wv = model.wv
    n_old, n_all = len(old_codes), len(wv)
    used = max((int(p.max()) + 1 for p in old_points if len(p)), default=0)
    new_counts = [int(wv.get_vecattr(i, "count")) for i in range(n_old, n_all)]
    sub_codes, sub_points, sub_inner = _huffman(new_counts) if new_counts else ([], [], 0)
    root = used + sub_inner
    if root >= model.syn1.shape[0]:  # never for a real tree (a tree of v leaves has v-1 inner nodes)
        raise TrainingError("The base model's hierarchical-softmax tree is inconsistent; cannot continue training.")
    for i in range(n_old):
        wv.set_vecattr(i, "code", np.concatenate([[0], old_codes[i]]).astype(np.uint8))
        wv.set_vecattr(i, "point", np.concatenate([[root], old_points[i]]).astype(np.uint32))
    for k in range(len(new_counts)):
        wv.set_vecattr(n_old + k, "code", np.array([1] + sub_codes[k], dtype=np.uint8))
        wv.set_vecattr(n_old + k, "point", np.array([root] + [p + used for p in sub_points[k]], dtype=np.uint32))


# --- model files ---------------------------------------------------------------------------------
def _temp_name(path: Path) -> Path:
    # Keep the suffix last: gensim/smart_open picks compression from the file name.
    return path.with_name(f".{path.stem}.part-{os.getpid()}-{threading.get_ident()}{path.suffix}")


def save_model_atomically(model: Word2Vec, output: Path, cancel: CancelToken | None = None) -> Path:
    """Write a single-file full gensim model next to ``output``, then rename it over ``output``."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_name(output)
    lockf = model.wv.vectors_lockf
    model.wv.vectors_lockf = np.ones(1, dtype=np.float32)  # a saved model must train normally later
    try:
        model.save(str(tmp), sep_limit=SINGLE_FILE_SEP_LIMIT, pickle_protocol=4)
        if cancel is not None and cancel.cancelled:
            raise Cancelled()
        os.replace(tmp, output)
    except BaseException:
        _remove_quietly(tmp)
        raise
    finally:
        model.wv.vectors_lockf = lockf
    return output


def _remove_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as err:  # pragma: no cover - e.g. Windows file locks
        log.warning("could not remove %s: %s", path, err)


def _write_json_atomically(data: dict[str, Any], path: Path, indent: int | None = 1) -> None:
    tmp = _temp_name(path)
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=indent), encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        _remove_quietly(tmp)
        raise


def trainable_model(base: LoadedModel | Path | str | Word2Vec) -> Word2Vec:
    """A private, trainable copy of a full model (the caller's model is never modified)."""
    if isinstance(base, Word2Vec):
        return copy.deepcopy(base)
    if isinstance(base, LoadedModel):
        if base.model is None and not base.has_output_layer:
            raise TrainingError(f"{base.info.path.name} holds only word vectors, not a full model.",
                                "Continue training needs a full gensim model with its output layer.")
        # A deep copy even of to_word2vec()'s result: it may share arrays with the model on screen.
        return copy.deepcopy(base.model if base.model is not None else base.to_word2vec())
    from explorer.core.io import open_model

    path = Path(base)
    loaded = open_model(path)
    if loaded.model is None and not loaded.has_output_layer:
        raise TrainingError(f"{path.name} holds only word vectors, not a full model.",
                            "Continue training needs a full gensim model with its output layer.")
    return loaded.model if loaded.model is not None else loaded.to_word2vec()


# --- training ------------------------------------------------------------------------------------
def _alpha_at(config: TrainConfig, progress: float) -> float:
    """gensim's schedule: linear from alpha to min_alpha over the whole run (progress in epochs)."""
    return max(config.min_alpha, config.alpha - (config.alpha - config.min_alpha) * progress / config.epochs)


class _Run:
    """State of one training run (fresh, continued or resumed)."""

    def __init__(self, model: Word2Vec, counts: CorpusCounts, config: TrainConfig, output: Path,
                 report: Reporter, cancel: CancelToken, on_epoch: Callable[[EpochStats], None] | None,
                 checkpoint_dir: Path | None, state: dict[str, Any], engine: str = "slices") -> None:
        self.model, self.counts, self.config, self.output = model, counts, config, output
        self.report, self.cancel, self.on_epoch = report, cancel, on_epoch
        self.checkpoint_dir, self.state = checkpoint_dir, state
        self.engine = engine
        self.stats: list[EpochStats] = [EpochStats(**s) for s in state.get("epoch_stats", [])]
        self.slices: list[_Slice] = []
        self.slice_folder: Path | None = None
        self.words_per_second = 0.0  # raw words/s of the last epoch, for progress between slices

    def run_epochs(self) -> None:
        cfg, model, counts = self.config, self.model, self.counts
        total_words = counts.tokens * cfg.epochs
        self.words_per_second = estimate_words_per_second(cfg, len(model.wv))
        try:
            if self.engine == "slices":
                self.slice_folder = _slices_folder(counts.path)
                self.slices = _write_slices(counts.path, _slice_words(cfg, len(model.wv)), self.slice_folder,
                                            self.report, self.cancel, counts.tokens, cfg.workers)
            for epoch in range(int(self.state["epochs_done"]), cfg.epochs):
                self.cancel.raise_if_cancelled()
                stage = f"epoch {epoch + 1}/{cfg.epochs}"
                self.report(counts.tokens * epoch, total_words, stage)
                t0 = time.perf_counter()
                if self.engine == "slices":
                    effective, raw, loss = self._epoch_slices(epoch, stage, total_words)
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
                if self.checkpoint_dir is not None and epoch + 1 < cfg.epochs:
                    self.write_checkpoint()
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

    def _epoch_iterable(self, epoch: int, stage: str, total_words: int) -> tuple[int, int, float]:
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
            start_alpha=_alpha_at(cfg, epoch), end_alpha=_alpha_at(cfg, epoch + 1), compute_loss=cfg.compute_loss,
        )
        if stream.stopped:
            raise Cancelled()
        return int(effective), int(raw), float(model.get_latest_training_loss())

    def _epoch_slices(self, epoch: int, stage: str, total_words: int) -> tuple[int, int, float]:
        """One epoch with gensim's C++ corpus_file loop, one slice per call, on ``workers`` threads.

        Each slice gets the part of the global linear learning-rate schedule that its words cover, so the
        run follows gensim's schedule. Threads notice cancel between slices; the calling thread reports.
        """
        from gensim import matutils
        from gensim.models.word2vec_corpusfile import CythonVocab, train_epoch_cbow, train_epoch_sg

        cfg, model, counts = self.config, self.model, self.counts
        cython_vocab = CythonVocab(model.wv, hs=model.hs)
        train_slice = train_epoch_sg if model.sg else train_epoch_cbow
        slices, tokens, cancel = self.slices, counts.tokens, self.cancel
        lock = threading.Lock()
        tally = {"next": 0, "effective": 0, "raw": 0, "loss": 0.0, "started": 0}
        errors: list[BaseException] = []

        def worker() -> None:
            work = matutils.zeros_aligned(model.layer1_size, dtype=np.float32)
            neu1 = matutils.zeros_aligned(model.layer1_size, dtype=np.float32)
            while True:
                with lock:
                    if cancel.cancelled or errors or tally["next"] >= len(slices):
                        return
                    piece = slices[int(tally["next"])]
                    tally["next"] += 1
                    tally["started"] += piece.words
                view = _ModelView(model, _alpha_at(cfg, epoch + piece.start / tokens),
                                  _alpha_at(cfg, epoch + (piece.start + piece.words) / tokens))
                try:
                    _, effective, raw = train_slice(view, str(piece.path), 0, cython_vocab, 0, None, piece.words,
                                                    work, neu1, cfg.compute_loss)
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

    def write_checkpoint(self) -> None:
        assert self.checkpoint_dir is not None
        self.checkpoint_dir.mkdir(parents=True, exist_ok=True)
        self.state["alpha_next"] = _alpha_at(self.config, int(self.state["epochs_done"]))
        self.state["model"] = CHECKPOINT_MODEL if self.state["epochs_done"] else None
        if self.state["epochs_done"]:
            save_model_atomically(self.model, self.checkpoint_dir / CHECKPOINT_MODEL)
        _write_json_atomically(self.state, self.checkpoint_dir / CHECKPOINT_STATE)

    def save(self) -> None:
        self.cancel.raise_if_cancelled()
        self.report(0, 1, "saving")
        save_model_atomically(self.model, self.output, self.cancel)
        self.report(1, 1, "saving")
        if self.checkpoint_dir is not None:
            self.state["finished"] = True
            self.state["model"] = None
            _write_json_atomically(self.state, self.checkpoint_dir / CHECKPOINT_STATE)
            _remove_quietly(self.checkpoint_dir / CHECKPOINT_MODEL)


def _config_for_base(model: Word2Vec, config: TrainConfig) -> TrainConfig:
    """The architecture comes from the base model; schedule, window and thresholds from ``config``."""
    return dataclasses.replace(config, sg=bool(model.sg), hs=bool(model.hs), negative=int(model.negative),
                               vector_size=int(model.vector_size))


def _new_model(config: TrainConfig) -> Word2Vec:
    return Word2Vec(
        sg=int(config.sg), hs=int(config.hs), negative=config.negative, vector_size=config.vector_size,
        window=config.window, min_count=config.min_count, sample=config.sample, epochs=config.epochs,
        alpha=config.alpha, min_alpha=config.min_alpha, workers=config.workers, seed=config.seed,
        max_final_vocab=config.max_final_vocab, shrink_windows=config.shrink_windows,
        compute_loss=config.compute_loss,
    )


def _prepare_vocab(model: Word2Vec, counts: CorpusCounts, update: bool) -> None:
    model.build_vocab_from_freq(counts.word_freq, corpus_count=counts.sentences, update=update)
    # build_vocab_from_freq leaves these unset; gensim's own scan sets them.
    model.corpus_total_words = counts.tokens
    model.raw_vocab = {}


def _apply_lockf(model: Word2Vec, n_fixed: int) -> None:
    lockf = np.ones(len(model.wv), dtype=np.float32)
    lockf[:n_fixed] = 0.0
    model.wv.vectors_lockf = lockf


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
    (bytes cut into slices), "epoch i/N" (done/total = words over the whole run, so one bar covers all
    epochs; up to 5 reports a second, from the training threads), "saving". Raises Cancelled within about
    a second when ``cancel`` fires; ``output`` is then untouched and no temporary file is left. With
    ``checkpoint_dir`` the model is checkpointed after every epoch and ``resume(checkpoint_dir)`` continues
    an interrupted (cancelled, crashed, killed) run. ``on_epoch`` is called after each epoch (loss chart).

    ``base``: continue training that full model on ``corpus`` (its architecture wins over ``config``'s);
    ``keep_known_fixed`` freezes the vectors of the words it already knows (gensim's per-word
    ``wv.vectors_lockf``: 0 for old words, 1 for new), so their neighbours among old words cannot change; the
    output layer keeps learning. For hierarchical softmax the old words keep their Huffman paths and the new
    words get a subtree of their own (see _graft_new_words_onto_tree). ``engine``: "slices" (gensim's
    C++ corpus_file loop on slices of the corpus; the fast default) or "iterable" (gensim's train() on a
    streamed corpus; slower, kept for comparison).
    """
    t_start = time.perf_counter()
    cancel = cancel or CancelToken()
    output = Path(output)
    config.validate()
    if keep_known_fixed and base is None:
        raise TrainingError("“Keep known words fixed” needs a model to continue from.")
    counts = scan_corpus(corpus, report, cancel)
    cancel.raise_if_cancelled()
    state: dict[str, Any] = {
        "version": 1, "corpus": str(counts.path), "corpus_key": list(counts.key[1:]), "output": str(output),
        "config": config.to_dict(), "epochs_done": 0, "epoch_stats": [], "finished": False,
        "base": None, "keep_known_fixed": bool(keep_known_fixed), "n_old": 0, "engine": engine,
    }
    if engine not in ("slices", "iterable"):
        raise ValueError(f"unknown engine {engine!r}")
    before: KeyedVectors | None = None
    if base is None:
        model = _new_model(config)
        _prepare_vocab(model, counts, update=False)
    else:
        model = trainable_model(base)
        if isinstance(base, (str, Path)):
            state["base"] = str(base)
        elif isinstance(base, LoadedModel) and base.info.path.is_file():
            state["base"] = str(base.info.path)
        config = _config_for_base(model, config)
        state["config"] = config.to_dict()
        before = copy.deepcopy(model.wv)
        _start_continued(model, counts, config, keep_known_fixed)
        state["n_old"] = len(before)
    cancel.raise_if_cancelled()
    ckpt = Path(checkpoint_dir) if checkpoint_dir is not None else None
    run = _Run(model, counts, config, output, report, cancel, on_epoch, ckpt, state, engine)
    if ckpt is not None:
        run.write_checkpoint()
    return _finish(run, before, t_start, drift_words)


def _start_continued(model: Word2Vec, counts: CorpusCounts, config: TrainConfig, keep_known_fixed: bool) -> None:
    if len(model.wv) == 0:
        raise TrainingError("The base model has an empty vocabulary.")
    if model.hs and getattr(model, "syn1", None) is None or model.negative and getattr(model, "syn1neg", None) is None:
        raise TrainingError("The base model has no output layer (syn1/syn1neg), so it cannot be trained further.",
                            "Continue from a full gensim model, not from a vectors-only file.")
    n_old = len(model.wv)
    old_codes = [np.asarray(model.wv.get_vecattr(i, "code")) for i in range(n_old)] if model.hs else []
    old_points = [np.asarray(model.wv.get_vecattr(i, "point")) for i in range(n_old)] if model.hs else []
    for name in ("window", "sample", "min_count", "epochs", "alpha", "min_alpha", "workers",
                 "shrink_windows", "max_final_vocab"):
        setattr(model, name, getattr(config, name))
    model.compute_loss = config.compute_loss
    _prepare_vocab(model, counts, update=True)
    if model.hs:
        _graft_new_words_onto_tree(model, old_codes, old_points)
    if keep_known_fixed:
        _apply_lockf(model, n_old)


def _finish(run: _Run, before: KeyedVectors | None, t_start: float, drift_words: int) -> TrainResult:
    try:
        run.run_epochs()
        run.save()
    except Cancelled:
        raise
    except (MemoryError, OSError) as err:
        raise TrainingError(f"Training stopped: {err}", "Free some memory or disk space and try again.") from err
    drift = None
    n_old = int(run.state.get("n_old") or 0)
    if before is not None:
        drift = neighbour_drift(before, run.model.wv, top_words=drift_words)
    return TrainResult(
        model_path=run.output, epochs_done=int(run.state["epochs_done"]), epoch_stats=tuple(run.stats),
        vocab_size=len(run.model.wv), drift=drift, seconds=time.perf_counter() - t_start, config=run.config,
        new_words=len(run.model.wv) - n_old if before is not None else 0,
    )


def checkpoints_root() -> Path:
    """Where the explorer keeps training checkpoints: $W2V_EXPLORER_CACHE/checkpoints, else the user cache."""
    return cache_folder("checkpoints")


def checkpoint_dir_for(output: Path | str) -> Path:
    """The checkpoint folder of a training that saves to ``output`` (one per output file)."""
    output = Path(output).expanduser().resolve()
    digest = hashlib.sha1(str(output).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return checkpoints_root() / f"{output.stem[:40]}-{digest}"


@dataclass(frozen=True)
class InterruptedTraining:
    """A training that stopped before saving its model (closed, killed, cancelled) and can be resumed."""

    checkpoint_dir: Path
    output: Path
    epochs_done: int
    epochs: int
    stopped_at: float  # seconds since the epoch: when its last checkpoint was written


def interrupted_trainings(root: Path | None = None) -> list[InterruptedTraining]:
    """The unfinished trainings under ``root`` (default: checkpoints_root()), most recent first."""
    root = checkpoints_root() if root is None else root
    found: list[InterruptedTraining] = []
    try:
        folders = [d for d in root.iterdir() if (d / CHECKPOINT_STATE).is_file()]
    except OSError:
        return []
    for folder in folders:
        try:
            state = read_checkpoint(folder)
            if state.get("finished"):
                continue
            found.append(InterruptedTraining(folder, Path(state["output"]), int(state.get("epochs_done") or 0),
                                             int(state["config"]["epochs"]),
                                             (folder / CHECKPOINT_STATE).stat().st_mtime))
        except (TrainingError, OSError, KeyError, TypeError, ValueError):
            continue  # unreadable: not offered
    return sorted(found, key=lambda t: t.stopped_at, reverse=True)


def discard_checkpoint(checkpoint_dir: Path | str) -> None:
    """Forget an interrupted training (its checkpoint folder)."""
    shutil.rmtree(checkpoint_dir, ignore_errors=True)


def read_checkpoint(checkpoint_dir: Path | str) -> dict[str, Any]:
    """The state a checkpoint directory holds (config, corpus, output, epochs done, ...)."""
    path = Path(checkpoint_dir) / CHECKPOINT_STATE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TrainingError(f"{checkpoint_dir} holds no training checkpoint.",
                            "Choose the checkpoint folder of an interrupted training.") from None
    except (OSError, ValueError) as err:
        raise TrainingError(f"The checkpoint in {checkpoint_dir} cannot be read: {err}") from err


def resume(checkpoint_dir: Path | str, report: Reporter = null_reporter, cancel: CancelToken | None = None,
           on_epoch: Callable[[EpochStats], None] | None = None, drift_words: int = 1000) -> TrainResult:
    """Continue an interrupted ``train(..., checkpoint_dir=...)`` from its last finished epoch."""
    t_start = time.perf_counter()
    ckpt = Path(checkpoint_dir)
    cancel = cancel or CancelToken()
    state = read_checkpoint(ckpt)
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
    base = state.get("base")
    model_file = ckpt / CHECKPOINT_MODEL
    if not state.get("epochs_done") or not model_file.is_file():
        # Killed before the first epoch ended: nothing to keep, start again with the same settings.
        return train(corpus, config, Path(state["output"]), report, cancel, on_epoch=on_epoch,
                     base=Path(base) if base else None, keep_known_fixed=bool(state.get("keep_known_fixed")),
                     checkpoint_dir=ckpt, drift_words=drift_words, engine=state.get("engine", "slices"))
    counts = scan_corpus(corpus, report, cancel)
    try:
        model = Word2Vec.load(str(model_file))
    except Exception as err:
        raise TrainingError(f"The checkpoint model in {ckpt} cannot be read: {err}",
                            "Start a new training instead.") from err
    if state.get("keep_known_fixed"):
        _apply_lockf(model, int(state["n_old"]))
    before = None
    if base and Path(base).is_file():
        before = trainable_model(Path(base)).wv
    run = _Run(model, counts, config, Path(state["output"]), report, cancel, on_epoch, ckpt, state,
               state.get("engine", "slices"))
    return _finish(run, before, t_start, drift_words)
