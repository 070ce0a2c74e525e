"""Benchmark sets as published: analogy questions and word-similarity pairs, the bundled ones, and what
published results scored on them ("what score is good").

Analogy files use the word2vec ``questions-words`` layout (``: section`` lines, then ``a b c d`` lines),
read the way gensim's ``evaluate_word_analogies`` reads them. Similarity files are ``w1 w2 score`` lines,
tab or space separated, extra columns ignored, ``#`` comments skipped; fields are stripped (gensim's
``evaluate_word_pairs`` keeps stray spaces, which turns ``猫 `` into an unknown word).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from explorer.core.errors import ExplorerError

__all__ = [
    "BenchmarkFileError", "AnalogySection", "AnalogySet", "WordPair", "SimilaritySet", "BundledSet", "Reference",
    "read_analogy_set", "read_similarity_set", "parse_analogies", "parse_similarity", "bundled_sets",
    "references", "eval_folder",
]

MAX_BYTES = 64 * 1024 * 1024  # the largest published sets are a few MB; anything bigger is the wrong file
_LINES = re.compile(r"\r\n|\r|\n")


class BenchmarkFileError(ExplorerError):
    title = "Cannot read the benchmark"


# --- the sets ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AnalogySection:
    name: str
    questions: tuple[tuple[str, str, str, str], ...]  # (a, b, c, expected): a is to b as c is to expected


@dataclass(frozen=True)
class AnalogySet:
    name: str  # shown to people: the file name
    path: Path | None
    sections: tuple[AnalogySection, ...]
    invalid_lines: tuple[int, ...] = ()  # 1-based numbers of lines that are neither a section nor four words

    @property
    def question_count(self) -> int:
        return sum(len(s.questions) for s in self.sections)


@dataclass(frozen=True)
class WordPair:
    word1: str
    word2: str
    score: float  # the human rating
    line: int  # 1-based line number in the file


@dataclass(frozen=True)
class SimilaritySet:
    name: str
    path: Path | None
    pairs: tuple[WordPair, ...]
    invalid_lines: tuple[int, ...] = ()


# --- reading -----------------------------------------------------------------------------------------
def _read_text(path: Path | str, what: str) -> tuple[Path, str]:
    p = Path(path)
    if not p.exists():
        raise BenchmarkFileError(f"The {what} file {p} does not exist.", "Check the path and try again.")
    if not p.is_file():
        raise BenchmarkFileError(f"{p} is a folder, not a {what} file.", "Choose one text file.")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise BenchmarkFileError(
            f"{p.name} is {size / 1e6:.0f} MB, far larger than any {what} file.",
            "Check that you chose the benchmark and not a model or a corpus.")
    data = p.read_bytes()
    if b"\x00" in data[:4096]:
        raise BenchmarkFileError(f"{p.name} is not a text file.", f"A {what} file is plain text, one item a line.")
    for encoding in ("utf-8-sig", "gb18030"):  # published Chinese sets are UTF-8; older ones GBK
        try:
            return p, data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BenchmarkFileError(f"{p.name} is neither UTF-8 nor GBK text.", "Save it as UTF-8 and try again.")


def parse_analogies(text: str, name: str, path: Path | None = None) -> AnalogySet:
    """Analogy questions from the text of a ``questions-words`` file (see the module docstring)."""
    sections: list[AnalogySection] = []
    current: str | None = None
    questions: list[tuple[str, str, str, str]] = []
    invalid: list[int] = []
    for number, line in enumerate(_LINES.split(text), 1):
        if line.startswith(": "):
            if current is not None or questions:
                sections.append(AnalogySection(current or name, tuple(questions)))
            current, questions = line.lstrip(": ").strip(), []  # gensim's reading of the section name
            continue
        words = line.split()
        if not words:
            continue
        if len(words) != 4:
            invalid.append(number)
            continue
        questions.append((words[0], words[1], words[2], words[3]))
    if current is not None or questions:
        sections.append(AnalogySection(current or name, tuple(questions)))
    result = AnalogySet(name=name, path=path, sections=tuple(sections), invalid_lines=tuple(invalid))
    if result.question_count == 0:
        hint = "Each line should hold four words, a b c d (a is to b as c is to d), under ': section' lines."
        if invalid and all(_looks_like_pair(line) for line in _LINES.split(text)[:20] if line.strip()):
            hint = "It looks like a word-similarity file (two words and a score a line): open it as one."
        raise BenchmarkFileError(f"{name} has no analogy questions.", hint)
    return result


def _looks_like_pair(line: str) -> bool:
    parts = [p for p in re.split(r"\t| +", line.strip()) if p]
    if line.lstrip().startswith("#"):
        return True
    return len(parts) >= 3 and _is_number(parts[2])


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def parse_similarity(text: str, name: str, path: Path | None = None) -> SimilaritySet:
    """Word pairs with human scores from the text of a similarity file (see the module docstring)."""
    pairs: list[WordPair] = []
    invalid: list[int] = []
    for number, line in enumerate(_LINES.split(text), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        # tab-separated files may have spaces inside a field ("猫 "); the rest separate by runs of spaces
        fields = [f.strip() for f in line.split("\t")] if "\t" in line else stripped.split()
        if len(fields) < 3 or not fields[0] or not fields[1] or not _is_number(fields[2]):
            invalid.append(number)
            continue
        pairs.append(WordPair(fields[0], fields[1], float(fields[2]), number))
    if not pairs:
        hint = "Each line should hold two words and a number (the human score), separated by tabs or spaces."
        if any(len(line.split()) == 4 for line in _LINES.split(text)[:40]):
            hint = "It looks like an analogy file (four words a line): open it as one."
        raise BenchmarkFileError(f"{name} has no word pairs with a score.", hint)
    return SimilaritySet(name=name, path=path, pairs=tuple(pairs), invalid_lines=tuple(invalid))


def read_analogy_set(path: Path | str) -> AnalogySet:
    p, text = _read_text(path, "analogy")
    return parse_analogies(text, p.name, p)


def read_similarity_set(path: Path | str) -> SimilaritySet:
    p, text = _read_text(path, "word-similarity")
    return parse_similarity(text, p.name, p)


# --- bundled sets ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BundledSet:
    kind: Literal["analogy", "similarity"]
    name: str  # the file name, also the key of its reference figures
    path: Path
    language: str  # "zh" or "en"
    title: str


# file, kind, language, title. Sources and licences: resources/eval/README.md
_BUNDLED: tuple[tuple[str, Literal["analogy", "similarity"], str, str], ...] = (
    ("ca_translated.txt", "analogy", "zh", "CA-translated: capitals, cities, family (Chen et al. 2015)"),
    ("questions-words.txt", "analogy", "en", "Google analogy set (Mikolov et al. 2013)"),
    ("wordsim240.txt", "similarity", "zh", "wordsim-240, relatedness (Wang et al. 2011)"),
    ("wordsim297.txt", "similarity", "zh", "wordsim-297, Chinese WordSim-353 (Jin and Wu 2012)"),
    ("COS960_all.txt", "similarity", "zh", "COS960, similarity of two-character words (Huang et al. 2019)"),
    ("COS960_noun.txt", "similarity", "zh", "COS960 nouns"),
    ("COS960_verb.txt", "similarity", "zh", "COS960 verbs"),
    ("COS960_adj.txt", "similarity", "zh", "COS960 adjectives"),
)
# English similarity sets come with gensim's own test data (no licence of their own to re-bundle them
# under); used when that folder is installed (it is not inside the frozen app).
_GENSIM_SETS = (
    ("wordsim353.tsv", "WordSim-353, relatedness (Finkelstein et al. 2002)"),
    ("simlex999.txt", "SimLex-999, similarity (Hill et al. 2015)"),
)


def eval_folder() -> Path:
    """``resources/eval`` in the source tree, an installed package or a PyInstaller bundle."""
    here = Path(__file__).resolve()
    roots = []
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        roots.append(Path(meipass) / "resources")
    roots += [here.parents[3] / "resources", here.parents[2] / "resources",
              Path(sys.prefix) / "share" / "w2v-explorer" / "resources"]
    for root in roots:
        if (root / "eval").is_dir():
            return root / "eval"
    return roots[-3] / "eval"


def bundled_sets() -> tuple[BundledSet, ...]:
    """Every benchmark available with no file chosen: the bundled ones, then gensim's English pairs."""
    folder = eval_folder()
    out = [BundledSet(kind, name, folder / name, lang, title) for name, kind, lang, title in _BUNDLED
           if (folder / name).is_file()]
    try:
        from gensim.test.utils import datapath

        for name, title in _GENSIM_SETS:
            p = Path(datapath(name))
            if p.is_file():
                out.append(BundledSet("similarity", name, p, "en", title))
    except ImportError:
        pass
    return tuple(out)


