"""Damaged model files for the fault suite: pristine seeds, and mutations of them drawn by a picker.

Seeds are real models: the demo model, gensim's own test models (0.12 to 3.8 pickles, with and without
.npy sidecars), C .bin/.txt (with and without header, plain/gzip/bz2) written from them, and gensim 4
full models and KeyedVectors saved with .npy or .npz sidecars. A mutation copies one seed's folder and
damages one of its files: byte-level (truncation, bit flips, overwritten runs), format-aware (header
lies, damage inside a compressed stream, .npy headers and shapes, .npz archives, Huffman trees, pickled
attributes replaced by junk) or a special file (FIFO, folder, symlink loop, unreadable). The same
``make_case`` serves hypothesis (tests) and a seeded random.Random (scripts/fault_suite.py).
"""

from __future__ import annotations

import bz2
import gzip
import io
import random
import shutil
import struct
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np

from tests.core.fault_engine import Case
from tests.core.model_fixtures import KV, VOCAB, W2V, fake_dumps

T = TypeVar("T")
REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "resources" / "demo" / "demo.model"


class Picker(Protocol):
    def integer(self, lo: int, hi: int) -> int: ...
    def choice(self, options: Sequence[T]) -> T: ...


class RandomPicker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]


class HypothesisPicker:
    def __init__(self, data: Any) -> None:
        from hypothesis import strategies as st

        self.data, self.st = data, st

    def integer(self, lo: int, hi: int) -> int:
        return int(self.data.draw(self.st.integers(lo, hi)))

    def choice(self, options: Sequence[T]) -> T:
        return options[self.data.draw(self.st.integers(0, len(options) - 1))]


@dataclass(frozen=True)
class Seed:
    name: str
    folder: Path  # holds the model's main file and its sidecars, nothing else
    main: str
    fmt: str  # "pickle", "c-bin", "c-text", "c-text-noheader"
    compression: str | None = None
    gensim4: Path | None = None  # a trusted gensim 4 model file to rewrite semantically
    legacy_layout: bool = False  # may be rebuilt with junk attributes (seed layout via model_fixtures)

    @property
    def files(self) -> list[str]:
        return sorted(p.name for p in self.folder.iterdir())

    @property
    def size(self) -> int:
        return sum((self.folder / f).stat().st_size for f in self.files)


# --- seeds --------------------------------------------------------------------------------------------
def _gensim_data(name: str) -> Path:
    from gensim.test.utils import datapath

    return Path(datapath(name))


_OLD_SINGLE = ["old_w2v_models/w2v_0.12.0.mdl", "old_w2v_models/w2v_0.13.4.mdl", "old_w2v_models/w2v_1.0.0.mdl",
               "old_w2v_models/w2v_2.3.0.mdl", "old_w2v_models/w2v_3.2.0.mdl", "old_w2v_models/w2v_3.4.0.mdl",
               "word2vec_pre_kv_py2", "word2vec_old", "word2vec_3.3", "model-from-gensim-3.8.0.w2v",
               "old_keyedvectors_320.dat"]
_OLD_SEP = ["word2vec_pre_kv_sep_py3", "word2vec_pre_kv_sep_py2", "word2vec_old_sep"]


def _seed_folder(root: Path, name: str) -> Path:
    d = root / name
    d.mkdir(parents=True)
    return d


def _compress(data: bytes, compression: str | None) -> bytes:
    if compression == "gzip":
        return gzip.compress(data, mtime=0)
    if compression == "bz2":
        return bz2.compress(data)
    return data


def _decompress(data: bytes, compression: str | None) -> bytes:
    if compression == "gzip":
        return gzip.decompress(data)
    if compression == "bz2":
        return bz2.decompress(data)
    return data


