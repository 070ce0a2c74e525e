"""C word2vec .bin/.txt reading (plain, gzip, bz2, header-less, parallel), writing, sniffing, the cache."""

from __future__ import annotations

import bz2
import gzip
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors, Word2Vec

from explorer.core import textformats
from explorer.core.io import open_model, sniff_format

DATA = Path(__file__).parents[1] / "data"
CORPUS = DATA / "pd199801_seg_head1200.txt"


@pytest.fixture(scope="module")
def kv() -> KeyedVectors:
    sentences = [line.split() for line in CORPUS.read_text("utf-8").splitlines()]
    return Word2Vec(sentences, vector_size=20, min_count=2, epochs=1, workers=1, seed=5).wv


@pytest.fixture(scope="module")
def files(kv: KeyedVectors, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("c")
    out = {"bin": d / "v.bin", "txt": d / "v.txt"}
    kv.save_word2vec_format(str(out["bin"]), binary=True)
    kv.save_word2vec_format(str(out["txt"]), binary=False)
    for kind in ("bin", "txt"):
        with open(out[kind], "rb") as f, gzip.open(d / f"v.{kind}.gz", "wb") as g:
            shutil.copyfileobj(f, g)
        out[kind + ".gz"] = d / f"v.{kind}.gz"
        out[kind + ".bz2"] = d / f"v.{kind}.bz2"
        out[kind + ".bz2"].write_bytes(bz2.compress(out[kind].read_bytes()))
    lines = out["txt"].read_bytes().split(b"\n", 1)[1]
    out["noheader"] = d / "v_noheader.txt"
    out["noheader"].write_bytes(lines)
    # the C tool's own text style: trailing space, CRLF written by some Windows tools
    out["crlf"] = d / "v_crlf.txt"
    out["crlf"].write_bytes(out["txt"].read_bytes().replace(b"\n", b" \r\n"))
    return out


@pytest.mark.parametrize("kind,fmt", [("bin", "c-bin"), ("txt", "c-text"), ("bin.gz", "c-bin.gz"),
                                      ("txt.gz", "c-text.gz"), ("bin.bz2", "c-bin.bz2"), ("txt.bz2", "c-text.bz2"),
                                      ("noheader", "c-text-noheader"), ("crlf", "c-text")])
def test_c_formats_match_gensim(kind: str, fmt: str, files: dict[str, Path], kv: KeyedVectors) -> None:
    assert sniff_format(files[kind]) == fmt
    m = open_model(files[kind], use_cache=False)
    assert m.wv.index_to_key == kv.index_to_key
    if kind.startswith("bin"):
        np.testing.assert_array_equal(m.wv.vectors, kv.vectors)
    else:
        ref = KeyedVectors.load_word2vec_format(str(files["txt"]), binary=False)
        np.testing.assert_array_equal(m.wv.vectors, ref.vectors)
    w = kv.index_to_key[3]
    assert [x for x, _ in m.wv.most_similar(w, topn=5)] == [x for x, _ in kv.most_similar(w, topn=5)]


def test_parallel_text_reader_gives_same_result(files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textformats, "_text_workers", lambda: 3)  # three worker processes, even on one core
    one = textformats.read_c_text(files["txt"], parallel=False)
    raw = files["txt"].read_bytes()
    n, dims = map(int, raw[: raw.index(b"\n")].split())
    got = textformats._read_text_in_processes(files["txt"], raw.index(b"\n") + 1, n, dims,
                                              lambda *a: None, None)
    assert got is not None  # the workers did the work (None would mean the one-process fallback)
    vectors, blob = got
    assert blob.decode().split("\n") == one.keys
    np.testing.assert_array_equal(vectors, one.vectors)
    two = textformats.read_c_text(files["txt"], parallel=True)
    assert one.keys == two.keys
    np.testing.assert_array_equal(one.vectors, two.vectors)


def test_progress_and_cancel(files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.core.errors import Cancelled
    from explorer.core.tasks import CancelToken

    monkeypatch.setattr(textformats, "_BLOCK", 4096)
    monkeypatch.setattr(textformats, "_TEXT_BLOCK", 4096)
    seen: list[tuple[float, float, str]] = []
    open_model(files["txt"], report=lambda d, t, s: seen.append((d, t, s)), use_cache=False)
    assert len(seen) > 3 and seen[-1][0] == seen[-1][1]
    token = CancelToken()
    token.cancel()
    for kind in ("bin", "txt"):
        with pytest.raises(Cancelled):
            open_model(files[kind], cancel=token, use_cache=False)


def test_invalid_utf8_is_replaced_and_counted(tmp_path: Path) -> None:
    vec = np.arange(6, dtype=np.float32).reshape(2, 3)
    f = tmp_path / "bad.bin"
    f.write_bytes(b"2 3\n" + "中文".encode() + b"\xff\xfe " + vec[0].tobytes() + b"\n" + b"ok " + vec[1].tobytes() + b"\n")
    m = open_model(f, use_cache=False)
    assert m.info.replaced_bytes == 2
    assert m.wv.index_to_key[0].startswith("中文") and "\ufffd" in m.wv.index_to_key[0]
    assert m.info.warnings
    np.testing.assert_array_equal(m.wv["ok"], vec[1])


def test_bin_without_newlines_between_records(tmp_path: Path) -> None:
    vec = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    f = tmp_path / "tight.bin"
    f.write_bytes(b"3 4\n" + b"".join(w.encode() + b" " + v.tobytes() for w, v in zip(["一", "二", "三"], vec)))
    m = open_model(f, use_cache=False)
    assert m.wv.index_to_key == ["一", "二", "三"]
    np.testing.assert_array_equal(m.wv.vectors, vec)


def test_repeated_words_keep_first(tmp_path: Path) -> None:
    f = tmp_path / "dup.txt"
    f.write_text("3 2\n甲 1 2\n乙 3 4\n甲 5 6\n", "utf-8")
    m = open_model(f, use_cache=False)
    assert m.wv.index_to_key == ["甲", "乙"] and list(m.wv["甲"]) == [1, 2]
    assert any("repeated" in w for w in m.info.warnings)


@pytest.mark.parametrize("kind", ["bin", "txt"])
def test_write_round_trip(kind: str, files: dict[str, Path], tmp_path: Path) -> None:
    src = open_model(files["bin"], use_cache=False)
    out = tmp_path / f"o.{kind}"
    (textformats.write_c_binary if kind == "bin" else textformats.write_c_text)(out, src.wv.index_to_key,
                                                                               src.wv.vectors)
    ref = KeyedVectors.load_word2vec_format(str(out), binary=kind == "bin")
    assert ref.index_to_key == src.wv.index_to_key
    np.testing.assert_array_equal(ref.vectors, src.wv.vectors)  # no precision lost, text included


def test_sniff_text_corpus_is_not_a_model(tmp_path: Path) -> None:
    assert sniff_format(DATA / "sanguo_yanyi_head80.txt") is None
    assert sniff_format(CORPUS) is None  # segmented corpus: words separated by spaces, no numbers
    numbers = tmp_path / "numbers.txt"
    numbers.write_text("2024 年 3 月\n1 2 3\n", "utf-8")
    assert sniff_format(numbers) is None


def test_sniff_header_less_and_long_lines(tmp_path: Path) -> None:
    f = tmp_path / "wide.txt"
    rows = [f"词{i} " + " ".join(f"{x:.6f}" for x in np.linspace(-1, 1, 1000)) for i in range(3)]
    f.write_text("\n".join(rows) + "\n", "utf-8")
    assert sniff_format(f) == "c-text-noheader"
    g = tmp_path / "wide_h.txt"
    g.write_text("3 1000\n" + "\n".join(rows) + "\n", "utf-8")
    assert sniff_format(g) == "c-text"
    assert open_model(g, use_cache=False).dims == 1000


# --- the reopen cache ---------------------------------------------------------------------------
@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("W2V_EXPLORER_CACHE", str(root))
    monkeypatch.setattr(textformats, "CACHE_MIN_BYTES", 0)
    return root / "models"


@pytest.mark.parametrize("kind", ["bin", "txt", "txt.gz"])
def test_second_open_comes_from_cache(kind: str, cache: Path, files: dict[str, Path], tmp_path: Path) -> None:
    src = tmp_path / files[kind].name
    shutil.copy(files[kind], src)
    first = open_model(src)
    textformats.wait_for_cache_writes()
    assert not first.info.from_cache
    second = open_model(src)
    assert second.info.from_cache and second.info.format == first.info.format
    assert second.wv.index_to_key == first.wv.index_to_key
    np.testing.assert_array_equal(second.wv.vectors, first.wv.vectors)
    assert isinstance(second.wv.vectors, np.memmap)
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # no half-written entries


def test_cache_keeps_output_layer(cache: Path, tmp_path: Path) -> None:
    from gensim.test.utils import datapath

    src = tmp_path / "w2v_0.12.0.mdl"
    shutil.copy(Path(datapath("old_w2v_models")) / "w2v_0.12.0.mdl", src)
    first = open_model(src)
    textformats.wait_for_cache_writes()
    second = open_model(src)
    assert second.info.from_cache and second.info.hs and second.info.gensim_version == first.info.gensim_version
    np.testing.assert_array_equal(second.syn1, first.syn1)
    for i in range(first.vocab_size):
        np.testing.assert_array_equal(second.wv.expandos["code"][i], first.wv.expandos["code"][i])
        np.testing.assert_array_equal(second.wv.expandos["point"][i], first.wv.expandos["point"][i])
    np.testing.assert_array_equal(second.wv.expandos["count"], first.wv.expandos["count"])


def test_cache_safe_against_changed_or_truncated_source(cache: Path, files: dict[str, Path],
                                                         tmp_path: Path) -> None:
    from explorer.core.errors import TruncatedModelFile

    src = tmp_path / "v.bin"
    shutil.copy(files["bin"], src)
    open_model(src)
    textformats.wait_for_cache_writes()
    data = bytearray(src.read_bytes())
    # same size, same mtime, one vector byte changed in the middle
    st = src.stat()
    data[len(data) - 10] ^= 0xFF
    src.write_bytes(bytes(data))
    os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns))
    changed = open_model(src)
    assert not changed.info.from_cache
    ref = KeyedVectors.load_word2vec_format(str(src), binary=True)
    np.testing.assert_array_equal(changed.wv.vectors, ref.vectors)
    textformats.wait_for_cache_writes()
    src.write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(TruncatedModelFile):
        open_model(src)


