"""Crafted pickles must be refused before anything in them runs (a marker file proves it)."""

from __future__ import annotations

import io
import os
import pickle
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest
from gensim.models import Word2Vec

from explorer.core.errors import UnsafePickle
from explorer.core.io.pickles import restricted_loads
from explorer.core.io import open_model
from tests.core.model_fixtures import W2V, fake_dumps, write_seed_layout


def _reducer(func: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    class Evil:
        def __reduce__(self) -> tuple[Any, ...]:
            return func, args

    return Evil()


class _Chain:
    """Pickles as ``getattr(__import__('os'), 'system')``: a callable built inside the pickle."""

    def __call__(self, *a: Any) -> None:  # never called here; pickle only requires callables
        raise AssertionError

    def __reduce__(self) -> tuple[Any, ...]:
        import builtins

        return getattr, (_reducer(builtins.__import__, ("os",)), "system")


def payloads(marker: Path, second: Path) -> dict[str, Any]:
    import builtins
    import subprocess

    import numpy.testing._private.utils as nputils

    import gensim.utils

    touch = f"open({str(marker)!r}, 'w').write('ran')"
    return {
        "os.system": _reducer(os.system, (f"touch {marker}",)),
        "builtins.eval": _reducer(builtins.eval, (touch,)),
        "builtins.exec": _reducer(builtins.exec, (touch,)),
        "subprocess": _reducer(subprocess.call, (["touch", str(marker)],)),
        "numpy-gadget": _reducer(nputils.runstring, (touch, {})),
        "gensim.utils.unpickle-chain": _reducer(gensim.utils.unpickle, (str(second),)),
        "getattr-trick": _reducer(_Chain(), (f"touch {marker}",)),
    }


KINDS = ["os.system", "builtins.eval", "builtins.exec", "subprocess", "numpy-gadget",
         "gensim.utils.unpickle-chain", "getattr-trick"]


@pytest.fixture()
def setup(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    marker = tmp_path / "MARKER"
    second = tmp_path / "second.pkl"
    second.write_bytes(pickle.dumps(_reducer(os.system, (f"touch {marker}",)), protocol=2))
    return marker, payloads(marker, second)


@pytest.fixture(scope="module")
def small_model() -> Word2Vec:
    return Word2Vec([["甲", "乙", "丙", "丁"] * 5] * 20, vector_size=8, min_count=1, hs=1, negative=2,
                    epochs=1, workers=1, seed=1)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("proto", [2, 4])
def test_top_level_payload_refused(kind: str, proto: int, setup: tuple[Path, dict[str, Any]],
                                   tmp_path: Path) -> None:
    marker, pl = setup
    f = tmp_path / "model"
    f.write_bytes(pickle.dumps(pl[kind], protocol=proto))
    with pytest.raises(UnsafePickle, match="refused"):
        open_model(f, use_cache=False)
    assert not marker.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_payload_inside_gensim4_model_refused(kind: str, setup: tuple[Path, dict[str, Any]], tmp_path: Path,
                                              small_model: Word2Vec) -> None:
    marker, pl = setup
    small_model.comment = pl[kind]  # an extra attribute, pickled with the rest by gensim's own save
    try:
        small_model.save(str(tmp_path / "m.model"))
    finally:
        del small_model.comment
    with pytest.raises(UnsafePickle):
        open_model(tmp_path / "m.model", use_cache=False)
    assert not marker.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_payload_inside_vocab_of_legacy_model_refused(kind: str, setup: tuple[Path, dict[str, Any]],
                                                      tmp_path: Path, small_model: Word2Vec) -> None:
    marker, pl = setup
    files = write_seed_layout(small_model, tmp_path / "word2vec_wx")
    # Rewrite the pickle with the payload deep inside: as a Vocab's count.
    from tests.core.model_fixtures import RawUnpickler

    with open(files["main"], "rb") as fh:
        top = RawUnpickler(fh, encoding="latin1").load()
    evil = W2V(**top.__dict__)
    evil.__dict__["wv"].__class__ = type("KV", (type(evil),), {"_fake_global": ("gensim.models.keyedvectors",
                                                                               "KeyedVectors")})
    first = next(iter(evil.__dict__["wv"].__dict__["vocab"].values()))
    first.__class__ = type("V", (type(evil),), {"_fake_global": ("gensim.models.keyedvectors", "Vocab")})
    first.__dict__["count"] = pl[kind]
    files["main"].write_bytes(fake_dumps(evil))
    with pytest.raises(UnsafePickle):
        open_model(files["main"], use_cache=False)
    assert not marker.exists()


def test_object_array_sidecar_refused(setup: tuple[Path, dict[str, Any]], tmp_path: Path,
                                      small_model: Word2Vec) -> None:
    marker, pl = setup
    files = write_seed_layout(small_model, tmp_path / "word2vec_wx")
    arr = np.empty(1, dtype=object)
    arr[0] = pl["os.system"]
    np.save(files["syn1neg"], arr, allow_pickle=True)
    with pytest.raises(UnsafePickle, match="objects"):
        open_model(files["main"], use_cache=False)
    assert not marker.exists()


def test_object_array_inside_pickle_with_code_refused(setup: tuple[Path, dict[str, Any]]) -> None:
    marker, pl = setup
    arr = np.empty(2, dtype=object)
    arr[0] = pl["os.system"]
    with pytest.raises(UnsafePickle):
        restricted_loads(pickle.dumps({"a": arr}, protocol=2))
    assert not marker.exists()


def test_reconstruct_with_foreign_subtype_refused() -> None:
    # _reconstruct(numpy.memmap-like subtype, ...) must not be able to pick another class
    data = (b"\x80\x02cnumpy.core.multiarray\n_reconstruct\ncgensim.models.word2vec\nVocab\n"
            b"K\x00\x85C\x01b\x87R.")
    with pytest.raises(UnsafePickle):
        restricted_loads(data)


def test_copyreg_reconstructor_limited() -> None:
    data = b"\x80\x02ccopy_reg\n_reconstructor\ncposix\nsystem\nc__builtin__\nobject\nN\x87R."
    with pytest.raises(UnsafePickle):
        restricted_loads(data)


def test_codecs_encode_limited() -> None:
    data = b"\x80\x02c_codecs\nencode\nX\x03\x00\x00\x00abcX\x04\x00\x00\x00zlib\x86R."
    with pytest.raises(UnsafePickle):
        restricted_loads(data)


def test_persistent_id_refused() -> None:
    data = b"\x80\x02X\x01\x00\x00\x00xQ."
    with pytest.raises(UnsafePickle):
        restricted_loads(data)


def test_real_models_use_only_the_allowlist(small_model: Word2Vec, tmp_path: Path) -> None:
    small_model.save(str(tmp_path / "ok.model"))
    assert open_model(tmp_path / "ok.model", use_cache=False).vocab_size == 4


def test_gensim_classes_become_inert_holders() -> None:
    # Unpickling a gensim class never runs gensim code: __setstate__ of the real class is not used.
    obj = restricted_loads(fake_dumps(W2V(x=1)))
    assert type(obj).__module__ == "explorer.core.io.pickles"
    assert obj.x == 1
    assert not isinstance(obj, Word2Vec)
    _ = io
