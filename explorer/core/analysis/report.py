"""A report card: one model scored on several benchmark sets, with one progress bar across them all.

The CLI (`w2v evaluate`) and the window share this: choose sets (the bundled ones by default), run
``report_card`` on a worker with a reporter and a cancel token, show the frozen result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from explorer.core.analysis import benchmarks
from explorer.core.analysis.benchmarks import AnalogySet, SimilaritySet
from explorer.core.analysis.evaluation import (
    AnalogyResult, Method, SimilarityResult, evaluate_analogies, evaluate_similarity,
)
from explorer.core.io.model import LoadedModel
from explorer.core.tasks import CancelToken, Reporter, Stage, StageKind, null_reporter

__all__ = ["ReportCard", "bundled_benchmarks", "report_card"]


@dataclass(frozen=True)
class ReportCard:
    model: str  # the model's file name
    method: Method
    restrict: int | None
    analogies: tuple[tuple[str, AnalogyResult], ...]  # (label: a bundled set's name or the path given, result)
    similarities: tuple[tuple[str, SimilarityResult], ...]


def bundled_benchmarks() -> tuple[list[tuple[str, AnalogySet]], list[tuple[str, SimilaritySet]]]:
    """Every bundled set, read and labelled by its file name."""
    analogies: list[tuple[str, AnalogySet]] = []
    similarities: list[tuple[str, SimilaritySet]] = []
    for s in benchmarks.bundled_sets():
        if s.kind == "analogy":
            analogies.append((s.name, benchmarks.read_analogy_set(s.path)))
        else:
            similarities.append((s.name, benchmarks.read_similarity_set(s.path)))
    return analogies, similarities


class _Slice:
    """A Reporter for one set, mapping its 0..1 onto its share of the whole card."""

    def __init__(self, target: Reporter, base: float, weight: float, total: float, stage: StageKind) -> None:
        self.target, self.base, self.weight, self.total, self.stage = target, base, weight, total, stage

    def __call__(self, done: float, total: float, stage: Stage | StageKind | str) -> None:
        self.target(self.base + self.weight * (done / total if total else 1.0), self.total, self.stage)


def report_card(model: LoadedModel, analogies: Sequence[tuple[str, AnalogySet]],
                similarities: Sequence[tuple[str, SimilaritySet]], method: Method = "add",
                restrict: int | None = None, case_insensitive: bool = False, report: Reporter = null_reporter,
                cancel: CancelToken | None = None) -> ReportCard:
    """Score ``model`` on every set. Progress runs over the analogy questions the model can be asked (the
    slow part), in one range across the sets; similarity sets take milliseconds and come last."""
    weights = [max(1, s.question_count) for _, s in analogies]
    total = float(sum(weights) + len(similarities))
    done = 0.0
    scored: list[tuple[str, AnalogyResult]] = []
    for (label, questions), weight in zip(analogies, weights):
        within = _Slice(report, done, weight, total, StageKind.ANSWERING_ANALOGIES)
        scored.append((label, evaluate_analogies(model, questions, method=method, restrict=restrict,
                                                 case_insensitive=case_insensitive, report=within, cancel=cancel)))
        done += weight
    pairs: list[tuple[str, SimilarityResult]] = []
    for label, pair_set in similarities:
        if cancel is not None:
            cancel.raise_if_cancelled()
        pairs.append((label, evaluate_similarity(model, pair_set, restrict=restrict,
                                                 case_insensitive=case_insensitive)))
        done += 1
        report(done, total, StageKind.WORD_SIMILARITY)
    report(total, total, StageKind.READY)
    return ReportCard(model=model.info.path.name, method=method, restrict=restrict, analogies=tuple(scored),
                      similarities=tuple(pairs))
