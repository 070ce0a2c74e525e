"""What the search panel asks explorer.core, as one function a Task can run: Query in, Outcome out.

Both are frozen dataclasses, so they cross threads safely. Nothing here touches a widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer.core import query as core_query
from explorer.core.io.model import LoadedModel
from explorer.core.tasks import CancelToken, Reporter, null_reporter
from explorer.ui.widgets.plot_panel import PlotRequest

MODES = ("neighbours", "analogy", "similarity", "odd_one_out", "related", "keywords")
ANALOGY_RESULTS_PLOTTED = 5


@dataclass(frozen=True)
class Query:
    mode: str
    inputs: tuple[str, ...]
    topn: int = 20
    method: str = ""  # analogy: "3cosadd" or "3cosmul"


@dataclass(frozen=True)
class ResultRow:
    word: str
    score: float | None
    rank: int | None  # 1-based frequency rank (1 = most frequent)
    note: str = ""

    def cell(self, column: int) -> str:
        if column == 0:
            return self.word
        if column == 1:
            return "" if self.score is None else f"{self.score:.4f}"
        if column == 2:
            return "" if self.rank is None else str(self.rank)
        return self.note


@dataclass(frozen=True)
class Outcome:
    query: Query
    rows: tuple[ResultRow, ...]
    used_words: tuple[str, ...] = ()
    unused_words: tuple[str, ...] = ()
    value: float | None = None  # similarity mode: the similarity
    note: str = ""
    bold_rows: tuple[int, ...] = ()
    plot: PlotRequest | None = None


def complete_words(model: LoadedModel, prefix: str, limit: int) -> list[str]:
    """The vocabulary words starting with ``prefix``, most frequent first (fast enough to call per key).

    Empty until the completion index is built: it is called on the GUI thread, which must not build it."""
    if not core_query.completion_ready(model):
        return []
    return list(core_query.complete(model, prefix, limit))


def in_vocabulary(model: LoadedModel, word: str) -> bool:
    return word in model.wv.key_to_index


def _rank(model: LoadedModel, word: str) -> int | None:
    index = model.wv.key_to_index.get(word)
    return None if index is None else int(index) + 1


def _rows(items: Any) -> tuple[ResultRow, ...]:
    return tuple(ResultRow(item.word, float(item.score), int(item.rank)) for item in items)


def prepare_search(model: LoadedModel, report: Reporter = null_reporter,
                   cancel: CancelToken | None = None) -> LoadedModel:
    """Build what queries and completion use (norms, completion index, phrase tokenizer, search index).

    The window runs this after showing a newly opened model; queries asked meanwhile get exact answers,
    only slower, and completion starts once its index is there (explorer.core.query.completion_ready).
    """
    core_query.prepare(model, report=report, cancel=cancel)
    return model


def run_query(model: LoadedModel, query: Query, report: Any = None, cancel: CancelToken | None = None) -> Outcome:
    """Answer ``query`` with explorer.core.query; raises its QueryError subclasses on bad input."""
    mode, inputs, topn = query.mode, query.inputs, query.topn
    if mode == "neighbours":
        result = core_query.neighbours(model, inputs[0], n=topn)
        rows = _rows(result.neighbours)
        anchors = result.used or (inputs[0],)
        plot = PlotRequest(words=anchors + tuple(r.word for r in rows),
                           roles=("query",) * len(anchors) + ("result",) * len(rows),
                           scores=(None,) * len(anchors) + tuple(r.score for r in rows),
                           title=" + ".join(anchors))
        return Outcome(query, rows, result.used, result.unknown, plot=plot)
    if mode == "analogy":
        a, b, c = inputs
        answer = core_query.analogy(model, a, b, c, n=topn, method="mul" if query.method == "3cosmul" else "add")
        rows = _rows(answer.neighbours)
        shown = rows[:ANALOGY_RESULTS_PLOTTED]
        words = (a, b, c) + tuple(r.word for r in shown)
        # b -> a is the offset "a - b"; applied at c it lands on the answer: c -> result.
        arrows = ((1, 0), (2, 3)) if shown else ((1, 0),)
        plot = PlotRequest(words=words, roles=("input",) * 3 + ("result",) * len(shown),
                           scores=(None,) * 3 + tuple(r.score for r in shown), arrows=arrows,
                           title=f"{a} − {b} + {c}")
        return Outcome(query, rows, plot=plot)
    if mode == "similarity":
        a, b = inputs
        value = core_query.similarity(model, a, b).score
        rows = (ResultRow(a, value, _rank(model, a)), ResultRow(b, value, _rank(model, b)))
        plot = PlotRequest(words=(a, b), roles=("input", "input"), scores=(value, value), arrows=((0, 1),))
        return Outcome(query, rows, value=value, plot=plot)
    if mode == "odd_one_out":
        odd = core_query.odd_one_out(model, list(inputs))
        ranked = [(odd.odd, dict(odd.ranking)[odd.odd])] + [(w, s) for w, s in odd.ranking if w != odd.odd]
        rows = tuple(ResultRow(w, float(s), _rank(model, w)) for w, s in ranked)
        plot = PlotRequest(words=tuple(r.word for r in rows),
                           roles=tuple("odd" if r.word == odd.odd else "input" for r in rows),
                           scores=tuple(r.score for r in rows))
        return Outcome(query, rows, unused_words=odd.unknown, bold_rows=(0,), plot=plot)
    if mode == "related":
        related = core_query.related(model, inputs[0], n=topn)
        rows = _rows(related.words)
        plot = PlotRequest(words=(inputs[0],) + tuple(r.word for r in rows),
                           roles=("query",) + ("result",) * len(rows),
                           scores=(None,) + tuple(r.score for r in rows))
        return Outcome(query, rows, note=related.score_label, plot=plot)
    if mode == "keywords":
        found = core_query.keywords(model, inputs[0], n=topn)
        rows = _rows(found.keywords)
        plot = PlotRequest(words=tuple(r.word for r in rows), roles=("result",) * len(rows),
                           scores=tuple(r.score for r in rows))
        return Outcome(query, rows, found.used, found.unknown, plot=plot)
    raise ValueError(f"unknown mode {mode!r}")
