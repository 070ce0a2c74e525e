"""Analogy evaluation at the seed model's scale (352,196 words x 256 dims): `w2v evaluate` in a fresh process,
opening included, beside gensim's in-process ``evaluate_word_analogies`` on the same set, in one run.

    .venv/bin/python bench/bench_evaluate.py [--runs 2] [--gensim-questions 0] [--synthetic 0]

The set is the bundled CA-translated file (953 questions, all known to the seed-scale vocabulary, whose words
come from jieba's dictionary). ``--synthetic N`` also times N generated questions over the 30,000 most frequent
words (CA8-morphological has 10,177), gensim on a sample of ``--gensim-questions`` (default 300) and scaled.
Ours: wall time of the whole process (interpreter start, imports, opening the .bin, evaluating, printing JSON),
with the reopen cache empty (first open of the file) and warm (any later open). gensim: the file is loaded
first (not timed), then ``evaluate_word_analogies(restrict_vocab=len(kv), case_insensitive=False)`` is timed
(its norms included). Prints the ratio ours / gensim (target <= 0.1) and checks every total is the same.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.make_seed_scale import DIMS, VOCAB, build  # noqa: E402

OUT = ROOT / "bench" / "out"
CACHE = OUT / "evaluate_cache"
SET = ROOT / "resources" / "eval" / "ca_translated.txt"

# Until the CLI has `evaluate`, the same work from a script: import, open, evaluate, print JSON.
CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from explorer.core import open_model
from explorer.core.analysis import benchmarks, evaluation
t1 = time.perf_counter()
model = open_model(sys.argv[1])
t2 = time.perf_counter()
r = evaluation.evaluate_analogies(model, benchmarks.read_analogy_set(sys.argv[2]))
t3 = time.perf_counter()
print(json.dumps({"analogy": [{"file": sys.argv[2], "method": r.method, "total": r.total, "correct": r.correct,
                  "skipped": r.skipped, "accuracy": r.accuracy,
                  "sections": [{"name": s.name, "total": s.total, "correct": s.correct} for s in r.sections]}],
                  "similarity": [], "timing": {"imports": t1 - t0, "open": t2 - t1, "evaluate": t3 - t2}}))
"""


def ours(model: Path, questions: Path, script: bool = False) -> tuple[float, dict]:
    """Wall seconds of `w2v evaluate` in a fresh process (or of CHILD with ``script``), and its JSON
    (with "cpu": the child's user + system CPU seconds)."""
    env = dict(os.environ, W2V_EXPLORER_CACHE=str(CACHE), PYTHONPATH=str(ROOT))
    if (ROOT / "explorer" / "cli" / "evaluate.py").exists() and not script:
        cmd = [sys.executable, "-m", "explorer.cli", "evaluate", str(model), "--analogy", str(questions), "--json"]
    else:
        cmd = [sys.executable, "-c", CHILD, str(model), str(questions)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    data = json.loads(out.stdout)
    data["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, data


def gensim_time(kv: object, questions: Path) -> tuple[float, float, list[dict]]:
    kv.norms = None  # type: ignore[attr-defined]  # gensim computes them inside the evaluation, as for a user
    t0, c0 = time.perf_counter(), time.process_time()
    _, sections = kv.evaluate_word_analogies(str(questions), restrict_vocab=len(kv),  # type: ignore[attr-defined]
                                             case_insensitive=False)
    return time.perf_counter() - t0, time.process_time() - c0, sections


def synthetic(words: list[str], count: int, path: Path, seed: int = 3) -> Path:
    rng = random.Random(seed)
    lines = []
    for i in range(count):
        if i % 500 == 0:
            lines.append(f": synthetic-{i // 500}")
        lines.append(" ".join(rng.sample(words, 4)))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def same_totals(mine: dict, theirs: list[dict]) -> bool:
    result = mine["analogy"][0]
    pairs = [(s["total"], s["correct"]) for s in result["sections"]]
    ref = [(len(s["correct"]) + len(s["incorrect"]), len(s["correct"])) for s in theirs[:-1]]
    return pairs == ref


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=2, help="warm runs of ours (best is reported)")
    ap.add_argument("--synthetic", type=int, default=0, help="also time this many generated questions")
    ap.add_argument("--gensim-questions", type=int, default=300, help="gensim's sample for the synthetic set")
    ap.add_argument("--format", choices=("bin", "kv"), default="bin", help="which seed-scale file `w2v` opens")
    args = ap.parse_args()
    files = build(kinds=("bin", args.format))
    model = files[args.format]
    OUT.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    say(f"seed-scale model {VOCAB:,} x {DIMS} ({model.name}); cpu count {os.cpu_count()}, "
        f"load average {os.getloadavg()[0]:.1f}")
    from gensim.models import KeyedVectors

    kv = KeyedVectors.load_word2vec_format(str(files["bin"]), binary=True)
    cases = [("CA-translated (953 questions)", SET, None)]
    if args.synthetic:
        path = synthetic(kv.index_to_key[:30000], args.synthetic, OUT / "synthetic_questions.txt")
        sample = synthetic(kv.index_to_key[:30000], args.gensim_questions, OUT / "synthetic_sample.txt")
        cases.append((f"synthetic ({args.synthetic:,} questions)", path, sample))
    for name, questions, sample in cases:
        shutil.rmtree(CACHE, ignore_errors=True)
        cold, result = ours(model, questions)
        warm_runs = [ours(model, questions) for _ in range(args.runs)]
        warm, warm_result = min(warm_runs, key=lambda r: r[0])
        _, split = ours(model, questions, script=True)
        if sample is None:
            g, g_cpu, sections = gensim_time(kv, questions)
            same = "yes" if same_totals(warm_result, sections) else "NO"
            g_label = f"{g:.1f} s"
        else:
            gs, gs_cpu, _ = gensim_time(kv, sample)
            g = gs * args.synthetic / args.gensim_questions
            g_cpu = gs_cpu * args.synthetic / args.gensim_questions
            same, g_label = "-", f"{g:.1f} s (timed on {args.gensim_questions}, scaled)"
        r = warm_result["analogy"][0]
        say(f"\n{name}: total {r['total']}, correct {r['correct']}, skipped {r['skipped']}")
        say(f"  gensim evaluate_word_analogies, in process: {g_label}")
        timing = split["timing"]
        say(f"  ours, fresh process, warm reopen cache: {warm:.2f} s   ratio {warm / g:.3f}  (target <= 0.1)")
        say(f"    the same work as a script, split: imports {timing['imports']:.2f} s, open {timing['open']:.2f} s, "
            f"evaluate {timing['evaluate']:.2f} s")
        say(f"    CPU seconds (all threads): ours {warm_result['cpu']:.1f}, gensim {g_cpu:.1f}, "
            f"ratio {warm_result['cpu'] / g_cpu:.3f} (less sensitive to other jobs on the machine)")
        say(f"  ours, fresh process, first open of the file: {cold:.2f} s   ratio {cold / g:.3f}")
        say(f"  same totals per section as gensim: {same}")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (OUT / f"bench_evaluate-{stamp}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
