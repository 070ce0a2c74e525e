"""Fixtures for the window tests: settings and caches in a temp folder, one small real model per session."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"


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
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def _sentences() -> list[list[str]]:
    text = (DATA / "pd199801_seg_head1200.txt").read_text(encoding="utf-8")
    return [line.split() for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A full gensim model (with output layer) and a vectors-only C .bin of the same words."""
    from gensim.models import Word2Vec

    folder = tmp_path_factory.mktemp("models")
    model = Word2Vec(_sentences(), vector_size=32, window=5, min_count=3, sg=1, negative=5, epochs=3,
                     workers=1, seed=7)
    model.save(str(folder / "people_daily.model"))
    model.wv.save_word2vec_format(str(folder / "people_daily.bin"), binary=True)
    return folder


@pytest.fixture(scope="session")
def full_model_path(model_dir: Path) -> Path:
    return model_dir / "people_daily.model"


@pytest.fixture(scope="session")
def vectors_only_path(model_dir: Path) -> Path:
    return model_dir / "people_daily.bin"
