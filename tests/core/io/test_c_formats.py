"""C word2vec .bin/.txt reading (plain, gzip, bz2, header-less, parallel), writing and sniffing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors

from explorer.core.io import c_binary, c_format, c_text, open_model, sniff_format

DATA = Path(__file__).parents[2] / "data"
CORPUS = DATA / "pd199801_seg_head1200.txt"

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
    monkeypatch.setattr(c_text, "_text_workers", lambda: 3)  # three worker processes, even on one core
    one = c_text.read_c_text(files["txt"], parallel=False)
    raw = files["txt"].read_bytes()
    n, dims = map(int, raw[: raw.index(b"\n")].split())
    got = c_text._read_text_in_processes(files["txt"], raw.index(b"\n") + 1, n, dims,
                                              lambda *a: None, None)
    assert got is not None  # the workers did the work (None would mean the one-process fallback)
    vectors, blob = got
    assert blob.decode().split("\n") == one.keys
    np.testing.assert_array_equal(vectors, one.vectors)
    two = c_text.read_c_text(files["txt"], parallel=True)
    assert one.keys == two.keys
    np.testing.assert_array_equal(one.vectors, two.vectors)


def test_progress_and_cancel(files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.core.errors import Cancelled
    from explorer.core.tasks import CancelToken

    monkeypatch.setattr(c_binary, "_BLOCK", 4096)
    monkeypatch.setattr(c_text, "_COUNT_BLOCK", 4096)
    monkeypatch.setattr(c_text, "_TEXT_BLOCK", 4096)
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
    (c_binary.write_c_binary if kind == "bin" else c_text.write_c_text)(out, src.wv.index_to_key, src.wv.vectors)
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

    monkeypatch.setattr(c_text, "_TEXT_BLOCK", 64)  # many blocks, so the bad line is not in the first
    with pytest.raises(DimensionMismatch, match=message) as err:
        c_text.read_c_text(_text_with(bad, tmp_path), parallel=False)
    assert "line 21" in str(err.value).lower()  # the 21st vector line


def test_worker_processes_report_errors_cancel_and_fall_back(tmp_path: Path, files: dict[str, Path],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.core.errors import Cancelled, DimensionMismatch
    from explorer.core.tasks import CancelToken

    monkeypatch.setattr(c_text, "_text_workers", lambda: 2)  # processes even on a one-core machine
    with pytest.raises(DimensionMismatch, match="line 21 has 4 numbers"):
        c_text.read_c_text(_text_with(b"\xe4\xb8\x99 1 2 3 4\n", tmp_path), parallel=True)
    # a blank line: the line counts disagree with the header, so one process reads it (and skips it)
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"2 2\n\xe7\x94\xb2 1 2\n\n\xe4\xb9\x99 3 4\n")
    raw = c_text.read_c_text(blank, parallel=True)
    assert raw.keys == ["甲", "乙"] and raw.vectors.tolist() == [[1, 2], [3, 4]]
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        c_text.read_c_text(files["txt"], parallel=True, cancel=token)


def test_text_blocks_longer_lines_than_the_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(c_text, "_TEXT_BLOCK", 16)
    rows = np.random.default_rng(1).standard_normal((5, 40)).astype(np.float32)
    f = tmp_path / "long.txt"
    lines = [f"w{i} " + " ".join(repr(float(x)) for x in r) for i, r in enumerate(rows)]
    f.write_text("5 40\n" + "\n".join(lines), "utf-8")  # and no newline at the end
    for parallel in (False, True):
        raw = c_text.read_c_text(f, parallel=parallel)
        assert raw.keys == [f"w{i}" for i in range(5)]
        np.testing.assert_array_equal(raw.vectors, rows)


def test_bin_reader_with_small_blocks(files: dict[str, Path], kv: KeyedVectors,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(c_binary, "_BLOCK", 100)  # every record straddles a block boundary
    for kind in ("bin", "bin.gz"):
        raw = c_binary.read_c_binary(files[kind], compression="gzip" if kind.endswith("gz") else None)
        assert raw.keys == kv.index_to_key
        np.testing.assert_array_equal(raw.vectors, kv.vectors)


def test_text_worker_imports_no_heavy_library() -> None:
    """Each text worker is a fresh interpreter importing c_text: it must not pay for gensim, faiss or Qt."""
    import subprocess
    import sys

    code = ("import sys; import explorer.core.io.c_text; "
            "print(sorted(m for m in ('gensim', 'faiss', 'scipy', 'jieba', 'PySide6') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parents[3])
    assert out.stdout.strip() == "[]"


def test_new_matrix_is_writable_and_sized() -> None:
    big = c_format.new_matrix(70_000, 256)  # over the size that skips numpy's huge pages
    small = c_format.new_matrix(3, 4)
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
            words, arr = c_text._text_rows(body, 2, Path("v.txt"), 0)
        except Exception as err:  # noqa: BLE001 - the error itself is compared
            return f"{type(err).__name__}: {err}"
        return words, arr.tolist()

    if body.startswith(b"a 1 2\nb"):
        assert c_text._plain_text_rows(body, 2) is not None  # the common case takes the fast path
    fast = parse()
    monkeypatch.setattr(c_text, "fastnumbers", None)
    careful = parse()
    assert repr(fast) == repr(careful)
