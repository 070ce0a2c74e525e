"""What the search panel asks explorer.core, as functions a Task can run: Query in, Outcome out.

The modes themselves (inputs, core call, rows, plot request) are specs in explorer.core.modes; this module
only adapts them to the Task signature. Query and Outcome are frozen dataclasses, so they cross threads
safely. Nothing here touches a widget.
"""

from __future__ import annotations

from explorer.core import modes
from explorer.core import query as core_query
from explorer.core.io.model import LoadedModel
from explorer.core.modes import Outcome, PlotRequest, Query, ResultRow
from explorer.core.tasks import CancelToken, Reporter, null_reporter

__all__ = ["Outcome", "PlotRequest", "Query", "ResultRow", "complete_words", "in_vocabulary",
           "run_query"]


def complete_words(model: LoadedModel, prefix: str, limit: int) -> list[str]:
    """The vocabulary words starting with ``prefix``, most frequent first (fast enough to call per key).

    Empty until the completion index is built: it is called on the GUI thread, which must not build it."""
    if not core_query.completion_ready(model):
        return []
    return list(core_query.complete(model, prefix, limit))


def in_vocabulary(model: LoadedModel, word: str) -> bool:
    return word in model.wv.key_to_index


def run_query(model: LoadedModel, query: Query, report: Reporter = null_reporter,
              cancel: CancelToken | None = None) -> Outcome:
    """Answer ``query`` with its mode's spec; raises QueryError subclasses on bad input, Cancelled if cancelled."""
    return modes.answer(model, query, cancel)
