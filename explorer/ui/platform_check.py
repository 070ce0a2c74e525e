"""Before Qt starts: is there a display, and can Qt's window plugin load? Say so in one sentence if not.

Without this, a missing system library or an absent display makes Qt abort the process with a core dump
and a page of plugin diagnostics. Nothing here imports Qt's GUI modules (they may be what cannot load).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Mapping, Sequence

# Platforms that need no display server.
_HEADLESS = {"offscreen", "minimal", "vnc", "vkkhrdisplay", "linuxfb", "eglfs"}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.M)


class PlatformProblem(Exception):
    """Why the window cannot open, as one sentence for the terminal."""


def requested_platform(argv: Sequence[str], env: Mapping[str, str]) -> str:
    """The Qt platform plugin that will be used: ``-platform X`` beats $QT_QPA_PLATFORM; '' = Qt's default."""
    for i, arg in enumerate(argv):
        if arg in ("-platform", "--platform") and i + 1 < len(argv):
            return argv[i + 1].split(":")[0]
        if arg.startswith("-platform="):
            return arg.split("=", 1)[1].split(":")[0]
    return env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0]


def debian_package(soname: str) -> str:
    """Debian/Ubuntu's package name for a shared library: libxcb-icccm.so.4 -> libxcb-icccm4."""
    m = re.match(r"(lib[^/]+?)\.so\.(\d+)", soname)
    if not m:
        return soname
    name, major = m.group(1).lower(), m.group(2)
    return f"{name}-{major}" if name[-1].isdigit() else f"{name}{major}"


def missing_libraries(ldd_output: str) -> list[str]:
    """Sonames ``ldd`` reports as 'not found', in order, without repeats."""
    seen: dict[str, None] = {}
    for name in _NOT_FOUND.findall(ldd_output):
        seen.setdefault(name, None)
    return list(seen)


def _qt_folder() -> Path | None:
    try:
        import PySide6
    except ImportError:
        return None
    return Path(PySide6.__file__).parent / "Qt"


def _xcb_binaries() -> list[Path]:
    qt = _qt_folder()
    if qt is None:
        return []
    found = [qt / "plugins" / "platforms" / "libqxcb.so"]
    found += sorted((qt / "lib").glob("libQt6XcbQpa.so*"))[:1]
    found += sorted((qt / "lib").glob("libQt6Gui.so*"))[:1]
    return [p for p in found if p.exists()]


def _ldd(paths: Sequence[Path]) -> str:
    ldd = shutil.which("ldd")
    if not ldd or not paths:
        return ""
    try:
        return subprocess.run([ldd, *map(str, paths)], capture_output=True, text=True, timeout=20,
                              env={**os.environ, "LC_ALL": "C"}).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def check(argv: Sequence[str], env: Mapping[str, str] | None = None) -> None:
    """Raise PlatformProblem when Qt could not open a window here. Only Linux/BSD desktops are checked."""
    env = os.environ if env is None else env
    if not sys.platform.startswith(("linux", "freebsd")):
        return
    platform = requested_platform(argv, env)
    if platform in _HEADLESS:
        return
    wayland = bool(env.get("WAYLAND_DISPLAY")) and platform in ("", "wayland")
    if platform in ("", "xcb") and not env.get("DISPLAY") and not wayland:
        raise PlatformProblem(
            "Word2Vec Explorer needs a graphical display and found none (DISPLAY is not set): start it from a "
            "desktop session, or use the `w2v` command in a terminal.")
    if platform not in ("", "xcb") or wayland:
        return
    missing = missing_libraries(_ldd(_xcb_binaries()))
    if missing:
        packages = " ".join(dict.fromkeys(debian_package(m) for m in missing))
        raise PlatformProblem(
            f"Qt cannot open a window because these system libraries are missing: {', '.join(missing)}. "
            f"On Debian or Ubuntu install them with: sudo apt install {packages}")
