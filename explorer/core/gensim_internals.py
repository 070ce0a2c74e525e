"""The gensim internals the sliced training engine calls, in one place, and a check that they still work.

The fast engine (explorer.core.training) trains half-second slices of the corpus with gensim's Cython
corpus_file epoch functions ``train_epoch_sg`` / ``train_epoch_cbow`` and its ``CythonVocab``. They are not
public API: they are called positionally, through a view of the model with the slice's own learning-rate
span. A gensim release may rename them, reorder their arguments or read other model fields; ``check()``
finds out (names, parameter lists, and a dry call on a two-sentence corpus that must train every layer),
and the engine then trains with gensim's own public loop instead (``train_epoch_public``), which is
slower to report and to cancel (once per epoch) but correct on any gensim 4.

The versions this was verified against are in TESTED_GENSIM (pyproject.toml pins the same range).
"""

from __future__ import annotations

import inspect
import logging
import math
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

log = logging.getLogger(__name__)

# The parameters of train_epoch_sg / train_epoch_cbow, in the order train_slice passes them.
EPOCH_PARAMS = ("model", "corpus_file", "offset", "_cython_vocab", "_cur_epoch", "_expected_examples",
                "_expected_words", "_work", "_neu1", "compute_loss")
# gensim minor versions the engine-vs-gensim comparison (tests/core/test_engine_vs_gensim.py) passed on.
TESTED_GENSIM = ((4, 3), (4, 4))
# Set to 1 to make check() fail as if gensim had changed: training then uses gensim's own loop.
FORCE_PUBLIC_LOOP_ENV = "W2V_EXPLORER_GENSIM_LOOP"

_PROBE_SENTENCES = ("春天 来 了 花 开 了 鸟 在 唱歌", "秋天 来 了 叶 落 了 鸟 在 南飞 春天 花 开")


class SliceView:
    """The model as gensim's corpus_file epoch loop sees it, with this slice's own learning-rate span.

    The loop reads alpha/min_alpha/epochs/workers from the object it is given and writes its loss back; a
    view per slice lets several slices train at once on the shared weights without racing on those fields.
    """

    def __init__(self, model: Any, start_alpha: float, end_alpha: float) -> None:
        self._model = model
        self.alpha = start_alpha
        self.min_alpha = end_alpha
        self.epochs = 1
        self.workers = 1  # this view's slice is read by one thread, start to end
        self.running_training_loss = 0.0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)


@dataclass(frozen=True)
class SliceApi:
    """gensim's internal corpus_file training functions, as found in the installed gensim."""

    cython_vocab: Callable[..., Any]
    train_epoch_sg: Callable[..., Any]
    train_epoch_cbow: Callable[..., Any]

    def vocab(self, model: Any) -> Any:
        """The C vocabulary table one epoch of every slice shares."""
        return self.cython_vocab(model.wv, hs=model.hs)

    def train_slice(self, view: SliceView, path: Path | str, words: int, vocab: Any, work: np.ndarray,
                    neu1: np.ndarray, compute_loss: bool) -> tuple[int, int]:
        """Train ``view`` on the ``words`` words of the file ``path``; returns (effective, raw) word counts.

        The loss of the slice is left in ``view.running_training_loss``.
        """
        fn = self.train_epoch_sg if view.sg else self.train_epoch_cbow
        # offset 0, epoch 0 of 1 (the view carries the span), no sentence total, the slice's word total.
        _, effective, raw = fn(view, str(path), 0, vocab, 0, None, words, work, neu1, compute_loss)
        return int(effective), int(raw)


def slice_api() -> SliceApi:
    """The installed gensim's internal functions; ImportError/AttributeError when they are gone."""
    from gensim.models import word2vec_corpusfile as wc

    return SliceApi(wc.CythonVocab, wc.train_epoch_sg, wc.train_epoch_cbow)


def work_arrays(model: Any) -> tuple[np.ndarray, np.ndarray]:
    """The per-thread scratch memory the epoch functions need (as gensim's own worker loop allocates)."""
    from gensim import matutils

    return (matutils.zeros_aligned(model.layer1_size, dtype=np.float32),
            matutils.zeros_aligned(model.layer1_size, dtype=np.float32))


@dataclass(frozen=True)
class InternalsReport:
    ok: bool
    gensim_version: str
    problems: tuple[str, ...]
    tested: bool  # the gensim minor version is one of TESTED_GENSIM

    def summary(self) -> str:
        state = "usable" if self.ok else "NOT usable: " + "; ".join(self.problems)
        tested = "" if self.tested else " (a gensim version this app was not tested with)"
        return f"gensim {self.gensim_version}{tested}: training internals {state}"