def build_seeds(root: Path, with_demo: bool = True) -> list[Seed]:
    """Write every pristine seed under ``root`` (about 1 MB, plus the demo model when asked)."""
    from gensim.models import KeyedVectors, Word2Vec
    from gensim.test.utils import common_texts

    seeds: list[Seed] = []
    for rel in _OLD_SINGLE:
        name = "gensim-" + Path(rel).name
        d = _seed_folder(root, name)
        shutil.copy(_gensim_data(rel), d / "m")
        seeds.append(Seed(name, d, "m", "pickle"))
    for rel in _OLD_SEP:
        name = "gensim-" + rel
        d = _seed_folder(root, name)
        src = _gensim_data(rel)
        for p in [src, *src.parent.glob(src.name + ".*")]:
            shutil.copy(p, d / p.name.replace(src.name, "m", 1))
        seeds.append(Seed(name, d, "m", "pickle"))
    if with_demo:
        d = _seed_folder(root, "demo")
        shutil.copy(DEMO, d / "demo.model")
        seeds.append(Seed("demo", d, "demo.model", "pickle"))

    sentences = [s * 3 for s in common_texts] * 20
    hs = Word2Vec(sentences, vector_size=12, min_count=1, hs=1, negative=0, epochs=2, workers=1, seed=3)
    ns = Word2Vec(sentences, vector_size=12, min_count=1, hs=0, negative=4, epochs=2, workers=1, seed=4)
    both = Word2Vec(sentences, vector_size=8, min_count=1, hs=1, negative=3, epochs=2, workers=1, seed=5)
    for name, model, kw, fname in (("g4-hs-npy", hs, {"sep_limit": 0}, "m.model"),
                                   ("g4-ns-single", ns, {}, "m.model"),
                                   ("g4-ns-npz", ns, {"sep_limit": 0}, "m.model.gz"),
                                   ("g4-both-npy", both, {"sep_limit": 0}, "m.model")):
        d = _seed_folder(root, name)
        model.save(str(d / fname), **kw)
        seeds.append(Seed(name, d, fname, "pickle", gensim4=d / fname))
    d = _seed_folder(root, "g4-kv-npy")
    hs.wv.save(str(d / "m.kv"), sep_limit=0)
    seeds.append(Seed("g4-kv-npy", d, "m.kv", "pickle"))

    # The gensim 1.x-3.2 layout with our own fake classes: rebuilt with junk attributes by "pickle-junk".
    d = _seed_folder(root, "legacy-layout")
    _legacy_junk(d / "m", None)
    seeds.append(Seed("legacy-layout", d, "m", "pickle", legacy_layout=True))

    kv: KeyedVectors = ns.wv
    for comp, suffix in ((None, ""), ("gzip", ".gz"), ("bz2", ".bz2")):
        for fmt, binary in (("c-bin", True), ("c-text", False)):
            name = f"{fmt}{suffix or '-plain'}"
            d = _seed_folder(root, name)
            ext = ".bin" if binary else ".txt"
            kv.save_word2vec_format(str(d / "plain"), binary=binary)
            (d / ("v" + ext + suffix)).write_bytes(_compress((d / "plain").read_bytes(), comp))
            (d / "plain").unlink()
            seeds.append(Seed(name, d, "v" + ext + suffix, fmt, comp))
        name = f"c-text-noheader{suffix or '-plain'}"
        d = _seed_folder(root, name)
        kv.save_word2vec_format(str(d / "plain"), binary=False, write_header=False)
        (d / ("v.txt" + suffix)).write_bytes(_compress((d / "plain").read_bytes(), comp))
        (d / "plain").unlink()
        seeds.append(Seed(name, d, "v.txt" + suffix, "c-text-noheader", comp))
    for rel, fmt in (("toy-model.vec", "c-text"), ("euclidean_vectors.bin", "c-bin")):
        name = "gensim-" + rel
        d = _seed_folder(root, name)
        shutil.copy(_gensim_data(rel), d / rel)
        seeds.append(Seed(name, d, rel, fmt))
    return seeds


def budget_for(seed: Seed) -> int:
    """Address space a load of a damaged copy may add: a fixed allowance plus a multiple of the content."""
    content = seed.size
    if seed.compression:
        content = len(_decompress((seed.folder / seed.main).read_bytes(), seed.compression))
    return (96 << 20) + 8 * content


# --- byte-level mutations ----------------------------------------------------------------------------
_LIES = [0, 1, 2, 3, 7, 255, 65535, 2**31 - 1, 2**31, 2**32 + 1, 300_000_000, 10**12, 2**63 - 1, 2**64, 10**30]


