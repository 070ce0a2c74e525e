"""Open any word2vec model file people have and hand back one LoadedModel.

One loader serves the CLI, the search panel, the plot and the trainer. The format is detected from the
file's content, never from its name.
"""

from __future__ import annotations

import os

from pathlib import Path
from typing import Any

import numpy as np

from explorer.core.errors import (
    EmptyModelFile,
    ModelFileError,
    ModelFileNotFound,
    PackedArchive,
    TruncatedModelFile,
    UnknownModelFormat,
)
from explorer.core.fsutil import compression_of, glob_escape
from explorer.core.io import gensim_pickle
from explorer.core.io.checks import reading, require_regular_file
from explorer.core.io.c_binary import read_c_binary
from explorer.core.io.c_text import read_c_text
from explorer.core.io.cached import load_model as _from_cache, store_model as _store_cache
from explorer.core.io.kv import make_kv as _make_kv
from explorer.core.io.model import LoadedModel, ModelInfo
from explorer.core.io import reopen_cache
from explorer.core.io.reopen_cache import file_identity
from explorer.core.io.sniff import read_head, sniff_c_format
from explorer.core.tasks import CancelToken, Reporter, null_reporter


_FORMAT_LABELS = {
    "c-bin": "word2vec C binary format",
    "c-text": "word2vec C text format",
    "c-text-noheader": "word2vec text format without a header line",
}


def open_model(
    path: Path | str,
    report: Reporter = null_reporter,
    cancel: CancelToken | None = None,
    use_cache: bool = True,
) -> LoadedModel:
    """Open any supported model file. Raises an explorer.core.errors.ModelFileError subclass on bad input."""
    path = Path(path)
    # Low-level errors on damaged bytes (broken streams, EOF, permission, a link loop) become typed errors
    # naming the file; only regular files are read at all (a FIFO would block forever).
    with reading(path):
        return _open_model(path, report, cancel, use_cache)


def _open_model(path: Path, report: Reporter, cancel: CancelToken | None, use_cache: bool) -> LoadedModel:
    kind, compression = _detect(path)
    report(0, 1, "Opening")
    if kind == "gensim-pickle":
        return _open_pickle(path, report, cancel, use_cache)
    if kind == "npy":
        main = path.name.split(".")[0]
        raise UnknownModelFormat(
            f"{path.name} is one of the array files that belong to a gensim model, not a model by itself.",
            f"Open the model's main file instead (probably {main}, in the same folder).")
    return _open_c(path, kind, compression, report, cancel, use_cache)


def sniff_format(path: Path | str) -> str | None:
    """Cheap, content-based guess of what a file is (reads a few KB; never raises for ordinary files).

    Returns "gensim-pickle", "c-bin", "c-text" or "c-text-noheader" (with ".gz"/".bz2" appended when
    compressed), "archive" for a packed .zip/.7z/.rar/.tar(.gz) (open_model then explains to unpack it),
    "npy" for a sidecar array file, or None when the file is not a model (e.g. a text corpus).
    """
    try:
        kind, compression = _detect(Path(path))
    except PackedArchive:
        return "archive"
    except ModelFileError:
        return None
    except OSError:
        return None
    if kind == "npy":
        return "npy"
    suffix = {"gzip": ".gz", "bz2": ".bz2"}.get(compression or "", "")
    return kind + suffix


_ARCHIVES = (
    (b"PK\x03\x04", "a .zip archive"), (b"PK\x05\x06", "a .zip archive"), (b"7z\xbc\xaf\x27\x1c", "a .7z archive"),
    (b"Rar!\x1a\x07", "a .rar archive"), (b"\xfd7zXZ\x00", "an .xz archive"),
)


def _detect(path: Path) -> tuple[str, str | None]:
    """(kind, compression) from the file's first bytes; raises the matching ModelFileError otherwise."""
    if not os.path.lexists(path):
        raise ModelFileNotFound(f"There is no file {path.name} in {path.parent}.",
                                "Check the name and the folder, then open it again.")
    require_regular_file(path)
    with open(path, "rb") as f:
        raw = f.read(8192)
    if not raw:
        raise EmptyModelFile(f"{path.name} is empty (0 bytes).",
                             "Download or copy the model again; this copy has no content.")
    for magic, what in _ARCHIVES:
        if raw.startswith(magic):
            raise PackedArchive(f"{path.name} is {what}, not a model.",
                                "Unpack it first, then open the model file that was inside.")
    if raw[257:262] == b"ustar":
        raise PackedArchive(f"{path.name} is a .tar archive, not a model.",
                            "Unpack it first, then open the model file that was inside.")
    compression = compression_of(raw)
    head = read_head(path, 8192) if compression else raw
    if compression and head[257:262] == b"ustar":
        raise PackedArchive(f"{path.name} is a compressed .tar archive (.tar.gz/.tar.bz2), not a model.",
                            "Unpack it first, then open the model file that was inside.")
    if compression and not head:
        raise TruncatedModelFile(f"{path.name} is a damaged or incomplete {compression} file.",
                                 "Download it again.")
    if gensim_pickle.is_pickle(head):
        return "gensim-pickle", compression
    if head.startswith(b"\x93NUMPY"):
        return "npy", compression
    kind = sniff_c_format(head)
    if kind:
        return kind, compression
    raise UnknownModelFormat(
        f"{path.name} is not a word2vec model this program knows "
        "(gensim model or KeyedVectors, or word2vec .bin/.txt).",
        "If it is a text corpus, use it for training instead; if it is a model, check it downloaded completely.")


