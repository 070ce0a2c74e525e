"""Corpus in: find text files, sniff their encodings, segment them with jieba on every core, cache the result.

The segmented corpus is UTF-8, one sentence per line, tokens separated by one space: what gensim's
``LineSentence`` and ``corpus_file`` read.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import json
import logging
import multiprocessing
import os
import pickle
import re
import signal
import sys
import tempfile
import threading
import time
import unicodedata
import zlib
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterator, Sequence, cast

from explorer.core.paths import cache_folder
from explorer.core.errors import CorpusError, EmptyCorpus
from explorer.core.tasks import CancelToken, Reporter, null_reporter

log = logging.getLogger(__name__)

__all__ = [
    "CorpusFileReport",
    "SegmentOptions",
    "SegmentedCorpus",
    "BUILTIN_STOPWORDS",
    "CORPUS_SUFFIXES",
    "find_corpus_files",
    "inspect_files",
    "looks_like_corpus",
    "detect_encoding",
    "segment_corpus",
    "default_cache_dir",
    "clear_cache",
]

# Suffixes picked up when a folder is expanded ("" = no extension). .gz is looked through: a.csv.gz is a CSV.
CORPUS_SUFFIXES = frozenset({".txt", ".text", ".csv", ".tsv", ""})
_MODEL_SUFFIXES = frozenset({".bin", ".model", ".kv", ".npy", ".vec", ".w2v", ".pkl", ".pickle", ".wv", ".zip"})
_CSV_TEXT_COLUMNS = ("review", "reviews", "text", "content", "comment", "comments", "sentence", "body",
                     "评论", "内容", "文本", "正文", "句子")

_SAMPLE_BYTES = 64 * 1024          # per sample; a file gets up to three (head, middle, tail)
_CHUNK_CHARS = 64 * 1024           # ~0.2 s of jieba work: fine-grained enough for progress and cancel
_LONG_LINE_CHARS = 20_000          # longer lines are cut at sentence ends so one huge line still parallelises
_READ_LIMIT_CHARS = 1 << 20        # never hold more than this much of one line in memory
_PARALLEL_MIN_BYTES = 1 << 20      # below this, starting worker processes costs more than it saves
_MAX_WORKERS = 8
_CACHE_FORMAT = 1
_ERRORS = "w2v_explorer.count_replace"

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


_ENCODING_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16", "utf-16-le": "UTF-16 LE",
                    "utf-16-be": "UTF-16 BE", "utf-32": "UTF-32", "gb18030": "GB18030/GBK", "cp950": "Big5"}


def _human_size(n: int) -> str:
    if n < 1000:
        return f"{n} bytes"
    value = float(n)
    for unit in ("kB", "MB", "GB"):
        value /= 1000
        if value < 1000 or unit == "GB":
            break
    return f"{value:.1f} {unit}"


# --- public data -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CorpusFileReport:
    """What happened to one input file; the UI shows one row per file."""

    path: Path
    encoding: str | None
    size_bytes: int
    lines: int
    replaced_bytes: int
    skipped: str | None = None  # why the file was not used (binary, empty, unreadable...); None when used
    note: str = ""              # something the user should know about a used file (e.g. stopped at a corrupt block)

    @property
    def used(self) -> bool:
        return self.skipped is None

    @property
    def encoding_label(self) -> str:
        """The encoding as users know it: "GB18030/GBK", "Big5", "UTF-8 with BOM"..."""
        if self.encoding is None:
            return "—"
        return _ENCODING_LABELS.get(self.encoding, self.encoding.upper().replace("_", "-"))

    def summary(self) -> str:
        """One line for a log or the CLI, e.g. "a.txt: GB18030/GBK, 29.9 kB, 40 lines, 3 bytes replaced"."""
        if self.skipped is not None:
            return f"{self.path.name}: skipped ({self.skipped})"
        text = f"{self.path.name}: {self.encoding_label}, {_human_size(self.size_bytes)}, {self.lines:,} lines"
        if self.replaced_bytes:
            text += f", {self.replaced_bytes:,} undecodable bytes replaced"
        return text + (f"; {self.note}" if self.note else "")


@dataclass(frozen=True)
class SegmentOptions:
    user_dict: Path | None = None
    remove_punctuation: bool = True
    remove_stopwords: bool = False
    stopwords: Path | None = None  # None = BUILTIN_STOPWORDS
    hmm: bool = True               # jieba's HMM guesses words missing from the dictionary
    csv_column: str | int | None = None  # None = a column named review/text/... or the longest text column
    lowercase: bool = False

    def __post_init__(self) -> None:
        for name in ("user_dict", "stopwords"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Path):
                object.__setattr__(self, name, Path(value))


@dataclass(frozen=True)
class SegmentedCorpus:
    path: Path  # UTF-8, one sentence per line, tokens separated by one space
    sentences: int
    tokens: int
    bytes: int
    files: tuple[CorpusFileReport, ...]
    from_cache: bool
    options: SegmentOptions


# --- counting undecodable bytes ------------------------------------------------------------------------
_replaced = threading.local()


def _count_and_replace(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeDecodeError):
        raise err
    _replaced.count = getattr(_replaced, "count", 0) + (err.end - err.start)
    return "\ufffd", err.end


codecs.register_error(_ERRORS, _count_and_replace)


def _reset_replaced() -> None:
    _replaced.count = 0


def _replaced_count() -> int:
    return int(getattr(_replaced, "count", 0))


# --- finding files -------------------------------------------------------------------------------------
def _logical_suffix(path: Path) -> str:
    """The suffix that says what the content is: ``a.csv.gz`` -> ``.csv``."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    if not suffixes:
        return ""
    last = suffixes[-1]
    # "report.2024" or "v1.5" are names with dots, not extensions
    return last if re.fullmatch(r"\.[a-z][a-z0-9]{0,5}", last) else ""


