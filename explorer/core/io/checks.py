"""Turn damaged or hostile model files into typed errors before anything large is read or allocated.

Every reader in explorer.core.io goes through these: only regular files are opened (a FIFO would block
forever, a folder or a symlink loop raises raw OSErrors), sizes a header claims are checked against the
bytes the file can hold, low-level read errors (broken gzip/bz2/zip streams, EOF, permission) become a
ModelFileError naming the file, and what was loaded is checked for shape, dtype and Huffman-tree sanity.
"""

from __future__ import annotations

import contextvars
import errno
import gzip
import io
import logging
import os
import stat
import tokenize
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from explorer.core.errors import (
    DimensionMismatch,
    MissingSidecarFile,
    ModelFileError,
    ModelFileNotFound,
    TruncatedModelFile,
    UnknownModelFormat,
    UnsafePickle,
)

log = logging.getLogger(__name__)

# The most a compressor can expand: deflate's limit is 1032:1; bz2 can reach about 1:900,000 on runs of one
# byte, so for bz2 the readers grow their buffers with the data instead of trusting a header.
MAX_RATIO = {"gzip": 1032, None: 1}
MAX_DIMS = 1 << 24  # real models have at most a few thousand; this only stops absurd headers early

_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
          (stat.S_ISSOCK, "a socket"))


def require_regular_file(path: Path, model_path: Path | None = None) -> int:
    """The size of ``path`` when it is a regular file this process can read; a typed error otherwise.

    ``model_path`` is given for a sidecar: a missing one is then a MissingSidecarFile.
    """
    try:
        st = os.stat(path)
    except OSError as err:
        if err.errno == errno.ENOENT and model_path is not None:
            raise MissingSidecarFile(path, model_path) from None
        raise _os_error(path, err) from None
    if stat.S_ISDIR(st.st_mode):
        if model_path is not None:
            raise UnknownModelFormat(f"{path.name} (part of {model_path.name}) is a folder, not an array file.",
                                     f"Replace it with the {path.name} file that came with the model.")
        raise ModelFileNotFound(f"{path} is a folder, not a model file.", "Choose the model file inside it.")
    if not stat.S_ISREG(st.st_mode):
        what = next((label for test, label in _KINDS if test(st.st_mode)), "not a regular file")
        raise UnknownModelFormat(f"{path.name} is {what}, not a model file; it was not read.",
                                 "Open the model file itself (a regular file on disk).")
    if not os.access(path, os.R_OK):
        raise _os_error(path, PermissionError(errno.EACCES, os.strerror(errno.EACCES)))
    return st.st_size


def _os_error(path: Path, err: OSError) -> ModelFileError:
    if err.errno == errno.ENOENT:
        if os.path.islink(path):
            return ModelFileNotFound(f"{path.name} is a link to a file that does not exist ({os.readlink(path)}).",
                                     "Point it at the model file, or open the model file itself.")
        return ModelFileNotFound(f"There is no file {path.name} in {path.parent}.",
                                 "Check the name and the folder, then open it again.")
    if err.errno == errno.ELOOP:
        return ModelFileError(f"{path.name} is a symbolic link that points back to itself (a link loop).",
                              "Replace the link with the model file.")
    if err.errno in (errno.EACCES, errno.EPERM):
        return ModelFileError(f"You do not have permission to read {path.name}.",
                              "Ask for read access to the file, or copy it to a folder of yours.")
    if err.errno == errno.EISDIR:
        return ModelFileError(f"{path.name} is a folder, not a file.", "Choose the model file inside it.")
    if err.errno == errno.ENOMEM:
        return ModelFileError(f"There is not enough memory to read {path.name}.",
                              "Close other programs or open a smaller model.")
    return ModelFileError(f"{path.name} could not be read: {err.strerror or err}.",
                          "Check the disk and the file, then open it again.")


# Errors a reader may raise on damaged bytes. Each is mapped to a message; anything else is a bug.
_DAMAGE = (EOFError, zlib.error, gzip.BadGzipFile, zipfile.BadZipFile, zipfile.LargeZipFile, OverflowError,
           tokenize.TokenError, UnicodeError, ValueError, TypeError, IndexError, KeyError, AttributeError,
           SyntaxError, RecursionError)


