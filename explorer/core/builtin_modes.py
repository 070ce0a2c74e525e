"""The six query modes the explorer ships, as specs for explorer.core.modes (which registers them).

explorer.core.query is imported inside the calls, so building the CLI's parser stays light.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from explorer.core.modes import (
    ANALOGY_RESULTS_PLOTTED, CliCommand, Field, Method, ModeSpec, Outcome, PlotRequest, Query, ResultRow, Table,
    TextReport, count_of, rank_of, ranked_table, rows_of, used_note,
)
from explorer.core.texts import QT_TRANSLATE_NOOP, Text

if TYPE_CHECKING:
    from explorer.core.io.model import LoadedModel


def _query() -> Any:
    from explorer.core import query

    return query


# --- neighbours ---------------------------------------------------------------------------------------------
def _neighbours(model: "LoadedModel", q: Query) -> Any:
    return _query().neighbours(model, q.inputs[0], n=q.topn, restrict=q.restrict)


def _present_neighbours(model: "LoadedModel", q: Query, result: Any) -> Outcome:
    rows = rows_of(result.neighbours, model)
    anchors = tuple(result.used) or (q.inputs[0],)
    plot = PlotRequest(words=anchors + tuple(r.word for r in rows),
                       roles=("query",) * len(anchors) + ("result",) * len(rows),
                       scores=(None,) * len(anchors) + tuple(r.score for r in rows),
                       title=" + ".join(anchors))
    headline = None
    if not result.in_vocabulary and " " not in result.query.strip():
        # say it plainly: the answer is about the pieces, not about the word typed
        headline = Text(QT_TRANSLATE_NOOP("modes", "“%1” is not in the vocabulary. Showing the words nearest to "
                                                   "the average of: %2"), (result.query, " / ".join(result.used)))
    return Outcome(q, rows, tuple(result.used), tuple(result.unknown), plot=plot, headline=headline,
                   suggestions=tuple(result.suggestions))


def _report_neighbours(q: Query, result: Any) -> TextReport:
    text = q.inputs[0]
    head = f"Nearest words to “{text}”"
    if result.restrict:
        head += f" among the {result.restrict:,} most frequent"
    note = used_note(result.used, result.unknown) if tuple(result.used) != (text,) else ""
    if not result.in_vocabulary and result.suggestions:
        note = f"“{text}” is not in the vocabulary. Did you mean: {', '.join(result.suggestions)}?\n" + note
    return TextReport((head, note), ranked_table(result.neighbours, "cosine"))


def _json_neighbours(result: Any) -> Any:
    data = dataclasses.asdict(result)
    if result.in_vocabulary:
        del data["suggestions"]  # only an unknown query gets suggestions
    return data


NEIGHBOURS = ModeSpec(
    name="neighbours",
    label=QT_TRANSLATE_NOOP("modes", "Similar words"),
    tooltip=QT_TRANSLATE_NOOP("modes", "The words whose vectors are closest (cosine)"),
    fields=(Field("word", QT_TRANSLATE_NOOP("modes", "Type a word or a phrase, e.g. %1"), "phrase",
                  cli_help="a word, or a phrase/sentence (segmented with jieba; its known words are averaged)"),),
    run=_neighbours, present=_present_neighbours,
    score_header=QT_TRANSLATE_NOOP("modes", "Similarity"),
    restrict=True, live=True,
    cli=CliCommand("neighbours", "nearest words by cosine similarity to a word or a phrase", _report_neighbours,
                   aliases=("nn",), json=_json_neighbours),
)


# --- analogy -----------------------------------------------------------------------------------------------
def _analogy(model: "LoadedModel", q: Query) -> Any:
    a, b, c = q.inputs
    return _query().analogy(model, a, b, c, n=q.topn, method="mul" if q.method == "3cosmul" else "add",
                            restrict=q.restrict)


def _present_analogy(model: "LoadedModel", q: Query, result: Any) -> Outcome:
    a, b, c = q.inputs
    rows = rows_of(result.neighbours, model)
    shown = rows[:ANALOGY_RESULTS_PLOTTED]
    # b -> a is the offset "a - b"; applied at c it lands on the answer: c -> result.
    arrows = ((1, 0), (2, 3)) if shown else ((1, 0),)
    plot = PlotRequest(words=(a, b, c) + tuple(r.word for r in shown), roles=("input",) * 3 + ("result",) * len(shown),
                       scores=(None,) * 3 + tuple(r.score for r in shown), arrows=arrows, title=f"{a} − {b} + {c}")
    headline = Text("%1 − %2 + %3 = %4", (a, b, c, rows[0].word if rows else "?"))
    return Outcome(q, rows, plot=plot, headline=headline)


def _report_analogy(q: Query, result: Any) -> TextReport:
    a, b, c = q.inputs
    mul = q.method == "3cosmul"
    head = f"{a} − {b} + {c}  ({b} is to {a} as {c} is to ?, {'3CosMul' if mul else '3CosAdd'})"
    return TextReport((head,), ranked_table(result.neighbours, "3CosMul" if mul else "cosine"))


ANALOGY = ModeSpec(
    name="analogy",
    label=QT_TRANSLATE_NOOP("modes", "Analogy"),
    tooltip=QT_TRANSLATE_NOOP("modes", "A − B + C: B is to A as C is to what?"),
    fields=(Field("a", QT_TRANSLATE_NOOP("modes", "A, e.g. %1"), metavar="A"),
            Field("b", QT_TRANSLATE_NOOP("modes", "B, e.g. %1"), before="−", metavar="B"),
            Field("c", QT_TRANSLATE_NOOP("modes", "C, e.g. %1"), before="+", metavar="C")),
    run=_analogy, present=_present_analogy,
    missing_input=QT_TRANSLATE_NOOP("modes", "Fill in all three words: A − B + C."),
    methods=(Method("3cosadd", "3CosAdd", "add", "gensim most_similar"),
             Method("3cosmul", "3CosMul", "mul", "most_similar_cosmul")),
    method_tip=QT_TRANSLATE_NOOP("modes", "3CosAdd adds and subtracts vectors; 3CosMul (Levy & Goldberg) "
                                          "multiplies similarities and is often more accurate"),
    restrict=True,
    cli=CliCommand("analogy", "A - B + C: 'B is to A as C is to ?' (e.g. 国王 男人 女人 -> 女王 on a large model)",
                   _report_analogy),
)


# --- similarity --------------------------------------------------------------------------------------------
SIMILARITY_NEIGHBOURS = 5  # plotted around each of the two words, so the plot shows where each one lives


@dataclass(frozen=True)
class SimilarityAnswer:
    similarity: Any  # query.Similarity
    near_a: Any  # query.Neighbours of the first word
    near_b: Any


def _similarity(model: "LoadedModel", q: Query) -> Any:
    core = _query()
    a, b = q.inputs
    return SimilarityAnswer(core.similarity(model, a, b), core.neighbours(model, a, n=SIMILARITY_NEIGHBOURS),
                            core.neighbours(model, b, n=SIMILARITY_NEIGHBOURS))


def _present_similarity(model: "LoadedModel", q: Query, result: Any) -> Outcome:
    a, b = q.inputs
    value = float(result.similarity.score)
    rows = (ResultRow(b, value, rank_of(model, b), count=count_of(model, b)),)
    around = [w for w in dict.fromkeys(result.near_a.words + result.near_b.words) if w not in (a, b)]
    plot = PlotRequest(words=(a, b) + tuple(around), roles=("input", "input") + ("result",) * len(around),
                       scores=(None, None) + (None,) * len(around), arrows=((0, 1),), title=f"{a} ↔ {b}")
    headline = Text(QT_TRANSLATE_NOOP("modes", "Similarity of %1 and %2: %3"), (a, b, f"{value:.4f}"))
    return Outcome(q, rows, value=value, plot=plot, headline=headline)


def _report_similarity(q: Query, result: Any) -> TextReport:
    return TextReport((f"similarity({q.inputs[0]}, {q.inputs[1]}) = {result.similarity.score:.4f}",))


SIMILARITY = ModeSpec(
    name="similarity",
    label=QT_TRANSLATE_NOOP("modes", "Similarity"),
    tooltip=QT_TRANSLATE_NOOP("modes", "The cosine similarity of two words"),
    fields=(Field("a", QT_TRANSLATE_NOOP("modes", "first word"), metavar="A"),
            Field("b", QT_TRANSLATE_NOOP("modes", "second word"), before="↔", metavar="B")),
    run=_similarity, present=_present_similarity,
    score_header=QT_TRANSLATE_NOOP("modes", "Similarity"),
    missing_input=QT_TRANSLATE_NOOP("modes", "Type two words to compare."),
    topn=False,
    cli=CliCommand("similarity", "cosine similarity of two words", _report_similarity,
                   json=lambda result: dataclasses.asdict(result.similarity)),
)


# --- odd one out -------------------------------------------------------------------------------------------
def _odd(model: "LoadedModel", q: Query) -> Any:
    return _query().odd_one_out(model, list(q.inputs))


def _present_odd(model: "LoadedModel", q: Query, result: Any) -> Outcome:
    scores = dict(result.ranking)
    ranked = [(result.odd, scores[result.odd])] + [(w, s) for w, s in result.ranking if w != result.odd]
    rows = tuple(ResultRow(w, float(s), rank_of(model, w), count=count_of(model, w)) for w, s in ranked)
    plot = PlotRequest(words=tuple(r.word for r in rows),
                       roles=tuple("odd" if r.word == result.odd else "input" for r in rows),
                       scores=tuple(r.score for r in rows))
    headline = Text(QT_TRANSLATE_NOOP("modes", "The odd one out: %1"), (result.odd,))
    return Outcome(q, rows, unused_words=tuple(result.unknown), bold_rows=(0,), plot=plot, headline=headline)


def _report_odd(q: Query, result: Any) -> TextReport:
    table = Table(("word", "cosine to the mean"), tuple(tuple(r) for r in result.ranking), (False, True))
    return TextReport((f"Odd one out: {result.odd}",), table, (used_note((), result.unknown),))


ODD_ONE_OUT = ModeSpec(
    name="odd_one_out",
    label=QT_TRANSLATE_NOOP("modes", "Odd one out"),
    tooltip=QT_TRANSLATE_NOOP("modes", "Which word does not belong with the others"),
    fields=(Field("words", QT_TRANSLATE_NOOP("modes", "words separated by spaces, e.g. %1"), "words",
                  cli_help="three or more words"),),
    run=_odd, present=_present_odd,
    score_header=QT_TRANSLATE_NOOP("modes", "Similarity to the rest"),
    missing_input=QT_TRANSLATE_NOOP("modes", "Type three or more words, separated by spaces."),
    topn=False,
    cli=CliCommand("odd", "the word that does not fit with the others", _report_odd),
)


# --- words around it (output layer) ----------------------------------------------------------------------
def _related(model: "LoadedModel", q: Query) -> Any:
    return _query().related(model, q.inputs[0], n=q.topn)


def _present_related(model: "LoadedModel", q: Query, result: Any) -> Outcome:
    rows = rows_of(result.words, model)
    plot = PlotRequest(words=(q.inputs[0],) + tuple(r.word for r in rows), roles=("query",) + ("result",) * len(rows),
                       scores=(None,) + tuple(r.score for r in rows))
    return Outcome(q, rows, note=result.score_label, plot=plot)


def _report_related(q: Query, result: Any) -> TextReport:
    how = "hierarchical softmax" if result.method == "hs" else "negative sampling"
    head = f"Words the model predicts around “{q.inputs[0]}” (output layer, {how})"
    return TextReport((head,), ranked_table(result.words, result.score_label))


RELATED = ModeSpec(
    name="related",
    label=QT_TRANSLATE_NOOP("modes", "Words around it"),
    tooltip=QT_TRANSLATE_NOOP("modes", "The words the model predicts in the context of a word (uses the output "
                                       "layer)"),
    fields=(Field("word", QT_TRANSLATE_NOOP("modes", "a word, e.g. 吃")),),
    run=_related, present=_present_related,
    score_header=QT_TRANSLATE_NOOP("modes", "Probability"),
    live=True, needs_output_layer=True,
    cli=CliCommand("related", "words the model predicts around a word (needs the full model's output layer)",
                   _report_related),
)


# --- keywords (output layer) -------------------------------------------------------------------------------
def _keywords(model: "LoadedModel", q: Query) -> Any:
    return _query().keywords(model, q.inputs[0], n=q.topn, skip_stop_words=q.method != "all")


def _present_keywords(model: "LoadedModel", q: Query, result: Any) -> Outcome:
    rows = rows_of(result.keywords, model)
    plot = PlotRequest(words=tuple(r.word for r in rows), roles=("result",) * len(rows),
                       scores=tuple(r.score for r in rows))
    return Outcome(q, rows, tuple(result.used), tuple(result.unknown), plot=plot)


def _report_keywords(q: Query, result: Any) -> TextReport:
    label = "log p(others) vs. background" if result.method == "hs" else "log σ(others) vs. background"
    return TextReport((f"Keywords of “{q.inputs[0]}”", used_note(result.used, result.unknown)),
                      ranked_table(result.keywords, label))


KEYWORDS = ModeSpec(
    name="keywords",
    label=QT_TRANSLATE_NOOP("modes", "Keywords"),
    tooltip=QT_TRANSLATE_NOOP("modes", "The words that best summarise a pasted sentence (uses the output layer)"),
    fields=(Field("text", QT_TRANSLATE_NOOP("modes", "Paste a sentence or a paragraph"), "text", metavar="SENTENCE"),),
    run=_keywords, present=_present_keywords,
    word_header=QT_TRANSLATE_NOOP("modes", "Keyword"),
    score_tip=QT_TRANSLATE_NOOP("modes", "How much better this word predicts the sentence's other words than an "
                                         "ordinary word does (output layer, mean log-probability); higher says "
                                         "more about this sentence"),
    methods=(Method("content", QT_TRANSLATE_NOOP("modes", "Skip stop words"), "content",
                    "leave out function words such as 的 很 也"),
             Method("all", QT_TRANSLATE_NOOP("modes", "All words"), "all", "rank every word")),
    method_tip=QT_TRANSLATE_NOOP("modes", "Stop words (的, 很, 也, 好, 还 …) say little about a sentence's topic"),
    missing_input=QT_TRANSLATE_NOOP("modes", "Paste a sentence or a paragraph."),
    needs_output_layer=True,
    cli=CliCommand("keywords", "rank a sentence's words by how well each predicts the others (output layer)",
                   _report_keywords),
)

SPECS = (NEIGHBOURS, ANALOGY, SIMILARITY, ODD_ONE_OUT, RELATED, KEYWORDS)
