"""`w2v train`: segment a corpus and train (or continue training, or resume) a model, headless."""

from __future__ import annotations

import argparse
import dataclasses
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from explorer.core.errors import Cancelled, TrainingError
from explorer.core.tasks import CancelToken, Stage, StageKind


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add `train`; it sets ``run`` to a function(args) -> exit code."""
    p = sub.add_parser(
        "train", help="train a model on text files (or continue training one)",
        description="Segment the text files with jieba (cached), then train a word2vec model and save it as a "
                    "full gensim model. Ctrl+C cancels cleanly: the output file is only replaced on success.",
    )
    p.add_argument("corpus", nargs="*", type=Path, metavar="CORPUS",
                   help="text files or folders (.txt, .csv, .gz); with --segmented, already segmented files")
    p.add_argument("-o", "--output", type=Path, help="the model file to write")
    p.add_argument("--preset", choices=["seed", "quick"], default="quick",
                   help="starting settings: seed = skip-gram + HS, 256 d, window 10, min_count 64, 10 epochs; "
                        "quick = small corpora (default)")
    p.add_argument("--sg", dest="sg", action="store_true", default=None, help="skip-gram")
    p.add_argument("--cbow", dest="sg", action="store_false", help="CBOW")
    p.add_argument("--hs", action=argparse.BooleanOptionalAction, default=None, help="hierarchical softmax")
    p.add_argument("--negative", type=int, help="negative samples (0 = off)")
    p.add_argument("--dims", "--vector-size", dest="vector_size", type=int, help="dimensions")
    p.add_argument("--window", type=int)
    p.add_argument("--min-count", type=int)
    p.add_argument("--sample", type=float, help="down-sampling of frequent words (0 = off)")
    p.add_argument("--epochs", type=int)
    p.add_argument("--alpha", type=float)
    p.add_argument("--min-alpha", type=float)
    p.add_argument("--workers", type=int)
    p.add_argument("--seed", type=int)
    p.add_argument("--max-vocab", dest="max_final_vocab", type=int, help="keep at most this many words")
    p.add_argument("--no-loss", dest="compute_loss", action="store_false", default=None,
                   help="do not track the loss (slightly faster)")
    p.add_argument("--segmented", action="store_true",
                   help="CORPUS is already segmented (one sentence per line, words separated by spaces)")
    p.add_argument("--user-dict", type=Path, help="a jieba user dictionary")
    p.add_argument("--keep-punctuation", action="store_true")
    p.add_argument("--segmenter", choices=["auto", "jieba", "fast"], default="auto",
                   help="jieba (the reference), fast (rjieba: jieba's tokens, about ten times faster; jieba when "
                        "not installed) or auto (fast where it is verified to match jieba; the default)")
    p.add_argument("--remove-stopwords", action="store_true")
    p.add_argument("--csv-column", help="the text column of CSV files")
    p.add_argument("--continue", dest="base", type=Path, metavar="MODEL",
                   help="continue training this full model on CORPUS")
    p.add_argument("--keep-known-fixed", action="store_true",
                   help="with --continue: keep the words the model knows fixed, learn only the new words")
    p.add_argument("--checkpoint-dir", type=Path, help="checkpoint here after every epoch (for --resume)")
    p.add_argument("--resume", type=Path, metavar="CHECKPOINT_DIR", help="resume an interrupted training")
    p.add_argument("--preview", action="store_true", help="only show what these settings would keep and cost")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(run=run)


class TqdmReporter:
    """A Reporter drawing one tqdm bar per stage; the epochs share one bar (their progress is overall)."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.bar: Any = None
        self.key: str | None = None
        self.lock = threading.Lock()

    def __call__(self, done: float, total: float, stage: Stage | StageKind | str) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        typed = Stage.of(stage)
        key = "training" if typed.kind is StageKind.EPOCH else typed.kind.value + typed.detail
        stage = typed.text
        with self.lock:
            if key != self.key:
                self.close()
                words = key == "training"
                self.bar = tqdm(total=total or None, desc=stage, unit="w" if words else "B", unit_scale=True,
                                unit_divisor=1000 if words else 1024, file=sys.stderr, dynamic_ncols=True,
                                leave=True)
                self.key = key
            bar = self.bar
            if bar.desc != stage:
                bar.set_description(stage, refresh=False)
            if total and bar.total != total:
                bar.total = total
            bar.update(max(0.0, done - bar.n))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
            self.key = None


def _config(args: argparse.Namespace) -> Any:
    from explorer.core.training import PRESETS

    cfg = PRESETS[args.preset]
    changes = {name: getattr(args, name) for name in (
        "sg", "hs", "negative", "vector_size", "window", "min_count", "sample", "epochs", "alpha", "min_alpha",
        "workers", "seed", "max_final_vocab", "compute_loss") if getattr(args, name, None) is not None}
    if changes.get("hs") and "negative" not in changes and args.preset == "quick":
        changes["negative"] = 0  # --hs on the NS preset means "HS instead", as in the seed recipe
    return dataclasses.replace(cfg, **changes)