@contextmanager
def reading(path: Path, what: str = "") -> Iterator[None]:
    """Map whatever reading ``path`` raises on damaged content to a ModelFileError that names it."""
    try:
        yield
    except ModelFileError:
        raise
    except OSError as err:
        if isinstance(err, gzip.BadGzipFile) or err.errno is None:
            raise _damaged(path, what, err) from err
        raise _os_error(path, err) from err
    except MemoryError as err:
        raise ModelFileError(f"There is not enough memory to read {path.name}{what}.",
                             "Close other programs or open a smaller model.") from err
    except _DAMAGE as err:
        # Kept in the log with its traceback: were it a bug of ours rather than damage, this is where it shows.
        log.info("reading %s failed", path, exc_info=True)
        raise _damaged(path, what, err) from err


def _damaged(path: Path, what: str, err: BaseException) -> ModelFileError:
    if isinstance(err, (EOFError, zlib.error, gzip.BadGzipFile, OSError)) or "compressed" in str(err).lower():
        return TruncatedModelFile(f"{path.name}{what} is a damaged or incomplete compressed file "
                                  f"({_short(err)}).", "Download or copy it again.")
    if isinstance(err, (zipfile.BadZipFile, zipfile.LargeZipFile)):
        return TruncatedModelFile(f"{path.name}{what} is a damaged .npz archive ({_short(err)}).",
                                  "Copy it again from where the model came from.")
    return UnknownModelFormat(f"{path.name}{what} is damaged: {_short(err)}.",
                              "Download or copy the model again; the copy you have is not intact.")


def _short(err: BaseException) -> str:
    text = str(err).strip() or type(err).__name__
    return text if len(text) <= 160 else text[:157] + "..."


# --- sizes a header claims ----------------------------------------------------------------------------
def content_limit(path: Path, compression: str | None) -> int | None:
    """The most bytes the file's content can hold: its size, times the compressor's maximum ratio
    (None for bz2, whose ratio is unbounded for practical purposes: readers then grow as data arrives)."""
    ratio = MAX_RATIO.get(compression)
    if ratio is None:
        return None
    return os.path.getsize(path) * ratio


def check_claim(path: Path, n: int, dims: int, limit: int | None, unit: str) -> None:
    """Refuse a header whose dimension count cannot be right: not positive, absurd, or one vector larger
    than ``limit`` bytes of content (None: unknown). The word count needs no check here: the readers
    allocate rows only for data that is there (a file that is shorter than its header says ends in a
    "the file is incomplete" error naming the word where it stops)."""
    if dims <= 0 or dims > MAX_DIMS:
        raise DimensionMismatch(f"{path.name} says its vectors have {dims:,} dimensions.",
                                "The file is damaged or is not a word2vec model.")
    if limit is not None and dims * (4 if unit == "binary" else 2) > limit:
        raise TruncatedModelFile(
            f"{path.name} says its vectors have {dims:,} numbers each; one of them cannot fit in a file of "
            f"{os.path.getsize(path):,} bytes: the file is incomplete or its header is wrong.",
            "Download it again; if it came from a program, check the header line it wrote.")


# --- what was loaded ----------------------------------------------------------------------------------
def check_output_layer(path: Path, name: str, arr: Any, n: int, dims: int) -> np.ndarray | None:
    """``arr`` as a float32 (n, dims) matrix, or a typed error saying how it is wrong."""
    if arr is None:
        return None
    if not isinstance(arr, np.ndarray) or arr.ndim != 2 or arr.shape[1] != dims or arr.shape[0] != n:
        raise DimensionMismatch(
            f"{path.name}: the output layer {name} has shape {getattr(arr, 'shape', type(arr).__name__)}, "
            f"but the model has {n:,} words of {dims} dimensions.",
            "The model's files do not belong together or one of them is damaged.")
    if arr.dtype.kind != "f":
        raise UnknownModelFormat(f"{path.name}: the output layer {name} holds {arr.dtype} values, not floats.",
                                 "The model's files do not belong together or one of them is damaged.")
    return arr if arr.dtype == np.float32 else arr.astype(np.float32)


