"""Open any word2vec model file people have and hand back one LoadedModel.

One loader serves the CLI, the search panel, the plot and the trainer. The format is detected from the
file's content, never from its name.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np
from gensim.models import KeyedVectors, Word2Vec

from explorer.core import legacy, textformats
from explorer.core.errors import (
    CannotContinueTraining,
    ExplorerError,
    EmptyModelFile,
    ModelFileError,
    ModelFileNotFound,
    PackedArchive,
    TruncatedModelFile,
    UnknownModelFormat,
)
from explorer.core.io.checks import reading, require_regular_file
from explorer.core.tasks import CancelToken, Reporter, null_reporter


@dataclass(frozen=True)
class ModelInfo:
    """What the loader learned about a file. Fields it could not tell are None."""

    path: Path
    format: str  # "gensim-full", "gensim-kv", "gensim-legacy", "c-bin", "c-text" (+ ".gz"/".bz2" suffix noted in compression)
    vocab_size: int
    dims: int
    format_label: str = ""  # human-readable, e.g. "gensim 3.x full Word2Vec model (pickle + 3 .npy files)"
    compression: str | None = None  # "gzip", "bz2"
    gensim_version: str | None = None  # the gensim generation that wrote it, e.g. "0.12", "3.8", "4.x"
    python_pickle: int | None = None  # 2 or 3 for pickles
    architecture: str | None = None  # "skip-gram" or "cbow"
    hs: bool | None = None
    negative: int | None = None
    window: int | None = None
    min_count: int | None = None
    sample: float | None = None
    epochs: int | None = None
    alpha: float | None = None
    corpus_words: int | None = None  # total words in the training corpus
    corpus_count: int | None = None  # sentences
    has_counts: bool = False  # word frequencies are real (not just rank-derived)
    files: tuple[Path, ...] = ()  # every file that makes up the model
    replaced_bytes: int = 0  # undecodable bytes in words that were replaced
    from_cache: bool = False
    warnings: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class LoadedModel:
    """Word vectors, the output layer when the file has one, and what we know about the file.

    ``wv`` keeps the file's vocabulary order (index 0 is the most frequent word in every real model).
    For hierarchical softmax, ``wv`` carries per-word ``code`` and ``point`` vecattrs (Huffman codes and
    inner-node indices into ``syn1``). ``cache`` is scratch space for the query layer (normalised or
    half-precision matrices, search indices) built lazily once per model.
    """

    wv: KeyedVectors
    info: ModelInfo
    syn1: np.ndarray | None = None
    syn1neg: np.ndarray | None = None
    cum_table: np.ndarray | None = None
    model: Word2Vec | None = None  # the full gensim model, when there is one (needed to continue training)
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def has_output_layer(self) -> bool:
        return self.syn1 is not None or self.syn1neg is not None

    @property
    def vocab_size(self) -> int:
        return len(self.wv.index_to_key)

    @property
    def dims(self) -> int:
        return int(self.wv.vector_size)

    def to_word2vec(self) -> Word2Vec:
        """A gensim 4 Word2Vec that can continue training (needs the output layer and word counts)."""
        if self.model is not None:
            return self.model
        return _as_trainable(self)

    @classmethod
    def from_gensim(cls, obj: Word2Vec | KeyedVectors, path: Path | str = "<memory>") -> "LoadedModel":
        """Wrap an in-memory gensim 4 model or KeyedVectors (used by the trainer and by tests)."""
        if isinstance(obj, Word2Vec):
            wv = obj.wv
            syn1 = getattr(obj, "syn1", None) if obj.hs else None
            syn1neg = getattr(obj, "syn1neg", None) if obj.negative else None
            info = ModelInfo(
                path=Path(path), format="gensim-full", format_label="gensim 4 Word2Vec model",
                vocab_size=len(wv.index_to_key), dims=int(wv.vector_size), gensim_version="4.x",
                architecture="skip-gram" if obj.sg else "cbow", hs=bool(obj.hs), negative=int(obj.negative),
                window=int(obj.window), min_count=int(obj.min_count), sample=float(obj.sample),
                epochs=int(obj.epochs), alpha=float(obj.alpha), corpus_words=int(obj.corpus_total_words or 0) or None,
                corpus_count=int(obj.corpus_count or 0) or None, has_counts=True,
            )
            return cls(wv=wv, info=info, syn1=syn1, syn1neg=syn1neg,
                       cum_table=getattr(obj, "cum_table", None), model=obj)
        info = ModelInfo(path=Path(path), format="gensim-kv", format_label="gensim 4 KeyedVectors",
                         vocab_size=len(obj.index_to_key), dims=int(obj.vector_size), gensim_version="4.x")
        return cls(wv=obj, info=info)


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
    compression = textformats.compression_of(raw)
    head = textformats.read_head(path, 8192) if compression else raw
    if compression and head[257:262] == b"ustar":
        raise PackedArchive(f"{path.name} is a compressed .tar archive (.tar.gz/.tar.bz2), not a model.",
                            "Unpack it first, then open the model file that was inside.")
    if compression and not head:
        raise TruncatedModelFile(f"{path.name} is a damaged or incomplete {compression} file.",
                                 "Download it again.")
    if legacy.is_pickle(head):
        return "gensim-pickle", compression
    if head.startswith(b"\x93NUMPY"):
        return "npy", compression
    kind = textformats.sniff_c_format(head)
    if kind:
        return kind, compression
    raise UnknownModelFormat(
        f"{path.name} is not a word2vec model this program knows "
        "(gensim model or KeyedVectors, or word2vec .bin/.txt).",
        "If it is a text corpus, use it for training instead; if it is a model, check it downloaded completely.")


def _make_kv(keys: list[str], vectors: np.ndarray, warnings: list[str],
             key_to_index: dict[str, int] | None = None) -> tuple[KeyedVectors, np.ndarray]:
    """KeyedVectors without per-word Python calls: the index structures are set directly."""
    n = len(keys)
    # Reuse the file's own index (gensim 4 stores it) when it agrees with the key list.
    if key_to_index is None or len(key_to_index) != n or (n and any(
            key_to_index.get(keys[i]) != i for i in (0, n // 2, n - 1))):
        key_to_index = textformats.key_index(keys)
    if len(key_to_index) != len(keys):
        # Keep each word's first vector, like gensim does for C files with repeated words.
        seen: dict[str, int] = {}
        keep = [seen.setdefault(k, i) == i for i, k in enumerate(keys)]
        mask = np.array(keep, dtype=bool)
        dropped = len(keys) - int(mask.sum())
        keys = [k for k, ok in zip(keys, keep) if ok]
        vectors = vectors[mask]
        key_to_index = textformats.key_index(keys)
        warnings.append(f"{dropped} repeated word(s) dropped (their first vector was kept)")
    else:
        mask = np.ones(0, dtype=bool)
    kv = KeyedVectors(int(vectors.shape[1]), count=0, dtype=np.float32)
    kv.vectors = vectors
    kv.index_to_key = keys
    kv.key_to_index = key_to_index
    kv.next_index = len(keys)
    kv.norms = None
    kv.expandos = {}
    return kv, mask


def _open_c(path: Path, kind: str, compression: str | None, report: Reporter, cancel: CancelToken | None,
            use_cache: bool) -> LoadedModel:
    ident = None
    if use_cache and path.stat().st_size >= textformats.CACHE_MIN_BYTES:
        ident = textformats.file_identity([path])
        hit = _from_cache(path, ident, [path])
        if hit is not None:
            report(1, 1, "Opened from cache")
            return hit
    if kind == "c-bin":
        raw = textformats.read_c_binary(path, report, cancel, compression)
    else:
        raw = textformats.read_c_text(path, report, cancel, compression, header=(kind == "c-text"))
    warnings = list(raw.warnings)
    if raw.replaced_bytes:
        warnings.append(f"{raw.replaced_bytes} byte(s) in words were not valid UTF-8 and were replaced by \ufffd")
    kv, _ = _make_kv(raw.keys, raw.vectors, warnings)
    label = _FORMAT_LABELS[kind] + {"gzip": ", gzip-compressed", "bz2": ", bz2-compressed"}.get(compression or "", "")
    info = ModelInfo(path=path, format=kind, format_label=label, vocab_size=len(kv.index_to_key),
                     dims=int(kv.vector_size), compression=compression, files=(path,),
                     replaced_bytes=raw.replaced_bytes, warnings=tuple(warnings))
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
    if use_cache and total >= textformats.CACHE_MIN_BYTES:
        ident = textformats.file_identity(parts)
        hit = _from_cache(path, ident, parts)
        if hit is not None:
            report(1, 1, "Opened from cache")
            return hit
    report(0, 1, "Reading the model")
    state = legacy.read_gensim_pickle(path, cancel.raise_if_cancelled if cancel else None)
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
        extra={"params": dict(p), "class": state.top_class},
    )
    model = LoadedModel(wv=kv, info=info, syn1=syn1, syn1neg=syn1neg)
    if ident is not None:
        _store_cache(ident, model)
    report(1, 1, "Opened")
    return model


def glob_escape(name: str) -> str:
    return "".join("[" + c + "]" if c in "*?[" else c for c in name)


def _int(x: Any) -> int | None:
    return None if x is None else int(x)


def _float(x: Any) -> float | None:
    return None if x is None else float(x)


# --- the reopen cache ---------------------------------------------------------------------------
_INFO_FIELDS = ("format", "format_label", "compression", "gensim_version", "python_pickle", "architecture", "hs",
                "negative", "window", "min_count", "sample", "epochs", "alpha", "corpus_words", "corpus_count",
                "has_counts", "replaced_bytes", "warnings", "extra")


def _store_cache(ident: str, model: LoadedModel) -> None:
    arrays: dict[str, np.ndarray] = {"vectors": model.wv.vectors}
    ex = model.wv.expandos
    if "count" in ex:
        arrays["count"] = ex["count"]
    if model.syn1 is not None and "code" in ex:
        arrays["syn1"] = model.syn1
        lens = np.fromiter((len(c) for c in ex["code"]), dtype=np.int64, count=len(ex["code"]))
        arrays["code_len"] = lens
        arrays["code_flat"] = np.concatenate(list(ex["code"])).astype(np.uint8) if lens.sum() else np.zeros(0, np.uint8)
        arrays["point_flat"] = np.concatenate(list(ex["point"])).astype(np.uint32) if lens.sum() else np.zeros(0, np.uint32)
    if model.syn1neg is not None:
        arrays["syn1neg"] = model.syn1neg
    meta = {f: getattr(model.info, f) for f in _INFO_FIELDS}
    meta["warnings"] = list(meta["warnings"])
    meta["extra"] = dict(meta["extra"])
    textformats.store_cached(ident, model.wv.index_to_key, arrays, meta, sources=model.info.files)


def _from_cache(path: Path, ident: str, parts: list[Path]) -> LoadedModel | None:
    hit = textformats.load_cached(ident)
    if hit is None:
        return None
    a = hit.arrays
    warnings: list[str] = []
    kv, _ = _make_kv(hit.keys, a["vectors"], warnings, hit.key_to_index)
    if "count" in a:
        kv.expandos["count"] = np.asarray(a["count"])
    syn1 = None
    if "syn1" in a:
        syn1 = a["syn1"]
        ends = np.cumsum(a["code_len"])[:-1]
        n = len(hit.keys)
        codes = np.empty(n, dtype=object)
        points = np.empty(n, dtype=object)
        codes[:] = np.split(np.asarray(a["code_flat"]), ends)
        points[:] = np.split(np.asarray(a["point_flat"]), ends)
        kv.expandos["code"] = codes
        kv.expandos["point"] = points
    m = hit.meta
    kw: dict[str, Any] = {f: m.get(f) for f in _INFO_FIELDS}
    kw["warnings"] = tuple(kw["warnings"] or ())
    kw["extra"] = kw["extra"] or {}
    kw["replaced_bytes"] = kw["replaced_bytes"] or 0
    kw["has_counts"] = bool(kw["has_counts"])
    info = ModelInfo(path=path, vocab_size=len(hit.keys), dims=int(kv.vector_size), files=tuple(parts),
                     from_cache=True, **kw)
    return LoadedModel(wv=kv, info=info, syn1=syn1, syn1neg=a.get("syn1neg"))


# --- continuing training and saving -------------------------------------------------------------
def _as_trainable(lm: LoadedModel) -> Word2Vec:
    info = lm.info
    counts = lm.wv.expandos.get("count")
    if not lm.has_output_layer:
        raise CannotContinueTraining(
            f"{info.path.name} has word vectors only (no output layer), so training cannot continue from it.",
            "Continue from the full model file (the one with .syn1/.syn1neg data), or train a new model.")
    if counts is None or not info.has_counts:
        raise CannotContinueTraining(
            f"{info.path.name} does not store word frequencies, so training cannot continue from it.",
            "Continue from the full gensim model file, or train a new model.")
    p = dict(info.extra.get("params", {}))
    hs = 1 if lm.syn1 is not None else 0
    negative = int(p.get("negative") or 0) if lm.syn1neg is not None else 0
    dims = lm.dims
    model = Word2Vec(
        vector_size=dims, sg=int(p.get("sg", 0) or 0), hs=hs, negative=negative,
        window=int(p.get("window", 5) or 5), min_count=int(p.get("min_count", 5) or 1),
        sample=float(p.get("sample", 1e-3) or 0.0), alpha=float(p.get("alpha", 0.025) or 0.025),
        min_alpha=float(p.get("min_alpha", 0.0001) or 0.0001), epochs=int(p.get("epochs", 5) or 5),
        cbow_mean=int(p.get("cbow_mean", 1)), ns_exponent=float(p.get("ns_exponent", 0.75)),
        seed=int(p.get("seed", 1) or 1),
    )
    keys = list(lm.wv.index_to_key)
    wv = KeyedVectors(dims, count=0, dtype=np.float32)
    wv.index_to_key = keys
    wv.key_to_index = textformats.key_index(keys)
    wv.next_index = len(keys)
    wv.vectors = np.array(lm.wv.vectors, dtype=np.float32, copy=True)
    wv.expandos = {"count": np.asarray(counts, dtype=np.int64).copy()}
    wv.expandos["sample_int"] = _sample_ints(wv.expandos["count"], model.sample)
    if hs:
        wv.expandos["code"] = lm.wv.expandos["code"].copy()
        wv.expandos["point"] = lm.wv.expandos["point"].copy()
    wv.vectors_lockf = np.ones(1, dtype=np.float32)
    wv.norms = None
    model.wv = wv
    model.layer1_size = dims
    if hs:
        model.syn1 = np.array(lm.syn1, dtype=np.float32, copy=True)
    if negative:
        model.syn1neg = np.array(lm.syn1neg, dtype=np.float32, copy=True)
        model.make_cum_table()
    model.corpus_count = int(info.corpus_count or 0)
    model.corpus_total_words = int(info.corpus_words or int(wv.expandos["count"].sum()))
    model.effective_min_count = model.min_count
    model.raw_vocab = {}
    return model


def as_trainable(model: LoadedModel) -> Word2Vec:
    """Function form of LoadedModel.to_word2vec()."""
    return model.to_word2vec()


def _sample_ints(counts: np.ndarray, sample: float) -> np.ndarray:
    """gensim's downsampling thresholds (Word2Vec.prepare_vocab), vectorised."""
    total = float(counts.sum())
    if not sample:
        threshold = total
    elif sample < 1.0:
        threshold = sample * total
    else:
        threshold = int(sample * (3 + np.sqrt(5)) / 2)
    v = np.maximum(counts.astype(np.float64), 1.0)
    prob = (np.sqrt(v / threshold) + 1) * (threshold / v)
    prob = np.minimum(prob, 1.0)
    return (prob * (2**32 - 1)).astype(np.uint32)


