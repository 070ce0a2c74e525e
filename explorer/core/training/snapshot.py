"""A training model's whole state as plain arrays and JSON in one .npz file: the checkpoint format.

No pickle anywhere, so a checkpoint cannot carry code: arrays are read with ``allow_pickle=False`` after
their headers were checked against the sizes stored in the zip (nothing is allocated beyond the file),
and everything is validated before a Word2Vec is rebuilt from it. The random generator's state is kept
too, so a resumed single-worker run is bit-identical to one that was never interrupted.
"""

from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
from gensim.models import KeyedVectors, Word2Vec

from explorer.core.errors import TrainingError
from explorer.core.fsutil import atomic_write, is_regular_file

FORMAT = "w2v-explorer training snapshot"
VERSION = 1
# Passed to Word2Vec(...) when the model is rebuilt.
_INIT_PARAMS = ("sg", "hs", "negative", "vector_size", "window", "min_count", "sample", "epochs", "alpha",
                "min_alpha", "workers", "seed", "max_final_vocab", "shrink_windows", "compute_loss", "cbow_mean",
                "ns_exponent", "null_word", "sorted_vocab", "max_vocab_size", "batch_words")
# Set as attributes afterwards (gensim's bookkeeping of what was trained so far).
_STATE_PARAMS = ("corpus_count", "corpus_total_words", "effective_min_count", "train_count", "total_train_time",
                 "min_alpha_yet_reached", "running_training_loss")


def write_snapshot(model: Word2Vec, path: Path) -> None:
    """Write ``model`` to ``path`` atomically (the previous file stays until the new one is complete)."""
    wv = model.wv
    n = len(wv.index_to_key)
    arrays: dict[str, np.ndarray] = {
        "vectors": np.asarray(wv.vectors, dtype=np.float32),
        "count": np.asarray(wv.expandos["count"], dtype=np.int64),
        "sample_int": np.asarray(wv.expandos["sample_int"], dtype=np.uint32),
    }
    if model.hs:
        arrays["syn1"] = np.asarray(model.syn1, dtype=np.float32)
        codes, points = wv.expandos["code"], wv.expandos["point"]
        arrays["code_len"] = np.fromiter((len(c) for c in codes), dtype=np.int64, count=n)
        arrays["code_flat"] = np.concatenate([np.zeros(0, np.uint8), *codes]).astype(np.uint8)
        arrays["point_flat"] = np.concatenate([np.zeros(0, np.uint32), *points]).astype(np.uint32)
    if model.negative:
        arrays["syn1neg"] = np.asarray(model.syn1neg, dtype=np.float32)
    rng_name, rng_key, rng_pos, rng_has_gauss, rng_gauss = model.random.get_state()
    arrays["random_key"] = np.asarray(rng_key, dtype=np.uint32)
    params = {name: _plain(getattr(model, name, None)) for name in _INIT_PARAMS + _STATE_PARAMS}
    meta = {
        "format": FORMAT, "version": VERSION, "keys": list(wv.index_to_key), "params": params,
        "random": [rng_name, int(rng_pos), int(rng_has_gauss), float(rng_gauss)],
        "lifecycle_events": getattr(model, "lifecycle_events", None) or [],
    }
    # ensure_ascii: any word (even one with a lone surrogate) survives the trip as an escape.
    arrays["meta"] = np.frombuffer(json.dumps(meta, default=str).encode("ascii"), dtype=np.uint8)
    with atomic_write(path) as fh:
        np.savez(fh, **arrays)  # type: ignore[arg-type]  # numpy's stub types allow_pickle as a kwarg


def read_snapshot(path: Path) -> Word2Vec:
    """Rebuild the Word2Vec ``write_snapshot`` wrote; TrainingError when the file is not one, or is damaged."""
    arrays = _read_arrays(path)
    try:
        return _rebuild(arrays)
    except _Damaged as err:
        raise TrainingError(f"The checkpoint {path} is damaged ({err}), so the training cannot be resumed.",
                            "Start a new training instead.") from None


class _Damaged(Exception):
    pass


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    return value if value is None or isinstance(value, (bool, int, float, str)) else None


def _read_arrays(path: Path) -> dict[str, np.ndarray]:
    bad = TrainingError(f"{path} is not a checkpoint this program wrote, so the training cannot be resumed.",
                        "Start a new training instead.")
    if not is_regular_file(path):
        raise bad
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                # Only what np.savez writes: stored (uncompressed) .npy members of numbers whose header
                # matches the member's size, so a header cannot ask for more memory than the file holds.
                if info.compress_type != zipfile.ZIP_STORED or not info.filename.endswith(".npy"):
                    raise bad
                with zf.open(info) as member:
                    version = np.lib.format.read_magic(member)
                    if version == (1, 0):
                        shape, _fortran, dtype = np.lib.format.read_array_header_1_0(member)
                    elif version == (2, 0):
                        shape, _fortran, dtype = np.lib.format.read_array_header_2_0(member)
                    else:
                        raise bad
                    if dtype.hasobject or member.tell() + math.prod(shape) * dtype.itemsize != info.file_size:
                        raise bad
        with np.load(path, allow_pickle=False) as z:
            return {name: z[name] for name in z.files}
    except TrainingError:
        raise
    except Exception as err:  # noqa: BLE001 - any parse failure of untrusted bytes means "not a checkpoint"
        raise TrainingError(f"The checkpoint {path} cannot be read ({err}), so the training cannot be resumed.",
                            "Start a new training instead.") from None