def check_huffman(path: Path, codes: Sequence[Any], points: Sequence[Any], n: int, inner: int) -> None:
    """Every word has a non-empty path of 0/1 codes, one inner node per code, each node a row of syn1."""
    if len(codes) != n or len(points) != n:
        raise UnknownModelFormat(f"{path.name} has {len(codes):,} Huffman codes for {n:,} words.",
                                 "The model's hierarchical-softmax tree is damaged.")
    lens = np.fromiter((len(c) for c in codes), dtype=np.int64, count=n)
    plens = np.fromiter((len(p) for p in points), dtype=np.int64, count=n)
    bad = np.flatnonzero((lens != plens) | (lens == 0))
    if bad.size == 0 and n:
        flat_c = np.concatenate([np.asarray(c).ravel() for c in codes])
        flat_p = np.concatenate([np.asarray(p, dtype=np.int64).ravel() for p in points])
        if flat_c.size and (flat_c.max() > 1 or flat_c.min() < 0 or flat_p.min() < 0 or flat_p.max() >= inner):
            wrong = (flat_c > 1) | (flat_c < 0) | (flat_p < 0) | (flat_p >= inner)
            bad = np.repeat(np.arange(n), lens)[wrong][:1]  # the word the first wrong node belongs to
    if bad.size:
        raise UnknownModelFormat(
            f"{path.name}: the Huffman code of word {int(bad[0]) + 1:,} is damaged (its path through the "
            "hierarchical-softmax tree is empty, uneven or leaves the tree).",
            "The model's output layer is damaged; download the model again.")


def check_vectors(path: Path, vectors: Any, declared_dims: Any = None) -> np.ndarray:
    """A 2-D float matrix as float32, agreeing with the dimension count the model declares."""
    if not isinstance(vectors, np.ndarray) or vectors.ndim != 2:
        raise DimensionMismatch(f"{path.name}: the word vectors are not a matrix "
                                f"(shape {getattr(vectors, 'shape', type(vectors).__name__)}).",
                                "The model's files do not belong together or one of them is damaged.")
    if vectors.dtype.kind != "f":
        raise UnknownModelFormat(f"{path.name}: the word vectors hold {vectors.dtype} values, not floats.",
                                 "The model's files do not belong together or one of them is damaged.")
    if isinstance(declared_dims, (int, np.integer)) and not isinstance(declared_dims, bool) \
            and declared_dims > 0 and vectors.shape[1] != declared_dims:
        raise DimensionMismatch(
            f"{path.name} says its vectors have {int(declared_dims)} dimensions, but its vector data has "
            f"{vectors.shape[1]}.", "The model's files do not belong together or one of them is damaged.")
    return vectors if vectors.dtype == np.float32 else vectors.astype(np.float32)


def read_npy_header(f: Any, path: Path, size: int) -> tuple[tuple[int, ...], np.dtype, int]:
    """(shape, dtype, data offset) of the .npy stream ``f`` of ``size`` bytes, read at its start.

    The format version and the header's length are checked before numpy reads the header: numpy would
    otherwise read (and allocate) whatever length a damaged header field says, up to 4 GB.
    """
    magic = f.read(8)
    width = {b"\x01\x00": 2, b"\x02\x00": 4, b"\x03\x00": 4}.get(magic[6:8]) if magic[:6] == b"\x93NUMPY" else None
    raw = f.read(width or 0)
    if width is None or len(raw) < width or 8 + width + int.from_bytes(raw, "little") > size:
        if size == 0:
            raise TruncatedModelFile(f"{path.name} is empty.", f"Copy {path.name} again from where the model came from.")
        raise TruncatedModelFile(f"{path.name} is not a complete numpy array file.",
                                 f"Copy {path.name} again from where the model came from.")
    try:
        header = f.read(int.from_bytes(raw, "little"))
        stream = io.BytesIO(magic + raw + header)
        np.lib.format.read_magic(stream)
        shape, _fortran, dtype = (np.lib.format.read_array_header_1_0(stream) if width == 2
                                  else np.lib.format.read_array_header_2_0(stream))
    except (ValueError, SyntaxError, TypeError, OverflowError, RecursionError, MemoryError) as err:
        raise TruncatedModelFile(f"{path.name} has a damaged header ({_short(err)}).",
                                 f"Copy {path.name} again from where the model came from.") from None
    return tuple(shape), dtype, 8 + width + len(header)


