"""Corpus faults from the audit (issue 8): jieba state leaking between segmentations, a saved jieba state that
could carry code, mixed-encoding files turned to mojibake, an unwritable cache, litter after a kill.

Real jieba, real files (tests/data/corpus); no mocks.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.core.corpus import SegmentOptions, inspect_files, segment_corpus

DATA = Path(__file__).resolve().parents[1] / "data" / "corpus"


def tokens_of(corpus_path: Path) -> list[list[str]]:
    return [line.split() for line in corpus_path.read_text(encoding="utf-8").splitlines()]


# --- jieba state is each segmenter's own ----------------------------------------------------------------
def test_a_force_split_user_word_does_not_leak_into_a_later_segmentation(tmp_path: Path) -> None:
    # jieba's own answers, from its README: 网易/杭研/大厦 by default; a user word "杭研 0" forces 杭/研.
    text = tmp_path / "a.txt"
    text.write_text("网易杭研大厦\n", encoding="utf-8")
    other = tmp_path / "b.txt"
    other.write_text("网易杭研大厦\n", encoding="utf-8")
    user_dict = tmp_path / "dict.txt"
    user_dict.write_text("杭研 0\n", encoding="utf-8")
    from explorer.core.corpus import segment as segment_module

    with_dict = segment_corpus([text], SegmentOptions(user_dict=user_dict), cache_dir=tmp_path / "c", workers=1)
    assert tokens_of(with_dict.path) == [["网易", "杭", "研", "大厦"]]
    without = segment_corpus([other], SegmentOptions(), cache_dir=tmp_path / "c", workers=1)
    assert tokens_of(without.path) == [["网易", "杭研", "大厦"]]
    # again with the dictionary's saved state loaded instead of built, then without
    segment_module._in_process = None
    again = segment_corpus([text], SegmentOptions(user_dict=user_dict), cache_dir=tmp_path / "c", workers=1,
                           use_cache=False)
    assert tokens_of(again.path) == [["网易", "杭", "研", "大厦"]]
    segment_module._in_process = None
    plain = segment_corpus([other], SegmentOptions(), cache_dir=tmp_path / "c", workers=1, use_cache=False)
    assert tokens_of(plain.path) == [["网易", "杭研", "大厦"]]
    from jieba import finalseg

    assert "杭研" not in finalseg.Force_Split_Words  # jieba's module-wide set is left as it was


def test_the_saved_jieba_state_cannot_run_code(tmp_path: Path) -> None:
    """A pickle planted where the segmenter keeps jieba's state is never unpickled."""
    from explorer.core.corpus import seg_cache

    cache = tmp_path / "cache"
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    for user_dict in (None, b"\xe6\x9d\xad\xe7\xa0\x94 0\n"):
        state = seg_cache.state_file(cache, user_dict)
        state.parent.mkdir(parents=True, exist_ok=True)
        state.write_bytes(pickle.dumps((1, Payload(), 1, [])))
    (tmp_path / "dict.txt").write_bytes(b"\xe6\x9d\xad\xe7\xa0\x94 0\n")
    text = tmp_path / "a.txt"
    text.write_text("网易杭研大厦\n", encoding="utf-8")
    from explorer.core.corpus import segment as segment_module

    for options in (SegmentOptions(), SegmentOptions(user_dict=tmp_path / "dict.txt")):
        segment_module._in_process = None
        corpus = segment_corpus([text], options, cache_dir=cache, workers=1, use_cache=False)
        assert corpus.tokens >= 3
    assert not marker.exists()


def test_no_plain_pickle_load_outside_the_restricted_loader() -> None:
    package = Path(__file__).resolve().parents[2] / "explorer"
    found = subprocess.run(["grep", "-rn", "pickle.load", str(package)], capture_output=True, text=True).stdout
    outside = [line for line in found.splitlines()
               if "/core/io/" not in line and "/core/legacy.py" not in line]  # legacy.py moves to core/io/
    assert outside == []


def test_a_saved_jieba_state_reads_back_and_a_damaged_one_is_rebuilt(tmp_path: Path) -> None:
    from explorer.core.corpus.jieba_state import JiebaState, load_state, save_state

    state = JiebaState({"网易": 12, "网": 30, "New York": 3, "New": 0}, 45, frozenset({"杭研", "a b"}))
    path = tmp_path / "s.state"
    save_state(path, state)
    assert load_state(path) == state
    data = path.read_bytes()
    for damaged in (data[:-1], data + b"x", data[:40], b"", data.replace(b'"words": 4', b'"words": 5'),
                    data.replace(b'"format": 2', b'"format": 1'), pickle.dumps(state.freq)):
        path.write_bytes(damaged)
        assert load_state(path) is None
    assert load_state(tmp_path / "missing.state") is None
