"""The user cache: listing, least-recently-used eviction under a cap, in-use and unfinished-training protection."""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from explorer.core import fsutil, usercache
from explorer.core.errors import CacheError

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
MB = 1 << 20


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("W2V_EXPLORER_CACHE", str(root))
    return root


def _age(paths: list[Path], days_ago: float) -> None:
    t = time.time() - days_ago * 86400
    for p in paths:
        os.utime(p, (t, t))


def _model(root: Path, key: str, size: int, days_ago: float) -> Path:
    d = root / "models" / key
    d.mkdir(parents=True)
    (d / "vectors.npy").write_bytes(b"\0" * size)
    (d / "meta.json").write_text(json.dumps({"sources": [f"/data/{key}.bin"]}), "utf-8")
    _age([d / "meta.json"], days_ago)
    return d


def _segmented(root: Path, key: str, size: int, days_ago: float) -> Path:
    folder = root / "segmented"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{key}.txt").write_bytes(b"a b\n" * (size // 4))
    (folder / f"{key}.json").write_text(json.dumps({"files": [{"path": f"/data/{key}.txt"}]}), "utf-8")
    _age([folder / f"{key}.json", folder / f"{key}.txt"], days_ago)
    return folder / f"{key}.txt"


def _checkpoint(root: Path, name: str, size: int, days_ago: float, finished: bool) -> Path:
    d = root / "checkpoints" / name
    d.mkdir(parents=True)
    (d / "checkpoint.model").write_bytes(b"\0" * size)
    state = {"finished": finished, "output": f"/out/{name}.model", "epochs_done": 2, "config": {"epochs": 5}}
    (d / usercache.CHECKPOINT_STATE).write_text(json.dumps(state), "utf-8")
    _age([d / usercache.CHECKPOINT_STATE], days_ago)
    return d


def _names(entries: list[usercache.CacheEntry] | tuple[usercache.CacheEntry, ...]) -> set[str]:
    return {e.name for e in entries}


def test_entries_of_every_kind_least_recently_used_first(cache: Path) -> None:
    _model(cache, "m-old", 3 * MB, days_ago=9)
    _segmented(cache, "s-mid", 2 * MB, days_ago=5)
    _checkpoint(cache, "c-new", MB, days_ago=1, finished=False)
    found = usercache.entries()
    assert [(e.kind, e.name) for e in found] == [("models", "m-old"), ("segmented", "s-mid"),
                                                 ("checkpoints", "c-new")]
    sizes = {e.name: e.size for e in found}
    assert sizes["m-old"] >= 3 * MB and sizes["s-mid"] >= 2 * MB and sizes["c-new"] >= MB
    assert "m-old.bin" in found[0].label and "s-mid.txt" in found[1].label
    assert found[2].unfinished and "epoch 2/5" in found[2].label
    assert not any(e.in_use for e in found)


def test_eviction_removes_least_recently_used_until_under_the_cap(cache: Path) -> None:
    _model(cache, "a", 4 * MB, days_ago=10)
    _segmented(cache, "b", 4 * MB, days_ago=8)
    _model(cache, "c", 4 * MB, days_ago=6)
    _checkpoint(cache, "d", 4 * MB, days_ago=4, finished=True)
    _model(cache, "e", 4 * MB, days_ago=2)
    removed = usercache.enforce_limit(limit_bytes=9 * MB)
    assert [e.name for e in removed] == ["a", "b", "c"]  # oldest first, and no more than needed
    assert _names(usercache.entries()) == {"d", "e"}
    assert not (cache / "models" / "a").exists() and not (cache / "segmented" / "b.txt").exists()
    assert not (cache / "segmented" / "b.json").exists()
    assert not [p for p in (cache / "models").iterdir() if p.name.startswith(".")]  # nothing left aside


def test_the_cap_is_a_setting_with_a_bounded_default(cache: Path) -> None:
    assert usercache.configured_limit() is None
    default = usercache.limit()
    assert 0 < default <= usercache.DEFAULT_LIMIT
    assert default <= (fsutil.free_space(cache) + 1) // 4 or default == usercache.DEFAULT_LIMIT
    usercache.set_limit(5 * MB)
    assert usercache.limit() == usercache.configured_limit() == 5 * MB
    _model(cache, "old", 4 * MB, days_ago=3)
    _model(cache, "new", 4 * MB, days_ago=1)
    assert [e.name for e in usercache.enforce_limit()] == ["old"]  # the stored cap applies
    usercache.set_limit(None)
    assert usercache.configured_limit() is None
    with pytest.raises(CacheError):
        usercache.set_limit(-1)
    assert usercache.parse_size("2.5GB") == 2_500_000_000 and usercache.parse_size("2GiB") == 2 << 30
    with pytest.raises(CacheError, match="not a size"):
        usercache.parse_size("lots")


def test_an_unwritable_cache_folder_is_a_clear_error(cache: Path) -> None:
    cache.mkdir()
    (cache / "cache-settings.json").mkdir()  # in the way of the settings file, even for root
    with pytest.raises(CacheError, match="Cannot save the cache limit"):
        usercache.set_limit(MB)


def test_entries_in_use_and_unfinished_trainings_are_never_evicted(cache: Path) -> None:
    held = _model(cache, "held", 4 * MB, days_ago=10)
    _checkpoint(cache, "resumable", 4 * MB, days_ago=9, finished=False)
    _checkpoint(cache, "done", 4 * MB, days_ago=8, finished=True)
    corpus = _segmented(cache, "kept", 4 * MB, days_ago=7)
    with usercache.hold(held / "vectors.npy"):
        assert {e.name for e in usercache.entries() if e.in_use} == {"held"}
        removed = usercache.enforce_limit(limit_bytes=0, keep=[corpus])
        assert _names(removed) == {"done"}
        result = usercache.clear()
        assert _names(result.kept) == {"held", "resumable"} and _names(result.removed) == {"kept"}
    assert not usercache.entries()[0].in_use  # released at the end of the block
    result = usercache.clear(include_unfinished=True)
    assert _names(result.removed) == {"held", "resumable"} and result.freed >= 8 * MB
    assert usercache.entries() == []


