"""The restricted unpickler: the only way the explorer reads a pickle, so a crafted file cannot run code.

It admits only the classes real gensim word2vec models are made of and turns every gensim class into an
inert holder of its state (explorer.core.io.gensim_pickle builds plain data from it). Anything else in a
pickle is refused before it can run.
"""

from __future__ import annotations

import collections
import io
import pickle
from typing import IO, Any

import numpy as np

from explorer.core.errors import (
    UnsafePickle,
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


class SafeArray(np.ndarray):
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
    if subtype is not np.ndarray and subtype is not SafeArray:
        raise UnsafePickle("This file contains code (an unexpected array type), refused; nothing was run.")
    return np.ndarray.__new__(SafeArray, shape, dtype)


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
    return dt


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
    ("__builtin__", "bytearray"): bytearray, ("builtins", "bytearray"): bytearray,
    ("builtins", "bytes"): bytes,
    ("__builtin__", "list"): list, ("builtins", "list"): list,
    ("__builtin__", "dict"): dict, ("builtins", "dict"): dict,
    ("__builtin__", "tuple"): tuple, ("builtins", "tuple"): tuple,
    ("_codecs", "encode"): _encode,
    ("copy_reg", "_reconstructor"): _reconstructor, ("copyreg", "_reconstructor"): _reconstructor,
    ("numpy", "ndarray"): np.ndarray, ("numpy", "dtype"): _dtype,
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
    return RestrictedUnpickler(io.BytesIO(data), encoding="latin1").load()


def restricted_load(f: IO[bytes]) -> Any:
    return RestrictedUnpickler(f, encoding="latin1").load()