def _open_c(path: Path, kind: str, compression: str | None, report: Reporter, cancel: CancelToken | None,
            use_cache: bool) -> LoadedModel:
    ident = None
    if use_cache and path.stat().st_size >= reopen_cache.CACHE_MIN_BYTES:
        ident = file_identity([path])
        hit = _from_cache(path, ident, [path])
        if hit is not None:
            report(1, 1, "Opened from cache")
            return hit
    if kind == "c-bin":
        raw = read_c_binary(path, report, cancel, compression)
    else:
        raw = read_c_text(path, report, cancel, compression, header=(kind == "c-text"))
    warnings = list(raw.warnings)
    if raw.replaced_bytes:
        warnings.append(f"{raw.replaced_bytes} byte(s) in words were not valid UTF-8 and were replaced by \ufffd")
    kv, _ = _make_kv(raw.keys, raw.vectors, warnings)
    label = _FORMAT_LABELS[kind] + {"gzip": ", gzip-compressed", "bz2": ", bz2-compressed"}.get(compression or "", "")
    info = ModelInfo(path=path, format=kind, format_label=label, vocab_size=len(kv.index_to_key),
                     dims=int(kv.vector_size), compression=compression, files=(path,),
                     replaced_bytes=raw.replaced_bytes, warnings=tuple(warnings), cache_key=ident)
    model = LoadedModel(wv=kv, info=info)
    if ident is not None:
        _store_cache(ident, model)
    report(1, 1, "Opened")
    return model


def _open_pickle(path: Path, report: Reporter, cancel: CancelToken | None, use_cache: bool) -> LoadedModel:
    siblings = sorted(p for p in path.parent.glob(glob_escape(path.name) + ".*") if p.suffix in (".npy", ".npz"))
    parts = [path, *siblings]
    ident = None
    total = sum(require_regular_file(p, path) for p in parts)
    # Even with memory-mapped sidecars, unpickling a large vocabulary costs more than reading the cache.
    if use_cache and total >= reopen_cache.CACHE_MIN_BYTES:
        ident = file_identity(parts)
        hit = _from_cache(path, ident, parts)
        if hit is not None:
            report(1, 1, "Opened from cache")
            return hit
    report(0, 1, "Reading the model")
    state = gensim_pickle.read_gensim_pickle(path, cancel.raise_if_cancelled if cancel else None)
    warnings = list(state.warnings)
    kv, mask = _make_kv(state.keys, state.vectors, warnings, state.key_to_index)
    n = len(kv.index_to_key)
    counts = state.counts[mask] if state.counts is not None and mask.size else state.counts
    has_counts = counts is not None and bool(np.any(counts))
    if has_counts:
        kv.expandos["count"] = np.asarray(counts, dtype=np.int64)
    syn1, syn1neg = state.syn1, state.syn1neg
    if mask.size:  # repeated words cannot happen in a gensim model; drop the output layer to stay consistent
        syn1 = syn1neg = None
    if syn1 is not None and state.codes is not None:
        codes = np.empty(n, dtype=object)
        points = np.empty(n, dtype=object)
        codes[:] = state.codes
        points[:] = state.points
        kv.expandos["code"] = codes
        kv.expandos["point"] = points
    p = state.params
    fmt = "gensim-kv" if state.kind == "kv" else ("gensim-full" if state.generation == "4.x" else "gensim-legacy")
    what = "KeyedVectors" if state.kind == "kv" else "Word2Vec model"
    nfiles = len(state.files)
    label = f"gensim {state.generation} {what}" + (
        f" (pickle + {nfiles - 1} .npy file{'s' if nfiles > 2 else ''})" if nfiles > 1 else " (single file)")
    sg = p.get("sg")
    info = ModelInfo(
        path=path, format=fmt, format_label=label, vocab_size=n, dims=int(kv.vector_size),
        gensim_version=state.generation, python_pickle=state.python_pickle,
        architecture=None if sg is None else ("skip-gram" if sg else "cbow"),
        hs=None if p.get("hs") is None else bool(p["hs"]),
        negative=_int(p.get("negative")), window=_int(p.get("window")), min_count=_int(p.get("min_count")),
        sample=_float(p.get("sample")), epochs=_int(p.get("epochs")), alpha=_float(p.get("alpha")),
        corpus_words=_int(p.get("corpus_total_words")) or None, corpus_count=_int(p.get("corpus_count")) or None,
        has_counts=has_counts, files=tuple(state.files), warnings=tuple(warnings),
        extra={"params": dict(p), "class": state.top_class}, cache_key=ident,
    )
    model = LoadedModel(wv=kv, info=info, syn1=syn1, syn1neg=syn1neg)
    if ident is not None:
        _store_cache(ident, model)
    report(1, 1, "Opened")
    return model


def _int(x: Any) -> int | None:
    return None if x is None else int(x)


def _float(x: Any) -> float | None:
    return None if x is None else float(x)
