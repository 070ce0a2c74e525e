"""The compiled segmenter (rjieba) gives jieba's tokens; jieba is used when it is missing or not chosen."""

from __future__ import annotations

import gzip
import io
import logging
from pathlib import Path

import pytest

from explorer.core.corpus import SegmentOptions, fast_segment, segment_corpus
from explorer.core.corpus.segment import Segmenter, SegmenterConfig, drop_chars
from explorer.core.errors import CorpusError

DATA = Path(__file__).resolve().parents[1] / "data"
USER_DICT = DATA / "user_dict_mixed.txt"


def corpus_lines() -> list[str]:
    """Lines of every kind of text in tests/data: novel, news, reviews, traditional poetry, digits and Latin."""
    lines = (DATA / "sanguo_yanyi_head300.txt").read_text(encoding="utf-8").splitlines()
    lines += (DATA / "corpus" / "hotel_utf8_bom.txt").read_text(encoding="utf-8-sig").splitlines()
    lines += (DATA / "corpus" / "waimai_utf16.txt").read_text(encoding="utf-16").splitlines()
    lines += (DATA / "corpus" / "tangshi_big5.txt").read_text(encoding="big5").splitlines()
    lines += (DATA / "corpus" / "pd199801_damaged_utf8.txt").read_text(encoding="utf-8", errors="replace").splitlines()
    with gzip.open(DATA / "corpus" / "shopping_neg.txt.gz", "rt", encoding="utf-8") as f:
        lines += f.read().splitlines()
    # Every 4th line: all kinds of text, at a quarter of jieba's time (the bench covers the full corpora).
    return [line for line in lines[::4] if line.strip()]


_segmenters: dict[tuple[str, bool, bool], Segmenter] = {}


def segmenter(backend: str, hmm: bool, user_dict: bool) -> Segmenter:
    """One per configuration for the module (jieba computing the user words' frequencies takes a while)."""
    key = (backend, hmm, user_dict)
    if key not in _segmenters:
        text = USER_DICT.read_text(encoding="utf-8") if user_dict else None
        _segmenters[key] = Segmenter(SegmenterConfig(text, hmm, drop_chars(False), frozenset(), False, None,
                                                     backend=backend))
    return _segmenters[key]


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return corpus_lines()


@pytest.mark.parametrize("hmm", [True, False])
def test_same_tokens_as_jieba_itself(lines: list[str], hmm: bool) -> None:
    pytest.importorskip("rjieba")
    import jieba

    jieba.setLogLevel(logging.WARNING)
    reference = jieba.Tokenizer()  # plain jieba, its own dictionary, no user words
    fast = segmenter("rjieba", hmm, user_dict=False)
    assert fast.fast is not None
    differing = [line for line in lines if fast.cut(line) != list(reference.cut(line, HMM=hmm))]
    assert differing == []
    assert any(any(c.isdigit() for c in line) for line in lines)  # the fix-ups for digit runs were exercised


@pytest.mark.parametrize("hmm", [True, False])
def test_same_tokens_as_jieba_with_a_user_dictionary(lines: list[str], hmm: bool) -> None:
    pytest.importorskip("rjieba")
    jieba_seg, fast = segmenter("jieba", hmm, True), segmenter("rjieba", hmm, True)
    assert fast.fast is not None and jieba_seg.fast is None
    differing = [line for line in lines if fast.cut(line) != jieba_seg.cut(line)]
    assert differing == []
    assert fast.segment(lines) == jieba_seg.segment(lines)


@pytest.mark.parametrize("backend", ["jieba", "rjieba"])
def test_user_dictionary_is_honoured(backend: str) -> None:
    if backend == "rjieba":
        pytest.importorskip("rjieba")
    text = "外卖小哥送餐很快，性价比高。中国人民很好。这家店的菜不好吃，送得太慢了。"
    with_dict = segmenter(backend, True, True).cut(text)
    without = segmenter(backend, True, False).cut(text)
    assert "外卖小哥" in with_dict and "外卖小哥" not in without      # a user word with a frequency
    assert "性价比高" in with_dict and "性价比高" not in without      # a user word without one
    assert "中国" in without and "中国" not in with_dict              # frequency 0: jieba's word, split
    for split in ("不好吃", "太慢了"):                               # frequency 0: never one token
        assert split not in with_dict


