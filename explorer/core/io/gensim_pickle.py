"""Read gensim pickles (0.12 to 4.x, Python 2 and 3) and their .npy sidecars into plain data, running no code."""

from __future__ import annotations

import io
import os
import pickle
import pickletools
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from explorer.core.errors import (
    DimensionMismatch,
    MissingSidecarFile,
    TruncatedModelFile,
    UnknownModelFormat,
    UnsafePickle,
)
from explorer.core.fsutil import compression_of, open_compressed
from explorer.core.io.checks import (
    check_huffman,
    check_npy_header,
    check_output_layer,
    check_vectors,
    read_npy_header,
    reading,
    require_regular_file,
)
from explorer.core.io.pickles import NOT_WORD2VEC, Holder, SafeArray, restricted_loads


# --- reading a gensim pickle and its sidecar .npy files -------------------------------------------


@dataclass
class PickleState:
    """Plain data from a gensim pickle, whatever gensim version wrote it."""

    kind: str  # "full" or "kv"
    keys: list[str]
    vectors: np.ndarray
    counts: np.ndarray | None = None
    syn1: np.ndarray | None = None
    syn1neg: np.ndarray | None = None
    codes: list[np.ndarray] | None = None
    points: list[np.ndarray] | None = None
    params: dict[str, Any] = field(default_factory=dict)
    generation: str | None = None
    python_pickle: int | None = None
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    top_class: str = ""
    key_to_index: dict[str, int] | None = None


MMAP_MIN_BYTES = 32 << 20


def load_npy(path: Path, model_path: Path, mmap: bool | None = None) -> np.ndarray:
    """A sidecar .npy: never with pickles inside, memory-mapped when large, checked for truncation."""
    size = require_regular_file(path, model_path)
    with open(path, "rb") as f:
        shape, dtype, offset = read_npy_header(f, path, size)
    check_npy_header(path, shape, dtype, offset, size)
    use_mmap = size >= MMAP_MIN_BYTES if mmap is None else mmap
    try:
        return np.load(path, mmap_mode="r" if use_mmap else None, allow_pickle=False)
    except (ValueError, OSError) as err:
        raise TruncatedModelFile(f"{path.name} could not be read: {err}.",
                                 f"Copy {path.name} again from where the model came from.") from None


def _load_npz(path: Path, model_path: Path) -> np.ndarray:
    require_regular_file(path, model_path)
    with reading(path), zipfile.ZipFile(path) as z:
        try:
            member = z.getinfo("val.npy")
        except KeyError:
            raise UnknownModelFormat(f"{path.name} does not hold the array a gensim model stores there.",
                                     f"Copy {path.name} again from where the model came from.") from None
        with z.open(member) as f:  # the header's shape must fit in the member's real size before numpy allocates
            shape, dtype, offset = read_npy_header(f, path, member.file_size)
            check_npy_header(path, shape, dtype, offset, member.file_size)
        with np.load(path, allow_pickle=False) as npz:
            return np.asarray(npz["val"])


# Training bookkeeping that can be rebuilt; a missing copy is not worth refusing the model for.
_OPTIONAL_ARRAYS = {"syn0_lockf", "vectors_lockf", "neg_labels", "cum_table", "syn0norm", "vectors_norm", "norms"}


def _attach_sidecars(obj: Any, prefix: str, model_path: Path, compressed: bool, files: list[Path],
                     warnings: list[str], depth: int = 0) -> None:
    """What gensim's SaveLoad._load_specials does, without unpickling anything."""
    if not isinstance(obj, Holder) or depth > 8:
        return
    d = obj.__dict__
    for attrib in d.get("__recursive_saveloads", []) or []:
        _attach_sidecars(d.get(str(attrib)), f"{prefix}.{attrib}", model_path, compressed, files, warnings,
                         depth + 1)
    for attrib in d.get("__numpys", []) or []:
        attrib = str(attrib)
        p = Path(f"{prefix}.{attrib}.{'npz' if compressed else 'npy'}")
        if attrib in _OPTIONAL_ARRAYS and not os.path.lexists(p):
            d[attrib] = None
            warnings.append(f"{p.name} is missing; it is not needed to use the vectors")
            continue
        if compressed:
            p = Path(f"{prefix}.{attrib}.npz")
            d[attrib] = _load_npz(p, model_path)
        else:
            p = Path(f"{prefix}.{attrib}.npy")
            d[attrib] = load_npy(p, model_path)
        files.append(p)
    for attrib in d.get("__scipys", []) or []:
        d[str(attrib)] = None
        warnings.append(f"skipped sparse attribute {attrib} (not needed for word vectors)")
    for attrib in d.get("__ignoreds", []) or []:
        d[str(attrib)] = None