def _wanted_in_folder(path: Path) -> bool:
    if path.name.startswith("."):
        return False
    return _logical_suffix(path) in CORPUS_SUFFIXES


def find_corpus_files(paths: Sequence[Path | str]) -> list[Path]:
    """Expand folders recursively to their text files (.txt .text .csv .tsv, no extension, and those .gz).

    Files named explicitly are kept whatever their extension (their content is checked later). Hidden files
    and folders are ignored inside folders. The result is sorted and has no duplicates.
    """
    found: dict[Path, Path] = {}  # resolved -> as given, so a file named twice (directly and via its folder) counts once
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in names:
                    child = Path(root) / name
                    if _wanted_in_folder(child) and child.is_file():
                        found.setdefault(child.resolve(), child)
        elif path.is_file():
            found.setdefault(path.resolve(), path)
        else:
            raise CorpusError(f"{path} does not exist.", "Check the path, or drop the file onto the window again.")
    return sorted(found.values())


# --- sniffing ------------------------------------------------------------------------------------------
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x7fELF", b"Rar!",
                 b"7z\xbc\xaf", b"\xd0\xcf\x11\xe0", b"SQLite format 3", b"BZh9", b"\xfd7zXZ", b"\x93NUMPY")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))


def _open_raw(path: Path) -> tuple[IO[bytes], IO[bytes]]:
    """(stream of content bytes, underlying file whose tell() measures progress). Looks through gzip."""
    raw = open(path, "rb")
    try:
        magic = raw.read(2)
        raw.seek(0)
        if magic == b"\x1f\x8b":
            return cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb")), raw
    except BaseException:
        raw.close()
        raise
    return raw, raw


def _trim_to_lines(piece: bytes, at_start: bool, at_end: bool) -> bytes:
    """Cut a sample at line breaks so it never starts or ends inside a multi-byte character."""
    if not at_start:
        cut = piece.find(b"\n")
        piece = piece[cut + 1:] if 0 <= cut < len(piece) - 1 else piece
    if not at_end:
        cut = piece.rfind(b"\n")
        piece = piece[:cut + 1] if cut > 0 else piece
    return piece


