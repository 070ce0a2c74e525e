"""jieba segmentation: the segmenter (its own jieba Tokenizer and saved state, and optionally the compiled
backend, fast_segment.py), in-process or in worker processes."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import signal
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from explorer.core.corpus.fast_segment import FAST_NAME, FastCutter
from explorer.core.corpus.jieba_state import JiebaState, load_state, save_state

log = logging.getLogger(__name__)

# A small, conservative list: function words and particles that carry no topic. Users who want more
# pass their own file (SegmentOptions.stopwords).
BUILTIN_STOPWORDS = frozenset("""
的 了 着 过 是 在 和 与 及 或 而 并 且 也 都 就 还 又 再 才 只 很 太 更 最 挺 非常 比较 已经 正在 将 会 能 可以
要 想 应该 可能 不 没 没有 无 非 别 未 我 你 您 他 她 它 我们 你们 他们 她们 它们 咱们 大家 自己 人家 别人
这 那 哪 这个 那个 哪个 这些 那些 哪些 这样 那样 怎样 这么 那么 怎么 怎么样 什么 为什么 谁 哪里 这里 那里
之 其 此 该 各 每 某 本 个 些 一个 一些 一种 一样 一下 一直 一点 有 有些 有点 把 被 让 给 对 对于 关于 向
从 自 自从 到 往 于 以 以及 为 为了 因为 所以 因此 由于 但 但是 可是 然而 不过 而且 并且 如果 要是 假如
即使 虽然 尽管 只要 只有 除了 或者 还是 然后 接着 于是 那么 就是 就是说 比如 例如 等 等等 之一 之后 之前
之间 之中 以上 以下 以后 以前 其中 其他 其它 另外 另 啊 呀 吧 吗 呢 哦 哈 嘛 呗 啦 哎 嗯 喔 哇 么 得 地
所 来 去 上 下 中 里 内 外 个人 时候 时 后 前 又是 还有 就要 不是 也是 都是 这种 那种 啦 呵呵 哈哈
""".split())


# Invisible characters that would otherwise become tokens of their own (U+FEFF appears inside real CSVs).
_INVISIBLE = re.compile("[\ufeff\u200b-\u200f\u2060\u00ad\u202a-\u202e]")
_punctuation: frozenset[str] | None = None


def _punctuation_chars() -> frozenset[str]:
    global _punctuation
    if _punctuation is None:
        # Punctuation exists only in planes 0 and 1; scanning just those takes 1/17 of the time.
        _punctuation = frozenset(
            c for c in map(chr, range(0x20000)) if unicodedata.category(c).startswith("P"))
    return _punctuation


_WHITESPACE = frozenset(c for c in map(chr, range(0x3000 + 1)) if c.isspace())


def drop_chars(remove_punctuation: bool) -> frozenset[str]:
    """Whitespace and U+FFFD (what undecodable bytes became) always go; punctuation on request."""
    drop = _WHITESPACE | {"\ufffd"}
    return drop | _punctuation_chars() if remove_punctuation else drop


@dataclass(frozen=True)
class SegmenterConfig:
    """Everything a worker needs; pickled once per worker process."""

    user_dict_text: str | None
    hmm: bool
    drop_chars: frozenset[str]  # a token made only of these is dropped (computed once here, not per worker)
    stopwords: frozenset[str]
    lowercase: bool
    state_file: Path | None = None  # jieba's prefix dictionary (+ user words), saved by the first segmenter
    backend: str = "jieba"  # or "rjieba": the compiled backend (fast_segment.resolve chose it), same tokens


# jieba keeps the user's frequency-0 words ("split this word") in one module-wide set, finalseg.Force_Split_Words,
# read by every Tokenizer's HMM. A segmenter swaps its own set in only while it loads its dictionary or cuts,
# under this lock, so a user dictionary never changes how another segmentation (or anyone's jieba) cuts.
_FORCE_SPLIT_LOCK = threading.Lock()


@contextlib.contextmanager
def _own_force_split(words: set[str]) -> Iterator[None]:
    from jieba import finalseg

    with _FORCE_SPLIT_LOCK:
        shared = finalseg.Force_Split_Words
        finalseg.Force_Split_Words = words
        try:
            yield
        finally:
            finalseg.Force_Split_Words = shared


class Segmenter:
    def __init__(self, config: SegmenterConfig) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        # A private Tokenizer, so a user dictionary never leaks into jieba's global one.
        self.tokenizer = jieba.Tokenizer()
        self.force_split: set[str] = set()
        self.config = config
        self.fast: FastCutter | None = None
        if config.backend == FAST_NAME and not config.user_dict_text:
            # jieba-rs's built-in dictionary is jieba's: jieba's own is not loaded (half a second per worker);
            # the tokenizer initialises itself if a rare fix-up needs jieba's whole cut.
            self.fast = FastCutter(None, 0, self.force_split, config.hmm, False, self._finalseg_cut, self._jieba_cut)
        else:
            state = load_state(config.state_file) if config.state_file is not None else None
            if state is not None:
                self.tokenizer.FREQ, self.tokenizer.total = state.freq, state.total
                self.tokenizer.initialized = True
                self.force_split = set(state.force_split)
            else:
                self._build_state(config)
            if config.backend == FAST_NAME:
                self.fast = FastCutter(self.tokenizer.FREQ, self.tokenizer.total, self.force_split, config.hmm,
                                       True, self._finalseg_cut, self._jieba_cut)
        self.drop = config.drop_chars
        self.stopwords = frozenset(w.lower() for w in config.stopwords) if config.lowercase else config.stopwords

    def _build_state(self, config: SegmenterConfig) -> None:
        folder = config.state_file.parent if config.state_file is not None else None
        if folder is not None and os.access(folder, os.W_OK):
            # jieba's own dictionary cache then lives in our cache folder, not in a shared temp folder
            self.tokenizer.tmp_dir = str(folder)
        self.tokenizer.initialize()
        if config.user_dict_text:
            with _own_force_split(self.force_split):  # load_userdict adds frequency-0 words to it
                self.tokenizer.load_userdict(io.StringIO(config.user_dict_text))
        if config.state_file is not None:  # missing or unreadable: (re)write it for the next run
            try:  # (save_state creates the folder)
                save_state(config.state_file,
                           JiebaState(self.tokenizer.FREQ, self.tokenizer.total, frozenset(self.force_split)))
            except OSError as err:
                log.info("could not save jieba's state to %s: %s", config.state_file, err)

    def _finalseg_cut(self, text: str) -> list[str]:
        """jieba's HMM on ``text`` with this segmenter's frequency-0 words (the fast backend's rare fix-ups)."""
        from jieba import finalseg

        with _own_force_split(self.force_split):
            return list(finalseg.cut(text))

    def _jieba_cut(self, text: str) -> list[str]:
        with _own_force_split(self.force_split):
            return list(self.tokenizer.cut(text, HMM=self.config.hmm))

    def cut(self, text: str) -> list[str]:
        """jieba's tokens for ``text`` (with this segmenter's dictionary and HMM setting), nothing dropped."""
        if self.fast is not None:
            return self.fast.cut(_INVISIBLE.sub("", text))
        return self._jieba_cut(_INVISIBLE.sub("", text))

    def segment(self, items: list[str]) -> tuple[bytes, int, int]:
        """(UTF-8 lines, sentences, tokens) for a chunk of text items."""
        cut = self.tokenizer.cut
        hmm = self.config.hmm
        drop = self.drop
        stop = self.stopwords
        lower = self.config.lowercase
        out: list[str] = []
        tokens = 0
        if self.fast is not None:
            fast_cut = self.fast.cut
            cuts = [fast_cut(_INVISIBLE.sub("", item)) for item in items]
        else:
            with _own_force_split(self.force_split):
                cuts = [list(cut(_INVISIBLE.sub("", item), HMM=hmm)) for item in items]
        for pieces in cuts:
            words = [w for w in pieces if w and not drop.issuperset(w)]
            if lower:
                words = [w.lower() for w in words]
            if stop:
                words = [w for w in words if w not in stop]
            if words:
                out.append(" ".join(words))
                tokens += len(words)
        if not out:
            return b"", 0, 0
        return ("\n".join(out) + "\n").encode("utf-8"), len(out), tokens


_in_process: tuple[SegmenterConfig, Segmenter] | None = None
_in_process_lock = threading.Lock()


def local_segmenter(config: SegmenterConfig) -> Segmenter:
    """One cached in-process segmenter (building one loads jieba's dictionary: about half a second)."""
    global _in_process
    with _in_process_lock:
        if _in_process is None or _in_process[0] != config:
            _in_process = (config, Segmenter(config))
        return _in_process[1]


# Worker-process side. Top-level functions so the spawn start method (Windows, macOS, frozen apps) can find them.
_worker: Segmenter | None = None
_worker_error = ""


def init_worker(config: SegmenterConfig) -> None:
    global _worker, _worker_error
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl+C and terminates the pool
    try:
        _worker = Segmenter(config)
    except Exception as err:  # an initializer that raises makes Pool respawn it forever; report it per task instead
        _worker_error = f"{type(err).__name__}: {err}"


def segment_chunk(items: list[str]) -> tuple[bytes, int, int]:
    if _worker is None:
        raise RuntimeError(f"the segmenter could not start: {_worker_error}")
    return _worker.segment(items)
