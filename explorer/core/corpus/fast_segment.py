"""The compiled segmenter: rjieba (jieba-rs), made to cut exactly as jieba does with the same dictionary.

jieba-rs follows jieba's algorithm (prefix dictionary, max-probability route, the same HMM tables), with two
differences this module removes, so its tokens are jieba's (measured by bench/bench_segment.py on every
shared corpus, and by tests/test_fast_segment.py):

- jieba's HMM (``finalseg.cut``) splits the non-Chinese parts of an unknown stretch into runs of
  letters/digits (``2008``, ``-``, ``6``); jieba-rs keeps ``2008-6-1`` whole. Such a token is cut again with
  jieba's own ``finalseg.cut``: rare, so it costs nothing measurable.
- jieba-rs counts more characters as Chinese than jieba (CJK extension A); jieba cuts tokens holding them
  again (jieba's own cut, also rare).
- jieba splits the user's frequency-0 words ("always split this") into characters when its HMM finds them;
  jieba-rs has no such list. Each segmenter keeps its own set (never jieba's module-wide one) and splits here.

With a user dictionary, jieba-rs is filled from jieba's own prefix dictionary (the saved state, user words
included, frequencies as jieba computed them), plus one unreachable word that makes its total frequency equal
to jieba's, since jieba never subtracts a replaced word's frequency. Without one, jieba-rs's built-in
dictionary is jieba's dict.txt.

``W2V_EXPLORER_NO_FAST_SEGMENTER=1`` makes the backend count as not installed (tests, comparisons).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

SEGMENTERS = ("auto", "jieba", "fast")  # what SegmentOptions.segmenter and `w2v train --segmenter` accept
FAST_NAME = "rjieba"
DISABLE_ENV = "W2V_EXPLORER_NO_FAST_SEGMENTER"

# Configurations (hmm, with a user dictionary) where the fast backend's lines matched jieba's on >= 99.9% of
# the lines of every shared corpus (bench/bench_segment.py --agreement; see bench/out/bench_segment.txt):
# "auto" uses it only for these.
VERIFIED = frozenset({(True, False), (False, False), (True, True), (False, True)})

_HAN_ONLY = re.compile("[\u4E00-\u9FD5]+")  # jieba's finalseg.re_han: what its HMM runs on
# jieba's re_han_default: what reaches its dictionary at all. jieba-rs counts more as Chinese (e.g. the
# extension-A characters of classical poetry); jieba yields each such character on its own.
_JIEBA_BLOCK = re.compile("[\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+")
# A line made only of these needs no fix-up (most Chinese text): only jieba's HMM words (Chinese) and
# punctuation, one character per token in both. Checking one regex per line is cheaper than each token.
_PLAIN = re.compile("[\u4E00-\u9FD5\u3000-\u303F\uFF01-\uFF0F\uFF1A-\uFF20\u2014-\u2026\u00B7 ]*")
# A word no text can contain: segmenters strip U+FEFF before cutting. It carries the frequency that makes
# jieba-rs's total equal jieba's.
_PAD_WORD = "\ufeff\ufeff"


def fast_available() -> bool:
    """Whether the compiled backend can be used here (installed, and not switched off by the env var)."""
    if os.environ.get(DISABLE_ENV, "").strip() not in ("", "0"):
        return False
    try:
        import rjieba  # noqa: F401
    except ImportError:
        return False
    return True


def resolve(choice: str, hmm: bool, user_dict: bool) -> tuple[str, str]:
    """("jieba" or "rjieba", a note for the user or "") for SegmentOptions.segmenter = ``choice``."""
    if choice == "jieba":
        return "jieba", ""
    if not fast_available():
        if choice == "fast":
            return "jieba", ("The fast segmenter (rjieba) is not installed, so jieba segmented this corpus: the "
                             "same words, about ten times slower. Install it with: pip install rjieba")
        log.info("rjieba is not installed: segmenting with jieba")
        return "jieba", ""
    if choice == "auto" and (hmm, user_dict) not in VERIFIED:
        return "jieba", ""
    return FAST_NAME, ""


class FastCutter:
    """jieba's ``Tokenizer.cut(text, HMM=hmm)`` as a list, computed by jieba-rs."""

    def __init__(self, freq: dict[str, int] | None, total: int, force_split: set[str], hmm: bool, user_dict: bool,
                 hmm_fallback: Callable[[str], list[str]], jieba_cut: Callable[[str], list[str]]) -> None:
        import rjieba

        if user_dict:
            assert freq is not None
            self.engine: Any = rjieba.Jieba.empty()
            add = self.engine.add_word
            added = 0
            for word, f in freq.items():
                if f > 0:  # frequency 0: a prefix, or a word the user wants split: not a word for the route
                    add(word, f, None)
                    added += f
            if total > added:
                add(_PAD_WORD, total - added, None)
        else:
            # The instance rjieba builds on import (0.3 s; a second one would cost as much again). Read only:
            # nothing here adds words to it.
            self.engine = rjieba
        # Whether a token is one of the dictionary's words (frequency > 0): jieba's table, else jieba-rs's own
        # (the same words: checked word by word against jieba 0.42.1's 498,113 entries, prefixes included).
        self.known: Callable[[str], Any] = freq.get if freq is not None else self.engine.has_word
        self.force_split = force_split
        self.hmm = hmm
        self.hmm_fallback = hmm_fallback  # jieba's finalseg.cut with this segmenter's force-split words
        self.jieba_cut = jieba_cut  # jieba's whole cut, for the rare token jieba would not have seen as one block

    def cut(self, text: str) -> list[str]:
        tokens: list[str] = self.engine.cut(text, self.hmm)
        if not self.hmm or (not self.force_split and _PLAIN.fullmatch(text)):
            return tokens
        known = self.known
        out: list[str] | None = None
        for i, token in enumerate(tokens):
            # Only HMM words (unknown to the dictionary, longer than one character) can differ from jieba's.
            if len(token) > 1 and not known(token):
                if _HAN_ONLY.fullmatch(token):
                    if token not in self.force_split:
                        if out is not None:
                            out.append(token)
                        continue
                    pieces = list(token)
                elif _JIEBA_BLOCK.fullmatch(token):
                    pieces = self.hmm_fallback(token)
                else:
                    pieces = self.jieba_cut(token)
                if out is None:
                    out = tokens[:i]
                out.extend(pieces)
            elif out is not None:
                out.append(token)
        return tokens if out is None else out
