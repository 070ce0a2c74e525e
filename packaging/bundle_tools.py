"""Linux size work for the PyInstaller spec: share one OpenBLAS between faiss and SciPy, and drop shared
libraries that nothing left in the bundle links to.

Both take and return PyInstaller TOC lists of ``(dest_name, src_path, typecode)``. Each step checks its
preconditions and, when one does not hold, leaves the bundle as it was and says why.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from typing import Callable, Sequence

Entry = tuple[str, str, str]
Log = Callable[[str], None]

# faiss links these LAPACK/BLAS routines from its own 39 MB OpenBLAS; SciPy's OpenBLAS (always in the bundle,
# gensim's training routines need it) exports the same Fortran LP64 routines with a ``scipy_`` prefix.
FAISS_BLAS = "faiss_cpu.libs/libopenblas*.so*"
SCIPY_BLAS = "scipy.libs/libscipy_openblas-*.so"  # not "openblas64_": that is NumPy's 64-bit-integer build
TRAMPOLINE = {
    "x86_64": "{name}:\n    jmp scipy_{name}@PLT\n",
    "aarch64": "{name}:\n    b scipy_{name}\n",
}


def _dest(entry: Entry) -> str:
    return entry[0].replace("\\", "/")


def _symbols(path: str, undefined: bool) -> set[str]:
    flag = "--undefined-only" if undefined else "--defined-only"
    out = subprocess.run(["nm", "-D", flag, path], capture_output=True, text=True, check=True).stdout
    return {line.split()[-1].split("@")[0] for line in out.splitlines() if line.strip()}


def share_faiss_blas(binaries: Sequence[Entry], workdir: Path, log: Log = print) -> list[Entry]:
    """Replace faiss's OpenBLAS with a tiny library that forwards each routine faiss uses to SciPy's copy.

    Saves about 42 MB (the library and its own gfortran/quadmath). Both copies are reference OpenBLAS with
    the Fortran LP64 interface, so a jump from ``sgemm_`` to ``scipy_sgemm_`` keeps every argument as it is.
    """
    result = list(binaries)
    machine = platform.machine()
    if not platform.system() == "Linux" or machine not in TRAMPOLINE:
        log(f"share_faiss_blas: skipped (only for Linux x86_64/aarch64, this is {platform.system()} {machine})")
        return result
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None or shutil.which("nm") is None:
        log("share_faiss_blas: skipped (needs a C compiler and nm)")
        return result
    faiss_blas = [e for e in result if fnmatch(_dest(e), FAISS_BLAS)]
    scipy_blas = [e for e in result if fnmatch(_dest(e), SCIPY_BLAS)]
    if len(faiss_blas) != 1 or len(scipy_blas) != 1:
        log("share_faiss_blas: skipped (did not find exactly one faiss and one SciPy OpenBLAS)")
        return result
    old, scipy_lib = faiss_blas[0], scipy_blas[0]
    faiss_parts = [e for e in result if _dest(e).startswith("faiss/") and e[2] in ("BINARY", "EXTENSION")]
    wanted: set[str] = set()
    for entry in faiss_parts:
        wanted |= _symbols(entry[1], undefined=True)
    forwarded = sorted(wanted & _symbols(old[1], undefined=False))
    available = _symbols(scipy_lib[1], undefined=False)
    missing = [name for name in forwarded if f"scipy_{name}" not in available]
    if not forwarded or missing:
        log(f"share_faiss_blas: skipped (SciPy's OpenBLAS lacks {missing or 'everything'})")
        return result

    workdir.mkdir(parents=True, exist_ok=True)
    soname = PurePosixPath(_dest(old)).name
    asm = [".text"]
    for name in forwarded:
        asm += [f".globl {name}", f".type {name}, @function", TRAMPOLINE[machine].format(name=name).rstrip(),
                f".size {name}, .-{name}"]
    asm.append('.section .note.GNU-stack,"",@progbits')
    source = workdir / "faiss_blas_shim.s"
    source.write_text("\n".join(asm) + "\n")
    shim = workdir / soname
    rel = os.path.relpath(PurePosixPath(_dest(scipy_lib)).parent, PurePosixPath(_dest(old)).parent)
    subprocess.run([compiler, "-shared", "-fPIC", "-nostdlib", "-o", str(shim), str(source),
                    f"-Wl,-soname,{soname}", f"-Wl,-rpath,$ORIGIN/{rel}", scipy_lib[1]], check=True)
    log(f"share_faiss_blas: {soname} is now a {shim.stat().st_size // 1024} KB forwarder of {len(forwarded)} "
        f"routines to {PurePosixPath(_dest(scipy_lib)).name} (was {Path(old[1]).stat().st_size / 1e6:.1f} MB)")
    return [(e[0], str(shim), e[2]) if e is old else e for e in result]


def _needed(path: str) -> set[str]:
    """Names in the DT_NEEDED entries of an ELF file."""
    out = subprocess.run(["readelf", "-d", "-W", path], capture_output=True, text=True).stdout
    return {line.rsplit("[", 1)[1].rstrip("]") for line in out.splitlines() if "(NEEDED)" in line}


def prune_unlinked(binaries: Sequence[Entry], datas: Sequence[Entry], log: Log = print) -> tuple[list[Entry], list[Entry]]:
    """Drop shared libraries that no Python extension, Qt plugin or libpython still links to (directly or not).

    PyInstaller gathers dependencies before the spec drops unused Qt modules and plugins, so their own
    dependencies (Kerberos, GTK, ...) stay behind; this removes them, and the symlinks that pointed at them.
    """
    if platform.system() != "Linux" or shutil.which("readelf") is None:
        log("prune_unlinked: skipped (Linux with readelf only)")
        return list(binaries), list(datas)
    by_name: dict[str, Entry] = {}
    for entry in binaries:
        by_name.setdefault(PurePosixPath(_dest(entry)).name, entry)
    links = {PurePosixPath(_dest(e)).name: e[1].replace("\\", "/") for e in datas if e[2] == "SYMLINK"}
    by_dest = {_dest(e): e for e in binaries}

    def is_root(entry: Entry) -> bool:
        name = PurePosixPath(_dest(entry)).name
        return entry[2] == "EXTENSION" or "/plugins/" in _dest(entry) or name.startswith("libpython")

    reached: set[str] = set()
    queue = [e for e in binaries if is_root(e)]
    while queue:
        entry = queue.pop()
        if _dest(entry) in reached:
            continue
        reached.add(_dest(entry))
        for name in _needed(entry[1]):
            target = by_name.get(name) or by_dest.get(links.get(name, ""))
            if target is not None and _dest(target) not in reached:
                queue.append(target)
    kept = [e for e in binaries if _dest(e) in reached]
    dropped = [e for e in binaries if _dest(e) not in reached]
    kept_dests = {_dest(e) for e in kept}
    kept_datas = [e for e in datas if e[2] != "SYMLINK" or e[1].replace("\\", "/") in kept_dests]
    freed = sum(Path(e[1]).stat().st_size for e in dropped if Path(e[1]).exists()) / 1e6
    log(f"prune_unlinked: dropped {len(dropped)} libraries nothing links to ({freed:.1f} MB): "
        + ", ".join(sorted(PurePosixPath(_dest(e)).name for e in dropped)))
    return kept, kept_datas
