"""`w2v train`: train, preview, continue with keep-fixed, resume; errors as messages."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from gensim.models import Word2Vec

from explorer.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
PD = DATA / "pd199801_seg_head1200.txt"
REVIEWS = DATA / "shopping_reviews_seg_800.txt"
SMALL = ["--min-count", "3", "--dims", "16", "--epochs", "2", "--workers", "2"]


def test_train_a_segmented_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m.model"
    assert main(["train", str(PD), "--segmented", "-o", str(out), "--quiet", *SMALL]) == 0
    model = Word2Vec.load(str(out))
    assert model.vector_size == 16 and model.negative == 5 and not model.hs  # the quick preset
    assert "saved" in capsys.readouterr().out


def test_train_json_and_seed_preset_overrides(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m.model"
    assert main(["train", str(PD), "--segmented", "-o", str(out), "--preset", "seed", "--json", *SMALL]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["epochs_done"] == 2 and len(data["epochs"]) == 2 and data["epochs"][0]["loss"] > 0
    model = Word2Vec.load(str(out))
    assert model.hs == 1 and model.negative == 0 and model.window == 10


def test_raw_text_is_segmented_first(tmp_path: Path) -> None:
    out = tmp_path / "m.model"
    raw = DATA / "sanguo_yanyi_head80.txt"
    assert main(["train", str(raw), "-o", str(out), "--quiet", *SMALL]) == 0
    assert "曹操" in Word2Vec.load(str(out)).wv.key_to_index


def test_preview(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", str(PD), "--segmented", "--preview", "--min-count", "3", "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "kept at min_count 3" in text and "sample" in text and "MiB" in text


def test_continue_keep_fixed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = tmp_path / "base.model"
    assert main(["train", str(PD), "--segmented", "-o", str(base), "--quiet", "--preset", "seed", *SMALL]) == 0
    capsys.readouterr()
    out = tmp_path / "more.model"
    assert main(["train", str(REVIEWS), "--segmented", "-o", str(out), "--continue", str(base),
                 "--keep-known-fixed", "--json", "--epochs", "2", "--min-count", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["drift"]["mean_overlap_at_10"] == 1.0 and data["new_words"] > 100
    old, new = Word2Vec.load(str(base)), Word2Vec.load(str(out))
    assert np.array_equal(new.wv.vectors[:len(old.wv)], old.wv.vectors) and len(new.wv) > len(old.wv)


def test_resume_from_cli(tmp_path: Path) -> None:
    import dataclasses

    from explorer.core.errors import Cancelled
    from explorer.core.tasks import CancelToken
    from explorer.core.training import PRESETS, train

    ckpt = tmp_path / "ckpt"
    out = tmp_path / "m.model"
    cancel = CancelToken()
    cfg = dataclasses.replace(PRESETS["quick"], min_count=3, vector_size=16, epochs=3)
    with pytest.raises(Cancelled):
        train(PD, cfg, out, cancel=cancel, checkpoint_dir=ckpt, on_epoch=lambda s: cancel.cancel())
    assert main(["train", "--resume", str(ckpt), "--quiet"]) == 0
    assert Word2Vec.load(str(out)).epochs == 3


def test_errors_are_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", str(PD), "--segmented", "--quiet"]) == 2  # no -o
    assert "-o" in capsys.readouterr().err
    assert main(["train", str(PD), "--segmented", "-o", str(tmp_path / "x"), "--keep-known-fixed"]) == 2
    assert main(["train", str(tmp_path / "missing.txt"), "--segmented", "-o", str(tmp_path / "x")]) == 2
    assert main(["train", str(PD), "--segmented", "-o", str(tmp_path / "x"), "--no-hs", "--negative", "0"]) == 2
    assert "negative" in capsys.readouterr().err


def test_the_output_cannot_be_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Refused before segmenting, whether the text is given itself, through its folder, or pre-segmented."""
    monkeypatch.setenv("W2V_EXPLORER_CACHE", str(tmp_path / "cache"))
    texts = tmp_path / "texts"
    texts.mkdir()
    raw = texts / "a.txt"
    raw.write_bytes((DATA / "sanguo_yanyi_head80.txt").read_bytes())
    seg = tmp_path / "seg.txt"
    seg.write_bytes(PD.read_bytes())
    before = {p: p.read_bytes() for p in (raw, seg)}
    for argv in ([str(seg), "--segmented", "-o", str(seg)], [str(raw), "-o", str(raw)],
                 [str(texts), "-o", str(raw)]):
        assert main(["train", *argv, "--quiet", *SMALL]) == 2, argv
        assert "one of the files being read" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in before} == before
    assert not (tmp_path / "cache" / "segmented").exists()  # nothing was segmented


def test_an_unusable_output_is_said_before_segmenting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("W2V_EXPLORER_CACHE", str(tmp_path / "cache"))
    raw = DATA / "sanguo_yanyi_head80.txt"
    assert main(["train", str(raw), "-o", str(tmp_path), "--quiet", *SMALL]) == 2
    assert "is a folder" in capsys.readouterr().err
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert main(["train", str(raw), "-o", str(tmp_path / "m.model"), "--checkpoint-dir", str(tmp_path / "file"),
                 "--quiet", *SMALL]) == 2
    assert "checkpoint folder" in capsys.readouterr().err
    assert not (tmp_path / "cache" / "segmented").exists()


def test_continuing_into_the_base_file_is_allowed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "m.model"
    assert main(["train", str(PD), "--segmented", "-o", str(model), "--quiet", *SMALL]) == 0
    n = len(Word2Vec.load(str(model)).wv)
    assert main(["train", str(REVIEWS), "--segmented", "-o", str(model), "--continue", str(model), "--quiet",
                 *SMALL]) == 0
    assert len(Word2Vec.load(str(model)).wv) > n
