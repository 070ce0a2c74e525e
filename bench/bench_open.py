"""Time to first answer and peak memory of opening a seed-scale model: ours beside gensim 4, in one run.

Every measurement runs in a fresh Python process. Ours and gensim's alternate, best of N, because the
machine is shared. "First answer" = open, then the top-10 neighbours of one word (ours: query.neighbours;
gensim: most_similar), and the two answers are compared.

In-process rows time the open and the first answer inside the process (imports excluded from the time,
included in the memory baseline). CLI rows time what a user waits for at a terminal: the whole process,
interpreter start and imports included, `w2v neighbours FILE WORD` against a gensim script that loads the
file and calls most_similar; cold = empty reopen cache, warm = the cache the previous run left. The
"stored index" row reopens a model whose search index a window had built (query.prepare) and reports the
first answer through the mapped index and the median of later queries.

    .venv/bin/python bench/bench_open.py [--runs 3] [--skip-gensim-text] [--cases bin,txt,kv,reopen,index,cli]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

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
    from explorer.core import query
    from explorer.core.query.int8_index import search_index
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
if who == 'ours':
    if kind == 'prepare':
        query.prepare(m)
    answer = [(r.word, r.score) for r in query.neighbours(m, w, 10).neighbours]
else:
    answer = wv.most_similar(w, topn=10)
t = time.perf_counter() - t0
cpu = time.process_time() - c0
peak = status('VmHWM')
indexed = index_s = warm_ms = None
if kind == 'indexed':
    # what the window's background task does after a reopen: the stored index, mapped, not built
    import statistics
    i0 = time.perf_counter()
    indexed = search_index(m, build=False) is not None
    index_s = time.perf_counter() - i0
    picks = [wv.index_to_key[i] for i in np.random.default_rng(5).integers(0, len(wv), 100)]
    times = []
    for p in picks:
        q0 = time.perf_counter()
        query.neighbours(m, p, 10)
        times.append(time.perf_counter() - q0)
    warm_ms = statistics.median(times) * 1e3
digest = hashlib.sha1(np.ascontiguousarray(wv.vectors).data).hexdigest()[:12]
words = hashlib.sha1('\\n'.join(wv.index_to_key).encode()).hexdigest()[:12]
import resource
workers = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({'time': t, 'cpu': cpu + workers.ru_utime + workers.ru_stime, 'imports': t0 - t_start,
                  'workers_peak_mb': workers.ru_maxrss / 1024, 'peak_mb': peak, 'base_mb': base,
                  'from_cache': from_cache, 'n': len(wv), 'digest': digest + words, 'answer': answer,
                  'indexed': indexed, 'index_s': index_s, 'warm_ms': warm_ms}))
sys.stdout.flush()
if who == 'ours':
    reopen_cache.wait_for_cache_writes()
"""


GENSIM_CLI = r"""
import json, sys
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format(sys.argv[1], binary=True)
print(json.dumps(kv.most_similar(sys.argv[2], topn=10), ensure_ascii=False))
"""


def cli(who: str, path: Path, word: str) -> dict[str, Any]:
    """Wall time of a whole fresh process answering one neighbours query, and its answer."""
    env = dict(os.environ, W2V_EXPLORER_CACHE=str(CACHE), PYTHONPATH=str(ROOT))
    if who == "ours":
        cmd = [sys.executable, "-m", "explorer.cli", "neighbours", str(path), word, "-n", "10", "--json"]
    else:
        cmd = [sys.executable, "-c", GENSIM_CLI, str(path), word]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    t = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    data = json.loads(out.stdout)
    if who == "ours":
        data = [(r["word"], r["score"]) for r in data["neighbours"]]
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return {"time": t, "cpu": cpu, "answer": [[w, s] for w, s in data]}


def wait_for_detached_cache_writer(timeout: float = 300.0) -> None:
    """`w2v` answers first and leaves its cache writes to a detached process; the row norms come last."""
    deadline = time.monotonic() + timeout
    while not list((CACHE / "models").glob("*/derived/norms")):
        if time.monotonic() > deadline:
            raise RuntimeError("the detached cache writer did not finish")
        time.sleep(0.1)


