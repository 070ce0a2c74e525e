"""The Qt-free session: two real models open at once, switching, the history, each mode's last answer, events."""

from __future__ import annotations

import pytest

from explorer.core.errors import QueryError
from explorer.core.io import LoadedModel
from explorer.core.modes import Query
from explorer.core.session import HistoryState, ResultChange, Session
from tests.core.test_query_models import hs_model, ns_model, trained  # noqa: F401  (fixtures)


def test_two_models_open_and_switching(hs_model: LoadedModel, ns_model: LoadedModel) -> None:
    session = Session()
    seen_current: list[LoadedModel | None] = []
    seen_models: list[int] = []
    session.current_changed.connect(seen_current.append)
    session.models_changed.connect(lambda models: seen_models.append(len(models)))
    session.add_model(hs_model)
    session.add_model(ns_model)
    assert session.models == (hs_model, ns_model) and session.current is ns_model
    assert seen_current == [hs_model, ns_model] and seen_models == [1, 2]

    # The same question on each model gives that model's own answer (gensim's most_similar on each).
    on_ns = session.run(Query("neighbours", ("曹操",), 5))
    session.set_current(hs_model)
    on_hs = session.run(Query("neighbours", ("曹操",), 5))
    assert [r.word for r in on_ns.rows] == [w for w, _ in trained("ns").wv.most_similar("曹操", topn=5)]
    assert [r.word for r in on_hs.rows] == [w for w, _ in trained("hs").wv.most_similar("曹操", topn=5)]
    assert session.result("neighbours") is on_hs and session.result("neighbours", ns_model) is on_ns

    session.close_model(hs_model)
    assert session.models == (ns_model,) and session.current is ns_model
    assert session.result("neighbours", hs_model) is None  # closed: its answers are gone
    with pytest.raises(ValueError):
        session.set_current(hs_model)


def test_replace_current_closes_the_previous_model(hs_model: LoadedModel, ns_model: LoadedModel) -> None:
    session = Session()
    session.add_model(hs_model)
    session.replace_current(ns_model)
    assert session.models == (ns_model,) and session.current is ns_model


def test_each_mode_keeps_its_own_query_and_answer(ns_model: LoadedModel) -> None:
    session = Session()
    session.add_model(ns_model)
    changes: list[ResultChange] = []
    session.result_changed.connect(changes.append)
    neighbours = session.run(Query("neighbours", ("曹操",), 3))
    similarity = session.run(Query("similarity", ("曹操", "刘备")))
    assert similarity.value == pytest.approx(float(trained("ns").wv.similarity("曹操", "刘备")), abs=1e-6)
    assert session.result("neighbours") is neighbours and session.result("similarity") is similarity
    assert session.result("analogy") is None  # never asked: the panel shows an empty state
    assert session.query("similarity") == Query("similarity", ("曹操", "刘备"))
    assert [(c.mode, c.outcome) for c in changes] == [("neighbours", neighbours), ("similarity", similarity)]
    session.set_result(ns_model, None, "similarity")
    assert session.result("similarity") is None


def test_prepared_state_is_per_model(hs_model: LoadedModel, ns_model: LoadedModel) -> None:
    session = Session()
    ready: list[LoadedModel] = []
    session.prepared.connect(ready.append)
    session.add_model(hs_model)
    session.add_model(ns_model)
    assert not session.is_prepared()
    session.mark_prepared(session.prepare(ns_model))
    assert session.is_prepared(ns_model) and not session.is_prepared(hs_model) and ready == [ns_model]


def test_history_back_forward_and_live_typing() -> None:
    session = Session()
    states: list[HistoryState] = []
    session.history.changed.connect(states.append)
    session.ask(Query("neighbours", ("曹",)), live=True)
    session.ask(Query("neighbours", ("曹操",)), live=True)  # typing on: one entry, not two
    session.ask(Query("similarity", ("曹操", "刘备")))
    session.ask(Query("neighbours", ("刘备",)))
    history = session.history
    assert [q.inputs for q in history.items] == [("曹操",), ("曹操", "刘备"), ("刘备",)]
    assert history.back() == Query("similarity", ("曹操", "刘备"))
    assert history.back() == Query("neighbours", ("曹操",))
    assert history.back() is None and history.state == HistoryState(False, True)
    assert history.forward() == Query("similarity", ("曹操", "刘备"))
    session.ask(Query("analogy", ("刘备", "关公", "曹操"), method="3cosadd"))  # a new branch drops the old future
    assert [q.mode for q in history.items] == ["neighbours", "similarity", "analogy"]
    assert states[-1] == HistoryState(True, False)


def test_a_failing_listener_does_not_break_the_session(ns_model: LoadedModel) -> None:
    session = Session()
    session.current_changed.connect(lambda model: 1 / 0)
    session.add_model(ns_model)
    assert session.current is ns_model


def test_unknown_mode_is_a_clear_error() -> None:
    with pytest.raises(QueryError, match="no query mode"):
        Session().set_mode("nonsense")
