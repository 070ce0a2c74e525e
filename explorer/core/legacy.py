"""Read gensim pickles (0.12 to 4.x, Python 2 and 3) without running any code they contain.

A restricted unpickler admits only the classes real gensim word2vec models are made of, and turns
every gensim class into an inert holder of its state; gensim objects are then built from plain data
(explorer.core.models). Anything else in a pickle is refused before it can run.
"""

from __future__ import annotations

import bz2
import collections
import gzip
import io
import os
import pickle
import pickletools
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable

import numpy as np

from explorer.core.errors import (
    DimensionMismatch,
    MissingSidecarFile,
    TruncatedModelFile,
    UnknownModelFormat,
    UnsafePickle,
)
from explorer.core.io.checks import (
    bounded_bytes,
    bounded_ndarray_new,
    check_array_size,
    check_dtype_size,
    check_huffman,
    check_npy_header,
    check_output_layer,
    check_vectors,
    pickle_budget,
    reading,
    require_regular_file,
)

# --- inert stand-ins for gensim classes ---------------------------------------------------------


class Holder:
    """The state of a pickled gensim object, kept as plain attributes; none of gensim's code runs."""

    qualname = "?"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.__dict__["_args"] = args

    def __setstate__(self, state: Any) -> None:
        if isinstance(state, tuple) and len(state) == 2 and (state[0] is None or isinstance(state[0], dict)):
            state, slots = state
            if isinstance(slots, dict):
                self.__dict__.update({str(k): v for k, v in slots.items()})
        if isinstance(state, dict):
            self.__dict__.update({(k.decode("latin1") if isinstance(k, bytes) else str(k)): v
                                  for k, v in state.items()})
        elif state is not None:
            self.__dict__["_state"] = state

    def __repr__(self) -> str:
        return f"<{self.qualname} state>"


_holders: dict[str, type[Holder]] = {}


def _holder(qualname: str) -> type[Holder]:
    cls = _holders.get(qualname)
    if cls is None:
        cls = type(qualname.rsplit(".", 1)[-1], (Holder,), {"qualname": qualname})
        _holders[qualname] = cls
    return cls


# gensim classes a word2vec model is made of, under every module path they have lived at.
_GENSIM_CLASSES = {
    "gensim.models.word2vec": ["Word2Vec", "Vocab", "Word2VecVocab", "Word2VecTrainables"],
    "gensim.models.keyedvectors": ["KeyedVectors", "Vocab", "CompatVocab", "Word2VecKeyedVectors",
                                   "EuclideanKeyedVectors", "BaseKeyedVectors", "WordEmbeddingsKeyedVectors"],
    "gensim.models.deprecated.word2vec": ["Word2Vec", "Vocab"],
    "gensim.models.deprecated.keyedvectors": ["KeyedVectors", "Vocab", "EuclideanKeyedVectors"],
    "gensim.models.base_any2vec": ["BaseWordEmbeddingsModel", "BaseAny2VecModel"],
    "gensim.models.utils_any2vec": [],
    # Recognised so we can say what they are, then refuse politely (not word2vec).
    "gensim.models.doc2vec": ["Doc2Vec", "Doc2VecVocab", "Doc2VecTrainables", "TaggedDocument", "Doctag"],
    "gensim.models.fasttext": ["FastText", "FastTextVocab", "FastTextTrainables", "FastTextKeyedVectors"],
}
NOT_WORD2VEC = {"Doc2Vec", "FastText", "FastTextKeyedVectors"}


class _SafeArray(np.ndarray):
    """An ndarray whose pickled state is checked before numpy sees it."""

    def __setstate__(self, state: Any) -> None:
        if not isinstance(state, tuple) or len(state) not in (4, 5):
            raise UnsafePickle("This file contains an array in an unexpected form, refused.")
        dtype = state[-3]
        rawdata = state[-1]
        if not isinstance(dtype, np.dtype):
            raise UnsafePickle("This file contains an array in an unexpected form, refused.")
        if dtype.hasobject:
            if not isinstance(rawdata, list):
                raise UnsafePickle("This file contains an object array in an unexpected form, refused.")
        elif not isinstance(rawdata, (bytes, str, bytearray)):
            raise UnsafePickle("This file contains an array in an unexpected form, refused.")
        super().__setstate__(state)