def _truncate(data: bytes, pick: Picker) -> tuple[bytes, str]:
    at = pick.integer(0, min(len(data) - 1, 256)) if pick.integer(0, 2) == 0 else pick.integer(0, len(data) - 1)
    return data[:at], f"cut at {at} of {len(data)}"


def _bitflip(data: bytes, pick: Picker) -> tuple[bytes, str]:
    b = bytearray(data)
    where = []
    for _ in range(pick.integer(1, 6)):
        hi = min(len(b) - 1, 512) if pick.integer(0, 1) == 0 else len(b) - 1
        pos, bit = pick.integer(0, hi), pick.integer(0, 7)
        b[pos] ^= 1 << bit
        where.append(f"{pos}.{bit}")
    return bytes(b), "flipped " + ",".join(where)


def _overwrite(data: bytes, pick: Picker) -> tuple[bytes, str]:
    pos = pick.integer(0, len(data) - 1)
    n = pick.integer(1, 64)
    fill = pick.choice([b"\x00", b"\xff", b" ", b"\n", b"9", b"\x80"])
    return data[:pos] + fill * n + data[pos + n:], f"{n} x {fill!r} at {pos}"


def _header_lie(data: bytes, pick: Picker) -> tuple[bytes, str]:
    nl = data.find(b"\n")
    first = data[:nl].split()
    if nl < 0 or len(first) != 2:  # a headerless text file: add a header that lies
        n, d = pick.choice(_LIES), pick.choice(_LIES)
        return f"{n} {d}\n".encode() + data, f"header {n} {d} added"
    n, d = int(first[0]), int(first[1])
    which = pick.integer(0, 2)
    n2 = pick.choice(_LIES + [n + 1, max(0, n - 1)]) if which != 1 else n
    d2 = pick.choice(_LIES + [d + 1, max(0, d - 1)]) if which != 0 else d
    return f"{n2} {d2}".encode() + data[nl:], f"header {n} {d} -> {n2} {d2}"


_BYTE_MUTATIONS: dict[str, Callable[[bytes, Picker], tuple[bytes, str]]] = {
    "truncate": _truncate, "bitflip": _bitflip, "overwrite": _overwrite}