def _segmented_corpus(args: argparse.Namespace, report: TqdmReporter, cancel: CancelToken) -> Any:
    if not args.corpus:
        raise TrainingError("Give the text files (or folders) to train on.", "Example: w2v train texts/ -o my.model")
    if args.segmented:
        if len(args.corpus) == 1:
            from explorer.core.corpus import check_segmented_file

            return check_segmented_file(args.corpus[0])
        raise TrainingError("--segmented takes one segmented file.",
                            "Join the files first, or drop --segmented to segment them here.")
    from explorer.core.corpus import SegmentOptions, segment_corpus

    options = SegmentOptions(user_dict=args.user_dict, remove_punctuation=not args.keep_punctuation,
                             remove_stopwords=args.remove_stopwords, csv_column=args.csv_column,
                             segmenter=args.segmenter)
    seg = segment_corpus(args.corpus, options, report=report, cancel=cancel)
    report.close()
    for f in seg.files:
        if not f.used:
            print(f"skipped {f.path}: {f.skipped}", file=sys.stderr)
        elif f.warning:
            print(f"WARNING: {f.path}: {f.warning}", file=sys.stderr)
    if seg.note:
        print(f"w2v: {seg.note}", file=sys.stderr)
    return seg


def _input_files(args: argparse.Namespace) -> list[Path]:
    """The files training will read: the segmented file, or every text file the segmenter will find."""
    if args.segmented or not args.corpus:
        return list(args.corpus)
    from explorer.core.corpus import find_corpus_files

    return find_corpus_files(args.corpus)


def _human_seconds(s: float) -> str:
    return f"{s:.0f} s" if s < 90 else f"{s / 60:.1f} min" if s < 5400 else f"{s / 3600:.1f} h"


def run(args: argparse.Namespace) -> int:
    from explorer.cli.output import emit
    from explorer.core import training

    cancel = CancelToken()
    report = TqdmReporter(enabled=not args.quiet and not args.json)

    def on_sigint(signum: int, frame: FrameType | None) -> None:
        if cancel.cancelled:
            raise KeyboardInterrupt
        print("\nw2v: cancelling (Ctrl+C again to stop at once)...", file=sys.stderr)
        cancel.cancel()

    previous = signal.signal(signal.SIGINT, on_sigint) if threading.current_thread() is threading.main_thread() \
        else None

    def on_epoch(s: training.EpochStats) -> None:
        if report.enabled:
            loss = f", loss {s.loss:,.0f}" if s.loss is not None else ""
            report.bar.write(f"epoch {s.epoch}/{s.epochs}: {s.words_per_second:,.0f} words/s, "
                             f"{s.seconds:.1f} s{loss}") if report.bar is not None else None

    try:
        if args.resume is not None:
            result = training.resume(args.resume, report=report, cancel=cancel, on_epoch=on_epoch)
        else:
            cfg = _config(args)
            cfg.validate()
            if args.keep_known_fixed and args.base is None:
                raise TrainingError("--keep-known-fixed needs --continue MODEL.")
            if args.output is None and not args.preview:
                raise TrainingError("Say where to save the model with -o FILE.")
            if not args.preview:  # a bad output (one of the texts, a folder, read-only) is said before segmenting
                training.check_output(args.output, _input_files(args), args.checkpoint_dir)
            corpus = _segmented_corpus(args, report, cancel)
            if args.preview:
                pv = training.preview(corpus, cfg, report=report, cancel=cancel)
                report.close()
                thinned = ", ".join(f"{w} {p:.0%}" for w, p in pv.most_thinned[:8])
                emit(args, dataclasses.asdict(pv),
                     f"{pv.tokens:,} words in {pv.sentences:,} sentences, {pv.vocab_total:,} distinct\n"
                     f"kept at min_count {pv.effective_min_count}: {pv.vocab_kept:,} words covering "
                     f"{pv.coverage:.1%} of the text\n"
                     f"sample {cfg.sample} keeps {pv.sample_keep_ratio:.1%} of those occurrences "
                     f"(most thinned: {thinned})\n"
                     f"memory about {pv.memory_bytes / 2**20:,.0f} MiB; about {_human_seconds(pv.estimated_seconds)} "
                     f"at ~{pv.words_per_second:,.0f} words/s")
                return 0
            result = training.train(corpus, cfg, args.output, report=report, cancel=cancel, on_epoch=on_epoch,
                                    base=args.base, keep_known_fixed=args.keep_known_fixed,
                                    checkpoint_dir=args.checkpoint_dir)
    except Cancelled:
        report.close()
        print("w2v: training cancelled; nothing was written"
              + (f" (resume with --resume {args.checkpoint_dir})" if args.checkpoint_dir else "") + ".",
              file=sys.stderr)
        return 130
    finally:
        report.close()
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    text = [f"saved {result.model_path}: {result.vocab_size:,} words, {result.epochs_done} epochs, "
            f"{_human_seconds(result.seconds)}"]
    if result.drift is not None:
        d = result.drift
        text.append(f"{result.new_words:,} new words; neighbour drift over the {d.words_checked} most frequent "
                    f"old words: mean overlap@{d.n} {d.mean_overlap_at_10:.3f}")
        for w in d.most_moved[:5]:
            text.append(f"  moved most: {w.word} ({w.overlap:.1f}): {' '.join(w.old_top[:5])} -> "
                        f"{' '.join(w.new_top[:5])}")
    data = {
        "model": str(result.model_path), "vocab_size": result.vocab_size, "epochs_done": result.epochs_done,
        "seconds": result.seconds, "epochs": [dataclasses.asdict(s) for s in result.epoch_stats],
        "new_words": result.new_words,
        "drift": None if result.drift is None else {
            "words_checked": result.drift.words_checked, "mean_overlap_at_10": result.drift.mean_overlap_at_10,
            "new_words": result.drift.new_words,
            "most_moved": [dataclasses.asdict(w) for w in result.drift.most_moved]},
    }
    emit(args, data, "\n".join(text))
    return 0