def _reconstruct(subtype: Any, shape: Any, dtype: Any) -> np.ndarray:
    if subtype is not np.ndarray and subtype is not _SafeArray and subtype is not bounded_ndarray_new:
        raise UnsafePickle("This file contains code (an unexpected array type), refused; nothing was run.")
    check_array_size(shape, dtype)  # numpy pickles ask for shape (0,) here; the data comes with the state
    return np.ndarray.__new__(_SafeArray, shape, dtype)


def _scalar(dtype: Any, data: Any = None) -> Any:
    if not isinstance(dtype, np.dtype) or dtype.hasobject or not isinstance(data, (bytes, str)):
        raise UnsafePickle("This file contains an unexpected numpy value, refused; nothing was run.")
    raw = data.encode("latin1") if isinstance(data, str) else data
    return np.frombuffer(raw, dtype=dtype, count=1)[0]


def _encode(text: Any, encoding: str = "latin1") -> bytes:
    if not isinstance(text, str) or encoding.lower().replace("_", "-") not in ("latin1", "latin-1", "utf-8", "utf8"):
        raise UnsafePickle("This file contains code (an unexpected codec call), refused; nothing was run.")
    return text.encode(encoding)


def _dtype(obj: Any, align: Any = False, copy: Any = False) -> np.dtype:
    dt = np.dtype(obj, align=bool(align), copy=bool(copy))
    return check_dtype_size(dt)  # a sub-array type such as ("f4", (10**9,)) is 4 GB per element


def _reconstructor(cls: Any, base: Any, state: Any) -> Any:
    """copy_reg._reconstructor, limited to our holders on plain bases."""
    if not (isinstance(cls, type) and issubclass(cls, Holder)) or base not in (object, dict, list):
        raise UnsafePickle("This file contains code (copy_reg._reconstructor on an unexpected class), refused.")
    obj = object.__new__(cls)
    return obj


def _inert(*args: Any, **kwargs: Any) -> Holder:
    """Random-number-generator state and similar: kept as data, never rebuilt."""
    return _holder("numpy.random.state")()


def _call_on_class_only(*args: Any, **kwargs: Any) -> None:
    raise AttributeError("This method should be called on a class object.")


_SAFE: dict[tuple[str, str], Any] = {
    ("collections", "defaultdict"): collections.defaultdict,
    ("UserString", "defaultdict"): collections.defaultdict,  # Python 3.4's fix_imports quirk
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("__builtin__", "object"): object, ("builtins", "object"): object,
    ("__builtin__", "int"): int, ("builtins", "int"): int, ("__builtin__", "long"): int,
    ("__builtin__", "float"): float, ("builtins", "float"): float,
    ("__builtin__", "hash"): hash, ("builtins", "hash"): hash,
    ("__builtin__", "set"): set, ("builtins", "set"): set,
    ("__builtin__", "frozenset"): frozenset, ("builtins", "frozenset"): frozenset,
    # bytearray(4_500_000_000) is 34 bytes of pickle: sizes are held to the pickle's own size.
    ("__builtin__", "bytearray"): bounded_bytes(bytearray), ("builtins", "bytearray"): bounded_bytes(bytearray),
    ("builtins", "bytes"): bounded_bytes(bytes),
    ("__builtin__", "list"): list, ("builtins", "list"): list,
    ("__builtin__", "dict"): dict, ("builtins", "dict"): dict,
    ("__builtin__", "tuple"): tuple, ("builtins", "tuple"): tuple,
    ("_codecs", "encode"): _encode,
    ("copy_reg", "_reconstructor"): _reconstructor, ("copyreg", "_reconstructor"): _reconstructor,
    ("numpy", "ndarray"): bounded_ndarray_new, ("numpy", "dtype"): _dtype,
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy.core.multiarray", "scalar"): _scalar, ("numpy._core.multiarray", "scalar"): _scalar,
    ("numpy.random", "__RandomState_ctor"): _inert,
    ("numpy.random._pickle", "__randomstate_ctor"): _inert,
    ("numpy.random._pickle", "__generator_ctor"): _inert,
    ("numpy.random._pickle", "__bit_generator_ctor"): _inert,
    ("numpy.random._mt19937", "MT19937"): _inert,
    ("numpy.random._pcg64", "PCG64"): _inert,
    ("numpy.random.mtrand", "RandomState"): _inert,
    ("numpy.random._generator", "Generator"): _inert,
    ("gensim.utils", "call_on_class_only"): _call_on_class_only,
}
# numpy pickles dtype scalar types by name (e.g. numpy.float32) inside some structures.
for _n in ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
           "uint64", "bool_", "intc", "uintc"):
    _SAFE[("numpy", _n)] = getattr(np, _n)