def test_force_split_words_stay_with_their_segmenter() -> None:
    pytest.importorskip("rjieba")
    from jieba import finalseg

    before = set(finalseg.Force_Split_Words)
    segmenter("rjieba", True, True).cut("中国人民很好")
    assert "中国" in segmenter("rjieba", True, False).cut("中国人民很好")
    assert set(finalseg.Force_Split_Words) == before


def test_pipeline_same_output_in_worker_processes(tmp_path: Path) -> None:
    pytest.importorskip("rjieba")
    source = DATA / "sanguo_yanyi_head300.txt"
    ref = segment_corpus([source], SegmentOptions(segmenter="jieba", user_dict=USER_DICT), cache_dir=tmp_path / "a",
                         workers=2, use_cache=False)
    fast = segment_corpus([source], SegmentOptions(segmenter="fast", user_dict=USER_DICT), cache_dir=tmp_path / "b",
                          workers=2, use_cache=False)
    assert (ref.segmenter, fast.segmenter) == ("jieba", "rjieba")
    assert fast.path.read_bytes() == ref.path.read_bytes()
    assert (fast.sentences, fast.tokens) == (ref.sentences, ref.tokens)
    again = segment_corpus([source], SegmentOptions(segmenter="fast", user_dict=USER_DICT), cache_dir=tmp_path / "b")
    assert again.from_cache and again.segmenter == "rjieba"


def test_missing_backend_falls_back_to_jieba(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fast_segment.DISABLE_ENV, "1")  # the import of rjieba is treated as failing
    assert not fast_segment.fast_available()
    source = DATA / "corpus" / "hotel_utf8_bom.txt"
    asked = segment_corpus([source], SegmentOptions(segmenter="fast"), cache_dir=tmp_path, workers=1)
    assert asked.segmenter == "jieba"
    assert "(rjieba) is not installed" in asked.note and "pip install rjieba" in asked.note
    auto = segment_corpus([source], SegmentOptions(), cache_dir=tmp_path, workers=1, use_cache=False)
    assert auto.segmenter == "jieba" and auto.note == ""
    reference = segment_corpus([source], SegmentOptions(segmenter="jieba"), cache_dir=tmp_path, workers=1,
                               use_cache=False)
    assert asked.path.read_bytes() == auto.path.read_bytes() == reference.path.read_bytes()


def test_auto_uses_fast_only_where_verified(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("rjieba")
    monkeypatch.delenv(fast_segment.DISABLE_ENV, raising=False)
    assert fast_segment.resolve("jieba", True, False) == ("jieba", "")
    assert fast_segment.resolve("fast", False, True) == ("rjieba", "")
    for hmm in (True, False):
        for user_dict in (True, False):
            expected = "rjieba" if (hmm, user_dict) in fast_segment.VERIFIED else "jieba"
            assert fast_segment.resolve("auto", hmm, user_dict)[0] == expected


def test_unknown_segmenter_is_a_clear_error() -> None:
    with pytest.raises(CorpusError, match="Unknown segmenter 'rust'") as err:
        SegmentOptions(segmenter="rust")
    assert "auto, jieba, fast" in err.value.hint


def test_cli_option(tmp_path: Path) -> None:
    import argparse

    from explorer.cli import train

    parser = argparse.ArgumentParser()
    train.register(parser.add_subparsers())
    args = parser.parse_args(["train", "x.txt", "--segmenter", "jieba"])
    assert args.segmenter == "jieba"
    assert parser.parse_args(["train", "x.txt"]).segmenter == "auto"
    with pytest.raises(SystemExit), io.StringIO() as err:
        import contextlib

        with contextlib.redirect_stderr(err):
            parser.parse_args(["train", "x.txt", "--segmenter", "rust"])
