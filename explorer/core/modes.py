"""The query modes, one spec each: inputs, the core call, result rows, the plot request, the CLI command.

The search panel builds its mode list and input rows from :func:`all_modes`, the window's query runner
answers with :func:`answer`, and ``w2v`` adds one subcommand per spec (explorer.cli.query). Adding a mode is
registering one :class:`ModeSpec` (qutebrowser registers its commands the same way, once).

Labels, hints and headers are English source texts marked with QT_TRANSLATE_NOOP in the context "modes";
the window translates them, the CLI prints them as they are.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from explorer.core.errors import QueryError
from explorer.core.tasks import CancelToken, check
from explorer.core.texts import QT_TRANSLATE_NOOP, Text

if TYPE_CHECKING:
    from explorer.core.io.model import LoadedModel

ANALOGY_RESULTS_PLOTTED = 5
WORD_SEPARATORS = (",", "，", "、", ";", "；")


# --- what a query is and what it answers --------------------------------------------------------------
@dataclass(frozen=True)
class Query:
    mode: str
    inputs: tuple[str, ...]
    topn: int = 20
    method: str = ""  # the value of one of the mode's Methods ("3cosadd" / "3cosmul" for analogies)
    restrict: int | None = None  # answer only from the `restrict` most frequent words (where the mode allows)


RARE_COUNT = 50  # a word seen fewer times in training has a noisy vector: results mark it


@dataclass(frozen=True)
class ResultRow:
    word: str
    score: float | None
    rank: int | None  # 1-based frequency rank (1 = most frequent)
    note: str = ""
    count: int | None = None  # times seen in training, when the file keeps counts

    @property
    def rare(self) -> bool:
        return self.count is not None and self.count < RARE_COUNT

    def cell(self, column: int) -> str:
        if column == 0:
            return self.word
        if column == 1:
            return "" if self.score is None else f"{self.score:.4f}"
        if column == 2:
            return "" if self.count is None else str(self.count)
        if column == 3:
            return "" if self.rank is None else str(self.rank)
        return self.note


@dataclass(frozen=True)
class PlotRequest:
    """What to plot: words with their role (query/input/result/odd) and score; arrows as index pairs."""

    words: tuple[str, ...]
    roles: tuple[str, ...]
    scores: tuple[float | None, ...]
    arrows: tuple[tuple[int, int], ...] = ()
    title: str = ""


@dataclass(frozen=True)
class Outcome:
    """A query's answer as the window shows it. ``result`` is the core's own result (the CLI prints it)."""

    query: Query
    rows: tuple[ResultRow, ...]
    used_words: tuple[str, ...] = ()
    unused_words: tuple[str, ...] = ()
    value: float | None = None  # similarity mode: the similarity
    note: str = ""
    bold_rows: tuple[int, ...] = ()
    plot: PlotRequest | None = None
    headline: Text | None = None  # the one-line answer shown above the rows
    result: Any = None
    suggestions: tuple[str, ...] = ()  # the query is not a vocabulary word: words it may be a typo of


# --- how a mode is described ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    """One input of a mode.

    kind: "word" (one word), "phrase" (a word or a phrase, one line), "words" (several words separated by
    spaces; a mode's last field) or "text" (several lines). On the command line "phrase" and "text" take
    the rest of the arguments joined by spaces, "words" takes them as a list.
    """

    name: str
    hint: str  # placeholder text; %1 is replaced by an example word of the open model
    kind: str = "word"
    before: str = ""  # a symbol shown before the field ("−", "+", "↔")
    metavar: str = "WORD"
    cli_help: str | None = None


@dataclass(frozen=True)
class Method:
    value: str  # what Query.method holds
    label: str  # shown in the window
    cli: str  # the --method choice on the command line
    detail: str = ""  # said after the label in the CLI's help


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    right: tuple[bool, ...] = ()


@dataclass(frozen=True)
class TextReport:
    """A command's answer for people: lines, an aligned table, more lines (explorer.cli.output renders it)."""

    before: tuple[str, ...] = ()
    table: Table | None = None
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class CliCommand:
    name: str
    help: str
    report: Callable[[Query, Any], TextReport]  # the core result as text
    aliases: tuple[str, ...] = ()
    json: Callable[[Any], Any] = dataclasses.asdict  # the core result as JSON-ready data


@dataclass(frozen=True)
class ModeSpec:
    name: str
    label: str  # the mode list's entry
    tooltip: str
    fields: tuple[Field, ...]
    run: Callable[["LoadedModel", Query], Any]  # the core call; raises QueryError subclasses on bad input
    present: Callable[["LoadedModel", Query, Any], Outcome]  # the core result as rows, headline and plot
    score_header: str = QT_TRANSLATE_NOOP("modes", "Score")
    score_tip: str = ""  # what the score means, shown on its column header
    word_header: str = QT_TRANSLATE_NOOP("modes", "Word")
    missing_input: str = QT_TRANSLATE_NOOP("modes", "Type a word or a phrase.")
    methods: tuple[Method, ...] = ()
    method_tip: str = ""
    topn: bool = True  # the answer is a ranked list whose length the user chooses
    restrict: bool = False  # the CLI offers --restrict K
    live: bool = False  # answered while typing once the word is known; a clicked word can be asked here
    needs_output_layer: bool = False
    cli: CliCommand | None = None
    min_words: int = 1  # for a "words" field

    @property
    def headers(self) -> tuple[str, str, str, str]:
        return (self.word_header, self.score_header, COUNT_HEADER, RANK_HEADER)


COUNT_HEADER = QT_TRANSLATE_NOOP("modes", "Count")
RANK_HEADER = QT_TRANSLATE_NOOP("modes", "Frequency rank")

# --- the registry -----------------------------------------------------------------------------------------
_registry: dict[str, ModeSpec] = {}
_builtin_installed = False


def register(spec: ModeSpec) -> ModeSpec:
    """Add (or replace) a mode; the panel, the runner and the CLI pick it up from here."""
    _ensure_builtin()
    _registry[spec.name] = spec
    return spec


def unregister(name: str) -> None:
    _ensure_builtin()
    _registry.pop(name, None)


def all_modes() -> tuple[ModeSpec, ...]:
    """Every registered mode, in the order they were registered."""
    _ensure_builtin()
    return tuple(_registry.values())


def names() -> tuple[str, ...]:
    _ensure_builtin()
    return tuple(_registry)


def get(name: str) -> ModeSpec:
    _ensure_builtin()
    try:
        return _registry[name]
    except KeyError:
        raise QueryError(f"There is no query mode called “{name}”.",
                         "Choose one of: " + ", ".join(_registry) + ".") from None


# --- using a spec -------------------------------------------------------------------------------------------
def _split_words(text: str) -> tuple[str, ...]:
    for separator in WORD_SEPARATORS:
        text = text.replace(separator, " ")
    return tuple(text.split())


def make_query(mode: str, values: Mapping[str, str], topn: int = 20, method: str = "",
               restrict: int | None = None) -> Query | Text:
    """The Query for the texts typed in a mode's fields, or a Text saying what is missing."""
    spec = get(mode)
    inputs: list[str] = []
    for f in spec.fields:
        raw = values.get(f.name, "")
        if f.kind == "words":
            words = _split_words(raw)
            if len(words) < spec.min_words:
                return Text(spec.missing_input)
            inputs.extend(words)
        else:
            text = raw.strip()
            if not text:
                return Text(spec.missing_input)
            inputs.append(text)
    if spec.methods and not method:
        method = spec.methods[0].value
    return Query(mode, tuple(inputs), topn, method if spec.methods else "", restrict)


def field_values(query: Query) -> dict[str, str]:
    """The reverse of make_query: what each field shows for ``query`` (going back in the history)."""
    spec = get(query.mode)
    values: dict[str, str] = {}
    for i, f in enumerate(spec.fields):
        if f.kind == "words":
            values[f.name] = " ".join(query.inputs[i:])
            break
        values[f.name] = query.inputs[i] if i < len(query.inputs) else ""
    return values


def answer(model: "LoadedModel", query: Query, cancel: CancelToken | None = None) -> Outcome:
    """Ask ``model`` the ``query`` of its mode's spec; raises QueryError subclasses on bad input.

    The core calls are short and not interruptible; a cancelled run stops before them, and a run cancelled
    meanwhile raises Cancelled instead of returning a stale answer."""
    spec = get(query.mode)
    check(cancel)
    result = spec.run(model, query)
    check(cancel)
    return dataclasses.replace(spec.present(model, query, result), result=result)


def rank_of(model: "LoadedModel", word: str) -> int | None:
    index = model.wv.key_to_index.get(word)
    return None if index is None else int(index) + 1


def count_of(model: "LoadedModel | None", word: str) -> int | None:
    """How often ``word`` was seen in training, if the file says (gensim models, counted vocabularies)."""
    if model is None or not model.info.has_counts or word not in model.wv.key_to_index:
        return None
    try:
        count = int(model.wv.get_vecattr(word, "count"))
    except (KeyError, ValueError, TypeError):
        return None
    return count if count > 0 else None


def rows_of(items: Sequence[Any], model: "LoadedModel | None" = None) -> tuple[ResultRow, ...]:
    """Result rows of core items that have word, score and rank (and their training counts, given the model)."""
    return tuple(ResultRow(item.word, float(item.score), int(item.rank), count=count_of(model, item.word))
                 for item in items)


def ranked_table(items: Sequence[Any], score_header: str) -> Table:
    return Table(("#", "word", score_header, "freq rank"),
                 tuple((i + 1, r.word, r.score, r.rank) for i, r in enumerate(items)), (True, False, True, True))


def used_note(used: Sequence[str], unknown: Sequence[str]) -> str:
    parts = []
    if used:
        parts.append("used: " + " ".join(used))
    if unknown:
        parts.append("not in vocabulary (ignored): " + " ".join(unknown))
    return "\n".join(parts)


def _ensure_builtin() -> None:
    """Register the built-in modes first, on first use (they import this module, so not at import time)."""
    global _builtin_installed
    if not _builtin_installed:
        _builtin_installed = True
        from explorer.core import builtin_modes

        added = dict(_registry)
        _registry.clear()
        for spec in builtin_modes.SPECS:
            _registry[spec.name] = spec
        _registry.update(added)  # modes registered before first use come after the built-in ones
