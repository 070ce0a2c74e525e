"""`w2v neighbours/analogy/similarity/odd/related/keywords` on real saved models: tables for people, --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.cli.output import table
from tests.core.test_query_models import trained


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("W2V_EXPLORER_CACHE", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("cli_query")
    out = {}
    for kind in ("hs", "ns"):
        path = root / f"sanguo_{kind}.model"
        trained(kind).save(str(path))
        out[kind] = path
    kv = root / "sanguo.kv"
    trained("ns").wv.save(str(kv))
    out["kv"] = kv
    return out


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_neighbours_table_and_json(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "neighbours", str(files["ns"]), "曹操", "-n", "5")
    assert code == 0
    want = trained("ns").wv.most_similar("曹操", topn=5)
    lines = out.splitlines()
    assert "曹操" in lines[0] and lines[1].split() == ["#", "word", "cosine", "freq", "rank"]
    assert [line.split()[1] for line in lines[3:]] == [w for w, _ in want]
    code, out, _ = _run(capsys, "neighbours", str(files["ns"]), "曹操", "-n", "5", "--json")
    data = json.loads(out)
    assert [(r["word"], r["score"]) for r in data["neighbours"]] == [(w, pytest.approx(s)) for w, s in want]
    assert data["neighbours"][0]["rank"] >= 1


def test_neighbours_of_a_sentence_says_what_it_used(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "neighbours", str(files["hs"]), "曹操引兵攻打徐州", "咕噜噜", "--json")
    data = json.loads(out)
    assert code == 0 and "曹操" in data["used"] and data["unknown"] == ["咕噜噜"]
    code, out, _ = _run(capsys, "neighbours", str(files["hs"]), "曹操引兵攻打徐州")
    assert "used: " in out


def test_unknown_word_is_a_clear_error(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "neighbours", str(files["ns"]), "咕噜噜")
    assert code == 2 and out == "" and "咕噜噜" in err and "Traceback" not in err
    code, _, err = _run(capsys, "similarity", str(files["ns"]), "曹操", "曹操操操")
    assert code == 2 and "Did you mean: 曹操" in err


def test_analogy_similarity_odd(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    wv = trained("ns").wv
    code, out, _ = _run(capsys, "analogy", str(files["ns"]), "刘备", "关公", "曹操", "--json", "-n", "3")
    assert [r["word"] for r in json.loads(out)["neighbours"]] == [
        w for w, _ in wv.most_similar(positive=["刘备", "曹操"], negative=["关公"], topn=3)]
    code, out, _ = _run(capsys, "analogy", str(files["ns"]), "刘备", "关公", "曹操", "--method", "mul")
    assert code == 0 and "3CosMul" in out
    code, out, _ = _run(capsys, "similarity", str(files["ns"]), "曹操", "刘备")
    assert out.strip() == f"similarity(曹操, 刘备) = {float(wv.similarity('曹操', '刘备')):.4f}"
    code, out, _ = _run(capsys, "odd", str(files["ns"]), "曹操", "刘备", "孙权", "马", "--json")
    assert json.loads(out)["odd"] == wv.doesnt_match(["曹操", "刘备", "孙权", "马"])


def test_related_and_keywords(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "related", str(files["hs"]), "曹操", "-n", "4")
    assert code == 0 and "hierarchical softmax" in out and len(out.splitlines()) == 3 + 4
    code, out, _ = _run(capsys, "related", str(files["ns"]), "曹操", "--json")
    assert json.loads(out)["method"] == "ns"
    code, out, _ = _run(capsys, "keywords", str(files["hs"]), "玄德与关、张二人引兵往徐州", "--json")
    data = json.loads(out)
    assert code == 0 and {k["word"] for k in data["keywords"]} == set(data["used"])
    code, _, err = _run(capsys, "related", str(files["kv"]), "曹操")
    assert code == 2 and "output layer" in err and "Traceback" not in err


def test_table_lines_up_wide_characters() -> None:
    text = table(["word", "score"], [("曹操", 0.5), ("ab", 0.25)], right=[False, True])
    rows = text.splitlines()
    assert rows[2] == "曹操  0.5000" and rows[3] == "ab    0.2500"