def _python_version_of(data: bytes) -> int:
    """2 when the pickle was written by Python 2 (its str attribute names are byte strings)."""
    try:
        for i, (op, _arg, _pos) in enumerate(pickletools.genops(io.BytesIO(data[:65536]))):
            if op.name in ("SHORT_BINSTRING", "BINSTRING", "STRING"):
                return 2
            if op.name in ("SHORT_BINUNICODE", "BINUNICODE", "UNICODE") and i > 3:
                return 3
            if i > 400:
                break
    except Exception:  # noqa: BLE001 - a cut-off sample is expected
        pass
    return 3


def _arr(x: Any) -> np.ndarray | None:
    if isinstance(x, np.ndarray):
        return x.view(np.ndarray) if isinstance(x, SafeArray) else x
    return None


def _get(obj: Any, *names: str) -> Any:
    if not isinstance(obj, Holder):
        return None
    for n in names:
        if n in obj.__dict__:
            return obj.__dict__[n]
    return None


def _generation(top: Holder, wv: Holder | None) -> str:
    if wv is not None and "index_to_key" in wv.__dict__:
        return "4.x"
    if isinstance(top, Holder) and "trainables" in top.__dict__ or (wv is not None and wv.qualname.endswith(
            "Word2VecKeyedVectors")):
        return "3.3–3.8"
    if wv is not None and wv.qualname.endswith("EuclideanKeyedVectors"):
        return "3.x (≤3.2)"
    vocab = _get(wv, "vocab") if wv is not None else _get(top, "vocab")
    vclass = ""
    if isinstance(vocab, dict) and vocab:
        first = next(iter(vocab.values()))
        vclass = first.qualname if isinstance(first, Holder) else ""
    if wv is not None:
        return "1.0–3.1" if "keyedvectors" in vclass else "0.13.4"
    return "0.12–0.13.3"


def _as_str_list(keys_obj: Any) -> list[str]:
    if type(keys_obj) is list:
        try:
            "".join(keys_obj)  # C-speed check that every key is already a str
            return keys_obj
        except TypeError:
            pass
    return [k.decode("utf-8", "replace") if isinstance(k, bytes) else str(k) for k in keys_obj]


def _index_matches(key_to_index: dict[Any, Any], keys: list[str]) -> bool:
    """Whether the file's word -> row index agrees with its word list, entry by entry (a damaged entry would
    send a word's queries to another word's vector). gensim builds the dict in row order, so two list
    comparisons at C speed check it all (about 50 ms for 3 million words); any other order is rebuilt."""
    return len(key_to_index) == len(keys) and list(key_to_index.values()) == list(range(len(keys))) \
        and list(key_to_index) == keys


def _open_pickle_stream(path: Path) -> tuple[bytes, bool]:
    require_regular_file(path)
    with reading(path):
        with open(path, "rb") as f:
            compression = compression_of(f.read(3))
        with open_compressed(path, compression) as f:
            return f.read(), compression is not None


