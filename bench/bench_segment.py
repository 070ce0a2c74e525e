"""Segmentation throughput: explorer.core.corpus.segment_corpus against single-process jieba.cut, same run.

Rounds are interleaved (jieba, ours, jieba, ours, ...) and the best of each is kept, because the machine's
cores are shared. jieba's dictionary is loaded before the baseline is timed; our figure is end to end
(sniffing, starting and initialising the worker processes, reading, writing). Both outputs must be identical.
CPU seconds are printed too: they show the parallel overhead even when other jobs share the cores.
Also measures how long a cancel takes to stop a parallel run.

    .venv/bin/python bench/bench_segment.py [--rounds 3] [files...]
    .venv/bin/python bench/bench_segment.py --per-corpus --rounds 2     # every shared corpus, each backend
    .venv/bin/python bench/bench_segment.py --agreement tests/data/user_dict_mixed.txt  # per configuration
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
from typing import Any

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
        segment_corpus(files, SegmentOptions(segmenter="jieba"), cache_dir=cache, cancel=token, use_cache=False)
    except Cancelled:
        return time.monotonic() - cancelled_at[0]
    raise RuntimeError("finished before the cancel fired; use a bigger corpus")


def corpus_files() -> list[Path]:
    """Every plain-text corpus of the shared data (the .seg/.pos copies are the same text, the CSVs the same reviews)."""
    return sorted(p for p in DATA.glob("*/*.txt") if not p.name.endswith(".seg.txt"))


def ours_with(files: list[Path], cache: Path, segmenter: str, hmm: bool = True, user_dict: Path | None = None,
              use_cache: bool = False) -> tuple[float, Path, float, str]:
    """(wall seconds, output, CPU seconds of this process + its workers, backend used) for segment_corpus."""
    me0, kids0 = cpu_seconds()
    start = time.perf_counter()
    corpus = segment_corpus(files, SegmentOptions(remove_punctuation=False, hmm=hmm, user_dict=user_dict,
                                                  segmenter=segmenter), cache_dir=cache, use_cache=use_cache)
    wall = time.perf_counter() - start
    me1, kids1 = cpu_seconds()
    return wall, corpus.path, (me1 - me0) + (kids1 - kids0), corpus.segmenter


def fast_dat_single(files: list[Path], out: Path) -> float | None:
    """jieba-fast-dat (the other candidate) on jieba's dict.txt, one process; None when not installed."""
    try:
        import jieba
        import jieba_fast_dat
    except ImportError:
        return None
    jieba_fast_dat.setLogLevel(logging.WARNING)
    tok = jieba_fast_dat.Tokenizer(jieba.get_dict_file().name)  # its own dict.txt is another (larger) one
    tok.initialize()
    start = time.perf_counter()
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for path in sorted(files):
            with open(path, encoding="utf-8") as src:
                for line in src:
                    words = [w for w in tok.lcut(line.rstrip("\n")) if w.strip()]
                    if words:
                        f.write(" ".join(words) + "\n")
    return time.perf_counter() - start


def agreement(reference: Path, other: Path) -> tuple[float, float, float]:
    """(share of identical lines, differing tokens / tokens of the differing lines, differing tokens / all)."""
    import difflib

    ref = reference.read_text(encoding="utf-8").splitlines()
    oth = other.read_text(encoding="utf-8").splitlines()
    if len(ref) != len(oth):  # a line emptied by one side only: align the lines first
        pairs = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=ref, b=oth, autojunk=False).get_opcodes():
            pairs += list(zip(ref[i1:i2], oth[j1:j2])) + [(x, "") for x in ref[i1 + (j2 - j1):i2]]
    else:
        pairs = list(zip(ref, oth))
    same = sum(a == b for a, b in pairs)
    all_tokens = sum(len(a.split()) for a in ref) or 1
    diff_tokens = diff_line_tokens = 0
    for a, b in pairs:
        if a != b:
            ta, tb = a.split(), b.split()
            diff_line_tokens += len(ta)
            matcher = difflib.SequenceMatcher(a=ta, b=tb, autojunk=False)
            diff_tokens += len(ta) - sum(m.size for m in matcher.get_matching_blocks())
    return same / max(len(ref), 1), diff_tokens / max(diff_line_tokens, 1), diff_tokens / all_tokens


def head(path: Path, max_bytes: int, folder: Path) -> Path:
    """The file itself, or a copy of its first whole lines up to ``max_bytes`` (same name, in ``folder``)."""
    if path.stat().st_size <= max_bytes:
        return path
    out = folder / path.name
    with open(path, "rb") as src, open(out, "wb") as dst:
        size = 0
        for line in src:
            if size + len(line) > max_bytes:
                break
            dst.write(line)
            size += len(line)
    return out


