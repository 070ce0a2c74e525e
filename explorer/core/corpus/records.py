"""The frozen records that cross threads: what happened to each file, the segmentation options, the result."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_ENCODING_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16", "utf-16-le": "UTF-16 LE",
                    "utf-16-be": "UTF-16 BE", "utf-32": "UTF-32", "gb18030": "GB18030/GBK", "cp950": "Big5"}


def human_size(n: int) -> str:
    if n < 1000:
        return f"{n} bytes"
    value = float(n)
    for unit in ("kB", "MB", "GB"):
        value /= 1000
        if value < 1000 or unit == "GB":
            break
    return f"{value:.1f} {unit}"


def encoding_label(encoding: str | None) -> str:
    """An encoding as users know it: "GB18030/GBK", "Big5", "UTF-8 with BOM"..."""
    if encoding is None:
        return "—"
    return _ENCODING_LABELS.get(encoding, encoding.upper().replace("_", "-"))


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
    # In a file read line by line (GBK, Big5...): lines with non-ASCII text that were UTF-8 / the file's encoding.
    utf8_lines: int = 0
    legacy_lines: int = 0

    @property
    def used(self) -> bool:
        return self.skipped is None

    @property
    def mixed(self) -> bool:
        """Whether the file's lines mix UTF-8 with its legacy encoding (each line was decoded with its own)."""
        return self.utf8_lines > 0 and self.legacy_lines > 0

    @property
    def replaced_share(self) -> float:
        """Undecodable bytes as a share of the file's size (of the compressed size for .gz: an estimate)."""
        return self.replaced_bytes / self.size_bytes if self.size_bytes else 0.0

    @property
    def encoding_label(self) -> str:
        """The encoding as users know it: "GB18030/GBK", "Big5", "UTF-8 with BOM", "UTF-8 + GB18030/GBK"..."""
        if self.mixed:
            return f"UTF-8 + {encoding_label(self.encoding)}"
        return encoding_label(self.encoding)

    @property
    def warning(self) -> str:
        """What the user should check before training on this file, or "" (mixed encodings, replaced bytes)."""
        parts = []
        if self.mixed:
            lines = max(self.lines, self.utf8_lines + self.legacy_lines)
            parts.append(f"its lines mix encodings: {self.utf8_lines:,} of {lines:,} lines "
                         f"({self.utf8_lines / lines:.0%}) are UTF-8 and {self.legacy_lines:,} "
                         f"({self.legacy_lines / lines:.0%}) {encoding_label(self.encoding)}; each line was "
                         "decoded in its own encoding: check the words it gives")
        if self.replaced_bytes:
            parts.append(f"{self.replaced_bytes:,} undecodable bytes were replaced "
                         f"({_share(self.replaced_share)} of the file)")
        return "; ".join(parts)

    def summary(self) -> str:
        """One line for a log or the CLI, e.g. "a.txt: GB18030/GBK, 29.9 kB, 40 lines, 3 bytes replaced"."""
        if self.skipped is not None:
            return f"{self.path.name}: skipped ({self.skipped})"
        text = f"{self.path.name}: {self.encoding_label}, {human_size(self.size_bytes)}, {self.lines:,} lines"
        if self.warning:
            text += f"; WARNING: {self.warning}"
        return text + (f"; {self.note}" if self.note else "")


def _share(x: float) -> str:
    return f"{x:.1%}" if x >= 0.001 else "under 0.1%"


@dataclass(frozen=True)
class SegmentOptions:
    user_dict: Path | None = None
    remove_punctuation: bool = True
    remove_stopwords: bool = False
    stopwords: Path | None = None  # None = BUILTIN_STOPWORDS
    hmm: bool = True               # jieba's HMM guesses words missing from the dictionary
    csv_column: str | int | None = None  # None = a column named review/text/... or the longest text column
    lowercase: bool = False
    # "auto": the compiled backend (rjieba) where it is installed and verified to give jieba's tokens for this
    # configuration, else jieba; "jieba": always jieba (the reference); "fast": rjieba whenever installed.
    segmenter: str = "auto"

    def __post_init__(self) -> None:
        from explorer.core.corpus.fast_segment import SEGMENTERS

        if self.segmenter not in SEGMENTERS:
            from explorer.core.errors import CorpusError

            raise CorpusError(f"Unknown segmenter {self.segmenter!r}.", "Choose one of: " + ", ".join(SEGMENTERS) + ".")
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
    note: str = ""  # something the user should know (e.g. the cache folder could not be written)
    segmenter: str = "jieba"  # what segmented it: "jieba" or "rjieba" (same tokens)
