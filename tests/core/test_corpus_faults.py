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
    outside = [line for line in found.splitlines() if "/explorer/core/io/" not in line]
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


# --- files that mix UTF-8 and GBK lines -----------------------------------------------------------------
def _mixed_lines() -> list[str]:
    sanguo = (DATA / "sanguo_gbk.txt").read_bytes().decode("gbk").splitlines()
    hotel = (DATA / "hotel_utf8_bom.txt").read_bytes().decode("utf-8-sig").splitlines()
    return [line for pair in zip(sanguo, hotel) for line in pair if line.strip()]


@pytest.mark.parametrize("layout", ["alternating", "halves", "few utf-8", "few gbk"])
def test_a_file_mixing_utf8_and_gbk_lines_decodes_each_line_in_its_own_encoding(tmp_path: Path,
                                                                                 layout: str) -> None:
    lines = _mixed_lines()
    n = len(lines)
    if layout == "alternating":
        utf8 = set(range(0, n, 2))
    elif layout == "halves":
        utf8 = set(range(n // 2))
    elif layout == "few utf-8":
        utf8 = {3, n // 2, n - 5}
    else:
        utf8 = set(range(n)) - {3, n // 2, n - 5}
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes(b"".join((line + "\n").encode("utf-8" if i in utf8 else "gbk") for i, line in enumerate(lines)))
    reference = tmp_path / "ref" / "same_in_utf8.txt"  # the same text in one encoding: the expected result
    reference.parent.mkdir()
    reference.write_text("".join(line + "\n" for line in lines), encoding="utf-8")

    got = segment_corpus([mixed], cache_dir=tmp_path / "c", workers=1)
    want = segment_corpus([reference], cache_dir=tmp_path / "c", workers=1)
    assert tokens_of(got.path) == tokens_of(want.path)
    # what the UTF-8 lines become when read as GB18030 (锛, 紝, 涓...), less characters the text really has
    mojibake = set("".join(lines[i] for i in utf8).encode("utf-8").decode("gb18030", "replace")) - set(
        reference.read_text(encoding="utf-8")) - {"\ufffd"}
    assert mojibake
    assert not set(got.path.read_text(encoding="utf-8")) & mojibake
    [report] = inspect_files([mixed])
    assert report.encoding == "gb18030" and report.mixed
    assert (report.utf8_lines, report.legacy_lines) == (len(utf8), n - len(utf8))
    assert report.replaced_bytes == 0
    share = f"({len(utf8) / n:.0%}) are UTF-8"
    assert share in report.warning and share in report.summary() and "WARNING" in report.summary()
    assert report.encoding_label == "UTF-8 + GB18030/GBK"

    assert got.files[0].mixed and got.files[0].utf8_lines == len(utf8)
    again = segment_corpus([mixed], cache_dir=tmp_path / "c", workers=1)  # the report survives the cache
    assert again.from_cache and again.files == got.files


def test_pure_legacy_and_damaged_utf8_files_are_not_called_mixed() -> None:
    reports = {r.path.name: r for r in inspect_files([DATA])}
    for name in ("sanguo_gbk.txt", "tangshi_big5.txt", "pd199801_damaged_utf8.txt", "waimai_utf16.txt"):
        assert not reports[name].mixed, name
    assert reports["sanguo_gbk.txt"].legacy_lines > 0 and reports["sanguo_gbk.txt"].utf8_lines == 0
    damaged = reports["pd199801_damaged_utf8.txt"]
    assert damaged.encoding == "utf-8" and damaged.replaced_bytes == 8
    assert "8 undecodable bytes were replaced" in damaged.warning


# --- an unwritable cache, litter after a kill ------------------------------------------------------------
def test_an_unwritable_cache_folder_falls_back_to_a_temporary_one_with_a_note(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be")
    cache = blocker / "segmented"  # cannot be created, even by root
    corpus = segment_corpus([DATA / "sanguo_gbk.txt"], cache_dir=cache, workers=1)
    try:
        assert corpus.tokens > 1000 and corpus.path.is_file()
        assert not corpus.path.is_relative_to(blocker)
        assert f"The cache folder {cache} cannot be written" in corpus.note
        want = segment_corpus([DATA / "sanguo_gbk.txt"], cache_dir=tmp_path / "ok", workers=1)
        assert corpus.path.read_bytes() == want.path.read_bytes() and want.note == ""
    finally:
        import shutil

        shutil.rmtree(corpus.path.parent)


def test_temporaries_left_by_a_killed_segmentation_are_removed_on_the_next_run(tmp_path: Path) -> None:
    import signal
    import time

    big = tmp_path / "big.txt"  # big enough that the segmentation is still writing when it is killed
    big.write_bytes((DATA / "pd199801_damaged_utf8.txt").read_bytes() * 60)
    cache = tmp_path / "cache"
    # jieba: the compiled backend could finish before the kill lands
    code = ("import sys; from pathlib import Path; from explorer.core.corpus import SegmentOptions, segment_corpus; "
            f"segment_corpus([Path({str(big)!r})], SegmentOptions(segmenter='jieba'), cache_dir=Path({str(cache)!r}), "
            "workers=1)")
    child = subprocess.Popen([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2])
    try:
        deadline = time.monotonic() + 60
        while not [p for p in cache.glob(".*") if p.is_file() and p.stat().st_size > 0]:
            assert child.poll() is None and time.monotonic() < deadline, "the segmentation ended before the kill"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    litter = [p for p in cache.rglob("*") if p.is_file() and p.suffix not in (".state", ".cache")]
    assert litter  # the killed run left its half-written corpus
    old_style = cache / "0123abcd.x1y2z3.tmp"  # named as before fsutil's pid mark, untouched for two hours
    old_style.write_bytes(b"half")
    os.utime(old_style, (time.time() - 7200, time.time() - 7200))
    live = cache / f".k.txt.w2v-part-{os.getpid()}-abc.txt"  # a run still writing (this process): kept
    live.write_bytes(b"in progress")
    corpus = segment_corpus([DATA / "sanguo_gbk.txt"], cache_dir=cache, workers=1)
    left = sorted(p.name for p in cache.rglob("*") if p.is_file() and p.suffix not in (".state", ".cache"))
    assert left == sorted([live.name, corpus.path.name, corpus.path.with_suffix(".json").name])
