"""Shared test set-up: Qt offscreen, and every user folder (settings, caches, logs) in a temp folder."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session", autouse=True)
def _isolated_user_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Settings, logs and caches go to a temp folder: the tests never touch the real user folders."""
    root = tmp_path_factory.mktemp("user")
    saved = {k: os.environ.get(k) for k in ("W2V_EXPLORER_CONFIG_DIR", "W2V_EXPLORER_CACHE", "XDG_CONFIG_HOME",
                                            "XDG_CACHE_HOME")}
    os.environ["W2V_EXPLORER_CONFIG_DIR"] = str(root / "config")
    os.environ["W2V_EXPLORER_CACHE"] = str(root / "cache")
    os.environ["XDG_CONFIG_HOME"] = str(root / "xdg-config")
    os.environ["XDG_CACHE_HOME"] = str(root / "xdg-cache")
    # Qt's Documents folder (the default place for trained models) follows XDG_CONFIG_HOME/user-dirs.dirs.
    (root / "xdg-config").mkdir(exist_ok=True)
    (root / "xdg-config" / "user-dirs.dirs").write_text(f'XDG_DOCUMENTS_DIR="{root / "documents"}"\n')
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


