"""Corpus in: find text files, sniff their encodings, segment them with jieba on every core, cache the result.

The segmented corpus is UTF-8, one sentence per line, tokens separated by one space: what gensim's
``LineSentence`` and ``corpus_file`` read.

    files.py      finding corpus files; the drag-and-drop guess corpus vs model
    encoding.py   sniffing encodings, counting undecodable bytes
    mixed.py      files whose lines mix UTF-8 with GBK or Big5: each line decoded in its own encoding
    reading.py    streaming a file's lines or CSV cells; per-file reports (``inspect_files``)
    segment.py    the jieba segmenter, in this process or in worker processes
    jieba_state.py  jieba's dictionary saved between runs (plain data, never a pickle)
    seg_cache.py  the segmented-corpus cache
    pipeline.py   ``segment_corpus``: all of the above, with progress and cancel
    records.py    the frozen records handed to callers
"""

from __future__ import annotations

from explorer.core.corpus.encoding import detect_encoding
from explorer.core.corpus.files import CORPUS_SUFFIXES, find_corpus_files, looks_like_corpus
from explorer.core.corpus.pipeline import segment_corpus
from explorer.core.corpus.reading import check_segmented_file, inspect_files
from explorer.core.corpus.records import CorpusFileReport, SegmentedCorpus, SegmentOptions
from explorer.core.corpus.seg_cache import clear_cache, default_cache_dir
from explorer.core.corpus.segment import BUILTIN_STOPWORDS

__all__ = [
    "CorpusFileReport",
    "SegmentOptions",
    "SegmentedCorpus",
    "BUILTIN_STOPWORDS",
    "CORPUS_SUFFIXES",
    "find_corpus_files",
    "inspect_files",
    "check_segmented_file",
    "looks_like_corpus",
    "detect_encoding",
    "segment_corpus",
    "default_cache_dir",
    "clear_cache",
]
