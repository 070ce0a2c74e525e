"""What the user has open: several models (each with its search prepared or not), the current one, the query
history, and per mode the current query and its last answer.

Qt-free, so a script, the CLI and the tests drive it as the window does. The window subscribes to its
:class:`Event` s (napari's models work the same way: plain callbacks, the Qt layer connects to them) and keeps
no model state of its own. Long work (opening, preparing, answering) is not run here: the caller runs the core
function (in a background task for the window) and hands the result to the session.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Generic, TypeVar

from explorer.core import modes
from explorer.core.modes import Outcome, Query
from explorer.core.tasks import CancelToken, Reporter, null_reporter

if TYPE_CHECKING:
    from explorer.core.io.model import LoadedModel

log = logging.getLogger(__name__)

T = TypeVar("T")
HISTORY_LIMIT = 500


class Event(Generic[T]):
    """A list of callbacks called with one value. Exceptions in a callback are logged, not raised, so one bad
    listener cannot stop the others or the session."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[T], Any]] = []

    def connect(self, callback: Callable[[T], Any]) -> Callable[[T], Any]:
        self._callbacks.append(callback)
        return callback

    def disconnect(self, callback: Callable[[T], Any]) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, value: T) -> None:
        for callback in list(self._callbacks):
            try:
                callback(value)
            except Exception:  # a listener's bug must not break the session's state
                log.exception("A session listener failed")


@dataclass(frozen=True)
class HistoryState:
    can_back: bool
    can_forward: bool


class History:
    """Queries in the order asked, with a position for back and forward.

    Live queries (answered while typing) coalesce: typing 微 then 微信 leaves one entry, not two.
    """

    def __init__(self, limit: int = HISTORY_LIMIT) -> None:
        self._items: list[Query] = []
        self._index = -1
        self._last_was_live = False
        self._limit = limit
        self.changed: Event[HistoryState] = Event()

    @property
    def items(self) -> tuple[Query, ...]:
        return tuple(self._items)

    @property
    def index(self) -> int:
        return self._index

    @property
    def current(self) -> Query | None:
        return self._items[self._index] if 0 <= self._index < len(self._items) else None

    @property
    def state(self) -> HistoryState:
        return HistoryState(self._index > 0, self._index < len(self._items) - 1)

    def record(self, query: Query, live: bool = False) -> None:
        if self.current == query:
            self._last_was_live = live
            return
        del self._items[self._index + 1:]
        if live and self._last_was_live and self._items:
            self._items[-1] = query
        else:
            self._items.append(query)
            if len(self._items) > self._limit:
                del self._items[0]
        self._index = len(self._items) - 1
        self._last_was_live = live
        self.changed.emit(self.state)

    def replace_current(self, query: Query) -> None:
        """Change the current entry in place (a new Top N for the same question)."""
        if self.current is not None:
            self._items[self._index] = query

    def back(self) -> Query | None:
        if self._index <= 0:
            return None
        self._index -= 1
        self._last_was_live = False
        self.changed.emit(self.state)
        return self.current

    def forward(self) -> Query | None:
        if self._index >= len(self._items) - 1:
            return None
        self._index += 1
        self._last_was_live = False
        self.changed.emit(self.state)
        return self.current

    def clear(self) -> None:
        self._items.clear()
        self._index = -1
        self._last_was_live = False
        self.changed.emit(self.state)


@dataclass(frozen=True)
class ResultChange:
    model: "LoadedModel"
    mode: str
    outcome: Outcome | None


