"""`w2v evaluate`: score a model on analogy and word-similarity benchmarks (the bundled ones by default)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from explorer.cli.output import emit, table
from explorer.core.analysis import benchmarks, evaluation, report
from explorer.core.errors import QueryError
from explorer.core.tasks import Stage, StageKind, null_reporter


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    text = "score a model on analogy and word-similarity benchmarks (with no file: every bundled set)"
    p = sub.add_parser("evaluate", help=text, description=text + ". Coverage (questions or pairs whose words "
                       "the model knows) matters as much as the score on small models.")
    p.add_argument("file", metavar="MODEL", help="a model file (any supported format)")
    p.add_argument("--analogy", action="append", default=[], metavar="FILE",
                   help="an analogy file (': section' lines, then 'a b c d'); repeat for several")
    p.add_argument("--similarity", action="append", default=[], metavar="FILE",
                   help="a word-similarity file (word, word, human score a line); repeat for several")
    p.add_argument("--method", choices=("add", "mul"), default="add",
                   help="analogies: add = 3CosAdd (gensim evaluate_word_analogies), mul = 3CosMul")
    p.add_argument("--restrict", type=int, metavar="N",
                   help="judge only with the N most frequent words: questions with other words are skipped")
    p.add_argument("--ignore-case", action="store_true",
                   help="match words case-insensitively, as gensim's default does (for English sets)")
    p.add_argument("--wrong", type=int, default=0, metavar="N",
                   help="also list the first N questions answered wrongly in each analogy set (text output)")
    p.add_argument("--json", action="store_true", help="print the result as JSON for scripts")
    p.set_defaults(run=_evaluate)


class _Progress:
    """A tqdm bar on stderr for long sets, only when someone is watching a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None

    def __call__(self, done: float, total: float, stage: Stage | StageKind | str) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=self.label, unit="q", unit_scale=True, leave=False,
                            file=sys.stderr)
        self.bar.n = min(done, self.bar.total)
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _evaluate(args: argparse.Namespace) -> int:
    from explorer.core.io import open_model

    if args.restrict is not None and args.restrict < 1:
        raise QueryError("--restrict must be a positive number of words.")
    if args.wrong < 0:
        raise QueryError("--wrong must be 0 or more.")
    # read every file first: a typo in the last one should not cost the user a model load
    analogy_sets = [(str(f), benchmarks.read_analogy_set(f)) for f in args.analogy]
    similarity_sets = [(str(f), benchmarks.read_similarity_set(f)) for f in args.similarity]
    if not analogy_sets and not similarity_sets:
        analogy_sets, similarity_sets = report.bundled_benchmarks()
    model = open_model(args.file)
    progress = _Progress("evaluating") if sys.stderr.isatty() and not args.json else None
    try:
        card = report.report_card(model, analogy_sets, similarity_sets, method=args.method, restrict=args.restrict,
                                  case_insensitive=args.ignore_case, report=progress or null_reporter)
    finally:
        if progress is not None:
            progress.close()
    data = {
        "analogy": [{"file": label, "method": r.method, "total": r.total, "correct": r.correct,
                     "skipped": r.skipped, "accuracy": r.accuracy,
                     "sections": [{"name": s.name, "total": s.total, "correct": s.correct} for s in r.sections]}
                    for label, r in card.analogies],
        "similarity": [{"file": label, "pairs": r.pairs, "skipped": r.skipped, "spearman": r.spearman,
                        "pearson": r.pearson} for label, r in card.similarities],
    }
    emit(args, data, _text(list(card.analogies), list(card.similarities), args.restrict, args.wrong))
    return 0


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _references(refs: tuple[benchmarks.Reference, ...], analogy: bool) -> list[str]:
    return [f"  reference {_percent(r.value) if analogy else _number(r.value)}: {r.model}"
            + (f"; {r.note}" if r.note else "") + f" [{r.source}]" for r in refs]


def _text(analogies: list[tuple[str, evaluation.AnalogyResult]],
          similarities: list[tuple[str, evaluation.SimilarityResult]], restrict: int | None, wrong: int = 0) -> str:
    out: list[str] = []
    scope = f" among the {restrict:,} most frequent words" if restrict else ""
    for label, r in analogies:
        if r.total == 0:
            out += [f"{label}: no question has all four words in this model{scope} "
                    f"({r.skipped:,} skipped, coverage 0%)", ""]
            continue
        method = "3CosAdd" if r.method == "add" else "3CosMul"
        out.append(f"{label}: {r.correct:,} of {r.total:,} correct = {_percent(r.accuracy)} ({method}); "
                   f"coverage {_percent(r.coverage)} ({r.skipped:,} questions skipped: a word unknown{scope})")
        if r.invalid_lines:
            out.append(f"  {r.invalid_lines} lines are not questions (not four words) and were ignored")
        out.append(table(["section", "correct", "asked", "accuracy", "skipped"],
                         [(s.name, s.correct, s.total, _percent(s.accuracy), s.skipped) for s in r.sections],
                         right=[False, True, True, True, True]))
        out.extend(_references(r.references, analogy=True))
        misses = r.wrong()[:wrong]
        if misses:
            out.append(f"  first {len(misses)} wrong answers (a : b = c : expected, the model's answer):")
            out.extend(f"    {a} : {b} = {c} : {d}   -> {ans or '(no word left)'}" for a, b, c, d, ans in misses)
        out.append("")
    if similarities:
        out.append(table(["word similarity", "Spearman", "Pearson", "pairs", "skipped", "coverage"],
                         [(label, _number(r.spearman), _number(r.pearson), r.pairs, r.skipped, _percent(r.coverage))
                          for label, r in similarities], right=[False, True, True, True, True, True]))
        notes = [(label, _references(r.references, analogy=False)) for label, r in similarities]
        for label, refs in notes:
            if refs:
                out.append(f"{label}:")
                out.extend(refs)
        if any(r.invalid_lines for _, r in similarities):
            out.append("Lines that are not 'word word score' were ignored: "
                       + ", ".join(f"{label} {r.invalid_lines}" for label, r in similarities if r.invalid_lines))
    return "\n".join(out).rstrip()
