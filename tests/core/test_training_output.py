"""Where the model goes: never over an input, refused at once when unwritable or too small, never half-written."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from gensim.models import Word2Vec

from explorer.core.errors import ExplorerError, OutputNotWritable, TrainingError
from explorer.core.fsutil import TEMP_MARK
from explorer.core.tasks import Stage, StageKind
from explorer.core.training import TrainConfig, train

DATA = Path(__file__).resolve().parents[1] / "data"
PD = DATA / "pd199801_seg_head1200.txt"
REVIEWS = DATA / "shopping_reviews_seg_800.txt"
SMALL = TrainConfig(sg=True, hs=True, negative=0, vector_size=16, window=5, min_count=3, sample=1e-3,
                    epochs=2, workers=2)


@contextlib.contextmanager
def tmpfs(folder: Path, size: str, read_only: bool = False) -> Iterator[Path]:
    """A real small (or read-only) file system; skips where mounting is not allowed (not root, no Linux)."""
    folder.mkdir(parents=True, exist_ok=True)
    if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs Linux and root")
    options = f"size={size}" + (",ro" if read_only else "")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True).returncode:
        pytest.skip("this machine does not allow mounting a tmpfs")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def stages_of(corpus: Path, output: Path, **kw: object) -> tuple[list[str], ExplorerError]:
    """Train, expecting OutputNotWritable; return the stages that ran before it (none = refused up front)."""
    seen: list[str] = []
    with pytest.raises(OutputNotWritable) as err:
        train(corpus, SMALL, output, report=lambda d, t, s: seen.append(s), **kw)  # type: ignore[arg-type]
    return seen, err.value


def test_the_corpus_itself_is_refused_as_output(tmp_path: Path) -> None:
    corpus = tmp_path / "c.txt"
    shutil.copy(PD, corpus)
    before = corpus.read_bytes()
    seen, err = stages_of(corpus, corpus)
    assert "one of the files being read" in str(err) and seen == []
    os.link(corpus, tmp_path / "hard.txt")
    (tmp_path / "soft.txt").symlink_to(corpus)
    for alias in ("hard.txt", "soft.txt"):
        stages_of(corpus, tmp_path / alias)
    assert corpus.read_bytes() == before


def test_a_source_file_of_a_segmented_corpus_is_refused(tmp_path: Path) -> None:
    from explorer.core.corpus import SegmentOptions, segment_corpus

    raw = tmp_path / "texts" / "a.txt"
    raw.parent.mkdir()
    shutil.copy(DATA / "sanguo_yanyi_head80.txt", raw)
    before = raw.read_bytes()
    corpus = segment_corpus([raw.parent], SegmentOptions())
    with pytest.raises(OutputNotWritable, match="one of the files being read"):
        train(corpus, SMALL, raw)
    assert raw.read_bytes() == before


def test_a_folder_or_a_path_through_a_file_is_refused_up_front(tmp_path: Path) -> None:
    seen, err = stages_of(PD, tmp_path)
    assert "is a folder" in str(err) and seen == []
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    seen, err = stages_of(PD, tmp_path / "file.txt" / "m.model")
    assert "is not a folder" in str(err) and seen == []


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux's /sys (not writable even by root)")
def test_a_folder_without_write_permission_is_refused_up_front() -> None:
    seen, err = stages_of(PD, Path("/sys/kernel/m.model"))
    # "no permission", or "read-only file system" where /sys is mounted read-only: either way, said up front.
    assert "/sys/kernel" in str(err) and seen == []


def test_a_read_only_disk_is_refused_up_front(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "1m", read_only=True) as ro:
        seen, err = stages_of(PD, ro / "m.model")
        assert "read-only file system" in str(err) and seen == []


def test_a_disk_too_small_for_the_model_is_refused_before_training(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "small", "256k") as small:
        seen, err = stages_of(PD, small / "m.model")
        assert "needs about" in str(err) and "free" in str(err)
        assert not any(Stage.of(s).kind is StageKind.EPOCH for s in seen) and list(small.iterdir()) == []


def test_a_disk_filling_up_during_training_keeps_the_previous_model(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", "8m") as disk:
        out = disk / "m.model"
        out.write_bytes(b"the previous model")

        def fill(_stats: object) -> None:  # another program takes the rest of the disk
            with contextlib.suppress(OSError), open(disk / "filler", "wb") as fh:
                while True:
                    fh.write(b"\0" * (1 << 16))

        with pytest.raises(TrainingError, match="is full") as err:
            train(PD, SMALL, out, on_epoch=fill)
        assert "Free some disk space" in str(err.value)
        assert out.read_bytes() == b"the previous model"
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "m.model"]  # no half-written temporary


def test_continuing_a_model_into_its_own_file_is_allowed(tmp_path: Path) -> None:
    """The base is read whole first, and replaced in one rename only by a complete model."""
    model = tmp_path / "m.model"
    train(PD, SMALL, model)
    n_before = len(Word2Vec.load(str(model)).wv)
    result = train(REVIEWS, SMALL, model, base=model)
    assert result.new_words > 0 and len(Word2Vec.load(str(model)).wv) == n_before + result.new_words


def test_temporaries_of_killed_runs_are_removed_by_the_next_run(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)  # a process that has ended
    out, ckpt = tmp_path / "m.model", tmp_path / "ckpt"
    ckpt.mkdir()
    litter = [tmp_path / f".m.model{TEMP_MARK}{pid}-x1y2.model", ckpt / f".state.json{TEMP_MARK}{pid}-a.json",
              ckpt / f".model-after-epoch-1.npz{TEMP_MARK}{pid}-b.npz", ckpt / "model-after-epoch-7.npz"]
    for path in litter:
        path.write_bytes(b"left by a killed run")
    ours = tmp_path / f".other{TEMP_MARK}{os.getpid()}-z.model"  # a live process's temporary stays
    ours.write_bytes(b"being written")
    train(PD, dataclasses.replace(SMALL, epochs=1), out, checkpoint_dir=ckpt)
    assert not any(p.exists() for p in litter) and ours.exists()
    assert Word2Vec.load(str(out)).wv.most_similar("中国", topn=3)
