"""Reading corpus files: text lines or one CSV cell per row, with per-file reports (lines, replaced bytes)."""

from __future__ import annotations

import csv
import gzip
import io
import logging
import os
import re
import sys
import time
import zlib
from pathlib import Path
from typing import IO, Iterator, Sequence

from explorer.core.corpus.encoding import (SAMPLE_BYTES, COUNT_REPLACE, open_raw, read_samples, replaced_count,
                                           reset_replaced, sniff)
from explorer.core.corpus.files import file_size, find_corpus_files, logical_suffix
from explorer.core.corpus.mixed import LineWiseTranscoder, line_wise
from explorer.core.corpus.records import CorpusFileReport
from explorer.core.errors import CorpusError
from explorer.core.fsutil import compression_of, is_regular_file
from explorer.core.tasks import CancelToken, Reporter, null_reporter

log = logging.getLogger(__name__)

_CSV_TEXT_COLUMNS = ("review", "reviews", "text", "content", "comment", "comments", "sentence", "body",
                     "评论", "内容", "文本", "正文", "句子")
_LONG_LINE_CHARS = 20_000           # longer lines are cut at sentence ends so one huge line still parallelises
_READ_LIMIT_CHARS = 1 << 20        # never hold more than this much of one line in memory


def _is_csv(path: Path) -> bool:
    return logical_suffix(path) in (".csv", ".tsv")


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


class FileReader:
    """Streams one file's text items (lines, or one CSV cell per row) and tallies the report figures."""

    def __init__(self, path: Path, encoding: str, csv_column: str | int | None) -> None:
        self.path = path
        self.encoding = encoding
        self.csv_column = csv_column
        self.lines = 0
        self.replaced = 0
        self.note = ""
        self.position = 0  # bytes of the file on disk consumed so far (compressed bytes for .gz)
        self.utf8_lines = self.legacy_lines = 0  # lines with non-ASCII text read as UTF-8 / as the legacy encoding

    def items(self) -> Iterator[str]:
        stream, raw = open_raw(self.path)
        newline = "" if _is_csv(self.path) else None
        transcoder = None
        if line_wise(self.encoding):  # UTF-8 lines may hide among GBK or Big5 ones: decide line by line
            transcoder = LineWiseTranscoder(stream, self.encoding, COUNT_REPLACE)
            stream = io.BufferedReader(transcoder)
        encoding = "utf-8" if transcoder is not None else self.encoding
        text = io.TextIOWrapper(stream, encoding=encoding, errors=COUNT_REPLACE, newline=newline)  # type: ignore[type-var]
        reset_replaced()
        try:
            with text:
                source = self._csv_items(text) if _is_csv(self.path) else self._text_items(text)
                for item in source:
                    self.position = raw.tell()
                    self.replaced = replaced_count()
                    yield item
        except (EOFError, OSError, zlib.error, csv.Error) as err:
            # A corrupt block late in a file: keep what was read before it and say so.
            self.note = f"stopped after line {self.lines}: {err}"
            log.warning("%s: %s", self.path, self.note)
        finally:
            raw.close()
            if transcoder is not None:
                self.utf8_lines, self.legacy_lines = transcoder.utf8_lines, transcoder.legacy_lines
        self.replaced = replaced_count()
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
        head = text.read(SAMPLE_BYTES)
        delimiter = "\t" if logical_suffix(self.path) == ".tsv" else ","
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
def sniff_file(path: Path) -> CorpusFileReport:
    """A report with the encoding, or with ``skipped`` set; lines and replaced bytes are filled in later."""
    try:
        size = path.stat().st_size
        if size == 0:
            return CorpusFileReport(path, None, 0, 0, 0, "empty file")
        pieces, complete = read_samples(path)
        encoding, skipped = sniff(pieces, complete)
    except (OSError, EOFError, zlib.error) as err:
        reason = "not a valid gzip file" if isinstance(err, (gzip.BadGzipFile, EOFError, zlib.error)) else (
            err.strerror or str(err))
        return CorpusFileReport(path, None, file_size(path), 0, 0, f"unreadable: {reason}")
    return CorpusFileReport(path, encoding, size, 0, 0, skipped)


def finished_report(sniffed: CorpusFileReport, reader: FileReader) -> CorpusFileReport:
    report = CorpusFileReport(sniffed.path, sniffed.encoding, sniffed.size_bytes, reader.lines, reader.replaced,
                              None, reader.note, reader.utf8_lines, reader.legacy_lines)
    if report.warning:
        log.info("%s: %s", report.path, report.warning)
    return report


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
    total = sum(file_size(p) for p in files)
    done = 0
    reports = []
    last = 0.0
    for path in files:
        if cancel is not None:
            cancel.raise_if_cancelled()
        sniffed = sniff_file(path)
        if sniffed.skipped is None and sniffed.encoding is not None:
            reader = FileReader(path, sniffed.encoding, csv_column)
            for _ in reader.items():
                if time.monotonic() - last > 0.2:
                    last = time.monotonic()
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    report(done + reader.position, total, "reading")
            sniffed = finished_report(sniffed, reader)
        reports.append(sniffed)
        done += sniffed.size_bytes
        report(done, total, "reading")
    return reports




def check_segmented_file(path: Path | str) -> Path:
    """A file given as already segmented, sniffed like any corpus: it must be UTF-8 text, not compressed.

    The trainer reads such a file's bytes as they are, so anything else would train on junk. Raises CorpusError.
    """
    path = Path(path)
    if not path.exists():
        raise CorpusError(f"{path} does not exist.", "Check the path.")
    if not is_regular_file(path):
        raise CorpusError(f"{path} is not a regular file.",
                          "--segmented takes one segmented text file; drop --segmented to segment a folder here.")
    sniffed = sniff_file(path)
    hint = ("A segmented file is UTF-8 text, one sentence per line, words separated by spaces. Drop --segmented "
            "to have the text segmented here (any encoding, .gz and folders work then).")
    if sniffed.skipped is not None:
        raise CorpusError(f"{path.name} cannot be trained on as a segmented corpus: {sniffed.skipped}.", hint)
    try:
        with open(path, "rb") as f:
            compressed = compression_of(f.read(3))
    except OSError as err:
        raise CorpusError(f"Cannot read {path}: {err.strerror or err}.", "Check that the file is readable.")
    if compressed:
        raise CorpusError(f"{path.name} is compressed ({compressed}); a segmented corpus is read as it is.",
                          "Unpack it first, or drop --segmented.")
    if sniffed.encoding not in ("utf-8", "utf-8-sig"):
        raise CorpusError(f"{path.name} is in {sniffed.encoding_label}, not UTF-8.", hint)
    return path