def parameters(fn: Any) -> tuple[str, ...] | None:
    """The parameter names of a (Cython) function, or None when it does not say."""
    try:
        return tuple(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        pass
    code = getattr(fn, "__code__", None)
    if code is not None:
        return tuple(code.co_varnames[:code.co_argcount])
    # Cython builds without binding=True (gensim 4.3) only embed the signature in the docstring's first line.
    first = (getattr(fn, "__doc__", None) or "").split("\n", 1)[0]
    match = re.fullmatch(rf"\s*{re.escape(getattr(fn, '__name__', ''))}\((.*)\)\s*", first)
    if match is None:
        return None  # the dry call decides
    return tuple(p.split("=")[0].strip() for p in match.group(1).split(",") if p.strip())


def _version_tested(version: str) -> bool:
    try:
        major, minor = (int(p) for p in version.split(".")[:2])
    except ValueError:
        return False
    return (major, minor) in TESTED_GENSIM


def _dry_run(api: SliceApi) -> list[str]:
    """Train a tiny model one slice with each function; every layer must move and the counts add up."""
    from gensim.models import Word2Vec

    problems: list[str] = []
    sentences = [s.split() for s in _PROBE_SENTENCES]
    raw_words = sum(len(s) for s in sentences)
    with tempfile.TemporaryDirectory(prefix="w2v-probe-") as folder:
        path = Path(folder) / "probe.txt"
        path.write_text("\n".join(_PROBE_SENTENCES) + "\n", encoding="utf-8")
        for sg in (1, 0):
            # hs and negative both on, so one call exercises both output layers.
            model = Word2Vec(vector_size=8, window=3, min_count=1, sample=0, sg=sg, hs=1, negative=2, workers=1,
                             seed=7)
            model.build_vocab(sentences)
            before = [model.wv.vectors.copy(), model.syn1.copy(), model.syn1neg.copy()]
            view = SliceView(model, 0.5, 0.4)  # a large rate: every touched weight visibly moves
            work, neu1 = work_arrays(model)
            name = "train_epoch_sg" if sg else "train_epoch_cbow"
            effective, raw = api.train_slice(view, path, raw_words, api.vocab(model), work, neu1, True)
            if raw != raw_words or not 0 < effective <= raw:
                problems.append(f"{name} counted {effective} effective / {raw} raw words, expected ?/{raw_words}")
            after = [model.wv.vectors, model.syn1, model.syn1neg]
            for label, old, new in zip(("input vectors", "syn1", "syn1neg"), before, after):
                if np.array_equal(old, new):
                    problems.append(f"{name} did not change the {label}")
            loss = view.running_training_loss
            if not (isinstance(loss, float) and math.isfinite(loss) and loss > 0):
                problems.append(f"{name} reported the loss {loss!r}, expected a positive number")
    return problems


def check(force_fail: bool | None = None) -> InternalsReport:
    """Verify the internals the sliced engine calls: names, parameter lists and a dry call (a few ms).

    ``force_fail`` (default: the W2V_EXPLORER_GENSIM_LOOP environment variable is 1) reports failure
    without looking, to exercise the fallback on a healthy gensim.
    """
    import gensim

    version = str(getattr(gensim, "__version__", "?"))
    tested = _version_tested(version)
    if force_fail is None:
        force_fail = os.environ.get(FORCE_PUBLIC_LOOP_ENV, "") == "1"
    if force_fail:
        return InternalsReport(False, version, (f"forced by {FORCE_PUBLIC_LOOP_ENV}=1",), tested)
    try:
        api = slice_api()
    except (ImportError, AttributeError) as err:
        return InternalsReport(False, version, (f"gensim.models.word2vec_corpusfile: {err}",), tested)
    problems: list[str] = []
    for name in ("train_epoch_sg", "train_epoch_cbow"):
        params = parameters(getattr(api, name))
        if params is not None and params != EPOCH_PARAMS:
            problems.append(f"{name} takes ({', '.join(params)}), expected ({', '.join(EPOCH_PARAMS)})")
    if not problems:  # a positional call with shifted arguments is not worth the risk
        try:
            problems += _dry_run(api)
        except Exception as err:  # noqa: BLE001  (any failure means: do not use these internals)
            problems.append(f"a dry run on a 2-sentence corpus failed: {type(err).__name__}: {err}")
    return InternalsReport(not problems, version, tuple(problems), tested)


_checked: InternalsReport | None = None
_checked_lock = threading.Lock()


def engine_check() -> InternalsReport:
    """check(), run once per process (the environment override is read every time); logs the outcome."""
    global _checked
    if os.environ.get(FORCE_PUBLIC_LOOP_ENV, "") == "1":
        return check(force_fail=True)
    with _checked_lock:
        if _checked is None:
            _checked = check(force_fail=False)
            (log.info if _checked.ok and _checked.tested else log.warning)("%s", _checked.summary())
        return _checked


def corpusfile_available() -> bool:
    """gensim's public corpus_file training works in this installation (its compiled module is there)."""
    from gensim.models import word2vec

    return int(getattr(word2vec, "CORPUSFILE_VERSION", -1)) >= 0


def train_epoch_public(model: Any, path: Path | str, sentences: int, words: int, start_alpha: float,
                       end_alpha: float, compute_loss: bool) -> tuple[int, int, float]:
    """One epoch with gensim's own public loop, Word2Vec.train(corpus_file=...): (effective, raw, loss).

    It cannot report or be cancelled inside the epoch. It leaves the one-epoch schedule in model.alpha,
    min_alpha and epochs; the caller restores the run's own.
    """
    effective, raw = model.train(corpus_file=str(path), total_examples=sentences, total_words=words, epochs=1,
                                 start_alpha=start_alpha, end_alpha=end_alpha, compute_loss=compute_loss)
    return int(effective), int(raw), float(model.get_latest_training_loss())