def run(who: str, kind: str, path: Path) -> dict[str, Any]:
    env = dict(os.environ, W2V_EXPLORER_CACHE=str(CACHE), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", CHILD, who, kind, str(path)], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=False)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def best(results: list[dict[str, Any]]) -> dict[str, Any]:
    b = min(results, key=lambda r: r["time"])
    return dict(b, peak_mb=min(r["peak_mb"] for r in results), cpu=min(r["cpu"] for r in results),
                imports=min(r["imports"] for r in results))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-gensim-text", action="store_true", help="gensim's text load takes ~80 s")
    ap.add_argument("--cases", default="bin,txt,kv,reopen,index,cli",
                    help="comma-separated subset of bin,txt,kv,reopen,index,cli")
    args = ap.parse_args()
    paths = build()
    rows: list[tuple[str, dict[str, Any], dict[str, Any] | None, float | None]] = []
    cli_rows: list[tuple[str, dict[str, Any], dict[str, Any], float]] = []
    index_row: dict[str, Any] | None = None
    lines: list[str] = []

    def say(s: str) -> None:
        print(s, flush=True)
        lines.append(s)

    say(f"seed-scale model: {VOCAB:,} words x {DIMS} dims, matrix {MATRIX_MB:.0f} MB; "
        f"cpu count {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    startup = time.perf_counter() - t0

    def cold(kind: str, path: Path) -> dict[str, Any]:
        shutil.rmtree(CACHE, ignore_errors=True)
        return run("ours", kind, path)

    cases = set(args.cases.split(","))
    gen_kv: list[dict[str, Any]] = []

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

    # a reopen after the window built the search index (query.prepare stores it with the cache entry)
    if "index" in cases:
        shutil.rmtree(CACHE, ignore_errors=True)
        run("ours", "bin", paths["bin"])  # writes the cache entry
        run("ours", "prepare", paths["bin"])  # builds the index and stores it beside the entry
        ours_ix = [run("ours", "indexed", paths["bin"]) for _ in range(args.runs)]
        assert all(r["indexed"] for r in ours_ix), "the stored index was not found"
        index_row = dict(best(ours_ix), warm_ms=min(r["warm_ms"] for r in ours_ix),
                         index_s=min(r["index_s"] for r in ours_ix))

    # whole processes at a terminal: `w2v neighbours` against a gensim script, cold and warm, interleaved
    if "cli" in cases:
        from bench.make_seed_scale import jieba_words

        word = jieba_words(2000)[1000]
        cold_o, warm_o, gen_c = [], [], []
        for _ in range(args.runs):
            shutil.rmtree(CACHE, ignore_errors=True)
            cold_o.append(cli("ours", paths["bin"], word))
            wait_for_detached_cache_writer()  # the next command comes seconds later at a terminal
            warm_o.append(cli("ours", paths["bin"], word))
            gen_c.append(cli("gensim", paths["bin"], word))
        g = min(gen_c, key=lambda r: r["time"])
        g = dict(g, cpu=min(r["cpu"] for r in gen_c))
        for name, runs, target in (("w2v neighbours cold", cold_o, 0.35), ("w2v neighbours warm", warm_o, 0.20)):
            cli_rows.append((name, dict(min(runs, key=lambda r: r["time"]), cpu=min(r["cpu"] for r in runs)),
                             g, target))

    say("")
    say(f"{'case':<19} {'ours s':>7} {'gensim s':>8} {'ratio':>6} {'target':>8} {'ours cpu':>8} {'gen cpu':>8} "
        f"{'cpu ratio':>9} {'ours+imp':>8} {'gen+imp':>8} {'peak MB':>7} {'gen peak':>8} {'above base':>10} "
        f"{'/matrix':>7} {'same':>5}")
    for name, ours, gen, target in rows:
        nan = float("nan")
        ratio = ours["time"] / gen["time"] if gen else nan
        cpu_ratio = ours["cpu"] / gen["cpu"] if gen else nan
        tgt = f"<= {target:.3f}" if target else ("<= 0.3 s" if name.startswith("reopen") else "")
        same = "-" if not gen else ("yes" if gen["digest"] == ours["digest"] and gen["answer"] == ours["answer"]
                                    else "NO")
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
    if index_row is not None:
        say(f"reopen bin after a window built the index: first answer {index_row['time']:.3f} s (exact scan; target "
            f"<= 0.3 s); the stored index mapped {index_row['index_s']:.3f} s later (faiss import included; "
            f"building it takes seconds); then queries median {index_row['warm_ms']:.1f} ms (target <= 12 ms)")
    if cli_rows:
        say("")
        say(f"{'whole process':<22} {'ours s':>7} {'gensim s':>8} {'ratio':>6} {'target':>8} {'ours cpu':>8} "
            f"{'gen cpu':>8} {'cpu ratio':>9} {'same':>5}")
        for name, ours, gen, target in cli_rows:
            same = "yes" if ours["answer"] == gen["answer"] else "NO"
            say(f"{name:<22} {ours['time']:>7.3f} {gen['time']:>8.3f} {ours['time'] / gen['time']:>6.3f} "
                f"{'<= ' + format(target, '.2f'):>8} {ours['cpu']:>8.3f} {gen['cpu']:>8.3f} "
                f"{ours['cpu'] / gen['cpu']:>9.3f} {same:>5}")
        say("whole process = wall seconds of a fresh `python -m explorer.cli neighbours FILE WORD -n 10 --json` "
            "(ours; cold: empty reopen cache, warm: the cache the cold run left) and of a fresh python loading the "
            "same .bin with KeyedVectors.load_word2vec_format and calling most_similar (gensim): interpreter start, "
            "imports, load, answer and exit (a cold `w2v` leaves its cache writes to a detached process and returns; "
            "the warm run starts once they are done). cpu = user + system seconds of that process (best of the runs), "
            "less sensitive to other jobs on the machine. Best of the runs, interleaved. same = the printed top-10 "
            "words and scores are identical.")
    say("")
    say("s = wall seconds from open to the first answer (open, then the top-10 neighbours of one word), imports "
        "excluded; best of the runs. ratio = ours / gensim. cpu = CPU seconds of the process (all threads) and "
        "of its worker processes for the same span: less sensitive to other jobs on the machine. +imp = the "
        "same plus importing the loader "
        f"(ours: explorer.core.io and explorer.core.query, which import gensim; gensim: gensim.models), without the ~"
        f"{startup:.2f} s interpreter start. Reopen rows compare with gensim's fastest open (native "
        "KeyedVectors, mmap='r'). peak = VmHWM of the whole process; above base = peak minus RSS after imports "
        f"(~{rows[0][1]['base_mb']:.0f} MB), /matrix = that over the {MATRIX_MB:.0f} MB matrix (target <= 1.2). "
        "same = ours and gensim's word lists and vectors are identical (sha1) and so are the first answers "
        "(words and float scores).")
    say(f"load average at the end: {os.getloadavg()[0]:.1f}")
    out = HERE / "out" / "bench_open.txt"
    out.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
