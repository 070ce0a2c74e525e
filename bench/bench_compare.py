"""Model comparison at the seed model's scale: `w2v compare A B` on two 352,196 x 256 models, in a fresh process.

    .venv/bin/python bench/bench_compare.py [--frequent 20000] [-k 10]

A is the seed-scale .bin (bench/make_seed_scale.py); B is A rotated by a random orthogonal matrix, with a
little noise and 20 words' vectors swapped, saved once as bench/out/seed_scale/seed_scale_rotated.bin. Prints
the wall time of the whole command (interpreter start, opening both models, alignment over every shared word,
neighbour overlap for the --frequent most frequent words) and whether the 20 swapped words lead the list.
There is no gensim counterpart to compare with; the target is 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.make_seed_scale import build  # noqa: E402

OUT = ROOT / "bench" / "out"


def rotated(a: Path) -> tuple[Path, list[str]]:
    from gensim.models import KeyedVectors

    target = a.with_name("seed_scale_rotated.bin")
    swapped_file = a.with_name("seed_scale_rotated.swapped.json")
    if target.exists() and swapped_file.exists():
        return target, json.loads(swapped_file.read_text(encoding="utf-8"))
    kv = KeyedVectors.load_word2vec_format(str(a), binary=True)
    rng = np.random.default_rng(11)
    q, _ = np.linalg.qr(rng.standard_normal((kv.vector_size, kv.vector_size)))
    vectors = (kv.vectors @ q.astype(np.float32)).astype(np.float32)
    vectors += 0.002 * rng.standard_normal(vectors.shape, dtype=np.float32)
    picked = rng.choice(np.arange(100, 10_000), size=20, replace=False)
    for i in range(0, 20, 2):
        vectors[[picked[i], picked[i + 1]]] = vectors[[picked[i + 1], picked[i]]]
    out = KeyedVectors(kv.vector_size)
    out.add_vectors(kv.index_to_key, vectors)
    out.save_word2vec_format(str(target), binary=True)
    swapped = [kv.index_to_key[i] for i in picked]
    swapped_file.write_text(json.dumps(swapped, ensure_ascii=False), encoding="utf-8")
    return target, swapped


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frequent", type=int, default=20_000)
    ap.add_argument("-k", type=int, default=10)
    args = ap.parse_args()
    a = build(kinds=("bin",))["bin"]
    b, swapped = rotated(a)
    env = dict(os.environ, W2V_EXPLORER_CACHE=str(OUT / "compare_cache"), PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "explorer.cli", "compare", str(a), str(b), "--top", "20", "-k", str(args.k),
           "--frequent", str(args.frequent), "--json"]
    subprocess.run(cmd, capture_output=True, env=env, cwd=ROOT, check=True)  # first open writes the reopen cache
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    elapsed = time.perf_counter() - t0
    data = json.loads(done.stdout)
    found = len(set(swapped) & {r["word"] for r in data["most_changed"]})
    lines = [
        f"seed-scale compare: {data['shared']:,} shared words, k={args.k}, overlap for the {args.frequent:,} most "
        f"frequent; cpu count {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}",
        f"  w2v compare, fresh process, reopen cache warm: {elapsed:.1f} s (target <= 60 s)",
        f"  residual {data['residual']:.4f}; swapped words among the 20 most changed: {found} of 20",
    ]
    print("\n".join(lines))
    (OUT / f"bench_compare-{time.strftime('%Y%m%d-%H%M%S')}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