def check_npy_header(path: Path, shape: Sequence[int], dtype: np.dtype, offset: int, size: int) -> None:
    """A sidecar's header: plain numbers (never objects) and a shape that fits in the file's bytes."""
    if dtype.hasobject or dtype.kind not in "fiub":
        if dtype.hasobject:
            raise UnsafePickle(f"{path.name} holds Python objects instead of numbers, refused; nothing was run.",
                               "Real word2vec models store plain numbers in their .npy files.")
        raise UnknownModelFormat(f"{path.name} holds {dtype} values, not numbers a model stores.",
                                 f"Copy {path.name} again from where the model came from.")
    count = 1
    for d in shape:  # Python ints: a product that overflows int64 must not wrap around to a small number
        if not isinstance(d, int) or d < 0:
            raise UnknownModelFormat(f"{path.name} has an invalid array shape {tuple(shape)}.",
                                     f"Copy {path.name} again from where the model came from.")
        count *= d
    need = offset + count * dtype.itemsize
    if size < need:
        raise TruncatedModelFile(
            f"{path.name} is incomplete: it should be {need:,} bytes but is {size:,}.",
            f"Copy {path.name} again from where the model came from (the copy was probably interrupted).")


# --- bounds for the allow-listed callables of the restricted unpickler ---------------------------------
# A pickle can call bytearray(4_500_000_000) or numpy.ndarray((10**5, 10**5)) in a few dozen bytes. No real
# model asks a constructor for more bytes than the pickle itself holds (arrays arrive as data), so each
# allocation-capable callable is held to the size of the pickle being read.
_pickle_budget: contextvars.ContextVar[int] = contextvars.ContextVar("pickle_budget", default=1 << 20)


@contextmanager
def pickle_budget(nbytes: int) -> Iterator[None]:
    token = _pickle_budget.set(max(nbytes, 1 << 16))
    try:
        yield
    finally:
        _pickle_budget.reset(token)


def _refuse_size(what: str, nbytes: int) -> ModelFileError:
    return UnsafePickle(f"This file asks for {what} of {nbytes:,} bytes, far more than it holds; refused.",
                        "A real model never does this: the file is damaged or was made to exhaust memory.")


def _nbytes(shape: Any, dtype: Any) -> int:
    dims = shape if isinstance(shape, (tuple, list)) else (shape,)
    count = 1
    for d in dims:
        if not isinstance(d, (int, np.integer)) or int(d) < 0:
            raise _refuse_size("an array with an invalid shape", 0)
        count *= int(d)
    return count * np.dtype(dtype).itemsize


def bounded_bytes(cls: type) -> Any:
    """``bytes``/``bytearray`` that refuse a size (an int argument) beyond the pickle's budget."""
    def make(*args: Any, **kwargs: Any) -> Any:
        if args and isinstance(args[0], (int, np.integer)) and int(args[0]) > _pickle_budget.get():
            raise _refuse_size(f"a {cls.__name__}", int(args[0]))
        return cls(*args, **kwargs)

    return make


def bounded_ndarray_new(shape: Any, dtype: Any = float, *args: Any, **kwargs: Any) -> np.ndarray:
    """``numpy.ndarray(shape, dtype, ...)`` held to the pickle's budget."""
    size = _nbytes(shape, dtype)
    if size > _pickle_budget.get():
        raise _refuse_size("an array", size)
    return np.ndarray(shape, dtype, *args, **kwargs)


def check_array_size(shape: Any, dtype: Any) -> None:
    size = _nbytes(shape, dtype)
    if size > _pickle_budget.get():
        raise _refuse_size("an array", size)


def check_dtype_size(dt: np.dtype) -> np.dtype:
    if dt.itemsize > _pickle_budget.get():
        raise _refuse_size("a value type", dt.itemsize)
    return dt
