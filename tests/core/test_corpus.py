"""Corpus in: file discovery, encoding sniffing, per-file reports, jieba segmentation, cache and cancel.

Real jieba on real text slices (tests/data/corpus, see tests/data/README.md); no mocks.
"""

from __future__ import annotations

import gzip
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from explorer.core.corpus import (
    CorpusFileReport,
    SegmentOptions,
    clear_cache,
    default_cache_dir,
    detect_encoding,
    find_corpus_files,
    inspect_files,
    looks_like_corpus,
    segment_corpus,
)
from explorer.core.errors import Cancelled, CorpusError, EmptyCorpus
from explorer.core.tasks import CancelToken

DATA = Path(__file__).resolve().parents[1] / "data" / "corpus"
TEXT_FILES = ["hotel_utf8_bom.txt", "pd199801_damaged_utf8.txt", "sanguo_gbk.txt", "shopping_neg.txt.gz",
              "tangshi_big5.txt", "waimai_small.csv", "waimai_utf16.txt"]


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def folder_reports() -> dict[str, CorpusFileReport]:
    return {r.path.name: r for r in inspect_files([DATA])}


@pytest.fixture(scope="module")
def segmented_folder(tmp_path_factory: pytest.TempPathFactory):
    return segment_corpus([DATA], cache_dir=tmp_path_factory.mktemp("cache"), workers=1)


# --- finding and inspecting --------------------------------------------------------------------------
def test_find_corpus_files_expands_folders_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("b.txt", "a.csv", "sub/c.tsv", "sub/d.txt.gz", "notes", "model.bin", ".x.txt", ".hidden/e.txt"):
        (tmp_path / name).write_bytes(b"x")
    found = [p.relative_to(tmp_path).as_posix()
             for p in find_corpus_files([tmp_path, tmp_path / "b.txt", tmp_path / "sub" / ".." / "b.txt"])]
    assert found == ["a.csv", "b.txt", "notes", "sub/c.tsv", "sub/d.txt.gz"]
    # named explicitly, any extension is taken (its content decides later)
    assert find_corpus_files([tmp_path / "model.bin"]) == [tmp_path / "model.bin"]
    with pytest.raises(CorpusError, match="does not exist"):
        find_corpus_files([tmp_path / "missing.txt"])


def test_each_encoding_is_detected_and_reported(folder_reports: dict[str, CorpusFileReport]) -> None:
    r = folder_reports
    assert set(r) == set(TEXT_FILES) | {"empty.txt", "binary.txt"}
    assert r["sanguo_gbk.txt"].encoding == "gb18030"
    assert r["tangshi_big5.txt"].encoding == "cp950"
    assert r["waimai_utf16.txt"].encoding == "utf-16"
    assert r["hotel_utf8_bom.txt"].encoding == "utf-8-sig"
    assert r["pd199801_damaged_utf8.txt"].encoding == "utf-8"
    assert r["shopping_neg.txt.gz"].encoding == "utf-8"
    assert r["waimai_small.csv"].encoding == "utf-8"
    lines = {name: rep.lines for name, rep in r.items()}
    assert lines["waimai_utf16.txt"] == 300  # CRLF counted once
    assert lines["hotel_utf8_bom.txt"] == 60
    assert lines["tangshi_big5.txt"] == 120
    assert lines["shopping_neg.txt.gz"] == 150
    assert lines["waimai_small.csv"] == 150  # data rows, header excluded
    assert lines["pd199801_damaged_utf8.txt"] == 80
    assert r["shopping_neg.txt.gz"].size_bytes == (DATA / "shopping_neg.txt.gz").stat().st_size
    for name in TEXT_FILES:
        assert r[name].skipped is None and r[name].used
    assert all(r[n].replaced_bytes == 0 for n in TEXT_FILES if n != "pd199801_damaged_utf8.txt")


def test_undecodable_bytes_are_counted(folder_reports: dict[str, CorpusFileReport]) -> None:
    assert folder_reports["pd199801_damaged_utf8.txt"].replaced_bytes == 8


def test_empty_and_binary_files_are_skipped_not_fatal(folder_reports: dict[str, CorpusFileReport]) -> None:
    assert folder_reports["empty.txt"].skipped == "empty file"
    assert folder_reports["binary.txt"].skipped == "binary file"
    assert folder_reports["binary.txt"].encoding is None