def read_gensim_pickle(path: Path, check: Callable[[], None] | None = None) -> PickleState:
    """Unpickle safely, attach sidecar arrays, and pull out vocabulary, vectors and training state."""
    data, compressed = _open_pickle_stream(path)
    pyver = _python_version_of(data)
    try:
        top = restricted_loads(data)
    except UnsafePickle as err:
        if path.name in err.message:
            raise
        raise UnsafePickle(f"{path.name}: {err.message}", err.hint) from err
    except (pickle.UnpicklingError, EOFError) as err:
        raise TruncatedModelFile(f"{path.name} is an incomplete or damaged gensim model ({err}).",
                                 "Download it again; the copy you have was probably cut short.") from None
    except (AttributeError, TypeError, ValueError, IndexError, KeyError, MemoryError, OverflowError, RecursionError,
            UnicodeError, SyntaxError) as err:
        raise UnknownModelFormat(f"{path.name} is a Python pickle but not a word2vec model gensim wrote ({err}).",
                                 "Open a gensim Word2Vec/KeyedVectors file, or a word2vec .bin/.txt file.") from None
    del data
    if not isinstance(top, Holder):
        raise UnknownModelFormat(f"{path.name} is a Python pickle but not a gensim model.",
                                 "Open a gensim Word2Vec/KeyedVectors file, or a word2vec .bin/.txt file.")
    short = top.qualname.rsplit(".", 1)[-1]
    if short in NOT_WORD2VEC:
        raise UnknownModelFormat(f"{path.name} is a gensim {short} model, not a word2vec model.",
                                 "Word2Vec Explorer opens Word2Vec models and KeyedVectors.")
    # Everything below interprets untrusted structure: any junk in it ends as a typed error naming the file.
    with reading(path):
        return _read_state(top, short, path, compressed, pyver, check)


