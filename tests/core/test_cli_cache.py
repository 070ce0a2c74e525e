"""`w2v cache list|clear|limit`."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.core import usercache


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("W2V_EXPLORER_CACHE", str(root))
    for i, key in enumerate(("old", "new")):
        d = root / "models" / key
        d.mkdir(parents=True)
        (d / "vectors.npy").write_bytes(b"\0" * 2_000_000)
        (d / "meta.json").write_text(json.dumps({"sources": [f"/m/{key}.bin"]}), "utf-8")
        t = time.time() - (2 - i) * 86400
        os.utime(d / "meta.json", (t, t))
    seg = root / "segmented"
    seg.mkdir()
    (seg / "k1.txt").write_text("甲 乙\n", "utf-8")
    (seg / "k1.json").write_text(json.dumps({"files": [{"path": "/c/三国.txt"}]}, ensure_ascii=False), "utf-8")
    ckpt = root / "checkpoints" / "run"
    ckpt.mkdir(parents=True)
    state = {"finished": False, "output": "/o/x.model", "epochs_done": 1, "config": {"epochs": 5}}
    (ckpt / usercache.CHECKPOINT_STATE).write_text(json.dumps(state), "utf-8")
    return root


def test_list_as_a_table_and_as_json(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cache", "list"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["kind", "name", "size"]
    order = [ln.split()[1] for ln in lines[2:6]]
    assert order.index("old") < order.index("new")  # least recently used first
    assert "2.0 MB" in out and "resumable" in out and "三国.txt" in out and str(cache) in out
    assert main(["cache", "list", "--json", "--kind", "models"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [e["name"] for e in data["entries"]] == ["old", "new"]
    assert data["entries"][0]["size_bytes"] >= 2_000_000 and data["folder"] == str(cache)
    assert data["total_bytes"] >= 4_000_000 and data["limit_is_default"] is True


def test_clear_by_kind_and_all(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cache", "clear", "--kind", "segmented"]) == 0
    assert "Removed 1 entry" in capsys.readouterr().out
    assert not (cache / "segmented" / "k1.txt").exists() and (cache / "models" / "old").exists()
    with usercache.hold(cache / "models" / "new"):
        assert main(["cache", "clear", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
    assert [e["name"] for e in data["removed"]] == ["old"]
    assert sorted(e["name"] for e in data["kept"]) == ["new", "run"]
    assert main(["cache", "clear", "--all"]) == 0
    assert "Removed 2 entries" in capsys.readouterr().out
    assert usercache.entries() == []


def test_limit_is_shown_set_applied_and_reset(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cache", "limit"]) == 0
    assert "(default)" in capsys.readouterr().out
    assert main(["cache", "limit", "3MB"]) == 0
    assert "3.0 MB" in capsys.readouterr().out
    assert usercache.configured_limit() == 3_000_000
    assert not (cache / "models" / "old").exists() and (cache / "models" / "new").exists()  # evicted now
    assert main(["cache", "limit", "lots"]) == 2
    assert "not a size" in capsys.readouterr().err
    assert main(["cache", "limit", "default", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["limit_is_default"] is True