# --- what score is good ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reference:
    value: float  # accuracy 0..1 for analogies, Spearman rho for similarity
    model: str  # what was evaluated
    source: str  # where the figure is published
    note: str = ""  # coverage or settings that matter when comparing


# A small corpus is what most users of this app train on, and published figures come from billions of
# words; so beside them, one small-corpus run measured with this app: skip-gram, 100 dims, window 5,
# min_count 3, 5 epochs (gensim 4.4) on People's Daily, January 1998, gold segmentation (1.1 M words).
_SMALL = "skip-gram on 1.1 M words (People's Daily, Jan. 1998; 100 dims, 5 epochs)"
_MEASURED = "measured with this app (w2v evaluate), one training run; a retrain moves it by a few points"
_REFERENCES: dict[str, tuple[Reference, ...]] = {
    "ca_translated.txt": (Reference(0.045, _SMALL, _MEASURED, "727 of 953 questions covered (76%)"),),
    "wordsim240.txt": (Reference(0.130, _SMALL, _MEASURED, "194 of 240 pairs covered"),),
    "wordsim297.txt": (Reference(0.275, _SMALL, _MEASURED, "212 of 297 pairs covered"),),
    "COS960_all.txt": (Reference(0.406, _SMALL, _MEASURED, "194 of 960 pairs covered"),),
    "COS960_noun.txt": (Reference(0.442, _SMALL, _MEASURED, "105 of 480 pairs covered"),),
    "COS960_verb.txt": (Reference(0.430, _SMALL, _MEASURED, "47 of 240 pairs covered"),),
    "COS960_adj.txt": (Reference(0.291, _SMALL, _MEASURED, "42 of 240 pairs covered"),),
    "questions-words.txt": (
        Reference(0.7426, "GoogleNews-vectors-negative300 (word2vec, 100 bn words)",
                  "gist.github.com/iamaziz/8d8d8c08c7eeda707b9e (gensim accuracy())",
                  "7,614 questions: only those within the 30,000 most frequent words"),
    ),
    "simlex999.txt": (
        Reference(0.37, "skip-gram (word2vec) trained on 1 bn words of Wikipedia",
                  "SimLex-999 home page, fh295.github.io/simlex.html (Hill et al. 2015)"),
    ),
}


def references(name: str) -> tuple[Reference, ...]:
    """Published figures for the set called ``name`` (its file name); empty when none are known."""
    return _REFERENCES.get(name, ())