def _read_samples(path: Path) -> tuple[list[bytes], bool]:
    """Head (+ middle and tail for big plain files) of the content, and whether that is the whole content."""
    stream, raw = _open_raw(path)
    try:
        if stream is raw:
            size = os.fstat(raw.fileno()).st_size
            if size <= 3 * _SAMPLE_BYTES:
                return [raw.read()], True
            pieces = [_trim_to_lines(raw.read(_SAMPLE_BYTES), True, False)]
            for offset, at_end in ((size // 2, False), (size - _SAMPLE_BYTES, True)):
                raw.seek(offset)
                pieces.append(_trim_to_lines(raw.read(_SAMPLE_BYTES), False, at_end))
            return pieces, False
        head = stream.read(4 * _SAMPLE_BYTES)
        complete = len(head) < 4 * _SAMPLE_BYTES
        return [head if complete else _trim_to_lines(head, True, False)], complete
    finally:
        stream.close()
        raw.close()


def _utf16_without_bom(head: bytes) -> str | None:
    sample = head[: 4096 - 4096 % 2]
    if len(sample) < 8:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    if odd > 0.3 and even < 0.02:
        return "utf-16-le"
    if even > 0.3 and odd < 0.02:
        return "utf-16-be"
    return None


def _utf8_errors(pieces: list[bytes], complete: bool) -> tuple[int, int]:
    """(undecodable bytes, non-ASCII bytes) when the samples are read as UTF-8."""
    errors = non_ascii = 0
    for i, piece in enumerate(pieces):
        if i > 0:  # samples from the middle may start inside a character
            piece = piece.lstrip(bytes(range(0x80, 0xC0)))
        decoder = codecs.getincrementaldecoder("utf-8")(_ERRORS)
        _reset_replaced()
        decoder.decode(piece, final=complete or i == len(pieces) - 1)
        errors += _replaced_count()
        non_ascii += len(piece) - len(piece.translate(None, bytes(range(0x80, 0x100))))
    return errors, non_ascii


_CHINESE_CODECS = frozenset({"gb2312", "gbk", "gb18030", "hz", "big5", "big5hkscs", "cp950"})


def _normalise_encoding(name: str) -> str:
    name = codecs.lookup(name).name
    if name in ("gb2312", "gbk", "gb18030", "hz", "euc_cn", "cp936"):
        return "gb18030"  # a superset of GBK and GB2312 that decodes every file they do
    if name in ("big5", "cp950"):
        return "cp950"  # Big5 as Windows writes it; a strict superset of Python's big5
    if name == "utf-8":
        return "utf-8"
    return name


def _decode_errors(data: bytes, encoding: str) -> int:
    _reset_replaced()
    data.decode(encoding, _ERRORS)
    return _replaced_count()


def _sniff(pieces: list[bytes], complete: bool) -> tuple[str | None, str | None]:
    """(encoding, None) for text, (None, reason) for content that should be skipped."""
    head = pieces[0]
    if not head:
        return None, "empty file"
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            if complete and len(head) == len(bom):
                return None, "empty file"
            return name, None
    if head.startswith(_BINARY_MAGIC):
        return None, "binary file"
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16, None
    sample = b"".join(pieces)
    if b"\x00" in sample:
        return None, "binary file"
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > 0.02 * len(sample):
        return None, "binary file"
    if not sample.strip():
        return None, "empty file"
    errors, non_ascii = _utf8_errors(pieces, complete)
    # A clean sample is UTF-8; a few bad bytes among many good multi-byte characters is damaged UTF-8,
    # whereas GBK or Big5 read as UTF-8 fail on nearly every character.
    if errors == 0 or errors * 50 <= non_ascii:
        return "utf-8", None
    import charset_normalizer  # imported here: it is only needed for non-UTF-8 files

    matches = list(charset_normalizer.from_bytes(sample))  # best first
    if matches:
        # Short samples fit several code pages equally well (two GBK words also read as Korean cp949):
        # prefer a Chinese reading when it is about as plausible as the best one.
        chinese = [m for m in matches if m.encoding in _CHINESE_CODECS and m.chaos <= matches[0].chaos + 0.1]
        for match in chinese[:1] + matches:
            try:
                return _normalise_encoding(match.encoding), None
            except LookupError:
                continue
    scored = [(_decode_errors(sample, enc), i, enc) for i, enc in enumerate(("gb18030", "cp950", "utf-8"))]
    return min(scored)[2], None


def detect_encoding(path: Path | str) -> str | None:
    """The Python codec to read ``path`` with (looking through gzip), or None for empty/binary files."""
    pieces, complete = _read_samples(Path(path))
    return _sniff(pieces, complete)[0]


def _read_text_file(path: Path) -> str:
    """A whole small file (user dictionary, stop-word list) decoded with its detected encoding."""
    try:
        encoding = detect_encoding(path)
        stream, raw = _open_raw(path)
        with raw, stream:
            data = stream.read()
    except OSError as err:
        raise CorpusError(f"Cannot read {path}: {err.strerror or err}.", "Check that the file exists and is readable.")
    if encoding is None:
        if not data.strip():
            return ""
        raise CorpusError(f"{path.name} is not a text file.", "Choose a plain-text file, one word per line.")
    return data.decode(encoding, "replace").lstrip("\ufeff")


# --- reading -------------------------------------------------------------------------------------------
def _is_csv(path: Path) -> bool:
    return _logical_suffix(path) in (".csv", ".tsv")


def _split_long(text: str) -> list[str]:
    """Cut a very long line at sentence ends (else anywhere) into pieces of at most _LONG_LINE_CHARS."""
    pieces = []
    while len(text) > _LONG_LINE_CHARS:
        window = text[:_LONG_LINE_CHARS]
        cut = max(window.rfind(c) for c in "。！？!?；;\n")
        if cut < _LONG_LINE_CHARS // 4:
            cut = window.rfind(" ")
        if cut < _LONG_LINE_CHARS // 4:
            cut = _LONG_LINE_CHARS - 1
        pieces.append(text[:cut + 1])
        text = text[cut + 1:]
    pieces.append(text)
    return pieces


class _FileReader:
    """Streams one file's text items (lines, or one CSV cell per row) and tallies the report figures."""

    def __init__(self, path: Path, encoding: str, csv_column: str | int | None) -> None:
        self.path = path
        self.encoding = encoding
        self.csv_column = csv_column
        self.lines = 0
        self.replaced = 0
        self.note = ""
        self.position = 0  # bytes of the file on disk consumed so far (compressed bytes for .gz)

    def items(self) -> Iterator[str]:
        stream, raw = _open_raw(self.path)
        newline = "" if _is_csv(self.path) else None
        text = io.TextIOWrapper(stream, encoding=self.encoding, errors=_ERRORS, newline=newline)  # type: ignore[type-var]
        _reset_replaced()
        try:
            with text:
                source = self._csv_items(text) if _is_csv(self.path) else self._text_items(text)
                for item in source:
                    self.position = raw.tell()
                    self.replaced = _replaced_count()
                    yield item
        except (EOFError, OSError, zlib.error, csv.Error) as err:
            # A corrupt block late in a file: keep what was read before it and say so.
            self.note = f"stopped after line {self.lines}: {err}"
            log.warning("%s: %s", self.path, self.note)
        finally:
            raw.close()
        self.replaced = _replaced_count()
        self.position = os.path.getsize(self.path)

    def _text_items(self, text: IO[str]) -> Iterator[str]:
        partial = False
        while True:
            line = text.readline(_READ_LIMIT_CHARS)
            if not line:
                break
            partial = not line.endswith("\n")
            if not partial:
                self.lines += 1
                line = line[:-1]
            if len(line) > _LONG_LINE_CHARS:
                yield from _split_long(line)
            else:
                yield line
        if partial:
            self.lines += 1

    def _csv_items(self, text: IO[str]) -> Iterator[str]:
        head = text.read(_SAMPLE_BYTES)
        delimiter = "\t" if _logical_suffix(self.path) == ".tsv" else ","
        if delimiter == "," and "," not in head.split("\n", 1)[0]:
            try:
                delimiter = csv.Sniffer().sniff(head[: head.rfind("\n") + 1] or head, delimiters=",\t;|").delimiter
            except csv.Error:
                pass
        reader = csv.reader(_chain_text(head, text), delimiter=delimiter)
        first_rows: list[list[str]] = []
        for row in reader:
            first_rows.append(row)
            if len(first_rows) >= 200:
                break
        column, has_header = _choose_csv_column(first_rows, self.csv_column, self.path)
        rows: Iterator[list[str]] = iter(first_rows[1:] if has_header else first_rows)
        for rows_source in (rows, reader):
            for row in rows_source:
                self.lines += 1
                cell = row[column] if -len(row) <= column < len(row) else ""
                if len(cell) > _LONG_LINE_CHARS:
                    yield from _split_long(cell)
                else:
                    yield cell


def _chain_text(head: str, text: IO[str]) -> Iterator[str]:
    """Lines of ``head`` followed by the rest of ``text`` (csv.reader wants an iterator of lines)."""
    rest = head + text.readline()  # finish the line the sample stopped in
    yield from io.StringIO(rest, newline="")
    yield from text


csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # long reviews exceed the default 128 KiB per field


def _choose_csv_column(rows: list[list[str]], wanted: str | int | None, path: Path) -> tuple[int, bool]:
    """(column index, whether the first row is a header)."""
    if not rows:
        return 0, False
    header = [cell.strip().lstrip("\ufeff").lower() for cell in rows[0]]
    width = max(len(r) for r in rows)
    if isinstance(wanted, str):
        key = wanted.strip().lower()
        if key in header:
            return header.index(key), True
        if key.lstrip("-").isdigit():
            wanted = int(key)
        else:
            raise CorpusError(
                f"{path.name} has no column named “{wanted}”.",
                "Its first row is: " + ", ".join(rows[0][:20]) + ". Choose one of these or a column number.",
            )
    if isinstance(wanted, int):
        if not -width <= wanted < width:
            raise CorpusError(f"{path.name} has only {width} columns; there is no column {wanted}.",
                              "Columns are numbered from 0.")
        return wanted % width, _looks_like_header(rows, wanted % width)
    for name in _CSV_TEXT_COLUMNS:
        if name in header:
            return header.index(name), True
    body = rows[1:] or rows

    def average_length(col: int) -> float:
        cells = [r[col] for r in body if col < len(r)]
        numeric = sum(1 for c in cells if re.fullmatch(r"\s*[-+]?[\d.,:/]+\s*", c))
        if cells and numeric > len(cells) / 2:
            return -1.0  # labels, ids, dates: never the text
        return sum(len(c) for c in cells) / max(1, len(cells))

    column = max(range(width), key=average_length)
    return column, _looks_like_header(rows, column)


def _looks_like_header(rows: list[list[str]], column: int) -> bool:
    if len(rows) < 2:
        return False
    first, body = rows[0], rows[1:]
    if column >= len(first) or any(not c.strip() for c in first):
        return False
    numeric = re.compile(r"\s*[-+]?[\d.,:/]+\s*")
    if any(numeric.fullmatch(c) for c in first):
        return False
    for col in range(len(first)):  # a label or id column: numbers below a word
        cells = [r[col] for r in body if col < len(r)]
        if cells and sum(1 for c in cells if numeric.fullmatch(c)) >= 0.8 * len(cells):
            return True
    cells = [r[column] for r in body if column < len(r)]
    if re.fullmatch(r"[A-Za-z_][\w .-]{0,40}", first[column]) and sum(
            1 for c in cells if not c.isascii()) >= 0.8 * len(cells):
        return True  # an English column name above Chinese text
    average = sum(len(c) for c in cells) / max(1, len(cells))
    return len(first[column]) <= 32 and len(first[column]) < 0.5 * average


# --- inspecting ----------------------------------------------------------------------------------------
def _sniff_file(path: Path) -> CorpusFileReport:
    """A report with the encoding, or with ``skipped`` set; lines and replaced bytes are filled in later."""
    try:
        size = path.stat().st_size
        if size == 0:
            return CorpusFileReport(path, None, 0, 0, 0, "empty file")
        pieces, complete = _read_samples(path)
        encoding, skipped = _sniff(pieces, complete)
    except (OSError, EOFError, zlib.error) as err:
        reason = "not a valid gzip file" if isinstance(err, (gzip.BadGzipFile, EOFError, zlib.error)) else (
            err.strerror or str(err))
        return CorpusFileReport(path, None, _size(path), 0, 0, f"unreadable: {reason}")
    return CorpusFileReport(path, encoding, size, 0, 0, skipped)


def _finished_report(sniffed: CorpusFileReport, reader: _FileReader) -> CorpusFileReport:
    return CorpusFileReport(sniffed.path, sniffed.encoding, sniffed.size_bytes, reader.lines, reader.replaced,
                            None, reader.note)


def inspect_files(
    paths: Sequence[Path | str],
    report: Reporter = null_reporter,
    cancel: CancelToken | None = None,
    csv_column: str | int | None = None,
) -> list[CorpusFileReport]:
    """One report per file (folders expanded): encoding, size, lines, undecodable bytes, or why it is skipped.

    Reads every usable file once to count lines and bad bytes; progress is reported in bytes as "reading".
    """
    files = find_corpus_files(paths)
    total = sum(_size(p) for p in files)
    done = 0
    reports = []
    last = 0.0
    for path in files:
        if cancel is not None:
            cancel.raise_if_cancelled()
        sniffed = _sniff_file(path)
        if sniffed.skipped is None and sniffed.encoding is not None:
            reader = _FileReader(path, sniffed.encoding, csv_column)
            for _ in reader.items():
                if time.monotonic() - last > 0.2:
                    last = time.monotonic()
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    report(done + reader.position, total, "reading")
            sniffed = _finished_report(sniffed, reader)
        reports.append(sniffed)
        done += sniffed.size_bytes
        report(done, total, "reading")
    return reports


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


_VECTOR_HEADER = re.compile(r"\s*\d+\s+\d+\s*")
_FLOAT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def looks_like_corpus(path: Path | str) -> bool:
    """Cheap guess for drag and drop: is this text to train on (True) rather than a model file (False)?

    A folder counts when it holds a text file. A .txt that starts like word2vec text vectors
    ("3000 256" header, or "word 0.1 -0.2 ...") is a model, not a corpus.
    """
    path = Path(path)
    if path.is_dir():
        for i, child in enumerate(path.rglob("*")):
            if i > 2000:
                break
            if child.is_file() and _wanted_in_folder(child) and not any(
                    part.startswith(".") for part in child.relative_to(path).parts):
                return True
        return False
    if not path.is_file():
        return False
    suffix = _logical_suffix(path)
    if suffix in _MODEL_SUFFIXES or suffix not in CORPUS_SUFFIXES:
        return False
    try:
        stream, raw = _open_raw(path)
        with raw, stream:
            head = stream.read(16384)
    except (OSError, EOFError, zlib.error):
        return False
    complete = len(head) < 16384
    if not complete:
        head = _trim_to_lines(head, True, False)
    encoding, skipped = _sniff([head], complete)
    if skipped is not None or encoding is None:
        return False
    if suffix in (".csv", ".tsv"):
        return True
    lines = [line for line in head.decode(encoding, "replace").splitlines() if line.strip()][:5]
    if not lines:
        return False
    if _VECTOR_HEADER.fullmatch(lines[0]):
        return False
    fields = lines[0].split()
    if len(fields) >= 3 and all(_FLOAT.fullmatch(f) for f in fields[1:]):
        return False
    return True


# --- segmenting ----------------------------------------------------------------------------------------
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


def _drop_chars(remove_punctuation: bool) -> frozenset[str]:
    """Whitespace and U+FFFD (what undecodable bytes became) always go; punctuation on request."""
    drop = _WHITESPACE | {"\ufffd"}
    return drop | _punctuation_chars() if remove_punctuation else drop


@dataclass(frozen=True)
class _SegmenterConfig:
    """Everything a worker needs; pickled once per worker process."""

    user_dict_text: str | None
    hmm: bool
    drop_chars: frozenset[str]  # a token made only of these is dropped (computed once here, not per worker)
    stopwords: frozenset[str]
    lowercase: bool
    state_file: Path | None = None  # pickled jieba prefix dictionary (+ user words), shared by all workers


_STATE_FORMAT = 1


class _Segmenter:
    def __init__(self, config: _SegmenterConfig) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        # A private Tokenizer, so a user dictionary never leaks into jieba's global one.
        self.tokenizer = jieba.Tokenizer()
        if config.state_file is None or not self._load_state(config.state_file):
            self._build_state(config)
        self.config = config
        self.drop = config.drop_chars
        self.stopwords = frozenset(w.lower() for w in config.stopwords) if config.lowercase else config.stopwords

    def _build_state(self, config: _SegmenterConfig) -> None:
        from jieba import finalseg

        self.tokenizer.initialize()
        before = set(finalseg.Force_Split_Words)
        if config.user_dict_text:
            self.tokenizer.load_userdict(io.StringIO(config.user_dict_text))
        force_split = sorted(set(finalseg.Force_Split_Words) - before)  # user words with frequency 0
        if config.state_file is not None:  # missing or unreadable: (re)write it for the next run
            state = (_STATE_FORMAT, self.tokenizer.FREQ, self.tokenizer.total, force_split)
            try:
                config.state_file.parent.mkdir(parents=True, exist_ok=True)
                _write_atomically(config.state_file, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
            except OSError as err:
                log.info("could not save jieba's state to %s: %s", config.state_file, err)

    def _load_state(self, path: Path) -> bool:
        """Load the prefix dictionary saved by an earlier run: about 3x faster than jieba's own marshal cache,
        and it already holds the user dictionary (jieba computes a frequency for each user word: slow)."""
        from jieba import finalseg

        try:
            with open(path, "rb") as f:
                fmt, freq, total, force_split = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError) as err:
            if path.exists():
                log.info("ignoring unreadable jieba state %s: %s", path, err)
            return False
        if fmt != _STATE_FORMAT or not isinstance(freq, dict) or not isinstance(total, int):
            return False
        self.tokenizer.FREQ, self.tokenizer.total = freq, total
        self.tokenizer.initialized = True
        for word in force_split:
            finalseg.add_force_split(word)
        return True

    def segment(self, items: list[str]) -> tuple[bytes, int, int]:
        """(UTF-8 lines, sentences, tokens) for a chunk of text items."""
        cut = self.tokenizer.cut
        hmm = self.config.hmm
        drop = self.drop
        stop = self.stopwords
        lower = self.config.lowercase
        out: list[str] = []
        tokens = 0
        for item in items:
            words = [w for w in cut(_INVISIBLE.sub("", item), HMM=hmm) if w and not drop.issuperset(w)]
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


_in_process: tuple[_SegmenterConfig, _Segmenter] | None = None
_in_process_lock = threading.Lock()


def _local_segmenter(config: _SegmenterConfig) -> _Segmenter:
    """One cached in-process segmenter (building one loads jieba's dictionary: about half a second)."""
    global _in_process
    with _in_process_lock:
        if _in_process is None or _in_process[0] != config:
            _in_process = (config, _Segmenter(config))
        return _in_process[1]


# Worker-process side. Top-level functions so the spawn start method (Windows, macOS, frozen apps) can find them.
_worker: _Segmenter | None = None
_worker_error = ""


def _init_worker(config: _SegmenterConfig) -> None:
    global _worker, _worker_error
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl+C and terminates the pool
    try:
        _worker = _Segmenter(config)
    except Exception as err:  # an initializer that raises makes Pool respawn it forever; report it per task instead
        _worker_error = f"{type(err).__name__}: {err}"


def _segment_chunk(items: list[str]) -> tuple[bytes, int, int]:
    if _worker is None:
        raise RuntimeError(f"the segmenter could not start: {_worker_error}")
    return _worker.segment(items)


def _available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# --- cache ---------------------------------------------------------------------------------------------
def default_cache_dir() -> Path:
    """Where segmented corpora are kept: $W2V_EXPLORER_CACHE/segmented, else the user cache folder."""
    return cache_folder("segmented")


def clear_cache(cache_dir: Path | None = None) -> int:
    """Delete every cached segmented corpus and saved jieba state; returns the number of bytes freed."""
    folder = cache_dir or default_cache_dir()
    freed = 0
    for entries in (folder.glob("*"), (folder / "jieba").glob("*")):
        for entry in entries:
            if entry.suffix in (".txt", ".json", ".tmp", ".pickle") and entry.is_file():
                freed += entry.stat().st_size
                entry.unlink(missing_ok=True)
    return freed


def _cache_key(files: list[Path], options: SegmentOptions, user_dict: bytes | None, stopwords: bytes | None) -> str:
    import jieba

    def digest(data: bytes | None) -> str | None:
        return None if data is None else hashlib.sha256(data).hexdigest()

    entries = []
    for path in files:
        try:
            st = path.stat()
        except OSError as err:
            raise CorpusError(f"Cannot read {path}: {err.strerror or err}.", "Check that the file is still there.")
        entries.append([str(path.resolve()), st.st_size, st.st_mtime_ns])
    payload = {
        "format": _CACHE_FORMAT,
        "jieba": jieba.__version__,
        "unicode": unicodedata.unidata_version,
        "files": entries,
        "options": {
            "remove_punctuation": options.remove_punctuation,
            "remove_stopwords": options.remove_stopwords,
            "hmm": options.hmm,
            "csv_column": options.csv_column,
            "lowercase": options.lowercase,
        },
        "user_dict": digest(user_dict),
        "stopwords": (digest(stopwords) if options.stopwords else digest(" ".join(sorted(BUILTIN_STOPWORDS)).encode()))
        if options.remove_stopwords else None,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _state_key(user_dict: bytes | None) -> str:
    import jieba

    h = hashlib.sha256(f"{_STATE_FORMAT} jieba {jieba.__version__} python {sys.version_info[:2]}".encode())
    h.update(user_dict or b"")
    return h.hexdigest()[:24]


def _report_to_json(r: CorpusFileReport) -> dict[str, Any]:
    return {"path": str(r.path), "encoding": r.encoding, "size_bytes": r.size_bytes, "lines": r.lines,
            "replaced_bytes": r.replaced_bytes, "skipped": r.skipped, "note": r.note}


def _load_cached(folder: Path, key: str, options: SegmentOptions) -> SegmentedCorpus | None:
    text_path, meta_path = folder / f"{key}.txt", folder / f"{key}.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != _CACHE_FORMAT or text_path.stat().st_size != meta["bytes"]:
            return None
        files = tuple(CorpusFileReport(Path(f["path"]), f["encoding"], f["size_bytes"], f["lines"],
                                       f["replaced_bytes"], f["skipped"], f.get("note", "")) for f in meta["files"])
        os.utime(meta_path)  # last use, for whoever prunes the cache
        return SegmentedCorpus(text_path, meta["sentences"], meta["tokens"], meta["bytes"], files, True, options)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_atomically(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- the pipeline --------------------------------------------------------------------------------------
@dataclass
class _Chunk:
    items: list[str]
    done_bytes: int  # progress once this chunk is written


def _chunks(usable: list[CorpusFileReport], csv_column: str | int | None, readers: dict[Path, _FileReader],
            offset_of: dict[Path, int]) -> Iterator[_Chunk]:
    for sniffed in usable:
        assert sniffed.encoding is not None
        reader = _FileReader(sniffed.path, sniffed.encoding, csv_column)
        readers[sniffed.path] = reader
        base = offset_of[sniffed.path]
        items: list[str] = []
        chars = 0
        for item in reader.items():
            items.append(item)
            chars += len(item) + 1
            if chars >= _CHUNK_CHARS:
                yield _Chunk(items, base + reader.position)
                items, chars = [], 0
        if items:
            yield _Chunk(items, base + reader.position)


def segment_corpus(
    paths: Sequence[Path | str],
    options: SegmentOptions = SegmentOptions(),
    report: Reporter = null_reporter,
    cancel: CancelToken | None = None,
    cache_dir: Path | None = None,
    workers: int | None = None,
    use_cache: bool = True,
) -> SegmentedCorpus:
    """Segment every usable file under ``paths`` into one cached corpus file; reuse it when nothing changed.

    Stages reported: "reading" (sniffing encodings) then "segmenting", both in bytes of input.
    ``workers``: processes for jieba; None = one per core (in-process for small inputs or one core),
    1 = in this process. Raises EmptyCorpus when no file is usable, Cancelled when ``cancel`` is set.
    """
    files = find_corpus_files(paths)
    if not files:
        raise EmptyCorpus("No text files were found in " + ", ".join(str(p) for p in paths) + ".",
                          "Drop .txt, .csv, .tsv or .gz files, or a folder that contains them.")
    user_dict_bytes = _read_bytes(options.user_dict, "user dictionary") if options.user_dict else None
    stop_bytes = _read_bytes(options.stopwords, "stop-word list") if options.stopwords and options.remove_stopwords \
        else None
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    key = _cache_key(files, options, user_dict_bytes, stop_bytes)
    if use_cache:
        cached = _load_cached(folder, key, options)
        if cached is not None:
            total = sum(r.size_bytes for r in cached.files)
            report(total, total, "segmenting")
            return cached

    config = _SegmenterConfig(
        user_dict_text=_read_text_file(options.user_dict) if options.user_dict else None,
        hmm=options.hmm,
        drop_chars=_drop_chars(options.remove_punctuation),
        stopwords=_stopword_set(options),
        lowercase=options.lowercase,
        state_file=folder / "jieba" / f"{_state_key(user_dict_bytes)}.pickle",
    )
    total = sum(_size(p) for p in files)
    if workers is None:
        cores = _available_cores()
        workers = 1 if cores < 2 or total < _PARALLEL_MIN_BYTES else min(cores, _MAX_WORKERS)
    pool = None
    try:
        if workers > 1:
            # Started first so the workers load jieba's dictionary while this process sniffs the files.
            pool = multiprocessing.get_context("spawn").Pool(workers, _init_worker, (config,))
        sniffed = _sniff_all(files, report, cancel)
        usable = [r for r in sniffed if r.skipped is None]
        if not usable:
            raise EmptyCorpus(
                "None of the files can be used: " + "; ".join(f"{r.path.name} ({r.skipped})" for r in sniffed[:10])
                + ("; …" if len(sniffed) > 10 else "") + ".",
                "Drop plain-text files (UTF-8, GBK/GB18030, Big5 or UTF-16), one sentence or paragraph per line.")
        corpus = _segment_to_cache(usable, sniffed, options, config, folder, key, pool, workers, report, cancel)
        if pool is not None:
            pool.close()
            pool.join()
            pool = None
        return corpus
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()


def _read_bytes(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise CorpusError(f"Cannot read the {what} {path}: {err.strerror or err}.",
                          f"Choose another {what} or none.")


def _stopword_set(options: SegmentOptions) -> frozenset[str]:
    if not options.remove_stopwords:
        return frozenset()
    if options.stopwords is None:
        return BUILTIN_STOPWORDS
    return frozenset(_read_text_file(options.stopwords).split())


def _sniff_all(files: list[Path], report: Reporter, cancel: CancelToken | None) -> list[CorpusFileReport]:
    total = sum(_size(p) for p in files)
    done = 0
    out = []
    report(0, total, "reading")
    for path in files:
        if cancel is not None:
            cancel.raise_if_cancelled()
        out.append(_sniff_file(path))
        done += out[-1].size_bytes
        report(done, total, "reading")
    return out


def _segment_to_cache(usable: list[CorpusFileReport], sniffed: list[CorpusFileReport], options: SegmentOptions,
                      config: _SegmenterConfig, folder: Path, key: str, pool: Any, workers: int, report: Reporter,
                      cancel: CancelToken | None) -> SegmentedCorpus:
    folder.mkdir(parents=True, exist_ok=True)
    total = sum(r.size_bytes for r in usable)
    offset_of: dict[Path, int] = {}
    offset = 0
    for r in usable:
        offset_of[r.path] = offset
        offset += r.size_bytes
    readers: dict[Path, _FileReader] = {}
    sentences = tokens = 0
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=key + ".", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            report(0, total, "segmenting")
            chunks = _chunks(usable, options.csv_column, readers, offset_of)
            if pool is None:
                segmenter = _local_segmenter(config)
                for chunk in chunks:
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    data, s, t = segmenter.segment(chunk.items)
                    out.write(data)
                    sentences += s
                    tokens += t
                    report(chunk.done_bytes, total, "segmenting")
            else:
                sentences, tokens = _run_pool(pool, workers, chunks, out, total, report, cancel)
        if cancel is not None:
            cancel.raise_if_cancelled()
        reports = tuple(_finished_report(r, readers[r.path]) if r.path in readers else r for r in sniffed)
        if sentences == 0:
            raise EmptyCorpus(
                "The files contain no words to train on after segmentation.",
                "Check that they hold Chinese or other text, or turn off stop-word and punctuation removal.")
        size = tmp.stat().st_size
        target = folder / f"{key}.txt"
        os.replace(tmp, target)
        meta = {"format": _CACHE_FORMAT, "sentences": sentences, "tokens": tokens, "bytes": size,
                "files": [_report_to_json(r) for r in reports]}
        _write_atomically(folder / f"{key}.json", json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
        report(total, total, "segmenting")
        return SegmentedCorpus(target, sentences, tokens, size, reports, False, options)
    finally:
        tmp.unlink(missing_ok=True)


def _run_pool(pool: Any, workers: int, chunks: Iterator[_Chunk], out: IO[bytes], total: int, report: Reporter,
              cancel: CancelToken | None) -> tuple[int, int]:
    """Feed chunks to the pool (a bounded window in flight), write results in input order."""
    window = 3 * workers  # enough queued work that no worker idles while we write
    pending: deque[tuple[Any, int]] = deque()
    sentences = tokens = 0
    last_report = time.monotonic()
    done = 0

    def write_oldest() -> None:
        nonlocal sentences, tokens, last_report, done
        result, done_bytes = pending[0]
        while not result.ready():
            result.wait(0.1)
            if cancel is not None:
                cancel.raise_if_cancelled()  # the caller terminates the pool
            if time.monotonic() - last_report >= 0.5:
                last_report = time.monotonic()
                report(done, total, "segmenting")
        pending.popleft()
        try:
            data, s, t = result.get()
        except RuntimeError as err:
            raise CorpusError(f"Segmentation failed in a worker process: {err}.",
                              "Try again with one worker (workers=1); if it persists, reinstall the program.")
        out.write(data)
        sentences += s
        tokens += t
        done = done_bytes
        last_report = time.monotonic()
        report(done, total, "segmenting")

    for chunk in chunks:
        if cancel is not None:
            cancel.raise_if_cancelled()
        while len(pending) >= window:
            write_oldest()
        pending.append((pool.apply_async(_segment_chunk, (chunk.items,)), chunk.done_bytes))
    while pending:
        write_oldest()
    return sentences, tokens
