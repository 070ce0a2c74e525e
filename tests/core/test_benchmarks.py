"""Benchmark files: the bundled sets, the formats they come in, and clear errors for the wrong file."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.core.analysis import benchmarks
from explorer.core.analysis.benchmarks import BenchmarkFileError, read_analogy_set, read_similarity_set

EVAL = benchmarks.eval_folder()


def test_bundled_sets_are_there_and_read_as_published() -> None:
    sets = {s.name: s for s in benchmarks.bundled_sets()}
    expected = {"ca_translated.txt": (3, 953), "questions-words.txt": (14, 19544)}
    for name, (sections, questions) in expected.items():
        read = read_analogy_set(sets[name].path)
        assert (len(read.sections), read.question_count, read.invalid_lines) == (sections, questions, ())
    pairs = {"wordsim240.txt": 240, "wordsim297.txt": 297, "COS960_all.txt": 960, "COS960_noun.txt": 480,
             "COS960_verb.txt": 240, "COS960_adj.txt": 240, "wordsim353.tsv": 353, "simlex999.txt": 999}
    for name, count in pairs.items():
        read = read_similarity_set(sets[name].path)
        assert (len(read.pairs), read.invalid_lines) == (count, ()), name
    assert read_analogy_set(sets["ca_translated.txt"].path).sections[0].name == "capital-common-countries"
    # every bundled file is named in the README with its source and licence
    readme = (EVAL / "README.md").read_text(encoding="utf-8")
    assert all(s.name in readme for s in sets.values() if s.path.parent == EVAL)


def test_similarity_formats(tmp_path: Path) -> None:
    path = tmp_path / "pairs.txt"
    path.write_bytes("\ufeff# header\r\n猫\t狗\t8.5\r\n 老虎 \t 狮子\t7\t额外\r\n树 木 6.0 1 2 3\r\n\r\nword1\tword2\tscore\r\n"
                     .encode("utf-8"))
    read = read_similarity_set(path)
    assert [(p.word1, p.word2, p.score, p.line) for p in read.pairs] == [
        ("猫", "狗", 8.5, 2), ("老虎", "狮子", 7.0, 3), ("树", "木", 6.0, 4)]
    assert read.invalid_lines == (6,)
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("猫\t狗\t8.5\n".encode("gbk"))
    assert read_similarity_set(gbk).pairs[0].word1 == "猫"


def test_questions_before_any_section_get_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("a b c d\n: named\ne f g h\n", encoding="utf-8")
    assert [(s.name, len(s.questions)) for s in read_analogy_set(path).sections] == [("plain.txt", 1), ("named", 1)]


@pytest.mark.parametrize("content, reader, message", [
    (b"", read_analogy_set, "has no analogy questions"),
    (b"\x00\x01binary" * 10, read_analogy_set, "is not a text file"),
    ("猫\t狗\t8.5\n".encode(), read_analogy_set, "word-similarity file"),
    (": s\na b c d\n".encode(), read_similarity_set, "analogy file"),
    (b"\xff\xfe\xfa\xfb" * 10, read_similarity_set, "neither UTF-8 nor GBK"),
])
def test_wrong_files_give_a_clear_error(tmp_path: Path, content: bytes, reader: object, message: str) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(content)
    with pytest.raises(BenchmarkFileError, match=message):
        reader(path)  # type: ignore[operator]


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(BenchmarkFileError, match="does not exist"):
        read_analogy_set(tmp_path / "nope.txt")
    with pytest.raises(BenchmarkFileError, match="is a folder"):
        read_similarity_set(tmp_path)


def test_reference_figures_cite_their_source() -> None:
    for s in benchmarks.bundled_sets():
        for ref in benchmarks.references(s.name):
            assert ref.source and ref.model and 0 < ref.value <= 1
