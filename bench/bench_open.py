"""Time to first answer and peak memory of opening a seed-scale model: ours beside gensim 4.

Every measurement runs in a fresh Python process (imports excluded from the time, included in the
memory baseline, which is printed too). Ours and gensim's alternate, best of N, because the machine is
shared. "First answer" = open, then one word's vector and one similarity.

    .venv/bin/python bench/bench_open.py [--runs 3] [--skip-gensim-text]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.make_seed_scale import DIMS, VOCAB, build

CACHE = HERE / "out" / "bench_open_cache"
MATRIX_MB = VOCAB * DIMS * 4 / 2**20

CHILD = r"""
import time
t_start = time.perf_counter()
import hashlib, json, sys, os
def status(key):
    for line in open('/proc/self/status'):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
who, kind, path = sys.argv[1], sys.argv[2], sys.argv[3]
if who == 'ours':
    from explorer.core.io import open_model
    from explorer.core.io import reopen_cache
else:
    from gensim.models import KeyedVectors
import numpy as np
base = status('VmRSS')
t0 = time.perf_counter()
c0 = time.process_time()
if who == 'ours':
    m = open_model(path, use_cache=(kind != 'nocache'))
    wv = m.wv
    from_cache = m.info.from_cache
elif kind == 'kv':
    wv = KeyedVectors.load(path, mmap='r'); from_cache = False
else:
    wv = KeyedVectors.load_word2vec_format(path, binary=(kind == 'bin')); from_cache = False
w = wv.index_to_key[1000]
v = wv[w]
s = float(wv.similarity(w, wv.index_to_key[5]))
t = time.perf_counter() - t0
cpu = time.process_time() - c0
peak = status('VmHWM')
digest = hashlib.sha1(np.ascontiguousarray(wv.vectors).data).hexdigest()[:12]
words = hashlib.sha1('\\n'.join(wv.index_to_key).encode()).hexdigest()[:12]
import resource
workers = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({'time': t, 'cpu': cpu + workers.ru_utime + workers.ru_stime, 'imports': t0 - t_start,
                  'workers_peak_mb': workers.ru_maxrss / 1024, 'peak_mb': peak, 'base_mb': base,
                  'from_cache': from_cache, 'n': len(wv), 'digest': digest + words}))
sys.stdout.flush()
if who == 'ours':
    reopen_cache.wait_for_cache_writes()