def per_corpus(files: list[Path], rounds: int, say: Any, max_mb: float, combined: bool) -> None:
    """Throughput (jieba.cut 1 process vs segment_corpus with each backend) and agreement, per corpus file."""
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        samples = cache / "samples"
        samples.mkdir()
        files = [head(p, int(max_mb * 1e6), samples) for p in files] if max_mb else files
        if max_mb:
            say(f"each corpus: its first {max_mb:g} MB of lines (the whole file when smaller)")
        if combined:
            files = [*files, samples / "ALL"]
            files[-1].write_bytes(b"".join(p.read_bytes() for p in files[:-1]))
        ours_with([files[-1]], cache, "fast")  # saves jieba's state once, as a user's first run would
        say("corpus | MB | jieba.cut 1 proc MB/s | ours jieba MB/s | ours rjieba MB/s (ratio wall, ratio CPU) "
            "| jieba-fast-dat 1 proc MB/s | lines identical rjieba / fast-dat | differing tokens where not")
        for path in files:
            mb = path.stat().st_size / 1e6
            t_j, t_oj, t_of, c_j, c_of = [], [], [], [], []
            t_fd = None
            for _ in range(rounds):
                cpu0 = time.process_time()
                t_j.append(jieba_single([path], cache / "ref.txt"))
                c_j.append(time.process_time() - cpu0)
                t_oj.append(ours_with([path], cache, "jieba")[0])
                wall, out, cpu, backend = ours_with([path], cache, "fast")
                assert backend == "rjieba", backend
                t_of.append(wall)
                c_of.append(cpu)
            fast_out = cache / "fast.txt"
            fast_out.write_bytes(out.read_bytes())
            t_fd = fast_dat_single([path], cache / "fastdat.txt")
            lines_f, tok_f, _ = agreement(cache / "ref.txt", fast_out)
            lines_d, tok_d, _ = agreement(cache / "ref.txt", cache / "fastdat.txt") if t_fd else (0, 0, 0)

            def rng(ts: list[float], mb: float = mb) -> str:
                return f"{mb / max(ts):.2f}-{mb / min(ts):.2f}"

            say(f"{path.name} | {mb:.1f} | {rng(t_j)} | {rng(t_oj)} | {rng(t_of)} "
                f"({min(t_j) / min(t_of):.1f}x, {min(c_j) / min(c_of):.1f}x) | "
                f"{mb / t_fd:.2f} | {lines_f:.4%} / {lines_d:.4%} | {tok_f:.2%} / {tok_d:.2%}"
                if t_fd else f"{path.name} | {mb:.1f} | {rng(t_j)} | {rng(t_oj)} | {rng(t_of)} "
                f"({min(t_j) / min(t_of):.1f}x, {min(c_j) / min(c_of):.1f}x) | - | {lines_f:.4%} / - | {tok_f:.2%}")


def config_agreement(files: list[Path], user_dict: Path, cache: Path, say: Any) -> None:
    """Lines identical, jieba backend vs rjieba backend, per corpus, for HMM on/off x with/without user dict."""
    say(f"agreement per configuration (segment_corpus, segmenter jieba vs fast; user dictionary {user_dict.name})")
    for hmm in (True, False):
        for ud in (None, user_dict):
            worst = 1.0
            parts = []
            for path in files:
                ref = ours_with([path], cache, "jieba", hmm, ud, use_cache=True)[1]
                fast = ours_with([path], cache, "fast", hmm, ud, use_cache=True)[1]
                lines, tok, _ = agreement(ref, fast)
                worst = min(worst, lines)
                parts.append(f"{path.name} {lines:.4%}" + (f" ({tok:.2%} of their tokens)" if lines < 1 else ""))
            say(f"HMM {'on' if hmm else 'off'}, user dict {'yes' if ud else 'no'}: worst {worst:.4%} "
                f"{'>= 99.9%: fast by default' if worst >= 0.999 else '< 99.9%: jieba by default'}; "
                + "; ".join(parts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--per-corpus", action="store_true",
                        help="per shared corpus: MB/s of jieba.cut and of each backend, ratio, agreement")
    parser.add_argument("--max-mb", type=float, default=0, help="--per-corpus: time only each file's first MB")
    parser.add_argument("--combined", action="store_true", help="--per-corpus: also all the files as one corpus")
    parser.add_argument("--agreement", type=Path, metavar="USER_DICT",
                        help="line agreement jieba vs rjieba per corpus for HMM on/off x without/with USER_DICT")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "bench_segment_cache",
                        help="where --agreement keeps the segmented outputs (reused by later runs)")
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

    if args.per_corpus or args.agreement:
        files = args.files if args.files != DEFAULT_FILES else corpus_files()
        say(f"cores available: {_available_cores()}; load average before: {os.getloadavg()[0]:.2f}")
        if args.per_corpus:
            per_corpus(files, args.rounds, say, args.max_mb, args.combined)
        if args.agreement:
            config_agreement(files, args.agreement, args.cache, say)
        say(f"load average after: {os.getloadavg()[0]:.2f}")
        out_dir = Path(__file__).resolve().parent / "out"
        out_dir.mkdir(exist_ok=True)
        name = "bench_segment_per_corpus.txt" if args.per_corpus else "bench_segment_agreement.txt"
        (out_dir / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        return 0
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
