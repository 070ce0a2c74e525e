"""Fixtures for the window tests: settings and caches in a temp folder, one small real model per session."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"


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


@pytest.fixture(scope="session", autouse=True)
def _english_with_plural_forms(qapp) -> None:  # type: ignore[no-untyped-def]
    """As the app starts in English: with explorer_en.qm, so "%n file(s)" reads "1 file" / "2 files"."""
    from explorer.ui import i18n

    i18n.set_language("en")
