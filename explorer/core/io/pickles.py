"""The restricted unpickler: the only way the explorer reads a pickle, so a crafted file cannot run code.

It admits only the classes real gensim word2vec models are made of and turns every gensim class into an
inert holder of its state (explorer.core.io.gensim_pickle builds plain data from it). Anything else in a
pickle is refused before it can run.
"""

from __future__ import annotations

import collections
import io
import pickle
import pickletools
import struct
from typing import IO, Any

import numpy as np

from explorer.core.errors import (
    UnsafePickle,
)
from explorer.core.io.checks import (
    bounded_bytes,
    bounded_ndarray_new,
    check_array_size,
    check_dtype_size,
    pickle_budget,
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
    if subtype is not np.ndarray and subtype is not SafeArray and subtype is not bounded_ndarray_new:
        raise UnsafePickle("This file contains code (an unexpected array type), refused; nothing was run.")
    check_array_size(shape, dtype)  # numpy pickles ask for shape (0,) here; the data comes with the state
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
    check_opcode_sizes(data)
    with pickle_budget(len(data)):
        return RestrictedUnpickler(io.BytesIO(data), encoding="latin1").load()


def _arg_sizes() -> dict[int, int]:
    """Per opcode byte: its argument's fixed size, or a negative code for how the size is found."""
    kinds = {pickletools.UP_TO_NEWLINE: -1, pickletools.TAKEN_FROM_ARGUMENT1: -2,
             pickletools.TAKEN_FROM_ARGUMENT4: -3, pickletools.TAKEN_FROM_ARGUMENT4U: -3,
             pickletools.TAKEN_FROM_ARGUMENT8U: -4}
    return {op.code.encode("latin1")[0]: 0 if op.arg is None else (op.arg.n if op.arg.n >= 0 else kinds[op.arg.n])
            for op in pickletools.opcodes}


_ARG_SIZES = _arg_sizes()
_TWO_LINES = {ord("c"), ord("i")}  # GLOBAL and INST: module and name on two lines
_LONG_BINPUT, _STOP = ord("r"), ord(".")


def check_opcode_sizes(data: bytes) -> None:
    """Refuse opcodes that make CPython's C unpickler allocate from a number in the file before reading.

    A LONG_BINPUT index sizes the memo (index x 16 bytes, all written), and a length-prefixed string,
    bytes or long reserves its length: 9 bytes can ask for gigabytes. No index or length can honestly
    exceed the pickle's own size. One pass over the opcodes (about 0.3 us each, 20 ms for the demo model);
    anything else that is malformed is left for the unpickler to report.
    """
    n = len(data)
    sizes, find, unpack_from = _ARG_SIZES, data.find, struct.unpack_from
    pos = 0
    try:
        while pos < n:
            code = data[pos]
            pos += 1
            k = sizes.get(code)
            if k is None:
                return
            if k > 0:
                if code == _LONG_BINPUT and unpack_from("<I", data, pos)[0] > n:
                    raise _oversized("a memo index", unpack_from("<I", data, pos)[0])
                pos += k
            elif k == 0:
                if code == _STOP:
                    return
            elif k == -1:
                pos = find(b"\n", pos) + 1
                if pos and code in _TWO_LINES:
                    pos = find(b"\n", pos) + 1
                if not pos:
                    return
            elif k == -2:
                pos += 1 + data[pos]
            else:
                width = 4 if k == -3 else 8
                length = unpack_from("<I" if width == 4 else "<Q", data, pos)[0]
                if length > n:
                    raise _oversized("a string or number", length)
                pos += width + length
    except (struct.error, IndexError):
        return  # cut short: the unpickler says so


def _oversized(what: str, size: int) -> UnsafePickle:
    return UnsafePickle(f"This file declares {what} of {size:,}, far beyond its own size; refused.",
                        "A real model never does this: the file is damaged or was made to exhaust memory.")


def restricted_load(f: IO[bytes]) -> Any:
    return RestrictedUnpickler(f, encoding="latin1").load()
