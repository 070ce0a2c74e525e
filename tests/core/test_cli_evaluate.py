"""`w2v evaluate` on a real saved model: every bundled set by default, chosen files, the --json schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gensim.models import KeyedVectors

from explorer.cli import main
from explorer.core.analysis import benchmarks
from tests.core.test_evaluation import chinese

EVAL = benchmarks.eval_folder()


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("W2V_EXPLORER_CACHE", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli_evaluate") / "pd.bin"
    chinese().wv.save_word2vec_format(str(path), binary=True)
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_schema_and_totals_match_gensim(model_file: Path, capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    ca = EVAL / "ca_translated.txt"
    ws = EVAL / "wordsim297.txt"
    code, out, _ = _run(capsys, "evaluate", str(model_file), "--analogy", str(ca), "--similarity", str(ws), "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"analogy", "similarity"}
    [analogy] = data["analogy"]
    assert set(analogy) == {"file", "method", "total", "correct", "skipped", "accuracy", "sections"}
    assert all(set(s) == {"name", "total", "correct"} for s in analogy["sections"])
    [pairs] = data["similarity"]
    assert set(pairs) == {"file", "pairs", "skipped", "spearman", "pearson"}
    kv = KeyedVectors.load_word2vec_format(str(model_file), binary=True)
    _, sections = kv.evaluate_word_analogies(str(ca), restrict_vocab=len(kv), case_insensitive=False)
    total = sections[-1]
    assert (analogy["file"], analogy["method"]) == (str(ca), "add")
    assert analogy["correct"] == len(total["correct"])
    assert analogy["total"] == len(total["correct"]) + len(total["incorrect"])
    assert analogy["total"] + analogy["skipped"] == 953
    # wordsim297 has stray spaces around some words (" 现金"): gensim agrees once they are stripped
    fixed = tmp_path / "wordsim297.fixed.txt"
    fixed.write_text("".join("\t".join(f.strip() for f in line.split("\t")) + "\n"
                             for line in ws.read_text(encoding="utf-8").splitlines()), encoding="utf-8")
    pearson, spearman, _ = kv.evaluate_word_pairs(str(fixed), restrict_vocab=len(kv), case_insensitive=False)
    assert (pairs["spearman"], pairs["pearson"]) == (pytest.approx(spearman[0], abs=1e-12),
                                                    pytest.approx(pearson[0], abs=1e-12))


def test_no_file_runs_every_bundled_set(model_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "evaluate", str(model_file), "--json", "--restrict", "3000", "--method", "mul")
    assert code == 0
    data = json.loads(out)
    bundled = benchmarks.bundled_sets()
    assert [a["file"] for a in data["analogy"]] == [s.name for s in bundled if s.kind == "analogy"]
    assert [p["file"] for p in data["similarity"]] == [s.name for s in bundled if s.kind == "similarity"]
    assert all(a["method"] == "mul" for a in data["analogy"])
    code, text, _ = _run(capsys, "evaluate", str(model_file), "--wrong", "2")
    assert code == 0 and "ca_translated.txt:" in text and "coverage" in text and "reference" in text
    assert "first 2 wrong answers" in text


@pytest.mark.parametrize("argv, message", [
    (["--analogy", "missing.txt"], "does not exist"),
    (["--analogy", str(EVAL / "wordsim240.txt")], "word-similarity file"),
    (["--restrict", "0"], "positive number"),
])
def test_bad_input_is_a_sentence_not_a_traceback(model_file: Path, capsys: pytest.CaptureFixture[str],
                                                 argv: list[str], message: str) -> None:
    code, out, err = _run(capsys, "evaluate", str(model_file), *argv)
    assert code == 2 and out == "" and message in err and "Traceback" not in err