def _array(arrays: dict[str, np.ndarray], name: str, dtype: type, shape: tuple[int, ...]) -> np.ndarray:
    arr = arrays.get(name)
    if arr is None:
        raise _Damaged(f"{name} is missing")
    if arr.dtype != np.dtype(dtype) or arr.shape != shape:
        raise _Damaged(f"{name} is {arr.dtype} {arr.shape}, expected {np.dtype(dtype)} {shape}")
    return arr


def _rebuild(arrays: dict[str, np.ndarray]) -> Word2Vec:
    try:
        meta = json.loads(_array(arrays, "meta", np.uint8, arrays["meta"].shape).tobytes().decode("ascii"))
    except (KeyError, ValueError, UnicodeDecodeError) as err:
        raise _Damaged(f"no readable description: {err}") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("version") != VERSION:
        raise _Damaged("not a snapshot of this version")
    keys, p = meta.get("keys"), meta.get("params")
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys) or not isinstance(p, dict):
        raise _Damaged("the vocabulary or the settings are missing")
    n = len(keys)
    key_to_index = {k: i for i, k in enumerate(keys)}
    if n == 0 or len(key_to_index) != n:
        raise _Damaged("the vocabulary is empty or repeats words")
    try:
        init = {name: p[name] for name in _INIT_PARAMS}
        d, hs, negative = int(init["vector_size"]), int(init["hs"]), int(init["negative"])
        rng_name, rng_pos, rng_has_gauss, rng_gauss = meta["random"]
    except (KeyError, TypeError, ValueError) as err:
        raise _Damaged(f"a setting is missing: {err}") from None
    numbers = [v for k, v in init.items() if k not in ("max_final_vocab", "max_vocab_size") or v is not None]
    if not all(isinstance(v, (int, float)) for v in numbers) or d < 1 or (not hs and negative <= 0):
        raise _Damaged("the settings make no sense")
    vectors = _array(arrays, "vectors", np.float32, (n, d))
    count = _array(arrays, "count", np.int64, (n,))
    sample_int = _array(arrays, "sample_int", np.uint32, (n,))
    random_key = _array(arrays, "random_key", np.uint32, (624,))
    try:
        model = Word2Vec(**init)
        model.random.set_state((str(rng_name), random_key, int(rng_pos), int(rng_has_gauss), float(rng_gauss)))
    except (TypeError, ValueError) as err:
        raise _Damaged(f"a setting is wrong: {err}") from None
    wv = KeyedVectors(d, count=0, dtype=np.float32)
    wv.index_to_key, wv.key_to_index, wv.next_index = keys, key_to_index, n
    wv.vectors = np.array(vectors)  # writable: it trains further
    wv.expandos = {"count": np.array(count), "sample_int": np.array(sample_int)}
    if hs:
        model.syn1 = np.array(_array(arrays, "syn1", np.float32, (n, d)))
        lens = _array(arrays, "code_len", np.int64, (n,))
        total = int(lens.sum()) if n and lens.min() >= 0 else -1
        code_flat = _array(arrays, "code_flat", np.uint8, (max(total, 0),))
        point_flat = _array(arrays, "point_flat", np.uint32, (max(total, 0),))
        # A path cannot be longer than the tree has inner nodes, and every node is a row of syn1.
        if total < 0 or lens.max() > n or (total and (code_flat.max() > 1 or point_flat.max() >= n)):
            raise _Damaged("the hierarchical-softmax tree is corrupt")
        ends = np.cumsum(lens)[:-1]
        codes, points = np.empty(n, dtype=object), np.empty(n, dtype=object)
        codes[:], points[:] = np.split(np.array(code_flat), ends), np.split(np.array(point_flat), ends)
        wv.expandos["code"], wv.expandos["point"] = codes, points
    wv.vectors_lockf = np.ones(1, dtype=np.float32)
    wv.norms = None
    model.wv = wv
    model.layer1_size = d
    if negative:
        model.syn1neg = np.array(_array(arrays, "syn1neg", np.float32, (n, d)))
        model.make_cum_table()
    for name in _STATE_PARAMS:
        if p.get(name) is not None:
            setattr(model, name, p[name])
    model.raw_vocab = {}
    events = meta.get("lifecycle_events")
    model.lifecycle_events = events if isinstance(events, list) else []
    return model
