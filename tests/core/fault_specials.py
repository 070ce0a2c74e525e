"""Files that are not ordinary damaged copies: FIFOs, folders, symlink loops, unreadable files, devices,
crafted pickles, and the fault audit's own examples (issue 8). Used by the fault suite's special-case test
and by scripts/fault_suite.py.
"""

from __future__ import annotations

import bz2
import gzip
import os
import shutil
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.core.fault_cases import Seed, _copy_seed
from tests.core.fault_engine import Case


# --- files that are not ordinary model files at all -------------------------------------------------------
def _pickle(*parts: bytes) -> bytes:
    return b"\x80\x02" + b"".join(parts) + b"."


def _long1(n: int) -> bytes:
    raw = n.to_bytes((n.bit_length() + 8) // 8, "little", signed=True)
    return b"\x8a" + bytes([len(raw)]) + raw


CRAFTED_PICKLES: dict[str, bytes] = {
    # 34 bytes: the allow-listed bytearray asked for 4.5 GB
    "bytearray-4.5GB": b"\x80\x02c__builtin__\nbytearray\n" + _long1(4_500_000_000) + b"\x85R.",
    "bytes-10GB": _pickle(b"cbuiltins\nbytes\n", _long1(10**10), b"\x85R"),
    "ndarray-40GB": _pickle(b"cnumpy\nndarray\n", _long1(100_000), _long1(100_000), b"\x86\x85R"),
    "reconstruct-huge": _pickle(b"cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\n", _long1(2**38),
                                b"\x85", b"U\x01b", b"\x87R"),
    "dtype-subarray-huge": _pickle(b"cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\x01\x85",
                                   b"cnumpy\ndtype\n", b"U\x02f4", _long1(10**9), b"\x85\x86\x85R", b"\x87R"),
    "memo-2^28": _pickle(b"N", b"r" + struct.pack("<I", 2**28 - 1)),
    "memo-2^32": _pickle(b"N", b"r" + struct.pack("<I", 2**32 - 1)),
    "binbytes8-lie": b"\x80\x04\x8e" + struct.pack("<Q", 2**62) + b"abc.",
    "deep-lists": _pickle(b"]" * 200_000, b"a" * 199_999),
    "marks": _pickle(b"(" * 500_000, b"N"),
    "os-system": _pickle(b"cos\nsystem\n", b"X\x02\x00\x00\x00id\x85R"),
    "int-digits": _pickle(b"cbuiltins\nint\n", b"X" + struct.pack("<I", 100_000) + b"9" * 100_000, b"\x85R"),
    "top-is-int": _pickle(b"K\x05"),
    "holder-with-junk": _pickle(b"cgensim.models.word2vec\nWord2Vec\n)\x81}", b"X\x02\x00\x00\x00wvK\x01s", b"b"),
    "kv-vectors-str": _pickle(b"cgensim.models.keyedvectors\nKeyedVectors\n)\x81}",
                              b"X\x07\x00\x00\x00vectorsX\x01\x00\x00\x00as", b"b"),
}


def special_cases(work: Path, seeds: Sequence[Seed]) -> list[Case]:
    """FIFOs, folders, symlink loops, unreadable files, crafted pickles, and the issue's own examples."""
    work.mkdir(parents=True, exist_ok=True)
    os.chmod(work, 0o755)  # traversable by the unprivileged user of the unreadable cases
    cases: list[Case] = []
    by_name = {s.name: s for s in seeds}

    def add(ident: str, path: Path, kind: str, **kw: Any) -> None:
        cases.append(Case(ident=ident, path=str(path), kind=kind, must_refuse=True, **kw))

    d = work / "fifo-main"
    d.mkdir()
    os.mkfifo(d / "e.model")
    add("fifo-main", d / "e.model", "special-fifo", detail="mkfifo e.model")
    for name, side_kind in (("g4-hs-npy", "fifo"), ("g4-hs-npy", "folder"), ("g4-hs-npy", "loop"),
                            ("g4-hs-npy", "unreadable"), ("g4-hs-npy", "empty"), ("g4-hs-npy", "dangling"),
                            ("g4-ns-npz", "fifo"), ("g4-ns-npz", "folder"), ("gensim-word2vec_old_sep", "folder")):
        seed = by_name[name]
        folder = work / f"side-{side_kind}-{name}"
        _copy_seed(seed, folder)
        os.chmod(folder, 0o755)
        side = folder / next(f for f in seed.files if f != seed.main and "vectors" in f or "syn1neg" in f)
        side.unlink()
        if side_kind == "fifo":
            os.mkfifo(side)
        elif side_kind == "folder":
            side.mkdir()
        elif side_kind == "loop":
            os.symlink(side.name + ".b", side)
            os.symlink(side.name, str(side) + ".b")
        elif side_kind == "unreadable":
            shutil.copyfile(seed.folder / side.name, side)
            os.chmod(side, 0)
        elif side_kind == "empty":
            side.touch()
        else:
            os.symlink("nowhere.npy", side)
        add(f"side-{side_kind}-{name}", folder / seed.main, f"special-sidecar-{side_kind}",
            as_nobody=side_kind == "unreadable", detail=f"{side.name} is a {side_kind}")
    d = work / "main-specials"
    d.mkdir()
    os.chmod(d, 0o755)
    os.symlink("loop.b", d / "loop.a")
    os.symlink("loop.a", d / "loop.b")
    add("main-loop", d / "loop.a", "special-main-loop", detail="symlink loop")
    shutil.copyfile(by_name["c-bin-plain"].folder / "v.bin", d / "unreadable.bin")
    os.chmod(d / "unreadable.bin", 0)
    add("main-unreadable", d / "unreadable.bin", "special-main-unreadable", as_nobody=True, detail="chmod 000")
    os.symlink("/dev/zero", d / "zero.bin")
    add("main-devzero", d / "zero.bin", "special-main-device", detail="symlink to /dev/zero")
    os.symlink("/dev/urandom", d / "random.model")
    add("main-devrandom", d / "random.model", "special-main-device", detail="symlink to /dev/urandom")
    (d / "dir.model").mkdir()
    add("main-folder", d / "dir.model", "special-main-folder", detail="a folder")
    (d / "a.bin.gz").write_bytes(gzip.compress(b"1 300000000\nw "))
    add("gz-header-lie", d / "a.bin.gz", "issue-example", detail="printf '1 300000000\\nw ' | gzip")
    (d / "b.bin").write_bytes(b"1 300000000\nw ")
    add("bin-header-lie", d / "b.bin", "issue-example", detail="printf '1 300000000\\nw '")
    (d / "c.txt.bz2").write_bytes(bz2.compress(b"2000000000 2000000000\nw 1 2\n"))
    add("bz2-text-header-lie", d / "c.txt.bz2", "issue-example", detail="text header 2e9 x 2e9, bz2")
    noheader = by_name["c-text-noheader-plain"]
    (d / "cut16.txt").write_bytes((noheader.folder / noheader.main).read_bytes()[:16])
    add("noheader-cut16", d / "cut16.txt", "issue-example", detail="headerless .txt cut at 16 bytes")
    for name, data in CRAFTED_PICKLES.items():
        (d / f"{name}.model").write_bytes(data)
        add(f"pickle-{name}", d / f"{name}.model", "crafted-pickle", detail=f"{name} ({len(data)} bytes)")
        (d / f"{name}.model.gz").write_bytes(gzip.compress(data))
        add(f"pickle-{name}-gz", d / f"{name}.model.gz", "crafted-pickle", detail=f"{name}, gzip")
    return cases
