"""Find files under ``resources/`` from the source tree, an installed package or a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve()


def _candidates() -> list[Path]:
    roots: list[Path] = []
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:  # PyInstaller one-folder/one-file bundle: resources/ is a data dir at the bundle root
        roots.append(Path(meipass) / "resources")
    roots.append(_HERE.parents[2] / "resources")  # source tree / editable install: <repo>/resources
    roots.append(_HERE.parents[1] / "resources")  # installed wheel with resources shipped as package data
    roots.append(Path(sys.prefix) / "share" / "w2v-explorer" / "resources")  # wheel data-files
    return roots


def resources_root() -> Path:
    """The first existing resources folder (falls back to the source-tree location)."""
    for root in _candidates():
        if root.is_dir():
            return root
    return _HERE.parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    """Path of ``resources/<parts...>``; the file may not exist (callers check)."""
    for root in _candidates():
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    return resources_root().joinpath(*parts)