class RestrictedUnpickler(pickle.Unpickler):
    """Finds only allowlisted globals; everything else raises UnsafePickle before it can be called."""

    def find_class(self, module: str, name: str) -> Any:
        safe = _SAFE.get((module, name))
        if safe is not None:
            return safe
        if name in _GENSIM_CLASSES.get(module, ()):
            return _holder(f"{module}.{name}")
        raise UnsafePickle(
            f"This file contains code ({module}.{name}), refused; nothing in it was run.",
            "Real word2vec models never contain code. Only open model files from sources you trust; "
            "if this one should be a model, ask its author for the .bin or .txt format.",
        )

    def persistent_load(self, pid: Any) -> Any:
        raise UnsafePickle("This file refers to outside objects (persistent ids), refused; nothing was run.")


def restricted_loads(data: bytes) -> Any:
    with pickle_budget(len(data)):
        return RestrictedUnpickler(io.BytesIO(data), encoding="latin1").load()


def restricted_load(f: IO[bytes]) -> Any:
    return RestrictedUnpickler(f, encoding="latin1").load()


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
        try:
            version = np.lib.format.read_magic(f)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
            else:
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        except (ValueError, SyntaxError, TypeError, EOFError, OverflowError, IndexError):
            if size == 0:
                raise TruncatedModelFile(f"{path.name} is empty.",
                                         f"Copy {path.name} again from where the model came from.") from None
            raise TruncatedModelFile(f"{path.name} is not a complete numpy array file.",
                                     f"Copy {path.name} again from where the model came from.") from None
        offset = f.tell()
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
            version = np.lib.format.read_magic(f)
            shape, _fortran, dtype = (np.lib.format.read_array_header_1_0(f) if version == (1, 0)
                                      else np.lib.format.read_array_header_2_0(f))
            check_npy_header(path, shape, dtype, f.tell(), member.file_size)
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
        return x.view(np.ndarray) if isinstance(x, _SafeArray) else x
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


def _open_pickle_stream(path: Path) -> tuple[bytes, bool]:
    require_regular_file(path)
    with reading(path), open(path, "rb") as f:
        head = f.read(3)
        if head[:2] == b"\x1f\x8b":
            with gzip.open(path, "rb") as g:
                return g.read(), True
        if head == b"BZh":
            with bz2.open(path, "rb") as b:
                return b.read(), True
        return head + f.read(), False


def read_gensim_pickle(path: Path, check: Callable[[], None] | None = None) -> PickleState:
    """Unpickle safely, attach sidecar arrays, and pull out vocabulary, vectors and training state."""
    data, compressed = _open_pickle_stream(path)
    pyver = _python_version_of(data)
    try:
        top = restricted_loads(data)
    except UnsafePickle:
        raise
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
        key_to_index=k2i if isinstance(k2i, dict) and len(k2i) == len(keys) else None,
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


__all__ = ["RestrictedUnpickler", "restricted_loads", "read_gensim_pickle", "PickleState", "load_npy",
           "is_pickle", "expected_sidecars", "Holder"]