def test_big_gbk_file_with_ascii_head_is_sniffed_from_several_samples(tmp_path: Path) -> None:
    gbk = (DATA / "sanguo_gbk.txt").read_bytes()
    path = tmp_path / "ascii_head_then_gbk.txt"
    path.write_bytes(b"ISBN 978-7-02-000000-0, public domain edition\n" * 2000 + gbk * 8)
    assert detect_encoding(path) == "gb18030"
    report = inspect_files([path])[0]
    assert report.replaced_bytes == 0


def test_utf8_file_with_a_clean_sample_is_utf8_and_late_bad_bytes_are_counted(tmp_path: Path) -> None:
    text = (DATA / "hotel_utf8_bom.txt").read_bytes()[3:]
    path = tmp_path / "big.txt"
    path.write_bytes(text * 12 + b"\xa3\xac\xff\xfe tail\n" + text)
    assert detect_encoding(path) == "utf-8"
    report = inspect_files([path])[0]
    assert report.encoding == "utf-8" and report.replaced_bytes == 4


def test_utf16_without_bom_and_truncated_gzip(tmp_path: Path) -> None:
    (tmp_path / "le.txt").write_bytes("很快，好吃 ok\nabc def\n".encode("utf-16-le") * 50)
    assert detect_encoding(tmp_path / "le.txt") == "utf-16-le"
    broken = tmp_path / "broken.txt.gz"
    broken.write_bytes((DATA / "shopping_neg.txt.gz").read_bytes()[:5000])
    report = inspect_files([broken])[0]
    assert report.skipped is not None or report.note  # reported, never an exception


def test_looks_like_corpus_routes_text_but_not_models(tmp_path: Path) -> None:
    assert looks_like_corpus(DATA / "sanguo_gbk.txt")
    assert looks_like_corpus(DATA / "waimai_small.csv")
    assert looks_like_corpus(DATA / "shopping_neg.txt.gz")
    assert looks_like_corpus(DATA)
    assert not looks_like_corpus(DATA / "binary.txt")
    assert not looks_like_corpus(DATA / "empty.txt")
    (tmp_path / "vectors.txt").write_text("3 4\n的 0.1 0.2 0.3 0.4\n是 -1 2 3e-2 4\n", encoding="utf-8")
    (tmp_path / "noheader.txt").write_text("猫 0.25 -0.5 1.0\n狗 0.1 0.2 0.3\n", encoding="utf-8")
    with gzip.open(tmp_path / "vectors.txt.gz", "wb") as f:
        f.write("2 3\n猫 1 2 3\n狗 4 5 6\n".encode())
    (tmp_path / "model.bin").write_bytes(b"3 4\n" + bytes(64))
    for name in ("vectors.txt", "noheader.txt", "vectors.txt.gz", "model.bin", "missing.txt"):
        assert not looks_like_corpus(tmp_path / name), name
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "a.model").write_bytes(b"x")
    assert not looks_like_corpus(tmp_path / "models")


# --- segmenting ----------------------------------------------------------------------------------------
def test_segmented_folder_uses_every_text_file(segmented_folder) -> None:
    corpus = segmented_folder
    assert not corpus.from_cache
    by_name = {r.path.name: r for r in corpus.files}
    assert by_name["empty.txt"].skipped and by_name["binary.txt"].skipped
    assert all(by_name[n].used for n in TEXT_FILES)
    lines = read_lines(corpus.path)
    assert len(lines) == corpus.sentences
    assert sum(len(line.split(" ")) for line in lines) == corpus.tokens
    assert corpus.bytes == corpus.path.stat().st_size
    text = corpus.path.read_text(encoding="utf-8")
    assert "\ufffd" not in text and "\r" not in text and "\t" not in text and "\ufeff" not in text
    for line in lines:
        assert line and line == line.strip() and "  " not in line
    tokens = set(text.split())
    assert {"青龙", "偃月", "好吃", "味道"} <= tokens          # GBK 三国演义, UTF-16 and CSV reviews
    assert {"移步", "詞林", "駿馬疑", "明月"} <= tokens           # Big5 traditional-script poems decoded
    assert "，" not in tokens and "。" not in tokens and "“" not in tokens  # punctuation removed
    assert "review" not in tokens                              # CSV header skipped
    assert "很快 好吃 味道 足 量 大" in lines                     # first CSV row, label column ignored


