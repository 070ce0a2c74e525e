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
import zlib
from collections.abc import Callable, Sequence
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

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
    if platform.system() != "Linux" or machine not in TRAMPOLINE:
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
    out = subprocess.run(["readelf", "-d", "-W", path], capture_output=True, text=True, check=False).stdout
    return {line.rsplit("[", 1)[1].rstrip("]") for line in out.splitlines() if "(NEEDED)" in line}


def prune_unlinked(binaries: Sequence[Entry], datas: Sequence[Entry], log: Log = print) -> tuple[list[Entry], list[Entry]]:
    """Drop shared libraries that no Python extension, Qt plugin or libpython still links to (directly or not).

    PyInstaller gathers dependencies before the spec drops unused Qt modules and plugins, so their own
    dependencies (Kerberos, GTK, ...) stay behind; this removes them, and the symlinks that pointed at them.
    """
    if platform.system() != "Linux" or shutil.which("readelf") is None:
        log("prune_unlinked: skipped (Linux with readelf only)")
        return list(binaries), list(datas)
    # Same-named copies (e.g. numpy.libs/ and scipy.libs/ each carry the same gfortran) are each found
    # through their neighbours' RPATH $ORIGIN, so a name reached keeps every copy of it.
    by_name: dict[str, list[Entry]] = {}
    for entry in binaries:
        by_name.setdefault(PurePosixPath(_dest(entry)).name, []).append(entry)
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
            linked = by_dest.get(links.get(name, ""))
            targets = by_name.get(name, []) + ([linked] if linked is not None else [])
            queue += [t for t in targets if _dest(t) not in reached]
    kept = [e for e in binaries if _dest(e) in reached]
    dropped = [e for e in binaries if _dest(e) not in reached]
    kept_dests = {_dest(e) for e in kept}
    kept_datas = [e for e in datas if e[2] != "SYMLINK" or e[1].replace("\\", "/") in kept_dests]
    freed = sum(Path(e[1]).stat().st_size for e in dropped if Path(e[1]).exists()) / 1e6
    log(f"prune_unlinked: dropped {len(dropped)} libraries nothing links to ({freed:.1f} MB): "
        + ", ".join(sorted(PurePosixPath(_dest(e)).name for e in dropped)))
    return kept, kept_datas


def _load_segments_aligned(path: Path) -> bool:
    """True if every PT_LOAD segment of a 64-bit little-endian ELF file satisfies offset = vaddr (mod align).

    ``strip`` can break that on libraries that patchelf rewrote (the vendored *.libs of manylinux wheels);
    the loader then refuses them with "ELF load command address/offset not page-aligned".
    """
    data = path.read_bytes()[:1 << 16]
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return False
    phoff = int.from_bytes(data[0x20:0x28], "little")
    phentsize = int.from_bytes(data[0x36:0x38], "little")
    phnum = int.from_bytes(data[0x38:0x3A], "little")
    if phoff + phentsize * phnum > len(data):
        return False
    for i in range(phnum):
        ph = data[phoff + i * phentsize: phoff + (i + 1) * phentsize]
        if int.from_bytes(ph[0:4], "little") != 1:  # PT_LOAD
            continue
        offset, vaddr = int.from_bytes(ph[8:16], "little"), int.from_bytes(ph[16:24], "little")
        align = int.from_bytes(ph[48:56], "little")
        if align > 1 and (vaddr - offset) % align:
            return False
    return True


def strip_binaries(binaries: Sequence[Entry], workdir: Path, log: Log = print) -> list[Entry]:
    """Strip symbols from copies of the shared libraries and extensions; keep a copy only when it is smaller
    and still loadable (see _load_segments_aligned). Copies are cached in ``workdir`` across builds.

    libpython drops from 23 to 6 MB and gensim's Cython modules by 90%: about 45 MB in all.
    """
    if platform.system() != "Linux" or platform.machine() not in TRAMPOLINE or shutil.which("strip") is None:
        log("strip_binaries: skipped (Linux x86_64/aarch64 with binutils only)")
        return list(binaries)
    workdir.mkdir(parents=True, exist_ok=True)
    result, saved, refused = [], 0, []
    for entry in binaries:
        src = Path(entry[1])
        if entry[2] not in ("BINARY", "EXTENSION") or not src.is_file():
            result.append(entry)
            continue
        st = src.stat()
        key = f"{st.st_size}-{st.st_mtime_ns}-{zlib.crc32(str(src).encode()):08x}"
        copy = workdir / key / src.name
        if not copy.exists():
            copy.parent.mkdir(parents=True, exist_ok=True)
            tmp = copy.with_name(copy.name + ".tmp")
            done = subprocess.run(["strip", "-o", str(tmp), str(src)], capture_output=True, check=False).returncode == 0
            if done and tmp.stat().st_size < st.st_size and _load_segments_aligned(tmp):
                os.replace(tmp, copy)
            else:
                if done and tmp.exists() and not _load_segments_aligned(tmp):
                    refused.append(src.name)
                tmp.unlink(missing_ok=True)
                shutil.copy2(src, copy)  # remembers "no gain" for the next build
        if copy.stat().st_size < st.st_size:
            saved += st.st_size - copy.stat().st_size
            result.append((entry[0], str(copy), entry[2]))
        else:
            result.append(entry)
    log(f"strip_binaries: saved {saved / 1e6:.1f} MB"
        + (f"; left unstripped because strip would break them: {', '.join(sorted(refused))}" if refused else ""))
    return result
