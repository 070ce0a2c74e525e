"""No pickle is read outside the restricted loader (explorer/core/io/): a pickle never runs code.

Models, checkpoints and continue-training bases are read by ``explorer.core.io`` (a restricted unpickler
that admits only the classes gensim models are made of) or stored in a format that cannot carry code
(training checkpoints are .npz of numbers read with allow_pickle=False, and JSON).
"""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "explorer"
LOADER = PACKAGE / "core" / "io"
UNSAFE = re.compile(
    r"\b(?:Word2Vec|KeyedVectors|FastText|Doc2Vec|SaveLoad|utils)\.load\b(?!_)"  # gensim's pickle loaders
    r"|\bpickle\.(?:load|loads|Unpickler)\b"
    r"|\b(?:cPickle|dill|joblib|shelve|marshal)\.load"
    r"|allow_pickle\s*=\s*True"
    r"|\bunpickle\("
)


def offending_lines() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if LOADER in path.parents:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if UNSAFE.search(line.split("#", 1)[0]):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    return found


def test_the_pattern_catches_what_it_should() -> None:
    for bad in ("m = Word2Vec.load(str(p))", "kv = KeyedVectors.load(p, mmap='r')", "x = pickle.load(f)",
                "x = pickle.loads(b)", "a = np.load(p, allow_pickle=True)", "gensim.utils.unpickle(p)",
                "u = pickle.Unpickler(f)"):
        assert UNSAFE.search(bad), bad
    for fine in ("KeyedVectors.load_word2vec_format(p)", "np.load(p, allow_pickle=False)",
                 "pickle.dumps(state)", "translator.load(qm)"):
        assert not UNSAFE.search(fine), fine


def test_no_pickle_is_read_outside_the_restricted_loader() -> None:
    assert LOADER.is_dir()
    assert offending_lines() == []
