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
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.make_seed_scale import DIMS, VOCAB, build  # noqa: E402

CACHE = HERE / "out" / "bench_open_cache"
MATRIX_MB = VOCAB * DIMS * 4 / 2**20

CHILD = r"""
import json, sys, time, os
def status(key):
    for line in open('/proc/self/status'):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
who, kind, path = sys.argv[1], sys.argv[2], sys.argv[3]
if who == 'ours':
    from explorer.core.models import open_model
    from explorer.core import textformats
else:
    from gensim.models import KeyedVectors
base = status('VmRSS')
t0 = time.perf_counter()
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
peak = status('VmHWM')
print(json.dumps({'time': t, 'peak_mb': peak, 'base_mb': base, 'from_cache': from_cache, 'n': len(wv)}))
sys.stdout.flush()
if who == 'ours':
    textformats.wait_for_cache_writes()
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
    return dict(b, peak_mb=min(r["peak_mb"] for r in results))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-gensim-text", action="store_true", help="gensim's text load takes ~80 s")
    args = ap.parse_args()
    paths = build()
    rows: list[tuple[str, dict[str, float], dict[str, float] | None, float | None]] = []
    lines: list[str] = []

    def say(s: str) -> None:
        print(s, flush=True)
        lines.append(s)

    say(f"seed-scale model: {VOCAB:,} words x {DIMS} dims, matrix {MATRIX_MB:.0f} MB; "
        f"cpu count {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}")

    def cold(kind: str, path: Path) -> dict[str, float]:
        shutil.rmtree(CACHE, ignore_errors=True)
        return run("ours", kind, path)

    # .bin: ours cold (empty cache) vs gensim load_word2vec_format(binary=True), interleaved
    ours_bin, gen_bin = [], []
    for _ in range(args.runs):
        ours_bin.append(cold("bin", paths["bin"]))
        gen_bin.append(run("gensim", "bin", paths["bin"]))
    rows.append((".bin open", best(ours_bin), best(gen_bin), 1 / 4))

    # .txt: once each (gensim takes minutes)
    ours_txt = [cold("txt", paths["txt"]) for _ in range(max(1, args.runs - 1))]
    gen_txt = None if args.skip_gensim_text else run("gensim", "txt", paths["txt"])
    rows.append((".txt open", best(ours_txt), gen_txt, 1 / 12))

    # native KeyedVectors with mmap: ours without the cache vs gensim's load(mmap='r')
    ours_kv, gen_kv = [], []
    for _ in range(args.runs):
        ours_kv.append(run("ours", "nocache", paths["kv"]))
        gen_kv.append(run("gensim", "kv", paths["kv"]))
    rows.append((".kv (mmap) open", best(ours_kv), best(gen_kv), None))

    # reopen through the cache: the first open above wrote it; every format
    reopen: dict[str, dict[str, float]] = {}
    for kind in ("bin", "txt", "kv"):
        shutil.rmtree(CACHE, ignore_errors=True)
        run("ours", kind, paths[kind])  # first open writes the cache
        reopen[kind] = best([run("ours", kind, paths[kind]) for _ in range(args.runs)])
        assert reopen[kind]["from_cache"], kind
    for kind in ("bin", "txt", "kv"):
        rows.append((f"reopen {kind} (cache)", reopen[kind], best(gen_kv), None))

    say("")
    say(f"{'case':<20} {'ours s':>8} {'gensim s':>9} {'ratio':>7} {'target':>8}  "
        f"{'ours peak MB':>12} {'gensim peak MB':>14} {'ours-base MB':>12} {'peak/matrix':>11}")
    for name, ours, gen, target in rows:
        ratio = ours["time"] / gen["time"] if gen else float("nan")
        tgt = f"<= {target:.3f}" if target else ("<= 0.3 s" if name.startswith("reopen") else "")
        say(f"{name:<20} {ours['time']:>8.3f} {gen['time'] if gen else float('nan'):>9.3f} {ratio:>7.3f} {tgt:>8}  "
            f"{ours['peak_mb']:>12.0f} {gen['peak_mb'] if gen else float('nan'):>14.0f} "
            f"{ours['peak_mb'] - ours['base_mb']:>12.0f} {ours['peak_mb'] / MATRIX_MB:>11.2f}")
    say("")
    say("ratio = ours / gensim (time to first answer); reopen rows compare with gensim's fastest open "
        "(native KeyedVectors, mmap='r'). peak = VmHWM of the whole process, base = RSS after imports "
        f"(Python + numpy + gensim, ~{ours_bin[0]['base_mb']:.0f} MB). Target for memory: <= 1.2 x matrix "
        f"= {1.2 * MATRIX_MB:.0f} MB.")
    out = HERE / "out" / "bench_open.txt"
    out.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
