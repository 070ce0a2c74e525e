"""Cut a segmented corpus into slice files for gensim's C++ corpus_file loop (one slice per call).

Slices live in the system temp folder, never beside the user's files, and are removed when the run ends;
folders of killed runs are removed by the next run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from explorer.core.fsutil import cpu_count
from explorer.core.tasks import CancelToken, Reporter
from explorer.core.training.config import TrainConfig
from explorer.core.training.preview import estimate_words_per_second

# Report at most this often (seconds) while cutting.
REPORT_INTERVAL = 0.2


@dataclass(frozen=True)
class Slice:
    path: Path
    start: int  # corpus words before this slice
    words: int


# A slice takes one worker about this long at the estimated rate, so cancel stays well within 2 s even
# when the machine is busy (a slice costs ~1 ms of overhead, so small slices are cheap).
SLICE_SECONDS = 0.25
MIN_SLICE_WORDS = 2_000
MAX_SLICE_WORDS = 2_000_000
TAIL_SLICE_WORDS = 2_000


def slice_words(config: TrainConfig, vocab_size: int) -> int:
    """Words per slice: about SLICE_SECONDS of one worker's time at the estimated speed."""
    per_worker = estimate_words_per_second(config, vocab_size) / min(config.workers, cpu_count())
    return int(min(MAX_SLICE_WORDS, max(MIN_SLICE_WORDS, per_worker * SLICE_SECONDS)))


_SLICES_PREFIX = "w2v-slices-"


def slices_folder(corpus: Path) -> Path:
    # The system temp folder: never the user's folders; removed when the run ends, cancelled or not.
    _remove_stale_slices()
    return Path(tempfile.mkdtemp(prefix=f"{_SLICES_PREFIX}{os.getpid()}-{corpus.stem[:20]}-"))


def _remove_stale_slices() -> None:
    """Remove slice folders left by killed runs (their process is gone). POSIX only: Windows has no
    harmless way to probe a pid, and its temp cleaner handles it."""
    if os.name != "posix":
        return
    try:
        entries = list(Path(tempfile.gettempdir()).glob(_SLICES_PREFIX + "*"))
    except OSError:
        return
    for entry in entries:
        pid_text = entry.name[len(_SLICES_PREFIX):].split("-", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid():
            continue
        try:
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            pass


def write_slices(path: Path, slice_words: int, folder: Path, report: Reporter, cancel: CancelToken,
                 tokens: int = 0, workers: int = 1) -> list[Slice]:
    """Cut the corpus at line ends into files of about ``slice_words`` words, for gensim's C++ reader.

    Towards the end the slices get smaller (guided scheduling), so no thread idles long while another
    finishes the epoch's last slice.
    """
    size = max(path.stat().st_size, 1)
    slices: list[Slice] = []
    buf: list[bytes] = []
    start = words = done = 0
    last = time.monotonic()

    def flush() -> None:
        nonlocal buf, start, words
        if not words:
            return
        out = folder / f"{len(slices):06d}.txt"
        out.write_bytes(b"".join(buf))
        slices.append(Slice(out, start, words))
        start += words
        buf, words = [], 0

    report(0, size, "preparing")
    with open(path, "rb") as fh:
        for raw in fh:
            done += len(raw)
            n = len(raw.split())
            if not n:
                continue
            buf.append(raw if raw.endswith(b"\n") else raw + b"\n")
            words += n
            remaining = tokens - start - words
            if words >= slice_words or (words >= TAIL_SLICE_WORDS and words * 2 * workers >= remaining > 0):
                flush()
                now = time.monotonic()
                if now - last >= REPORT_INTERVAL:
                    last = now
                    cancel.raise_if_cancelled()
                    report(done, size, "preparing")
    flush()
    report(size, size, "preparing")
    return slices
