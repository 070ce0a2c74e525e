"""Start-up without a display or without Qt's system libraries: one sentence and exit 2, never a core dump."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.ui import platform_check

ROOT = Path(__file__).resolve().parents[2]

# What `ldd libqxcb.so` printed on a Debian 12 machine without libxcb-icccm4 and libxcb-keysyms1.
LDD = """\
\tlinux-vdso.so.1 (0x00007ffc2a5f0000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f1)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f2)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
"""


def test_missing_libraries_are_read_from_ldd_and_named_as_debian_packages() -> None:
    assert platform_check.missing_libraries(LDD) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert [platform_check.debian_package(s) for s in
            ("libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxkbcommon-x11.so.0", "libEGL.so.1", "libdbus-1.so.3")] \
        == ["libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0", "libegl1", "libdbus-1-3"]


def test_platform_choice_follows_qt() -> None:
    assert platform_check.requested_platform(["app", "-platform", "offscreen"], {"QT_QPA_PLATFORM": "xcb"}) \
        == "offscreen"
    assert platform_check.requested_platform(["app"], {"QT_QPA_PLATFORM": "xcb:foo=1"}) == "xcb"
    assert platform_check.requested_platform(["app"], {}) == ""
    platform_check.check(["app"], {"QT_QPA_PLATFORM": "offscreen"})  # headless: nothing to check


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 start-up is a Linux matter")
def test_no_display_is_one_sentence_and_exit_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["HOME"] = str(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "explorer"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2
    assert "needs a graphical display and found none" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 start-up is a Linux matter")
def test_missing_xcb_libraries_on_this_machine_are_named(tmp_path: Path) -> None:
    missing = platform_check.missing_libraries(platform_check._ldd(platform_check._xcb_binaries()))
    if not missing:
        pytest.skip("every library Qt's xcb plugin needs is installed here")
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(DISPLAY=":97", HOME=str(tmp_path))
    proc = subprocess.run([sys.executable, "-m", "explorer"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "sudo apt install" in proc.stderr and all(m in proc.stderr for m in missing)
