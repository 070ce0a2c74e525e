"""Segmentation throughput: explorer.core.corpus.segment_corpus against single-process jieba.cut, same run.

Rounds are interleaved (jieba, ours, jieba, ours, ...) and the best of each is kept, because the machine's
cores are shared. jieba's dictionary is loaded before the baseline is timed; our figure is end to end
(sniffing, starting and initialising the worker processes, reading, writing). Both outputs must be identical.
CPU seconds are printed too: they show the parallel overhead even when other jobs share the cores.
Also measures how long a cancel takes to stop a parallel run.

    .venv/bin/python bench/bench_segment.py [--rounds 3] [files...]
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explorer.core.corpus import SegmentOptions, segment_corpus  # noqa: E402
from explorer.core.fsutil import TEMP_MARK  # noqa: E402
from explorer.core.fsutil import cpu_count as _available_cores  # noqa: E402
from explorer.core.errors import Cancelled  # noqa: E402
from explorer.core.tasks import CancelToken  # noqa: E402

DATA = Path("/work/shared/data/corpora")
DEFAULT_FILES = [DATA / "people_daily_199801" / "pd199801.raw.txt", DATA / "sanguo_yanyi" / "sanguo_yanyi.txt"]


def jieba_single(files: list[Path], out: Path) -> float:
    """Plain jieba.cut, one process, line by line, whitespace tokens dropped; returns seconds."""
    import jieba

    start = time.perf_counter()
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for path in sorted(files):  # segment_corpus takes files in path order too
            with open(path, encoding="utf-8") as src:
                for line in src:
                    words = [w for w in jieba.cut(line.rstrip("\n")) if w.strip()]
                    if words:
                        f.write(" ".join(words) + "\n")
    return time.perf_counter() - start


def cpu_seconds() -> tuple[float, float]:
    """(this process, its finished child processes) user+system CPU seconds."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def ours(files: list[Path], cache: Path, workers: int | None) -> tuple[float, Path, float, float]:
    """(wall seconds, output, CPU seconds in this process, CPU seconds in the worker processes)."""
    me0, kids0 = cpu_seconds()
    start = time.perf_counter()
    corpus = segment_corpus(files, SegmentOptions(remove_punctuation=False), cache_dir=cache, workers=workers,
                            use_cache=False)
    wall = time.perf_counter() - start
    me1, kids1 = cpu_seconds()
    return wall, corpus.path, me1 - me0, kids1 - kids0


def worker_startup(cache: Path) -> float:
    """Seconds from creating the pool until both workers answer (spawn + imports + loading jieba's state)."""
    import multiprocessing

    from explorer.core.corpus import seg_cache, segment

    config = segment.SegmenterConfig(None, True, segment.drop_chars(False), frozenset(), False,
                                     seg_cache.state_file(cache, None))
    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(2, segment.init_worker, (config,)) as pool:
        pool.map(time.sleep, [0.01, 0.01], chunksize=1)
        return time.perf_counter() - start


def cancel_latency(files: list[Path], cache: Path, after: float) -> float:
    token = CancelToken()
    cancelled_at: list[float] = []

    def fire() -> None:
        time.sleep(after)
        cancelled_at.append(time.monotonic())
        token.cancel()

    threading.Thread(target=fire, daemon=True).start()
    try:
        segment_corpus(files, cache_dir=cache, cancel=token, use_cache=False)
    except Cancelled:
        return time.monotonic() - cancelled_at[0]
    raise RuntimeError("finished before the cancel fired; use a bigger corpus")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--in-process", action="store_true", help="also time ours with workers=1")
    parser.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                        help="first wait up to this long for the 1-minute load average to drop below 0.5")
    args = parser.parse_args()
    deadline = time.monotonic() + args.wait_idle
    while os.getloadavg()[0] >= 0.5 and time.monotonic() < deadline:
        time.sleep(10)

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    size = sum(p.stat().st_size for p in args.files)
    lines = []

    def say(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    say(f"corpus: {', '.join(p.name for p in args.files)} = {size / 1e6:.2f} MB; cores available: "
        f"{_available_cores()}; load average before: {os.getloadavg()[0]:.2f}")
    best_jieba = best_ours = best_one = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        baseline_out = cache / "jieba.txt"
        warm = ours([args.files[-1]], cache, 2)[0]
        say(f"first use (also saves jieba's prefix dictionary for later runs' workers): {warm:.1f} s on "
            f"{args.files[-1].name}; worker start-up afterwards: {worker_startup(cache):.2f} s")
        for i in range(args.rounds):
            cpu0 = time.process_time()
            t_jieba = jieba_single(args.files, baseline_out)
            cpu_jieba = time.process_time() - cpu0
            t_ours, ours_out, cpu_main, cpu_workers = ours(args.files, cache, None)
            best_jieba, best_ours = min(best_jieba, t_jieba), min(best_ours, t_ours)
            same = ours_out.read_bytes() == baseline_out.read_bytes()
            say(f"round {i + 1}: jieba.cut single process {size / t_jieba / 1e6:.2f} MB/s ({t_jieba:.1f} s); "
                f"segment_corpus {size / t_ours / 1e6:.2f} MB/s ({t_ours:.1f} s); ratio {t_jieba / t_ours:.2f}x; "
                f"outputs identical: {same}")
            say(f"         CPU seconds: jieba {cpu_jieba:.1f}; ours {cpu_main + cpu_workers:.1f} (this process "
                f"{cpu_main:.1f}, workers {cpu_workers:.1f}) -> expected ratio on {_available_cores()} idle cores "
                f"{min(_available_cores(), cpu_jieba / max(cpu_main, cpu_workers / _available_cores())):.2f}x")
            if not same:
                say("OUTPUTS DIFFER")
                return 1
            if args.in_process:
                t_one = ours(args.files, cache, 1)[0]
                best_one = min(best_one, t_one)
                say(f"         segment_corpus workers=1 {size / t_one / 1e6:.2f} MB/s ({t_one:.1f} s)")
        say(f"best: jieba.cut {size / best_jieba / 1e6:.2f} MB/s, segment_corpus {size / best_ours / 1e6:.2f} MB/s, "
            f"ratio {best_jieba / best_ours:.2f}x (target >= 1.7x)"
            + (f"; in-process overhead {best_one / best_jieba:.2f}x of jieba time" if args.in_process else ""))
        latency = cancel_latency(args.files, cache, after=3.0)
        leftovers = [p.name for p in cache.iterdir() if TEMP_MARK in p.name or p.suffix == ".tmp"]
        say(f"cancel 3 s into a parallel run: stopped {latency:.2f} s after the token was set (limit 2 s); "
            f"temporary files left: {len(leftovers)}")
    say(f"load average after: {os.getloadavg()[0]:.2f}")
    out_dir = Path(__file__).resolve().parent / "out"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "bench_segment.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
