"""The check of the gensim internals the sliced training engine calls (explorer/core/gensim_internals.py).

Real gensim throughout: the broken variants below wrap gensim's own functions the way a changed release
could behave (an extra parameter, an argument that now means something else), they do not replace gensim.
"""

from __future__ import annotations

import gensim
import pytest
from gensim.models import word2vec_corpusfile

from explorer.core import gensim_internals
from explorer.core.gensim_internals import (EPOCH_PARAMS, FORCE_PUBLIC_LOOP_ENV, SliceApi, check, engine_check,
                                            parameters)


def test_installed_gensim_passes_and_is_a_tested_version() -> None:
    report = check(force_fail=False)
    assert report.ok, report.problems
    assert report.tested, f"gensim {gensim.__version__} is not in TESTED_GENSIM: run the engine tests and add it"
    assert report.gensim_version == gensim.__version__
    assert "usable" in report.summary()


def test_engine_check_runs_once_and_the_environment_forces_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(FORCE_PUBLIC_LOOP_ENV, raising=False)
    assert engine_check() is engine_check()
    monkeypatch.setenv(FORCE_PUBLIC_LOOP_ENV, "1")
    forced = engine_check()
    assert not forced.ok and FORCE_PUBLIC_LOOP_ENV in forced.summary()
    assert not check().ok
    monkeypatch.setenv(FORCE_PUBLIC_LOOP_ENV, "0")
    assert engine_check().ok


def test_a_changed_parameter_list_fails_without_calling(monkeypatch: pytest.MonkeyPatch) -> None:
    def train_epoch_sg(model, corpus_file, offset, _cython_vocab, _cur_epoch, _expected_examples,  # type: ignore[no-untyped-def]
                       _expected_words, _work, _neu1, compute_loss, _extra):
        raise AssertionError("a function whose parameters changed must not be called")

    api = SliceApi(word2vec_corpusfile.CythonVocab, train_epoch_sg, word2vec_corpusfile.train_epoch_cbow)
    monkeypatch.setattr(gensim_internals, "slice_api", lambda: api)
    report = check(force_fail=False)
    assert not report.ok
    assert any("train_epoch_sg takes" in p and "_extra" in p for p in report.problems)


def test_a_changed_meaning_of_an_argument_is_caught_by_the_dry_run(monkeypatch: pytest.MonkeyPatch) -> None:
    # Same parameters, but the word total now counts per thread in thousands (a plausible upgrade): gensim's
    # loop stops at once and trains nothing, which only a real call can notice.
    def train_epoch_cbow(model, corpus_file, offset, _cython_vocab, _cur_epoch, _expected_examples,  # type: ignore[no-untyped-def]
                         _expected_words, _work, _neu1, compute_loss):
        return word2vec_corpusfile.train_epoch_cbow(model, corpus_file, offset, _cython_vocab, _cur_epoch,
                                                    _expected_examples, _expected_words // 1000 - 1, _work,
                                                    _neu1, compute_loss)

    api = SliceApi(word2vec_corpusfile.CythonVocab, word2vec_corpusfile.train_epoch_sg, train_epoch_cbow)
    monkeypatch.setattr(gensim_internals, "slice_api", lambda: api)
    report = check(force_fail=False)
    assert not report.ok
    assert any("train_epoch_cbow counted" in p for p in report.problems), report.problems
    assert not any("train_epoch_sg" in p for p in report.problems)


def test_a_missing_function_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def gone() -> SliceApi:
        return SliceApi(word2vec_corpusfile.CythonVocab, word2vec_corpusfile.no_such_function,  # type: ignore[attr-defined]
                        word2vec_corpusfile.train_epoch_cbow)

    monkeypatch.setattr(gensim_internals, "slice_api", gone)
    report = check(force_fail=False)
    assert not report.ok and "no_such_function" in report.summary()


def test_the_parameter_lists_are_read_not_skipped() -> None:
    # gensim 4.4 has signatures; 4.3 only a signature line in the docstring. Either way the check must see it.
    for fn in (word2vec_corpusfile.train_epoch_sg, word2vec_corpusfile.train_epoch_cbow):
        assert parameters(fn) == EPOCH_PARAMS
