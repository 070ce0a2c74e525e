"""`w2v train` and corpus faults (issue 8): --segmented sniffs its file like any corpus, reports warn about
mixed encodings, an unwritable segmentation cache is a note, not a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from explorer.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = DATA / "corpus"


@pytest.mark.parametrize("name, says", [("binary.txt", "binary file"), ("empty.txt", "empty file"),
                                        ("sanguo_gbk.txt", "GB18030/GBK, not UTF-8"),
                                        ("shopping_neg.txt.gz", "compressed (gzip)")])
def test_segmented_refuses_a_file_that_is_not_utf8_text(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        name: str, says: str) -> None:
    out = tmp_path / "m.model"
    assert main(["train", str(CORPUS / name), "--segmented", "-o", str(out), "--quiet", "--min-count", "1"]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_segmented_refuses_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", str(CORPUS), "--segmented", "-o", str(tmp_path / "m.model"), "--quiet"]) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_train_warns_about_a_file_mixing_utf8_and_gbk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = (CORPUS / "sanguo_gbk.txt").read_bytes().decode("gbk").splitlines()
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes(b"".join((line + "\n").encode("utf-8" if i % 4 == 0 else "gbk") for i, line in enumerate(lines)))
    assert main(["train", str(mixed), "--preview", "--min-count", "1"]) == 0
    err = capsys.readouterr().err
    utf8 = len(range(0, len(lines), 4))
    assert f"WARNING: {mixed}: its lines mix encodings: {utf8:,} of {len(lines):,} lines ({utf8 / len(lines):.0%}) " \
           "are UTF-8" in err


def test_an_unwritable_cache_is_a_note_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("W2V_EXPLORER_CACHE", str(blocker / "cache"))
    text = tmp_path / "sanguo.txt"
    shutil.copy(CORPUS / "sanguo_gbk.txt", text)
    assert main(["train", str(text), "--preview", "--min-count", "1"]) == 0
    captured = capsys.readouterr()
    assert "cannot be written" in captured.err and "Traceback" not in captured.err
    fallback = Path(captured.err.split("kept in ")[1].split(" this time")[0])
    assert fallback.is_dir()
    shutil.rmtree(fallback)