def test_output_is_readable_by_gensim(segmented_folder) -> None:
    from gensim.models.word2vec import LineSentence

    assert sum(1 for _ in LineSentence(str(segmented_folder.path))) == segmented_folder.sentences


def test_nothing_usable_raises_empty_corpus(tmp_path: Path) -> None:
    with pytest.raises(EmptyCorpus, match="empty.txt.*binary.txt|binary.txt.*empty.txt") as info:
        segment_corpus([DATA / "empty.txt", DATA / "binary.txt"], cache_dir=tmp_path, workers=1)
    assert info.value.hint
    (tmp_path / "punct.txt").write_text("，。！？\n……\n", encoding="utf-8")
    with pytest.raises(EmptyCorpus, match="no words"):
        segment_corpus([tmp_path / "punct.txt"], cache_dir=tmp_path / "c", workers=1)
    assert not list((tmp_path / "c").glob("*.txt"))


def test_cache_is_reused_and_keyed_by_files_and_options(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(DATA / "sanguo_gbk.txt", src / "a.txt")
    cache = tmp_path / "cache"
    first = segment_corpus([src], cache_dir=cache, workers=1)
    again = segment_corpus([src / "a.txt"], cache_dir=cache, workers=1)
    assert not first.from_cache and again.from_cache
    assert again.path == first.path and again.tokens == first.tokens and again.files == first.files
    other = segment_corpus([src], SegmentOptions(hmm=False), cache_dir=cache, workers=1)
    assert not other.from_cache and other.path != first.path
    st = (src / "a.txt").stat()
    os.utime(src / "a.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    touched = segment_corpus([src], cache_dir=cache, workers=1)
    assert not touched.from_cache and touched.path != first.path
    names = sorted(p.suffix for p in cache.iterdir() if p.is_file())
    assert names == [".json"] * 3 + [".txt"] * 3  # no temporary files left
    no_cache = segment_corpus([src], cache_dir=cache, workers=1, use_cache=False)
    assert not no_cache.from_cache and no_cache.path == touched.path


def test_cache_root_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("W2V_EXPLORER_CACHE", str(tmp_path))
    assert default_cache_dir() == tmp_path / "segmented"
    corpus = segment_corpus([DATA / "tangshi_big5.txt"], workers=1)
    assert corpus.path.parent == tmp_path / "segmented"


def test_user_dictionary_keeps_a_word_whole_and_changes_the_key(tmp_path: Path) -> None:
    src = DATA / "sanguo_gbk.txt"
    plain = segment_corpus([src], cache_dir=tmp_path, workers=1)
    assert "青龙偃月刀" not in plain.path.read_text(encoding="utf-8").split()
    user_dict = tmp_path / "dict.txt"
    user_dict.write_bytes("青龙偃月刀 50 n\n张飞翼德\n".encode("gbk"))  # any encoding, like the corpus
    with_dict = segment_corpus([src], SegmentOptions(user_dict=user_dict), cache_dir=tmp_path, workers=1)
    assert "青龙偃月刀" in with_dict.path.read_text(encoding="utf-8").split()
    assert with_dict.path != plain.path
    user_dict.write_text("青龙偃月刀 60 n\n", encoding="utf-8")
    changed = segment_corpus([src], SegmentOptions(user_dict=user_dict), cache_dir=tmp_path, workers=1)
    assert not changed.from_cache and changed.path != with_dict.path
    with pytest.raises(CorpusError, match="user dictionary"):
        segment_corpus([src], SegmentOptions(user_dict=tmp_path / "nope.txt"), cache_dir=tmp_path, workers=1)


def test_stopwords_punctuation_and_lowercase(tmp_path: Path) -> None:
    src = tmp_path / "mixed.txt"
    src.write_text("我的iPhone很好用，但是电池不行。\n这本书的内容太浅了！\n", encoding="utf-8")
    keep = segment_corpus([src], SegmentOptions(remove_punctuation=False), cache_dir=tmp_path, workers=1)
    assert read_lines(keep.path) == ["我 的 iPhone 很 好 用 ， 但是 电池 不行 。", "这 本书 的 内容 太浅 了 ！"]
    builtin = segment_corpus([src], SegmentOptions(remove_stopwords=True, lowercase=True), cache_dir=tmp_path,
                             workers=1)
    assert read_lines(builtin.path) == ["iphone 好 用 电池 不行", "本书 内容 太浅"]
    stop_file = tmp_path / "stop.txt"
    stop_file.write_bytes("电池\n本书\n".encode("gbk"))
    custom = segment_corpus([src], SegmentOptions(remove_stopwords=True, stopwords=stop_file), cache_dir=tmp_path,
                            workers=1)
    assert read_lines(custom.path) == ["我 的 iPhone 很 好 用 但是 不行", "这 的 内容 太浅 了"]


def test_csv_column_by_name_index_and_guess(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text('id,score,comment_text,city\n1,5,"房间很大,早餐不错",北京\n2,1,服务员态度很差,上海\n',
                    encoding="utf-8")
    guessed = segment_corpus([path], cache_dir=tmp_path, workers=1)
    assert read_lines(guessed.path) == ["房间 很大 早餐 不错", "服务员 态度 很差"]
    assert guessed.files[0].lines == 2
    by_name = segment_corpus([path], SegmentOptions(csv_column="City"), cache_dir=tmp_path, workers=1)
    assert read_lines(by_name.path) == ["北京", "上海"]
    by_index = segment_corpus([path], SegmentOptions(csv_column=3), cache_dir=tmp_path, workers=1)
    assert read_lines(by_index.path) == ["北京", "上海"]
    with pytest.raises(CorpusError, match="no column named"):
        segment_corpus([path], SegmentOptions(csv_column="text"), cache_dir=tmp_path, workers=1)
    with pytest.raises(CorpusError, match="only 4 columns"):
        segment_corpus([path], SegmentOptions(csv_column=7), cache_dir=tmp_path, workers=1)
    tsv = tmp_path / "reviews.tsv"
    tsv.write_text("label\tcontent\n1\t房间很大, 早餐不错\n0\t服务员态度很差\n", encoding="utf-8")
    assert read_lines(segment_corpus([tsv], cache_dir=tmp_path, workers=1).path) == read_lines(guessed.path)


def test_a_huge_single_line_becomes_several_sentences(tmp_path: Path) -> None:
    text = (DATA / "hotel_utf8_bom.txt").read_text(encoding="utf-8-sig").replace("\n", "")
    path = tmp_path / "one_line.txt"
    path.write_text(text * 5, encoding="utf-8")
    corpus = segment_corpus([path], cache_dir=tmp_path, workers=1)
    assert corpus.files[0].lines == 1
    assert corpus.sentences >= 2


def test_progress_stages_in_bytes(tmp_path: Path) -> None:
    calls: list[tuple[float, float, str]] = []
    segment_corpus([DATA / "sanguo_gbk.txt", DATA / "tangshi_big5.txt"], cache_dir=tmp_path, workers=1,
                   report=lambda d, t, s: calls.append((d, t, s)))
    stages = [s for _, _, s in calls]
    assert stages.index("reading") < stages.index("segmenting")
    total = (DATA / "sanguo_gbk.txt").stat().st_size + (DATA / "tangshi_big5.txt").stat().st_size
    assert calls[-1] == (total, total, "segmenting")
    done = [d for d, _, s in calls if s == "segmenting"]
    assert done == sorted(done)


# --- parallel and cancel -------------------------------------------------------------------------------
def test_parallel_output_is_identical_to_single_process(tmp_path: Path, segmented_folder) -> None:
    user_dict = tmp_path / "dict.txt"
    user_dict.write_text("青龙偃月刀\n", encoding="utf-8")
    options = SegmentOptions(user_dict=user_dict)
    single = segment_corpus([DATA], options, cache_dir=tmp_path / "one", workers=1)
    parallel = segment_corpus([DATA], options, cache_dir=tmp_path / "two", workers=2)
    assert parallel.path.read_bytes() == single.path.read_bytes()
    assert (parallel.sentences, parallel.tokens, parallel.files) == (single.sentences, single.tokens, single.files)
    assert "青龙偃月刀" in parallel.path.read_text(encoding="utf-8").split()  # the dictionary reached the workers
    no_dict = segment_corpus([DATA], cache_dir=tmp_path / "three", workers=2)
    assert no_dict.path.read_bytes() == segmented_folder.path.read_bytes()


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big")
    text = b"".join((DATA / n).read_bytes() for n in ("pd199801_damaged_utf8.txt", "hotel_utf8_bom.txt"))
    (folder / "big.txt").write_bytes(text.replace(b"\xef\xbb\xbf", b"") * 40)  # ~1.8 MB, ~30 chunks
    return folder / "big.txt"


@pytest.mark.parametrize("workers", [1, 2])
def test_cancel_mid_segmentation_stops_and_leaves_no_cache_file(tmp_path: Path, big_corpus: Path,
                                                                workers: int) -> None:
    token = CancelToken()
    started = threading.Event()
    seen: list[tuple[float, float, str]] = []

    def report(done: float, total: float, stage: str) -> None:
        seen.append((done, total, stage))
        if stage == "segmenting" and done > 0:
            started.set()

    cancelled_at: list[float] = []

    def canceller() -> None:
        if started.wait(60):
            cancelled_at.append(time.monotonic())
            token.cancel()

    thread = threading.Thread(target=canceller)
    thread.start()
    try:
        with pytest.raises(Cancelled):
            # jieba: the compiled backend would finish this corpus before the cancel lands
            segment_corpus([big_corpus], SegmentOptions(segmenter="jieba"), cache_dir=tmp_path, workers=workers,
                           report=report, cancel=token)
        stopped = time.monotonic()
    finally:
        started.set()
        thread.join()
    assert cancelled_at, "segmentation never reported progress"
    assert stopped - cancelled_at[0] < 10  # generous hang guard; bench/bench_segment.py measures the latency
    assert not any(d >= t for d, t, s in seen if s == "segmenting")
    assert [p for p in tmp_path.iterdir() if p.is_file()] == []


def test_cancel_before_start(tmp_path: Path) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        segment_corpus([DATA / "sanguo_gbk.txt"], cache_dir=tmp_path, workers=1, cancel=token)
    with pytest.raises(Cancelled):
        inspect_files([DATA], cancel=token)
    assert not any(tmp_path.glob("*.txt"))


def test_report_summary_lines(folder_reports: dict[str, CorpusFileReport]) -> None:
    assert folder_reports["sanguo_gbk.txt"].summary() == "sanguo_gbk.txt: GB18030/GBK, 29.9 kB, 49 lines"
    assert folder_reports["tangshi_big5.txt"].encoding_label == "Big5"
    assert folder_reports["pd199801_damaged_utf8.txt"].summary().endswith(
        "; WARNING: 8 undecodable bytes were replaced (under 0.1% of the file)")
    assert folder_reports["binary.txt"].summary() == "binary.txt: skipped (binary file)"


def test_saved_jieba_state_gives_the_same_output_and_a_bad_one_is_ignored(tmp_path: Path) -> None:
    user_dict = tmp_path / "dict.txt"
    user_dict.write_text("青龙偃月刀\n桃园结义 0\n", encoding="utf-8")
    options = SegmentOptions(user_dict=user_dict)
    cache = tmp_path / "cache"
    src = [DATA / "sanguo_gbk.txt"]
    built = segment_corpus(src, options, cache_dir=cache, workers=1).path.read_bytes()
    states = list((cache / "jieba").glob("*.state"))
    assert len(states) == 1
    from explorer.core.corpus import segment as corpus_module

    corpus_module._in_process = None  # force a new segmenter, which now loads the saved state
    assert segment_corpus(src, options, cache_dir=cache, workers=1, use_cache=False).path.read_bytes() == built
    states[0].write_bytes(b"not a saved state")
    corpus_module._in_process = None
    assert segment_corpus(src, options, cache_dir=cache, workers=1, use_cache=False).path.read_bytes() == built
    assert clear_cache(cache) > 0
    assert not [p for p in cache.rglob("*") if p.is_file()]