# --- .npy / .npz sidecars ---------------------------------------------------------------------------
def _npy_bytes(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    return buf.getvalue()


def _npy_with_header(header: str, payload: bytes) -> bytes:
    h = header.encode("latin1")
    pad = 64 - (10 + len(h) + 1) % 64
    h = h + b" " * pad + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h + payload


def _npy_mutation(data: bytes, pick: Picker) -> tuple[bytes, str, bool]:
    """(new bytes, what was done, whether any load is wrong)."""
    arr = np.load(io.BytesIO(data), allow_pickle=False)
    kind = pick.choice(["cols", "rows", "dtype", "ndim", "shape-lie", "header-garbage", "fortran", "object"])
    if kind == "cols" and arr.ndim == 2:
        k = pick.choice([-1, 1, arr.shape[1]])
        new = np.zeros((arr.shape[0], max(1, arr.shape[1] + k)), arr.dtype)
        m = min(arr.shape[1], new.shape[1])
        new[:, :m] = arr[:, :m]
        return _npy_bytes(new), f"{arr.shape} -> {new.shape}", True
    if kind == "rows":
        k = pick.choice([-1, 1, -arr.shape[0]])
        new = np.resize(arr, (max(0, arr.shape[0] + k), *arr.shape[1:]))
        return _npy_bytes(new), f"{arr.shape} -> {new.shape}", True
    if kind == "dtype":
        dt = pick.choice(["<f8", "<f2", "<i4", "|u1", ">f4", "<c8", "|b1", "<U2"])
        new = arr.astype(dt) if dt != "<U2" else arr.astype(str).astype("<U2")
        return _npy_bytes(new), f"{arr.dtype} -> {dt}", not dt.endswith(("f8", "f2", "f4"))
    if kind == "ndim":
        new = arr.reshape(-1) if pick.integer(0, 1) else arr.reshape(1, *arr.shape)
        return _npy_bytes(new), f"{arr.shape} -> {new.shape}", True
    if kind == "shape-lie":
        shape = pick.choice([(2**40, 2**40), (10**9, 64), (2**62, 4), (2**32, 2**32), (arr.shape[0] + 1,) + arr.shape[1:],
                             (0,) + arr.shape[1:], (-1, 3)])
        header = f"{{'descr': '{arr.dtype.str}', 'fortran_order': False, 'shape': {tuple(shape)}, }}"
        return _npy_with_header(header, arr.tobytes()), f"header shape {shape} over {arr.shape}", True
    if kind == "header-garbage":
        header = pick.choice(["{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), 'x': __import__('os')}",
                              "{'descr': '<f4', 'shape': (2,)}", "not a dict at all", "{'descr': '<f4', "
                              "'fortran_order': False, 'shape': (1e9,), }", "{" * 500])
        return _npy_with_header(header, arr.tobytes()), f"header {header[:40]!r}", True
    if kind == "fortran":
        new = np.asfortranarray(arr)
        if arr.ndim == 2 and arr.shape[0] > 1 and arr.shape[1] > 1:
            return _npy_bytes(new), "fortran order (same values)", False
    header = f"{{'descr': '|O', 'fortran_order': False, 'shape': {arr.shape}, }}"
    return _npy_with_header(header, b"\x80\x02cos\nsystem\n."), "object dtype", True


def _npz_mutation(data: bytes, pick: Picker) -> tuple[bytes, str, bool]:
    kind = pick.choice(["member-name", "member-npy", "not-zip", "zip-cut"])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        inner = z.read(z.namelist()[0])
    out = io.BytesIO()
    if kind == "not-zip":
        return gzip.compress(inner), "an .npz that is gzip", True
    if kind == "zip-cut":
        at = pick.integer(0, len(data) - 1)
        return data[:at], f"zip cut at {at}", True
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        if kind == "member-name":
            z.writestr("other.npy", inner)
        else:
            new, what, _ = _npy_mutation(inner, pick)
            z.writestr("val.npy", new)
            return out.getvalue(), "inside the npz: " + what, True
    return out.getvalue(), "member renamed", True


# --- semantic rewrites of trusted models ----------------------------------------------------------
def _g4_semantic(seed: Seed, out: Path, pick: Picker) -> tuple[str, bool]:
    """Load our own trusted gensim 4 model, damage one structure consistently, save it again."""
    from gensim.models import Word2Vec

    assert seed.gensim4 is not None
    m = Word2Vec.load(str(seed.gensim4))
    wv = m.wv
    n = len(wv.index_to_key)
    options = ["vectors-cols", "keys-short", "counts-short"]
    if m.negative:
        options += ["syn1neg-shape", "syn1neg-dtype"]
    if m.hs:
        options += ["huffman-point", "huffman-code", "huffman-length", "huffman-empty", "syn1-shape"]
    kind = pick.choice(options)
    i = pick.integer(0, n - 1)
    if kind == "vectors-cols":
        wv.vectors = np.hstack([wv.vectors, np.zeros((n, pick.choice([1, 2])), np.float32)])
    elif kind == "syn1neg-shape":
        m.syn1neg = pick.choice([m.syn1neg[:, :-1], m.syn1neg[:-1], np.zeros((n, 1), np.float32)])
    elif kind == "syn1neg-dtype":
        dt = pick.choice(["<i4", "<f8", "|u1", "<c8"])
        m.syn1neg = m.syn1neg.astype(dt)
        if dt == "<f8":  # doubles are still the same numbers: a float32 copy is a correct load
            m.save(str(out), sep_limit=0 if "npy" in seed.name else 10 << 20)
            return kind, False
    elif kind == "keys-short":
        wv.index_to_key = wv.index_to_key[:-1]
    elif kind == "counts-short":
        wv.expandos["count"] = wv.expandos["count"][:-1]
    elif kind == "syn1-shape":
        m.syn1 = pick.choice([m.syn1[:, :-1], m.syn1[:1], np.zeros((n, wv.vector_size), np.int32)])
    elif kind == "huffman-point":
        p = wv.expandos["point"][i].copy()
        p[pick.integer(0, len(p) - 1)] = pick.choice([n, n + 5, 2**31, 2**32 - 1])
        wv.expandos["point"][i] = p
    elif kind == "huffman-code":
        c = wv.expandos["code"][i].copy()
        c[pick.integer(0, len(c) - 1)] = pick.choice([2, 7, 255])
        wv.expandos["code"][i] = c
    elif kind == "huffman-length":
        wv.expandos["code"][i] = np.append(wv.expandos["code"][i], 1).astype(np.uint8)
    elif kind == "huffman-empty":
        wv.expandos["code"][i] = np.zeros(0, np.uint8)
        wv.expandos["point"][i] = np.zeros(0, np.uint32)
    m.save(str(out), sep_limit=0 if "npy" in seed.name else 10 << 20)
    return kind, True


_JUNK: list[Any] = [None, 0, -1, 2**70, 1.5, float("nan"), "x", b"x", [], {}, (), [1, "a"], {"a": 1},
                    np.zeros((2, 2), np.float32), np.zeros(3, np.int64), np.array(["a", "b"])]


def _legacy_junk(out: Path, pick: Picker | None) -> tuple[str, bool]:
    """The gensim 1.x-3.2 layout (pickle + .npy) with one attribute replaced by junk (none without a picker)."""
    from gensim.models import Word2Vec
    from gensim.test.utils import common_texts

    m = Word2Vec([s * 3 for s in common_texts] * 5, vector_size=6, min_count=1, hs=1, negative=2, epochs=1,
                 workers=1, seed=1)
    wv = m.wv
    words = list(wv.index_to_key)
    vocab = {w: VOCAB(count=int(wv.get_vecattr(w, "count")), index=i, code=np.asarray(wv.get_vecattr(w, "code")),
                      point=np.asarray(wv.get_vecattr(w, "point"))) for i, w in enumerate(words)}
    kv = KV(vocab=vocab, index2word=list(words), vector_size=6, syn0norm=None)
    kv.__dict__.update({"__numpys": ["syn0"], "__scipys": [], "__ignoreds": ["syn0norm"], "__recursive_saveloads": []})
    top = W2V(wv=kv, sg=0, hs=1, negative=2, window=5, min_count=1, sample=1e-3, iter=1, alpha=0.025,
              corpus_count=len(common_texts), layer1_size=6)
    top.__dict__.update({"__numpys": ["syn1", "syn1neg"], "__scipys": [], "__ignoreds": [],
                         "__recursive_saveloads": ["wv"]})
    target = attr = ""
    junk: Any = None
    if pick is not None:
        junk = pick.choice(_JUNK)
        target = pick.choice(["top", "kv", "vocab-entry", "lists"])
    if pick is None:
        pass
    elif target == "top":
        attr = pick.choice(["wv", "hs", "negative", "layer1_size", "__numpys", "__recursive_saveloads", "sg",
                            "window", "iter", "syn1"])
        top.__dict__[attr] = junk
    elif target == "kv":
        attr = pick.choice(["vocab", "index2word", "vector_size", "__numpys", "syn0", "__ignoreds"])
        kv.__dict__[attr] = junk
    elif target == "vocab-entry":
        attr = pick.choice(["count", "index", "code", "point"])
        vocab[words[pick.integer(0, len(words) - 1)]].__dict__[attr] = junk
    else:
        attr = "index2word/vocab key"
        if pick.integer(0, 1):
            kv.__dict__["index2word"] = words + [junk] if not isinstance(junk, (list, dict, np.ndarray)) else words[1:]
        else:
            vocab[words[0]].__dict__["index"] = pick.choice([-5, len(words), 2**40])
    out.write_bytes(fake_dumps(top))
    np.save(f"{out}.wv.syn0.npy", wv.vectors)
    np.save(f"{out}.syn1.npy", m.syn1)
    np.save(f"{out}.syn1neg.npy", m.syn1neg)
    return f"{target}.{attr} = {type(junk).__name__}", False


# --- the case factory ---------------------------------------------------------------------------------
def _copy_seed(seed: Seed, folder: Path) -> None:
    folder.mkdir(parents=True)
    for f in seed.files:
        shutil.copyfile(seed.folder / f, folder / f)


def make_case(pick: Picker, seeds: Sequence[Seed], work: Path, ident: str) -> Case:
    """Draw a seed and a mutation, write the damaged copy under ``work/ident`` and describe it."""
    seed = pick.choice(seeds)
    folder = work / ident
    _copy_seed(seed, folder)
    main = folder / seed.main
    kinds = ["truncate", "bitflip", "overwrite"]
    if seed.fmt.startswith("c-"):
        kinds += ["header-lie", "header-lie"]
    if seed.compression:
        kinds += ["inner-truncate", "inner-bitflip", "inner-header-lie", "stream-garbage"]
    sidecars = [f for f in seed.files if f != seed.main]
    if any(f.endswith(".npy") for f in sidecars):
        kinds += ["npy", "npy", "npy-bytes"]
    if any(f.endswith(".npz") for f in sidecars):
        kinds += ["npz", "npz-bytes"]
    if seed.gensim4 is not None:
        kinds += ["semantic", "semantic"]
    if seed.legacy_layout:
        kinds += ["pickle-junk", "pickle-junk", "pickle-junk"]
    kind = pick.choice(kinds)
    must_refuse = False
    base = dict(ident=ident, path=str(main), seed=seed.name, budget=budget_for(seed))
    if kind in _BYTE_MUTATIONS:
        new, what = _BYTE_MUTATIONS[kind](main.read_bytes(), pick)
        main.write_bytes(new)
    elif kind == "header-lie":
        raw = _decompress(main.read_bytes(), seed.compression)
        new, what = _header_lie(raw, pick)
        main.write_bytes(_compress(new, seed.compression))
        must_refuse = new != raw
    elif kind.startswith("inner-"):
        raw = _decompress(main.read_bytes(), seed.compression)
        fn = _header_lie if kind == "inner-header-lie" else _BYTE_MUTATIONS[kind[6:]]
        new, what = fn(raw, pick)
        main.write_bytes(_compress(new, seed.compression))
        kind = "inner-" + kind[6:]
    elif kind == "stream-garbage":
        data = main.read_bytes()
        tail = pick.choice([b"\x00" * 8, b"garbage!", _compress(b"more data\n", seed.compression), data[: len(data) // 2]])
        main.write_bytes(data + tail)
        what = f"{len(tail)} bytes appended to the stream"
    elif kind in ("npy", "npy-bytes"):
        target = folder / pick.choice([f for f in sidecars if f.endswith(".npy")])
        if kind == "npy":
            new, what, must_refuse = _npy_mutation(target.read_bytes(), pick)
            # The optional training bookkeeping may be dropped with a warning instead of refused.
            must_refuse = must_refuse and not target.name.endswith(("lockf.npy", "neg_labels.npy"))
        else:
            new, what = _BYTE_MUTATIONS[pick.choice(list(_BYTE_MUTATIONS))](target.read_bytes(), pick)
        target.write_bytes(new)
        what = f"{target.name}: {what}"
    elif kind in ("npz", "npz-bytes"):
        target = folder / pick.choice([f for f in sidecars if f.endswith(".npz")])
        if kind == "npz":
            new, what, must_refuse = _npz_mutation(target.read_bytes(), pick)
        else:
            new, what = _BYTE_MUTATIONS[pick.choice(list(_BYTE_MUTATIONS))](target.read_bytes(), pick)
        target.write_bytes(new)
        what = f"{target.name}: {what}"
    elif kind == "semantic":
        for f in folder.iterdir():
            f.unlink()
        what, must_refuse = _g4_semantic(seed, main, pick)
        kind = "semantic-" + what.split("-")[0]
    else:  # pickle-junk
        for f in folder.iterdir():
            f.unlink()
        what, must_refuse = _legacy_junk(main, pick)
    return Case(kind=kind, must_refuse=must_refuse, prefix_ok=seed.fmt == "c-text-noheader" and kind in ("truncate", "inner-truncate"),
                detail=what, **base)  # type: ignore[arg-type]