def test_clear_one_kind(cache: Path) -> None:
    _model(cache, "m", MB, days_ago=1)
    _segmented(cache, "s", MB, days_ago=1)
    result = usercache.clear(["segmented"])
    assert _names(result.removed) == {"s"} and _names(usercache.entries()) == {"m"}


def test_a_hold_by_another_process_counts_until_it_ends(cache: Path) -> None:
    entry = _model(cache, "shared", MB, days_ago=1)
    code = ("import sys; from explorer.core import usercache; lease = usercache.acquire(sys.argv[1]); "
            "print('held', flush=True); sys.stdin.readline(); lease.release()")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", code, str(entry)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env=env)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        assert usercache.entries()[0].in_use
        assert usercache.clear().removed == ()
    finally:
        proc.kill()  # killed, so its lease file stays behind: a dead process's lease must not count
        proc.wait()
    assert not usercache.entries()[0].in_use
    assert _names(usercache.clear().removed) == {"shared"}


def test_a_model_from_the_reopen_cache_is_held_while_alive(cache: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from gensim.models import KeyedVectors

    from explorer.core import open_model
    from explorer.core.io import reopen_cache

    monkeypatch.setattr(reopen_cache, "CACHE_MIN_BYTES", 0)
    kv = KeyedVectors(8)
    kv.add_vectors([f"w{i}" for i in range(50)], np.random.default_rng(0).standard_normal((50, 8)).astype(np.float32))
    src = tmp_path / "v.bin"
    kv.save_word2vec_format(str(src), binary=True)
    open_model(src)
    reopen_cache.wait_for_cache_writes()
    (entry,) = usercache.entries(["models"])
    assert not entry.in_use and entry.label == "v.bin"
    _age([entry.paths[0] / "meta.json"], 3)
    model = open_model(src)
    assert model.info.from_cache
    (entry,) = usercache.entries(["models"])
    assert entry.in_use and time.time() - entry.last_used < 3600  # touched on use
    assert usercache.clear().removed == ()
    del model
    gc.collect()
    assert _names(usercache.clear().removed) == {entry.name}


def test_a_segmented_corpus_is_an_entry(cache: Path, tmp_path: Path) -> None:
    from explorer.core.corpus import default_cache_dir, segment_corpus

    src = tmp_path / "c.txt"
    shutil.copy(DATA / "sanguo_yanyi_head80.txt", src)
    corpus = segment_corpus([src], workers=1, cache_dir=default_cache_dir())
    found = usercache.entries(["segmented"])
    texts = [e for e in found if not e.name.startswith("jieba/")]
    assert len(texts) == 1 and texts[0].size >= corpus.path.stat().st_size and "c.txt" in texts[0].label
    with usercache.hold(corpus.path):
        assert usercache.clear(["segmented"]).kept[0].name == texts[0].name
    usercache.clear(["segmented"])
    assert not corpus.path.exists()


def test_stale_temporaries_are_removed_when_the_cache_opens(cache: Path) -> None:
    dead = 2**22 + 12345  # above the default pid_max of 4,194,304: no process has it
    models, segmented, ckpt = cache / "models", cache / "segmented", cache / "checkpoints" / "run-1"
    for d in (models, segmented, ckpt):
        d.mkdir(parents=True)
    stale = [models / f".k{fsutil.TEMP_MARK}{dead}-abc", segmented / "k.x1y2.tmp",
             ckpt / f".checkpoint.part-{dead}-7.model", segmented / f".k.txt{fsutil.TEMP_MARK}{dead}-1.txt"]
    stale[0].mkdir()
    for p in stale[1:]:
        p.write_bytes(b"x")
    _age([stale[1]], 1)  # a legacy temporary without a pid: removed once old
    fresh = [segmented / "k.z9.tmp", ckpt / f".checkpoint.part-{os.getpid()}-7.model"]
    for p in fresh:
        p.write_bytes(b"x")
    usercache.entries()
    assert not [p for p in stale if os.path.lexists(p)]
    assert all(p.exists() for p in fresh)  # being written: by this process, or recently


def test_a_training_holds_its_corpus_and_checkpoint(cache: Path, tmp_path: Path) -> None:
    from explorer.core.corpus import segment_corpus
    from explorer.core.training import TrainConfig, checkpoint_dir_for, train

    src = tmp_path / "c.txt"
    shutil.copy(DATA / "sanguo_yanyi_head80.txt", src)
    corpus = segment_corpus([src], workers=1)
    config = TrainConfig(sg=True, hs=False, negative=3, vector_size=8, window=3, min_count=1, sample=0, epochs=2,
                         workers=1, seed=1)
    output = tmp_path / "m.model"
    ckpt = checkpoint_dir_for(output)
    seen: list[set[str]] = []
    train(corpus.path, config, output, checkpoint_dir=ckpt,
          on_epoch=lambda _stats: seen.append({e.name for e in usercache.entries() if e.in_use}))
    assert seen and all({corpus.path.stem, ckpt.name} <= names for names in seen)
    assert not any(e.in_use for e in usercache.entries())  # released when the training ends
    assert ckpt.parent == cache / "checkpoints"