def test_damaged_cache_entry_is_ignored(cache: Path, files: dict[str, Path], tmp_path: Path) -> None:
    src = tmp_path / "v.bin"
    shutil.copy(files["bin"], src)
    open_model(src)
    textformats.wait_for_cache_writes()
    (entry,) = list(cache.iterdir())
    vec = entry / "vectors.npy"
    vec.write_bytes(vec.read_bytes()[:200])
    again = open_model(src)
    assert not again.info.from_cache and again.vocab_size > 0


def test_use_cache_false_writes_nothing(cache: Path, files: dict[str, Path]) -> None:
    open_model(files["bin"], use_cache=False)
    textformats.wait_for_cache_writes()
    assert not cache.exists() or not list(cache.iterdir())


def test_cache_points_at_a_models_own_npy_instead_of_copying(cache: Path, kv: KeyedVectors, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.core.io import gensim_pickle as legacy

    monkeypatch.setattr(legacy, "MMAP_MIN_BYTES", 0)  # map the sidecar as a large model's would be
    src = tmp_path / "m.kv"
    kv.save(str(src), sep_limit=1)
    sidecar = tmp_path / "m.kv.vectors.npy"
    assert sidecar.exists()
    first = open_model(src)
    textformats.wait_for_cache_writes()
    (entry,) = list(cache.iterdir())
    assert not (entry / "vectors.npy").exists()  # referenced, not copied
    second = open_model(src)
    assert second.info.from_cache and second.wv.index_to_key == kv.index_to_key
    assert isinstance(second.wv.vectors, np.memmap)
    assert Path(second.wv.vectors.filename).resolve() == sidecar.resolve()
    np.testing.assert_array_equal(second.wv.vectors, first.wv.vectors)
    # a sidecar replaced by one of another shape (a new key anyway): the old entry is not used either
    np.save(sidecar, np.zeros((len(kv), kv.vector_size + 1), np.float32))
    assert textformats.load_cached(entry.name) is None


def test_cache_keeps_words_with_newlines(cache: Path, tmp_path: Path) -> None:
    keys = ["甲", "乙\n丙", "丁"]
    vec = np.arange(6, dtype=np.float32).reshape(3, 2)
    textformats.store_cached("k", keys, {"vectors": vec}, {}, background=False)
    hit = textformats.load_cached("k")
    assert hit is not None and hit.keys == keys and hit.key_to_index == {k: i for i, k in enumerate(keys)}
    np.testing.assert_array_equal(hit.arrays["vectors"], vec)
    empty = textformats.store_cached("e", [], {"vectors": np.zeros((0, 2), np.float32)}, {}, background=False)
    assert empty is None and textformats.load_cached("e") is not None
    assert textformats.load_cached("e").keys == []  # type: ignore[union-attr]


def _text_with(bad: bytes, tmp_path: Path) -> Path:
    good = "".join(f"词{i} {i} {i + 1} {i + 2}\n" for i in range(20)).encode()
    f = tmp_path / "bad.txt"
    f.write_bytes(b"41 3\n" + good + bad + good)
    return f


@pytest.mark.parametrize("bad,message", [
    (b"\xe4\xb8\x99 1 2 x3\n", "not a number"),
    (b"\xe4\xb8\x99 1 2\n", "has 2 numbers"),
    (b"\xe4\xb8\x99 1 2 3 4\n", "has 4 numbers"),
    (b"\xe4\xb8\x99\n", "a word but no numbers"),
])
def test_text_errors_name_the_line(bad: bytes, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.core.errors import DimensionMismatch

    monkeypatch.setattr(textformats, "_TEXT_BLOCK", 64)  # many blocks, so the bad line is not in the first
    with pytest.raises(DimensionMismatch, match=message) as err:
        textformats.read_c_text(_text_with(bad, tmp_path), parallel=False)
    assert "line 21" in str(err.value).lower()  # the 21st vector line


def test_worker_processes_report_errors_cancel_and_fall_back(tmp_path: Path, files: dict[str, Path],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.core.errors import Cancelled, DimensionMismatch
    from explorer.core.tasks import CancelToken

    monkeypatch.setattr(textformats, "_text_workers", lambda: 2)  # processes even on a one-core machine
    with pytest.raises(DimensionMismatch, match="line 21 has 4 numbers"):
        textformats.read_c_text(_text_with(b"\xe4\xb8\x99 1 2 3 4\n", tmp_path), parallel=True)
    # a blank line: the line counts disagree with the header, so one process reads it (and skips it)
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"2 2\n\xe7\x94\xb2 1 2\n\n\xe4\xb9\x99 3 4\n")
    raw = textformats.read_c_text(blank, parallel=True)
    assert raw.keys == ["甲", "乙"] and raw.vectors.tolist() == [[1, 2], [3, 4]]
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        textformats.read_c_text(files["txt"], parallel=True, cancel=token)


def test_text_blocks_longer_lines_than_the_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textformats, "_TEXT_BLOCK", 16)
    rows = np.random.default_rng(1).standard_normal((5, 40)).astype(np.float32)
    f = tmp_path / "long.txt"
    lines = [f"w{i} " + " ".join(repr(float(x)) for x in r) for i, r in enumerate(rows)]
    f.write_text("5 40\n" + "\n".join(lines), "utf-8")  # and no newline at the end
    for parallel in (False, True):
        raw = textformats.read_c_text(f, parallel=parallel)
        assert raw.keys == [f"w{i}" for i in range(5)]
        np.testing.assert_array_equal(raw.vectors, rows)


def test_bin_reader_with_small_blocks(files: dict[str, Path], kv: KeyedVectors,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textformats, "_BLOCK", 100)  # every record straddles a block boundary
    for kind in ("bin", "bin.gz"):
        raw = textformats.read_c_binary(files[kind], compression="gzip" if kind.endswith("gz") else None)
        assert raw.keys == kv.index_to_key
        np.testing.assert_array_equal(raw.vectors, kv.vectors)


def test_new_matrix_is_writable_and_sized() -> None:
    big = textformats.new_matrix(70_000, 256)  # over the size that skips numpy's huge pages
    small = textformats.new_matrix(3, 4)
    for m in (big, small):
        m[-1] = 1.5
        assert m.dtype == np.float32 and m.flags.writeable and m.flags.c_contiguous and m[-1, -1] == 1.5
    assert big.shape == (70_000, 256) and small.shape == (3, 4)


@pytest.mark.parametrize("body", [
    b"a 1 2\nb 3 4\n",                 # plain: the fast parser
    b"a 1 2 \r\nb 3 4 \r\n",           # trailing space and CRLF, as some writers leave them
    b"a 1 2 5\nb 3\n",                 # one number too many, then one too few: same total
    b"a 1 2\n\nb 3 4\n",               # a blank line
    b"a 1 nan\nb inf -4e-3\n",         # special values Python's float() accepts
    b"a 1 x\nb 3 4\n",                 # not a number
    b"2008 1 2\n1e3 3 4\n",            # words that look like numbers
    b"a 1 2 3 4 5\nb",                 # the numbers of two lines on one, then a lone word at the end
])
def test_fast_text_parser_agrees_with_loadtxt(body: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fastnumbers path gives what the careful np.loadtxt path gives, values or the error."""
    def parse() -> tuple[list[bytes], list[list[float]]] | str:
        try:
            words, arr = textformats._text_rows(body, 2, Path("v.txt"), 0)
        except Exception as err:  # noqa: BLE001 - the error itself is compared
            return f"{type(err).__name__}: {err}"
        return words, arr.tolist()

    if body.startswith(b"a 1 2\nb"):
        assert textformats._plain_text_rows(body, 2) is not None  # the common case takes the fast path
    fast = parse()
    monkeypatch.setattr(textformats, "fastnumbers", None)
    careful = parse()
    assert repr(fast) == repr(careful)
