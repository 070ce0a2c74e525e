"""Finding corpus files: folders expanded to their text files, and the drag-and-drop guess corpus vs model."""

from __future__ import annotations

import os
import re
import zlib
from pathlib import Path
from typing import Sequence

from explorer.core.corpus.encoding import open_raw, sniff, trim_to_lines
from explorer.core.errors import CorpusError

# Suffixes picked up when a folder is expanded ("" = no extension). .gz is looked through: a.csv.gz is a CSV.
CORPUS_SUFFIXES = frozenset({".txt", ".text", ".csv", ".tsv", ""})
_MODEL_SUFFIXES = frozenset({".bin", ".model", ".kv", ".npy", ".vec", ".w2v", ".pkl", ".pickle", ".wv", ".zip"})


def logical_suffix(path: Path) -> str:
    """The suffix that says what the content is: ``a.csv.gz`` -> ``.csv``."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    if not suffixes:
        return ""
    last = suffixes[-1]
    # "report.2024" or "v1.5" are names with dots, not extensions
    return last if re.fullmatch(r"\.[a-z][a-z0-9]{0,5}", last) else ""


def wanted_in_folder(path: Path) -> bool:
    if path.name.startswith("."):
        return False
    return logical_suffix(path) in CORPUS_SUFFIXES


def find_corpus_files(paths: Sequence[Path | str]) -> list[Path]:
    """Expand folders recursively to their text files (.txt .text .csv .tsv, no extension, and those .gz).

    Files named explicitly are kept whatever their extension (their content is checked later). Hidden files
    and folders are ignored inside folders. The result is sorted and has no duplicates.
    """
    # resolved -> as given, so a file named twice (directly and via its folder) counts once
    found: dict[Path, Path] = {}
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in names:
                    child = Path(root) / name
                    if wanted_in_folder(child) and child.is_file():
                        found.setdefault(child.resolve(), child)
        elif path.is_file():
            found.setdefault(path.resolve(), path)
        else:
            raise CorpusError(f"{path} does not exist.", "Check the path, or drop the file onto the window again.")
    return sorted(found.values())



def file_size(path: Path) -> int:
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
            if child.is_file() and wanted_in_folder(child) and not any(
                    part.startswith(".") for part in child.relative_to(path).parts):
                return True
        return False
    if not path.is_file():
        return False
    suffix = logical_suffix(path)
    if suffix in _MODEL_SUFFIXES or suffix not in CORPUS_SUFFIXES:
        return False
    try:
        stream, raw = open_raw(path)
        with raw, stream:
            head = stream.read(16384)
    except (OSError, EOFError, zlib.error):
        return False
    complete = len(head) < 16384
    if not complete:
        head = trim_to_lines(head, True, False)
    encoding, skipped = sniff([head], complete)
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


