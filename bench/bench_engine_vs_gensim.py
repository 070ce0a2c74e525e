"""Does our training engine learn what gensim learns? Analogy, similarity and neighbour agreement, per seed.

Trains the same configuration (default: skip-gram + HS, 128 d, window 5, min_count 5, 5 epochs, one worker)
on the same segmented corpus with several seeds per engine:

  ours           explorer.core.training.train(), the sliced engine (gensim's internal corpus_file calls)
  ours-fallback  train(engine="gensim"): gensim's public Word2Vec.train(corpus_file=...) epoch by epoch,
                 the loop the app falls back to when the gensim internals check fails
  gensim         gensim alone, Word2Vec on LineSentence (iterable mode)
  gensim-cf      gensim alone, Word2Vec(corpus_file=...)

and scores every model on the shared Chinese sets (/work/shared/data/eval): CA-translated analogies
(gensim evaluate_word_analogies, accuracy on covered questions) and word-pair similarity (gensim
evaluate_word_pairs, Spearman rho on covered pairs). Also the top-10 neighbour overlap of the 1,000 most
frequent words between engines (every cross-seed pair) and within an engine (the seed floor). Each model
trains in its own process (``--jobs`` at a time). Prints tables; ``--json`` writes the figures.

    .venv/bin/python bench/bench_engine_vs_gensim.py [--corpus SEG.txt] [--seeds 3] [--seed-offset 0] [--jobs 2]
        [--engines ours,ours-fallback,gensim,gensim-cf] [--sg 1 --hs 1 --negative 0 --dim 128 --epochs 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

PD = Path("/work/shared/data/corpora/people_daily_199801/pd199801.seg.txt")
EVAL = Path("/work/shared/data/eval")
ANALOGY = EVAL / "analogy_zh" / "ca_translated.txt"
SIMILARITY = {
    "wordsim240": "wordsim240.txt", "wordsim297": "wordsim297.txt", "COS960": "COS960_all.txt",
    "pku500-2syl": "pku500_disyllabic.txt", "ws296-2syl": "wordsim296_disyllabic.txt",
}
ENGINES = ("ours", "ours-fallback", "gensim", "gensim-cf")
# Distinct seeds per engine: a word's initial vector depends only on the seed, so equal seeds across engines
# would agree more than independent runs do.
SEED_BASE = {"ours": 100, "ours-fallback": 200, "gensim": 0, "gensim-cf": 300}
TOP_WORDS = 1000


def pairs_file(name: str, folder: Path) -> Path:
    """The pair file as gensim reads it: word, word, score separated by tabs (COS960 has 18 space columns)."""
    src = EVAL / "similarity_zh" / SIMILARITY[name]
    out = folder / f"{name}.tsv"
    rows = []
    for line in src.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t") if "\t" in line else line.split()
        if len(parts) >= 3:
            rows.append("\t".join(p.strip() for p in parts[:3]))
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return out


def train_one(engine: str, seed: int, corpus: str, cfg_dict: dict[str, Any], folder: str) -> dict[str, Any]:
    """Train one model in this (worker) process, score it, and keep its vectors for the overlap."""
    import logging

    logging.disable(logging.WARNING)
    from gensim.models import Word2Vec

    from explorer.core.training import TrainConfig, train
    from tests.core.engine_reference import gensim_model

    cfg = dataclasses.replace(TrainConfig(**cfg_dict), seed=seed)
    t0 = time.perf_counter()
    if engine.startswith("ours"):
        out = Path(folder) / f"{engine}-{seed}.model"
        result = train(corpus, cfg, out, engine="gensim" if engine == "ours-fallback" else "slices")
        model = Word2Vec.load(str(out))
        loss = sum(s.loss or 0.0 for s in result.epoch_stats)
        out.unlink()
    else:
        model = gensim_model(Path(corpus), cfg, seed, mode="corpus_file" if engine == "gensim-cf" else "iterable")
        loss = sum(model.epoch_losses)  # restarted each epoch (see EpochLoss); still float32 within one
    seconds = time.perf_counter() - t0
    wv = model.wv
    analogy, sections = wv.evaluate_word_analogies(str(ANALOGY))
    covered = sum(len(s["correct"]) + len(s["incorrect"]) for s in sections if s["section"] == "Total accuracy")
    sims = {}
    for name in SIMILARITY:
        pearson, spearman, oov = wv.evaluate_word_pairs(str(Path(folder) / f"{name}.tsv"), delimiter="\t")
        sims[name] = {"rho": float(spearman.statistic if hasattr(spearman, "statistic") else spearman[0]),
                      "oov": float(oov)}
    np.save(Path(folder) / f"{engine}-{seed}.npy", _top10(wv))
    return {"engine": engine, "seed": seed, "seconds": seconds, "loss": float(loss), "vocab": len(wv),
            "analogy": float(analogy), "analogy_covered": covered, "similarity": sims,
            "words": list(wv.index_to_key[:TOP_WORDS])}


def _top10(wv: Any) -> np.ndarray:
    """Row indices of the top-10 neighbours (cosine, self excluded) of the TOP_WORDS most frequent words."""
    unit = wv.get_normed_vectors()
    n = min(TOP_WORDS, len(unit))
    sims = unit[:n] @ unit.T
    sims[np.arange(n), np.arange(n)] = -np.inf
    part = np.argpartition(-sims, 10, axis=1)[:, :10]
    return np.sort(part, axis=1)


def overlap(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean([len(set(x) & set(y)) / 10 for x, y in zip(a, b)]))


def mean_sd(values: list[float]) -> tuple[float, float]:
    return statistics.fmean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=PD)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--seed-offset", type=int, default=0, help="start the seeds further on (more runs)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--sg", type=int, default=1)
    parser.add_argument("--hs", type=int, default=1)
    parser.add_argument("--negative", type=int, default=0)
    parser.add_argument("--dim", type=int, default=128)
    parser.add_argument("--window", type=int, default=5)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    engines = [e for e in args.engines.split(",") if e]
    if not set(engines) <= set(ENGINES) or not args.corpus.is_file() or not ANALOGY.is_file():
        parser.error(f"engines must be among {ENGINES}; needs {args.corpus} and {EVAL}")
    from explorer.core.training import TrainConfig

    cfg = TrainConfig(sg=bool(args.sg), hs=bool(args.hs), negative=args.negative, vector_size=args.dim,
                      window=args.window, min_count=args.min_count, sample=1e-3, epochs=args.epochs,
                      workers=args.workers)
    import gensim

    print(f"gensim {gensim.__version__}; corpus {args.corpus} ({args.corpus.stat().st_size:,} bytes); "
          f"sg={args.sg} hs={args.hs} negative={args.negative} {args.dim} d window {args.window} "
          f"min_count {args.min_count} {args.epochs} epochs, {args.workers} worker(s); "
          f"seeds per engine {args.seeds}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-engine-") as tmp:
        folder = Path(tmp)
        for name in SIMILARITY:
            pairs_file(name, folder)
        runs = [(e, SEED_BASE[e] + args.seed_offset + i + 1) for i in range(args.seeds) for e in engines]
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            futures = [pool.submit(train_one, e, s, str(args.corpus), cfg.to_dict(), tmp) for e, s in runs]
            results = []
            for f in futures:
                r = f.result()
                results.append(r)
                print(f"  {r['engine']:<14} seed {r['seed']:>3}: {r['seconds']:6.1f} s, analogy {r['analogy']:.4f} "
                      f"({r['analogy_covered']} covered), loss {r['loss']:,.0f}, "
                      + ", ".join(f"{k} {v['rho']:.3f}" for k, v in r["similarity"].items()), flush=True)
        words = {tuple(r["words"]) for r in results}
        tops = {(r["engine"], r["seed"]): np.load(folder / f"{r['engine']}-{r['seed']}.npy") for r in results}
    same_vocab = len(words) == 1
    summary: dict[str, Any] = {"gensim": gensim.__version__, "corpus": str(args.corpus), "config": cfg.to_dict(),
                               "same_top_words": same_vocab, "runs": results, "engines": {}, "overlap": {}}
    print(f"\nsame {TOP_WORDS} most frequent words in every model: {same_vocab}")
    print(f"\n{'engine':<14} {'analogy %':>13} " + " ".join(f"{k:>13}" for k in SIMILARITY) + f" {'loss':>16}")
    for e in engines:
        mine = [r for r in results if r["engine"] == e]
        a = mean_sd([100 * r["analogy"] for r in mine])
        s = {k: mean_sd([r["similarity"][k]["rho"] for r in mine]) for k in SIMILARITY}
        loss = mean_sd([r["loss"] for r in mine])
        summary["engines"][e] = {"analogy_pct": a, "similarity": s, "loss": loss,
                                 "analogy_covered": mine[0]["analogy_covered"],
                                 "oov": {k: mine[0]["similarity"][k]["oov"] for k in SIMILARITY}}
        print(f"{e:<14} {a[0]:6.2f} ±{a[1]:5.2f} " + " ".join(f"{v[0]:6.3f} ±{v[1]:5.3f}" for v in s.values())
              + f" {loss[0]:>16,.0f}")
    print("(loss: summed per epoch. gensim adds it up in one float32 per epoch, which stops absorbing a word's "
          "loss once the sum reaches a few million, so on a large corpus its figure is far below ours and "
          "means little; tests/core/test_engine_vs_gensim.py compares the loss where gensim's is exact)")
    if results:
        r0 = results[0]
        print(f"{'covered':<14} {r0['analogy_covered']:>13} "
              + " ".join(f"{100 - r0['similarity'][k]['oov']:12.1f}%" for k in SIMILARITY))
    if same_vocab:
        print(f"\ntop-10 neighbour overlap of the {TOP_WORDS} most frequent words (mean over seed pairs)")
        for a_e, b_e in itertools.combinations_with_replacement(engines, 2):
            seeds_a = sorted(s for e, s in tops if e == a_e)
            seeds_b = sorted(s for e, s in tops if e == b_e)
            pairs = itertools.combinations(seeds_a, 2) if a_e == b_e else itertools.product(seeds_a, seeds_b)
            vals = [overlap(tops[(a_e, x)], tops[(b_e, y)]) for x, y in pairs]
            if vals:
                m, sd = mean_sd(vals)
                summary["overlap"][f"{a_e}|{b_e}"] = (m, sd, len(vals))
                print(f"  {a_e:>14} vs {b_e:<14} {m:.3f} ±{sd:.3f} ({len(vals)} pairs)")
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