def _read_state(top: Holder, short: str, path: Path, compressed: bool, pyver: int,
                check: Callable[[], None] | None) -> PickleState:
    files = [path]
    warnings: list[str] = []
    _attach_sidecars(top, str(path), path, compressed, files, warnings)
    if check:
        check()

    is_kv = "KeyedVectors" in top.qualname
    wv: Holder | None = top if is_kv else _get(top, "wv")
    holder_of_vectors = wv if wv is not None else top
    vectors = _arr(_get(holder_of_vectors, "vectors", "syn0"))
    if vectors is None:
        raise UnknownModelFormat(f"{path.name} is a gensim {short} without word vectors.",
                                 "Open a trained Word2Vec model or KeyedVectors.")
    declared = _get(holder_of_vectors, "vector_size")
    if declared is None and not is_kv:
        declared = _get(top, "vector_size", "layer1_size")
    vectors = check_vectors(path, vectors, declared)
    keys_obj = _get(holder_of_vectors, "index_to_key", "index2word", "index2entity")
    vocab = _get(holder_of_vectors, "vocab")
    k2i = _get(holder_of_vectors, "key_to_index")
    expandos = _get(holder_of_vectors, "expandos")
    if keys_obj is None and isinstance(vocab, dict):
        keys_obj = [k for k, _ in sorted(vocab.items(), key=lambda kv: _get(kv[1], "index"))]
    if keys_obj is None:
        raise UnknownModelFormat(f"{path.name} has vectors but no vocabulary.", "The file is damaged.")
    keys = _as_str_list(keys_obj)
    if len(keys) != vectors.shape[0]:
        raise TruncatedModelFile(
            f"{path.name} lists {len(keys):,} words but has {vectors.shape[0]:,} vectors.",
            "The model's files do not belong together or one of them is incomplete.")

    counts = codes = points = None
    if isinstance(expandos, dict):
        c = _arr(expandos.get("count"))
        counts = c.astype(np.int64) if c is not None else None
        cd, pt = expandos.get("code"), expandos.get("point")
        if isinstance(cd, np.ndarray) and isinstance(pt, np.ndarray) and len(cd) == len(keys):
            codes = [np.asarray(x, dtype=np.uint8) for x in cd]
            points = [np.asarray(x, dtype=np.uint32) for x in pt]
    elif isinstance(vocab, dict) and vocab:
        n = len(keys)
        counts = np.zeros(n, dtype=np.int64)
        code_list: list[np.ndarray] = [np.zeros(0, np.uint8)] * n
        point_list: list[np.ndarray] = [np.zeros(0, np.uint32)] * n
        has_code = False
        for w, v in vocab.items():
            i = _get(v, "index")
            if not isinstance(i, (int, np.integer)) or not 0 <= i < n:
                continue
            counts[i] = int(_get(v, "count") or 0)
            cd = _get(v, "code")
            if cd is not None:
                has_code = True
                code_list[i] = np.asarray(cd, dtype=np.uint8)
                point_list[i] = np.asarray(_get(v, "point"), dtype=np.uint32)
        if has_code:
            codes, points = code_list, point_list

    trainables = _get(top, "trainables")
    vocabulary = _get(top, "vocabulary")
    syn1 = _arr(_get(top, "syn1")) if not is_kv else None
    syn1neg = _arr(_get(top, "syn1neg")) if not is_kv else None
    if syn1 is None:
        syn1 = _arr(_get(trainables, "syn1"))
    if syn1neg is None:
        syn1neg = _arr(_get(trainables, "syn1neg"))
    params: dict[str, Any] = {}
    if not is_kv:
        for name in ("sg", "hs", "negative", "window", "alpha", "min_alpha", "cbow_mean", "ns_exponent",
                     "corpus_count", "corpus_total_words", "seed", "sample", "min_count", "max_vocab_size",
                     "sorted_vocab", "null_word", "layer1_size", "total_train_time", "train_count"):
            val = _get(top, name)
            if val is None:
                val = _get(vocabulary, name)
            if val is None:
                val = _get(trainables, name)
            if isinstance(val, (bool, int, float, np.integer, np.floating)):
                params[name] = val.item() if isinstance(val, np.generic) else val
        ep = _get(top, "epochs", "iter")
        if isinstance(ep, (int, np.integer)):
            params["epochs"] = int(ep)
        hs = params.get("hs")
        if not hs:
            syn1 = None
        if not params.get("negative"):
            syn1neg = None
    n, dims = len(keys), int(vectors.shape[1])
    syn1 = check_output_layer(path, "syn1", syn1, n, dims)
    syn1neg = check_output_layer(path, "syn1neg", syn1neg, n, dims)
    if counts is not None and (counts.ndim != 1 or len(counts) != n or (n and counts.min() < 0)):
        raise UnknownModelFormat(f"{path.name} stores {counts.size:,} word counts for {n:,} words, or a negative one.",
                                 "The model's files do not belong together or one of them is damaged.")
    if syn1 is not None and codes is None:
        warnings.append("the model uses hierarchical softmax but stores no Huffman codes; syn1 ignored")
        syn1 = None
    if syn1 is not None and codes is not None and points is not None:
        check_huffman(path, codes, points, n, len(syn1))
    return PickleState(
        kind="kv" if is_kv else "full", keys=keys, vectors=vectors, counts=counts,
        syn1=syn1, syn1neg=syn1neg, codes=codes, points=points, params=params,
        generation=_generation(top, wv), python_pickle=pyver, files=files, warnings=warnings,
        top_class=top.qualname,
        key_to_index=k2i if isinstance(k2i, dict) and _index_matches(k2i, keys) else None,
    )


def is_pickle(head: bytes) -> bool:
    """Protocol 2+ pickles (all gensim versions write protocol 2 or later)."""
    return len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5


def expected_sidecars(path: Path) -> list[Path]:
    """Sidecar files a pickle names, without loading its arrays (for `w2v doctor`)."""
    data, compressed = _open_pickle_stream(path)
    top = restricted_loads(data)
    out: list[Path] = []

    def walk(obj: Any, prefix: str, depth: int) -> None:
        if not isinstance(obj, Holder) or depth > 8:
            return
        for attrib in obj.__dict__.get("__recursive_saveloads", []) or []:
            walk(obj.__dict__.get(str(attrib)), f"{prefix}.{attrib}", depth + 1)
        for attrib in obj.__dict__.get("__numpys", []) or []:
            out.append(Path(f"{prefix}.{attrib}.{'npz' if compressed else 'npy'}"))

    walk(top, str(path), 0)
    return out


__all__ = ["read_gensim_pickle", "PickleState", "load_npy", "is_pickle", "expected_sidecars"]
