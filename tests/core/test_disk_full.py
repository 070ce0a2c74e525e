"""A full disk while converting or saving a model: a clear message, the previous file intact, no litter.

The disk is a 256 KB tmpfs when the tests run as root and may mount one (CI does); otherwise the command
runs with RLIMIT_FSIZE, which fails writes past the limit the same way (EFBIG instead of ENOSPC).
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from gensim.models import Word2Vec

REPO = Path(__file__).resolve().parents[2]
CAPACITY = 256 << 10

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="tmpfs or RLIMIT_FSIZE (Linux)")


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A full gensim model whose every output format is several times larger than the small disk."""
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(1500)]
    sentences = [list(rng.choice(words, 20)) for _ in range(400)]
    model = Word2Vec(sentences, vector_size=64, min_count=1, hs=0, negative=3, epochs=1, workers=1, seed=1)
    path = tmp_path_factory.mktemp("src") / "src.model"
    model.save(str(path))
    return path


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[tuple[Path, bool]]:
    """(folder, is_tmpfs): a folder on a 256 KB tmpfs, or a plain folder for the RLIMIT_FSIZE fallback."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = False
    if os.geteuid() == 0:
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={CAPACITY},mode=0755", "tmpfs", str(folder)],
                           capture_output=True)
        mounted = r.returncode == 0
    try:
        yield folder, mounted
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=True)


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (CAPACITY, CAPACITY))


def _convert(src: Path, out: Path, to: str, tmpfs: bool) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "explorer.cli", "convert", str(src), str(out), "--to", to],
                          capture_output=True, text=True, timeout=120, env=env, cwd=str(REPO),
                          stdin=subprocess.DEVNULL, preexec_fn=None if tmpfs else _limit_file_size)


@pytest.mark.parametrize("to", ["bin", "txt", "gensim"])
def test_convert_onto_a_full_disk_says_so_and_keeps_the_previous_file(
        to: str, source: Path, small_disk: tuple[Path, bool]) -> None:
    folder, tmpfs = small_disk
    out = folder / f"out.{'model' if to == 'gensim' else to}"
    out.write_bytes(b"the previous output")
    r = _convert(source, out, to, tmpfs)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith("w2v: ")
    if tmpfs:
        assert "full" in r.stderr or "space" in r.stderr, r.stderr
    assert out.read_bytes() == b"the previous output"
    assert sorted(p.name for p in folder.iterdir()) == [out.name], "nothing half-written is left behind"


def test_convert_that_fits_still_works_there(source: Path, small_disk: tuple[Path, bool], tmp_path: Path) -> None:
    """The same small disk takes a model that fits: the failures above are about space, not the place."""
    from explorer.core.io import open_model, save_model

    folder, tmpfs = small_disk
    tiny = Word2Vec([["a", "b", "c"]] * 5, vector_size=4, min_count=1, epochs=1, workers=1, seed=1)
    src = tmp_path / "tiny.model"
    tiny.save(str(src))
    r = _convert(src, folder / "tiny.bin", "bin", tmpfs)
    assert r.returncode == 0, r.stderr
    back = open_model(folder / "tiny.bin", use_cache=False)
    assert back.wv.index_to_key == tiny.wv.index_to_key
    np.testing.assert_array_equal(back.wv.vectors, tiny.wv.vectors)
    assert save_model is not None
