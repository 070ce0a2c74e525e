"""The segmentation pipeline: sniff the files, segment them (in worker processes when it pays), fill the cache."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterator, Sequence

from explorer.core import fsutil, usercache
from explorer.core.corpus.encoding import read_text_file
from explorer.core.corpus.fast_segment import resolve
from explorer.core.corpus.files import file_size, find_corpus_files
from explorer.core.corpus.reading import FileReader, finished_report, sniff_file
from explorer.core.corpus.records import CorpusFileReport, SegmentedCorpus, SegmentOptions
from explorer.core.corpus.seg_cache import (cache_key, default_cache_dir, load_cached, prepare_folder, state_file,
                                            store_record)
from explorer.core.corpus.segment import (BUILTIN_STOPWORDS, SegmenterConfig, drop_chars, init_worker,
                                          local_segmenter, segment_chunk)
from explorer.core.errors import CorpusError, EmptyCorpus
from explorer.core.tasks import CancelToken, Reporter, null_reporter

log = logging.getLogger(__name__)

_CHUNK_CHARS = 64 * 1024           # ~0.2 s of jieba work: fine-grained enough for progress and cancel
_PARALLEL_MIN_BYTES = 1 << 20      # below this, starting worker processes costs more than it saves
# The compiled backend segments ~10 MB per CPU second: two workers' start-up (imports, dictionary) and the
# chunks' trips between processes cost more than they save below this (9 MB: 1.1 CPU s in-process, 2.3 in a
# pool; bench/bench_segment.py). Chunks are bigger too: the same time per chunk as jieba's.
_PARALLEL_MIN_BYTES_FAST = int(os.environ.get("W2V_EXPLORER_FAST_PARALLEL_MB", "32")) << 20
_CHUNK_CHARS_FAST = 8 * _CHUNK_CHARS
_MAX_WORKERS = 8


@dataclass
class _Chunk:
    items: list[str]
    done_bytes: int  # progress once this chunk is written


def _chunks(usable: list[CorpusFileReport], csv_column: str | int | None, readers: dict[Path, FileReader],
            offset_of: dict[Path, int], chunk_chars: int = _CHUNK_CHARS) -> Iterator[_Chunk]:
    for sniffed in usable:
        assert sniffed.encoding is not None
        reader = FileReader(sniffed.path, sniffed.encoding, csv_column)
        readers[sniffed.path] = reader
        base = offset_of[sniffed.path]
        items: list[str] = []
        chars = 0
        for item in reader.items():
            items.append(item)
            chars += len(item) + 1
            if chars >= chunk_chars:
                yield _Chunk(items, base + reader.position)
                items, chars = [], 0
        if items:
            yield _Chunk(items, base + reader.position)


def segment_corpus(
    paths: Sequence[Path | str],
    options: SegmentOptions = SegmentOptions(),
    report: Reporter = null_reporter,
    cancel: CancelToken | None = None,
    cache_dir: Path | None = None,
    workers: int | None = None,
    use_cache: bool = True,
) -> SegmentedCorpus:
    """Segment every usable file under ``paths`` into one cached corpus file; reuse it when nothing changed.

    Stages reported: "reading" (sniffing encodings) then "segmenting", both in bytes of input.
    ``workers``: processes for jieba; None = one per core (in-process for small inputs or one core),
    1 = in this process. Raises EmptyCorpus when no file is usable, Cancelled when ``cancel`` is set.
    """
    files = find_corpus_files(paths)
    if not files:
        raise EmptyCorpus("No text files were found in " + ", ".join(str(p) for p in paths) + ".",
                          "Drop .txt, .csv, .tsv or .gz files, or a folder that contains them.")
    user_dict_bytes = _read_bytes(options.user_dict, "user dictionary") if options.user_dict else None
    stop_bytes = _read_bytes(options.stopwords, "stop-word list") if options.stopwords and options.remove_stopwords \
        else None
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    backend, backend_note = resolve(options.segmenter, options.hmm, user_dict_bytes is not None)
    key = cache_key(files, options, user_dict_bytes, stop_bytes, backend)
    if use_cache:
        cached = load_cached(folder, key, options)
        if cached is not None:
            total = sum(r.size_bytes for r in cached.files)
            report(total, total, "segmenting")
            return cached

    folder, note = prepare_folder(folder)
    state = state_file(folder, user_dict_bytes)
    usercache.touch(state)  # about to be used, so the cap removes it last
    config = SegmenterConfig(
        user_dict_text=read_text_file(options.user_dict) if options.user_dict else None,
        hmm=options.hmm,
        drop_chars=drop_chars(options.remove_punctuation),
        stopwords=_stopword_set(options),
        lowercase=options.lowercase,
        state_file=state,
        backend=backend,
    )
    total = sum(file_size(p) for p in files)
    if workers is None:
        cores = fsutil.cpu_count()
        least = _PARALLEL_MIN_BYTES_FAST if backend != "jieba" else _PARALLEL_MIN_BYTES
        workers = 1 if cores < 2 or total < least else min(cores, _MAX_WORKERS)
    pool = None
    try:
        if workers > 1:
            # Started first so the workers load jieba's dictionary while this process sniffs the files.
            pool = multiprocessing.get_context("spawn").Pool(workers, init_worker, (config,))
        sniffed = _sniff_all(files, report, cancel)
        usable = [r for r in sniffed if r.skipped is None]
        if not usable:
            raise EmptyCorpus(
                "None of the files can be used: " + "; ".join(f"{r.path.name} ({r.skipped})" for r in sniffed[:10])
                + ("; …" if len(sniffed) > 10 else "") + ".",
                "Drop plain-text files (UTF-8, GBK/GB18030, Big5 or UTF-16), one sentence or paragraph per line.")
        try:
            corpus = _segment_to_cache(usable, sniffed, options, config, folder, key, pool, workers, report, cancel)
        except OSError as err:  # reading problems are caught per file: this is the output
            raise CorpusError(f"The segmented corpus cannot be written to {folder}: {err.strerror or err}.",
                              "Free some disk space there, or set W2V_EXPLORER_CACHE to a folder on another disk.")
        notes = " ".join(n for n in (note, backend_note) if n)
        if notes:
            corpus = dataclasses.replace(corpus, note=notes)
        if pool is not None:
            pool.close()
            pool.join()
            pool = None
        return corpus
    finally:
        if pool is not None:
            stop_pool(pool)


def _read_bytes(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise CorpusError(f"Cannot read the {what} {path}: {err.strerror or err}.",
                          f"Choose another {what} or none.")


def _stopword_set(options: SegmentOptions) -> frozenset[str]:
    if not options.remove_stopwords:
        return frozenset()
    if options.stopwords is None:
        return BUILTIN_STOPWORDS
    return frozenset(read_text_file(options.stopwords).split())


def _sniff_all(files: list[Path], report: Reporter, cancel: CancelToken | None) -> list[CorpusFileReport]:
    total = sum(file_size(p) for p in files)
    done = 0
    out = []
    report(0, total, "reading")
    for path in files:
        if cancel is not None:
            cancel.raise_if_cancelled()
        out.append(sniff_file(path))
        done += out[-1].size_bytes
        report(done, total, "reading")
    return out


def _segment_to_cache(usable: list[CorpusFileReport], sniffed: list[CorpusFileReport], options: SegmentOptions,
                      config: SegmenterConfig, folder: Path, key: str, pool: Any, workers: int, report: Reporter,
                      cancel: CancelToken | None) -> SegmentedCorpus:
    total = sum(r.size_bytes for r in usable)
    offset_of: dict[Path, int] = {}
    offset = 0
    for r in usable:
        offset_of[r.path] = offset
        offset += r.size_bytes
    readers: dict[Path, FileReader] = {}
    sentences = tokens = 0
    target = folder / f"{key}.txt"
    tmp = fsutil.temp_path_for(target)
    try:
        with open(tmp, "wb") as out:
            report(0, total, "segmenting")
            chunks = _chunks(usable, options.csv_column, readers, offset_of,
                             _CHUNK_CHARS if config.backend == "jieba" else _CHUNK_CHARS_FAST)
            if pool is None:
                segmenter = local_segmenter(config)
                for chunk in chunks:
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    data, s, t = segmenter.segment(chunk.items)
                    out.write(data)
                    sentences += s
                    tokens += t
                    report(chunk.done_bytes, total, "segmenting")
            else:
                sentences, tokens = _run_pool(pool, workers, chunks, out, total, report, cancel)
        if cancel is not None:
            cancel.raise_if_cancelled()
        reports = tuple(finished_report(r, readers[r.path]) if r.path in readers else r for r in sniffed)
        if sentences == 0:
            raise EmptyCorpus(
                "The files contain no words to train on after segmentation.",
                "Check that they hold Chinese or other text, or turn off stop-word and punctuation removal.")
        size = tmp.stat().st_size
        fsutil.replace(tmp, target)
        store_record(folder, key, sentences, tokens, size, reports, config.backend)
        usercache.enforce_limit(keep=[target])  # the new corpus is about to be trained on: never evicted here
        report(total, total, "segmenting")
        return SegmentedCorpus(target, sentences, tokens, size, reports, False, options, segmenter=config.backend)
    finally:
        fsutil.remove_quietly(tmp)


def _run_pool(pool: Any, workers: int, chunks: Iterator[_Chunk], out: IO[bytes], total: int, report: Reporter,
              cancel: CancelToken | None) -> tuple[int, int]:
    """Feed chunks to the pool (a bounded window in flight), write results in input order."""
    window = 3 * workers  # enough queued work that no worker idles while we write
    pending: deque[tuple[Any, int]] = deque()
    sentences = tokens = 0
    last_report = time.monotonic()
    done = 0

    def write_oldest() -> None:
        nonlocal sentences, tokens, last_report, done
        result, done_bytes = pending[0]
        while not result.ready():
            result.wait(0.1)
            if cancel is not None:
                cancel.raise_if_cancelled()  # the caller terminates the pool
            if time.monotonic() - last_report >= 0.5:
                last_report = time.monotonic()
                report(done, total, "segmenting")
        pending.popleft()
        try:
            data, s, t = result.get()
        except RuntimeError as err:
            raise CorpusError(f"Segmentation failed in a worker process: {err}.",
                              "Try again with one worker (workers=1); if it persists, reinstall the program.")
        out.write(data)
        sentences += s
        tokens += t
        done = done_bytes
        last_report = time.monotonic()
        report(done, total, "segmenting")

    for chunk in chunks:
        if cancel is not None:
            cancel.raise_if_cancelled()
        while len(pending) >= window:
            write_oldest()
        pending.append((pool.apply_async(segment_chunk, (chunk.items,)), chunk.done_bytes))
    while pending:
        write_oldest()
    return sentences, tokens


def stop_pool(pool: Any, timeout: float = 10.0) -> None:
    """Terminate ``pool`` without the hang CPython's Pool.terminate can fall into.

    Pool.terminate joins the thread that feeds tasks to the workers; when that thread is blocked writing a
    large task into a pipe whose readers were just terminated, the join never returns (seen under load on a
    cancelled segmentation). So terminate runs in a helper thread; if it has not finished in ``timeout``
    seconds, the workers are killed and the parent's read end of the task pipe is closed, which makes the
    blocked write fail and lets terminate finish.
    """
    stopper = threading.Thread(target=_terminate_and_join, args=(pool,), name="stop-segmentation-pool",
                               daemon=True)
    stopper.start()
    stopper.join(timeout)
    if not stopper.is_alive():
        return
    log.warning("segmentation workers did not stop within %.0f s; closing their task pipe", timeout)
    for process in list(getattr(pool, "_pool", [])):
        with contextlib.suppress(OSError, ValueError):
            process.kill()
    reader = getattr(getattr(pool, "_inqueue", None), "_reader", None)
    if reader is not None:
        with contextlib.suppress(OSError):
            reader.close()
    stopper.join(timeout)


def _terminate_and_join(pool: Any) -> None:
    try:
        pool.terminate()
        pool.join()
    except (OSError, ValueError) as err:  # the pipe closed under it by stop_pool: the workers are gone anyway
        log.debug("segmentation pool stopped with %s", err)