"""


def run(who: str, kind: str, path: Path) -> dict[str, float]:
    env = dict(os.environ, W2V_EXPLORER_CACHE=str(CACHE), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", CHILD, who, kind, str(path)], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=False)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def best(results: list[dict[str, float]]) -> dict[str, float]:
    b = min(results, key=lambda r: r["time"])
    return dict(b, peak_mb=min(r["peak_mb"] for r in results), cpu=min(r["cpu"] for r in results),
                imports=min(r["imports"] for r in results))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-gensim-text", action="store_true", help="gensim's text load takes ~80 s")
    ap.add_argument("--cases", default="bin,txt,kv,reopen", help="comma-separated subset of bin,txt,kv,reopen")
    args = ap.parse_args()
    paths = build()
    rows: list[tuple[str, dict[str, float], dict[str, float] | None, float | None]] = []
    lines: list[str] = []

    def say(s: str) -> None:
        print(s, flush=True)
        lines.append(s)

    say(f"seed-scale model: {VOCAB:,} words x {DIMS} dims, matrix {MATRIX_MB:.0f} MB; "
        f"cpu count {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    startup = time.perf_counter() - t0

    def cold(kind: str, path: Path) -> dict[str, float]:
        shutil.rmtree(CACHE, ignore_errors=True)
        return run("ours", kind, path)

    cases = set(args.cases.split(","))
    gen_kv: list[dict[str, float]] = []

    # .bin: ours cold (empty cache) vs gensim load_word2vec_format(binary=True), interleaved
    if "bin" in cases:
        ours_bin, gen_bin = [], []
        for _ in range(args.runs):
            ours_bin.append(cold("bin", paths["bin"]))
            gen_bin.append(run("gensim", "bin", paths["bin"]))
        rows.append((".bin open", best(ours_bin), best(gen_bin), 1 / 4))

    # .txt: gensim once (it takes minutes)
    if "txt" in cases:
        ours_txt = [cold("txt", paths["txt"]) for _ in range(max(1, args.runs - 1))]
        gen_txt = None if args.skip_gensim_text else run("gensim", "txt", paths["txt"])
        rows.append((".txt open", best(ours_txt), gen_txt, 1 / 12))

    # native KeyedVectors with mmap: ours without the cache vs gensim's load(mmap='r')
    if "kv" in cases:
        ours_kv = []
        for _ in range(args.runs):
            ours_kv.append(run("ours", "nocache", paths["kv"]))
            gen_kv.append(run("gensim", "kv", paths["kv"]))
        rows.append((".kv (mmap) open", best(ours_kv), best(gen_kv), None))

    # reopen through the cache (the first open writes it), every format, beside gensim's mmap open
    if "reopen" in cases:
        for kind in ("bin", "txt", "kv"):
            shutil.rmtree(CACHE, ignore_errors=True)
            run("ours", kind, paths[kind])  # first open writes the cache
            ours_re = []
            for _ in range(args.runs):
                ours_re.append(run("ours", kind, paths[kind]))
                gen_kv.append(run("gensim", "kv", paths["kv"]))
                assert ours_re[-1]["from_cache"], kind
            rows.append((f"reopen {kind} (cache)", best(ours_re), best(gen_kv), None))

    say("")
    say(f"{'case':<19} {'ours s':>7} {'gensim s':>8} {'ratio':>6} {'target':>8} {'ours cpu':>8} {'gen cpu':>8} "
        f"{'cpu ratio':>9} {'ours+imp':>8} {'gen+imp':>8} {'peak MB':>7} {'gen peak':>8} {'above base':>10} "
        f"{'/matrix':>7} {'same':>5}")
    for name, ours, gen, target in rows:
        nan = float("nan")
        ratio = ours["time"] / gen["time"] if gen else nan
        cpu_ratio = ours["cpu"] / gen["cpu"] if gen else nan
        tgt = f"<= {target:.3f}" if target else ("<= 0.3 s" if name.startswith("reopen") else "")
        same = "-" if not gen else ("yes" if gen["digest"] == ours["digest"] else "NO")
        above = ours["peak_mb"] - ours["base_mb"]
        say(f"{name:<19} {ours['time']:>7.3f} {gen['time'] if gen else nan:>8.3f} {ratio:>6.3f} {tgt:>8} "
            f"{ours['cpu']:>8.3f} {gen['cpu'] if gen else nan:>8.3f} {cpu_ratio:>9.3f} "
            f"{ours['time'] + ours['imports']:>8.3f} {gen['time'] + gen['imports'] if gen else nan:>8.3f} "
            f"{ours['peak_mb']:>7.0f} {gen['peak_mb'] if gen else nan:>8.0f} {above:>10.0f} "
            f"{above / MATRIX_MB:>7.2f} {same:>5}")
    for name, ours, _, _ in rows:
        if ours.get("workers_peak_mb"):
            say(f"{name}: the largest worker process peaked at {ours['workers_peak_mb']:.0f} MB RSS "
                "(its own numpy, one block of text and its parsed rows; the matrix itself is in this process).")
    say("")
    say("s = wall seconds from open to the first answer (open, one word's vector, one similarity), imports "
        "excluded; best of the runs. ratio = ours / gensim. cpu = CPU seconds of the process (all threads) and "
        "of its worker processes for the same span: less sensitive to other jobs on the machine. +imp = the "
        "same plus importing the loader "
        f"(ours: explorer.core.io, which imports gensim; gensim: gensim.models), without the ~"
        f"{startup:.2f} s interpreter start. Reopen rows compare with gensim's fastest open (native "
        "KeyedVectors, mmap='r'). peak = VmHWM of the whole process; above base = peak minus RSS after imports "
        f"(~{rows[0][1]['base_mb']:.0f} MB), /matrix = that over the {MATRIX_MB:.0f} MB matrix (target <= 1.2). "
        "same = ours and gensim's word lists and vectors are identical (sha1).")
    say(f"load average at the end: {os.getloadavg()[0]:.1f}")
    out = HERE / "out" / "bench_open.txt"
    out.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