class Session:
    """The open models, the current one, the history and each mode's current query and answer.

    Events: ``models_changed(tuple of models)``, ``current_changed(model or None)``, ``prepared(model)`` once
    a model's search index and completion are built, ``result_changed(ResultChange)``, ``mode_changed(str)``;
    ``history.changed(HistoryState)``.
    """

    def __init__(self) -> None:
        self._models: list[LoadedModel] = []
        self._current: LoadedModel | None = None
        self._prepared: set[int] = set()  # id() of the models whose search is prepared
        self._mode = modes.names()[0]
        self._queries: dict[str, Query] = {}  # per mode: the query its inputs hold
        self._results: dict[tuple[int, str], Outcome] = {}  # per (model, mode): the last answer
        self.history = History()
        self.models_changed: Event[tuple[LoadedModel, ...]] = Event()
        self.current_changed: Event[LoadedModel | None] = Event()
        self.prepared: Event[LoadedModel] = Event()
        self.result_changed: Event[ResultChange] = Event()
        self.mode_changed: Event[str] = Event()

    # --- models ----------------------------------------------------------------------------------------
    @property
    def models(self) -> tuple["LoadedModel", ...]:
        return tuple(self._models)

    @property
    def current(self) -> "LoadedModel | None":
        return self._current

    def add_model(self, model: "LoadedModel", make_current: bool = True) -> None:
        """Open ``model`` beside the others (several models can be open at once)."""
        if not any(m is model for m in self._models):
            self._models.append(model)
            self.models_changed.emit(self.models)
        if make_current:
            self.set_current(model)

    def replace_current(self, model: "LoadedModel") -> None:
        """Open ``model`` in place of the current one (which is closed, so its memory is freed)."""
        previous = self._current
        self.add_model(model, make_current=True)
        if previous is not None and previous is not model:
            self.close_model(previous)

    def close_model(self, model: "LoadedModel") -> None:
        if not any(m is model for m in self._models):
            return
        self._models = [m for m in self._models if m is not model]
        self._prepared.discard(id(model))
        for key in [k for k in self._results if k[0] == id(model)]:
            del self._results[key]
        self.models_changed.emit(self.models)
        if self._current is model:
            self._current = self._models[-1] if self._models else None
            self.current_changed.emit(self._current)

    def set_current(self, model: "LoadedModel") -> None:
        if not any(m is model for m in self._models):
            raise ValueError("set_current: that model is not open in this session")
        if self._current is not model:
            self._current = model
            self.current_changed.emit(model)

    def model_named(self, name: str) -> "LoadedModel | None":
        """The open model whose file name is ``name`` (the newest if several share it)."""
        for model in reversed(self._models):
            if model.info.path.name == name:
                return model
        return None

    # --- preparing the search --------------------------------------------------------------------------
    def is_prepared(self, model: "LoadedModel | None" = None) -> bool:
        model = model if model is not None else self._current
        return model is not None and id(model) in self._prepared

    def prepare(self, model: "LoadedModel", report: Reporter = null_reporter,
                cancel: CancelToken | None = None) -> "LoadedModel":
        """Build what queries and completion use; long (seconds on a large model): run it in the background,
        then call :meth:`mark_prepared` with the result on the session's thread."""
        from explorer.core import query

        query.prepare(model, report=report, cancel=cancel)
        return model

    def mark_prepared(self, model: "LoadedModel") -> None:
        if any(m is model for m in self._models) and id(model) not in self._prepared:
            self._prepared.add(id(model))
            self.prepared.emit(model)

    # --- modes, queries and answers -------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        modes.get(mode)  # raises for an unknown mode
        if mode != self._mode:
            self._mode = mode
            self.mode_changed.emit(mode)

    def query(self, mode: str | None = None) -> Query | None:
        """The query last asked in ``mode`` (the current mode by default)."""
        return self._queries.get(mode or self._mode)

    def result(self, mode: str | None = None, model: "LoadedModel | None" = None) -> Outcome | None:
        """The last answer shown in ``mode`` for ``model`` (the current ones by default), if any."""
        model = model if model is not None else self._current
        if model is None:
            return None
        return self._results.get((id(model), mode or self._mode))

    def ask(self, query: Query, live: bool = False) -> None:
        """Make ``query`` its mode's current query and record it in the history (before it is answered)."""
        self._queries[query.mode] = query
        self.history.record(query, live=live)

    def answer(self, model: "LoadedModel", query: Query, cancel: CancelToken | None = None) -> Outcome:
        """Answer ``query`` on ``model`` (runs on any thread; does not change the session)."""
        return modes.answer(model, query, cancel)

    def set_result(self, model: "LoadedModel", outcome: Outcome | None, mode: str | None = None) -> None:
        """Keep ``outcome`` as the answer of its mode for ``model`` (None: that mode has no answer now)."""
        mode = outcome.query.mode if outcome is not None else (mode or self._mode)
        if not any(m is model for m in self._models):
            return  # an answer for a model closed meanwhile
        key = (id(model), mode)
        if outcome is None:
            self._results.pop(key, None)
        else:
            self._results[key] = outcome
        self.result_changed.emit(ResultChange(model, mode, outcome))

    def run(self, query: Query, model: "LoadedModel | None" = None) -> Outcome:
        """Ask, answer and keep the result in one call, on this thread (the CLI, scripts, tests)."""
        model = model if model is not None else self._current
        if model is None:
            raise ValueError("No model is open in this session.")
        self.ask(query)
        outcome = self.answer(model, query)
        self.set_result(model, outcome)
        return outcome