def save_model(model: LoadedModel, out: Path | str, to: str = "gensim", report: Reporter = null_reporter) -> Path:
    """Write ``model`` as a gensim model ("gensim"), word2vec binary ("bin") or text ("txt"); atomic."""
    out = Path(out)
    if not out.parent.exists():
        raise ModelFileNotFound(f"The folder {out.parent} does not exist.", "Create it or choose another place.")
    try:
        return _save_model(model, out, to, report)
    except OSError as err:  # every writer is atomic: the previous file is intact and no temporary is left
        import errno

        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            raise ExplorerError(f"The disk holding {out.parent} is full; {out.name} was not written.",
                                "Free some space or choose another disk.") from None
        raise ExplorerError(f"Cannot write {out.name} in {out.parent}: {err.strerror or err}.",
                            "Choose another place for the output.") from None


def _save_model(model: LoadedModel, out: Path, to: str, report: Reporter) -> Path:
    keys, vectors = model.wv.index_to_key, model.wv.vectors
    if to == "bin":
        textformats.write_c_binary(out, keys, vectors, report)
    elif to == "txt":
        textformats.write_c_text(out, keys, vectors, report)
    elif to == "gensim":
        obj: Any
        try:
            obj = model.to_word2vec()
        except CannotContinueTraining:
            obj = model.wv
        tmpdir = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=str(out.parent)))
        try:
            obj.save(str(tmpdir / out.name))
            made = sorted(tmpdir.iterdir(), key=lambda p: p.name == out.name)  # the main file last
            for f in made:
                os.replace(f, out.parent / f.name)
        finally:
            shutil.rmtree(tmpdir, ignore_errors=True)
    else:
        raise ValueError(f"unknown output format {to!r}; use gensim, bin or txt")
    return out
