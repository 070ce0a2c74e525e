"""`w2v-explorer --self-test`: prove an installation (above all the frozen app) works end to end, offscreen.

Opens the demo model, queries it, projects it, segments and trains one epoch through the real QThread
trainer, opens the result, and exits 0 only if every check passed. Each check prints its time.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

SELFTEST_CORPUS = ("selftest", "sanguo_yanyi_300.txt")
TASK_TIMEOUT_S = 300.0
# Words present in both the demo model and a one-epoch model of the first chapters of 三国演义.
PROBE_WORDS = ("曹操", "玄德", "孔明", "关公", "将军", "天下", "中国", "我们")


class CheckFailed(Exception):
    """A check found something wrong; the message says what."""


@dataclass
class SelfTest:
    out: TextIO
    workdir: Path
    results: list[tuple[str, bool, float, str]] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)

    def check(self, name: str, fn: Callable[[], str], needs: Sequence[str] = ()) -> bool:
        """Run one check; print ``ok``/``FAIL`` with its time and what it found."""
        missing = [n for n in needs if not self._passed(n)]
        if missing:
            self._record(name, False, 0.0, "skipped: needs " + ", ".join(missing))
            return False
        start = time.perf_counter()
        try:
            detail = fn()
            ok = True
        except Exception as err:  # noqa: BLE001  (the self-test reports every failure and goes on)
            ok = False
            detail = f"{type(err).__name__}: {err}"
            if not isinstance(err, CheckFailed):
                detail += "\n" + "".join(traceback.format_exc()).rstrip()
        self._record(name, ok, time.perf_counter() - start, detail)
        return ok

    def _passed(self, name: str) -> bool:
        return any(n == name and ok for n, ok, _t, _d in self.results)

    def _record(self, name: str, ok: bool, seconds: float, detail: str) -> None:
        self.results.append((name, ok, seconds, detail))
        first, *rest = (detail or "").splitlines() or [""]
        print(f"  {'ok  ' if ok else 'FAIL'} {seconds:7.2f} s  {name}: {first}", file=self.out, flush=True)
        for line in rest:
            print(f"                   {line}", file=self.out, flush=True)

    @property
    def all_passed(self) -> bool:
        return bool(self.results) and all(ok for _n, ok, _t, _d in self.results)


class _Tee:
    """Writes to several streams: the console when there is one, and the file named by ENV_REPORT."""

    def __init__(self, *streams: TextIO) -> None:
        self.streams = streams

    def write(self, text: str) -> int:
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self) -> None:
        for stream in self.streams:
            stream.flush()


ENV_REPORT = "W2V_EXPLORER_SELFTEST_REPORT"


def _open_output() -> TextIO:
    """stdout, plus the file $W2V_EXPLORER_SELFTEST_REPORT when set. A windowed app on Windows has no stdout:
    there the report goes to that file, else to %TEMP%\\w2v-explorer-selftest.log."""
    streams: list[TextIO] = [sys.stdout] if sys.stdout is not None else []
    target = os.environ.get(ENV_REPORT) or (
        None if streams else str(Path(tempfile.gettempdir()) / "w2v-explorer-selftest.log"))
    if target:
        streams.append(open(target, "w", encoding="utf-8"))  # noqa: SIM115 (open until the process ends)
    return _Tee(*streams)  # type: ignore[return-value]


def prepare_environment(workdir: Path) -> None:
    """Offscreen Qt, and caches/settings in ``workdir`` so the self-test never touches the user's folders."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["W2V_EXPLORER_CACHE"] = str(workdir / "cache")
    os.environ["W2V_EXPLORER_CONFIG_DIR"] = str(workdir / "config")


# --- the checks ------------------------------------------------------------------------------------
def check_compiled_gensim() -> str:
    """gensim's Cython training routines must be there, or training silently runs ~100x slower."""
    # ImportError here means the compiled module is missing from the installation.
    from gensim.models import word2vec_inner

    fast = int(getattr(word2vec_inner, "FAST_VERSION", -1))
    if fast < 0:
        raise CheckFailed(f"gensim FAST_VERSION is {fast}: compiled routines unusable")
    from gensim.models import word2vec

    if getattr(word2vec, "FAST_VERSION", -1) < 0:
        raise CheckFailed("gensim.models.word2vec fell back to its slow path")
    parts = [f"word2vec_inner FAST_VERSION {fast}"]
    try:
        from gensim.models import word2vec_corpusfile

        parts.append(f"word2vec_corpusfile CORPUSFILE_VERSION {word2vec_corpusfile.CORPUSFILE_VERSION}")
    except ImportError:
        parts.append("word2vec_corpusfile missing (corpus_file training unavailable)")
    import gensim

    return f"gensim {gensim.__version__}, " + ", ".join(parts)


def check_gensim_internals() -> str:
    """The gensim internals the fast training engine calls still exist and behave (a dry run on 2 sentences).

    Training would still work without them (gensim's own loop), but slower to report and cancel, so a bundle
    that ships an untested gensim fails here.
    """
    from explorer.core.gensim_internals import check

    report = check(force_fail=False)
    if not report.ok or not report.tested:
        raise CheckFailed(report.summary())
    return report.summary()


def check_resources() -> str:
    from explorer.ui.resources import resource_path, resources_root

    wanted = {
        "font": resource_path("fonts", "wqy-microhei.ttc"),
        "icon": resource_path("icons", "w2v-explorer-256.png"),
        "self-test corpus": resource_path(*SELFTEST_CORPUS),
    }
    missing = [f"{what} ({path})" for what, path in wanted.items() if not path.is_file()]
    demo = find_demo_model()
    if demo is None:
        missing.append(f"demo model (in {resource_path('demo')})")
    translations = sorted(p.name for p in resource_path("translations").glob("*.qm"))
    import jieba

    jieba_dict = Path(jieba.__file__).with_name("dict.txt")
    if not jieba_dict.is_file():
        missing.append(f"jieba dictionary ({jieba_dict})")
    if missing:
        raise CheckFailed("missing " + "; ".join(missing))
    return (f"{resources_root()}: font, icons, demo {demo.name if demo else '-'}, "
            f"translations {translations or 'none'}, jieba dict.txt {jieba_dict.stat().st_size // 1024} KB")


def find_demo_model() -> Path | None:
    """The built-in demo model file under resources/demo/ (the first of the usual model suffixes)."""
    from explorer.ui.resources import resource_path

    folder = resource_path("demo")
    if not folder.is_dir():
        return None
    for pattern in ("*.model", "*.kv", "*.bin", "*.vec", "*.txt"):
        for path in sorted(folder.glob(pattern)):
            if path.name.lower() not in {"readme.txt", "licence.txt", "license.txt"}:
                return path
    return None


def check_qt(app: Any) -> str:
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    from explorer.ui.fonts import ensure_cjk_font

    family = ensure_cjk_font()
    if not family:
        raise CheckFailed("no font that can draw Chinese")
    cjk = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    return f"Qt {qVersion()}, platform {QGuiApplication.platformName()}, CJK font {family!r} ({len(cjk)} CJK families)"


def check_translations() -> str:
    """Our Chinese interface and Qt's own (standard buttons) both load, then English is restored."""
    from PySide6.QtCore import QCoreApplication

    from explorer.ui import i18n

    try:
        if not i18n.set_language("zh_CN"):
            raise CheckFailed("explorer_zh_CN.qm did not load")
        qt_own = QCoreApplication.translate("QPlatformTheme", "Cancel")
        if qt_own == "Cancel":
            raise CheckFailed("Qt's own qtbase_zh_CN.qm did not load")
    finally:
        i18n.set_language("en")
    return f"zh_CN: ours and Qt's (Cancel -> {qt_own})"


def _environment_checks(t: SelfTest, app: Any) -> None:
    t.check("gensim compiled routines", check_compiled_gensim)
    t.check("gensim training internals", check_gensim_internals, needs=["gensim compiled routines"])
    t.check("resources", check_resources)
    t.check("Qt and CJK font", lambda: check_qt(app))
    t.check("translations", check_translations)


def run(argv: Sequence[str] | None = None) -> int:
    """Run every check; returns 0 only if all passed. ``argv`` may carry ``--keep`` to keep the temp folder."""
    argv = list(sys.argv if argv is None else argv)
    out = _open_output()
    workdir = Path(tempfile.mkdtemp(prefix="w2v-selftest-"))
    prepare_environment(workdir)
    started = time.perf_counter()

    from PySide6.QtWidgets import QApplication

    from explorer import __version__

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([argv[0] if argv else "w2v-explorer"])
    frozen = " (frozen)" if getattr(sys, "frozen", False) else ""
    print(f"w2v-explorer {__version__}{frozen} self-test, Python {sys.version.split()[0]}, "
          f"work folder {workdir}", file=out, flush=True)
    t = SelfTest(out=out, workdir=workdir)
    try:
        _environment_checks(t, app)
        _model_checks(t, app)
    finally:
        if "--keep" not in argv:
            shutil.rmtree(workdir, ignore_errors=True)
    failed = [n for n, ok, _t, _d in t.results if not ok]
    total = time.perf_counter() - started
    if failed:
        print(f"self-test FAILED: {len(failed)} of {len(t.results)} checks ({', '.join(failed)}) in {total:.1f} s",
              file=out, flush=True)
        return 1
    print(f"self-test passed: {len(t.results)} checks in {total:.1f} s", file=out, flush=True)
    return 0


def run_task(fn: Callable[..., Any], *args: Any, timeout_s: float = TASK_TIMEOUT_S, **kwargs: Any) -> Any:
    """Run ``fn`` through the app's real QThread Task and wait for it with a local event loop."""
    from PySide6.QtCore import QEventLoop, QTimer

    from explorer.ui.workers import Task

    outcome: dict[str, Any] = {}
    task = Task(fn, *args, **kwargs)
    loop = QEventLoop()
    task.finished.connect(lambda result: outcome.setdefault("result", result))
    task.failed.connect(lambda err: outcome.setdefault("error", err))
    task.cancelled.connect(lambda: outcome.setdefault("error", CheckFailed("the task was cancelled")))
    task.done.connect(loop.quit)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(int(timeout_s * 1000))
    task.start()
    loop.exec()
    if "result" not in outcome and "error" not in outcome:
        task.cancel()
        task.wait(10000)
        raise CheckFailed(f"no result after {timeout_s:.0f} s")
    task.wait(10000)
    if "error" in outcome:
        err = outcome["error"]
        raise CheckFailed(str(err)) if not isinstance(err, CheckFailed) else err
    return outcome["result"]


def _probe_word(model: Any) -> str:
    vocab = model.wv.key_to_index
    for word in PROBE_WORDS:
        if word in vocab:
            return word
    # else the most frequent word of two or more characters
    return next((w for w in model.wv.index_to_key if len(w) >= 2), model.wv.index_to_key[0])


def check_open_demo(t: SelfTest) -> str:
    from explorer.core.io import open_model

    demo = find_demo_model()
    if demo is None:
        raise CheckFailed("no demo model under resources/demo/")
    model = open_model(demo)
    t.state["demo"] = model
    return f"{demo.name}: {model.info.format_label or model.info.format}, {model.vocab_size} words x {model.dims} d"


def check_c_formats(t: SelfTest) -> str:
    """The demo vectors written as word2vec .txt and .bin read back as gensim reads them (compiled text parser)."""
    import numpy as np
    from gensim.models import KeyedVectors

    from explorer.core.io import c_binary, c_text
    from explorer.core.io import open_model

    if c_text.fastnumbers is None:
        raise CheckFailed("fastnumbers is missing: the text parser fell back to np.loadtxt")
    demo = t.state["demo"]
    keys, vectors = demo.wv.index_to_key, demo.wv.vectors
    text, binary = t.workdir / "demo.txt", t.workdir / "demo.bin"
    c_text.write_c_text(text, keys, vectors)
    c_binary.write_c_binary(binary, keys, vectors)
    for path in (text, binary):
        model = open_model(path, use_cache=False)
        reference = KeyedVectors.load_word2vec_format(str(path), binary=path is binary)
        if model.wv.index_to_key != reference.index_to_key or model.wv.index_to_key != list(keys):
            raise CheckFailed(f"{path.name}: the word list differs")
        if not np.array_equal(model.wv.vectors, reference.vectors):
            raise CheckFailed(f"{path.name}: the vectors differ from gensim's reading of the same file")
    return f"{len(keys)} words x {vectors.shape[1]} d through .txt (fastnumbers) and .bin, equal to gensim's reading"


def check_neighbours(t: SelfTest, key: str) -> str:
    from explorer.core import query

    model = t.state[key]
    word = _probe_word(model)
    found = query.neighbours(model, word, n=10)
    if len(found.neighbours) != min(10, model.vocab_size - 1):
        raise CheckFailed(f"{len(found.neighbours)} neighbours of {word}")
    gensim_top = [w for w, _s in model.wv.most_similar(word, topn=10)]
    if list(found.words) != gensim_top:
        raise CheckFailed(f"neighbours of {word} differ from gensim's: {list(found.words)} vs {gensim_top}")
    shown = ", ".join(f"{n.word} {n.score:.2f}" for n in found.neighbours[:5])
    return f"{word} -> {shown}"


def check_pca(t: SelfTest) -> str:
    import numpy as np

    from explorer.core import query

    model = t.state["demo"]
    word = _probe_word(model)
    words = [word] + list(query.neighbours(model, word, n=30).words)
    vectors = np.asarray([model.wv[w] for w in words], dtype=np.float32)
    points = _project(vectors)
    if points.shape != (len(words), 2) or not np.all(np.isfinite(points)):
        raise CheckFailed(f"PCA gave an array of shape {points.shape}")
    return f"{len(words)} vectors -> 2D, x in [{points[:, 0].min():.2f}, {points[:, 0].max():.2f}]"


def _project(vectors: Any) -> Any:
    """2D PCA through the core's projection module."""
    import numpy as np

    from explorer.core import projection

    return np.asarray(projection.pca(vectors, 2))


def check_faiss(t: SelfTest) -> str:
    """The large-vocabulary search path (faiss int8 index) and faiss's own BLAS/LAPACK calls."""
    import faiss
    import numpy as np
    from gensim.models import KeyedVectors

    from explorer.core import query
    from explorer.core.io import LoadedModel

    rng = np.random.default_rng(7)
    # BLAS: a batch of >= 20 queries makes IndexFlat use sgemm; LAPACK: PCAMatrix runs an eigendecomposition.
    base = rng.standard_normal((2000, 64)).astype(np.float32)
    queries = rng.standard_normal((64, 64)).astype(np.float32)
    flat = faiss.IndexFlatIP(64)
    flat.add(base)
    _dist, ids = flat.search(queries, 5)
    exact = np.argsort(-(queries @ base.T), axis=1)[:, :5]
    if not np.array_equal(ids, exact):
        raise CheckFailed("faiss IndexFlatIP disagrees with numpy")
    pca = faiss.PCAMatrix(64, 8)
    pca.train(base)
    if not np.all(np.isfinite(pca.apply(queries))):
        raise CheckFailed("faiss PCAMatrix gave non-finite values")
    # The app's own int8 index kicks in above query.INDEX_MIN_ELEMENTS matrix elements.
    rows = query.INDEX_MIN_ELEMENTS // 256 + 500
    kv = KeyedVectors(256, dtype=np.float32)
    kv.add_vectors([f"w{i}" for i in range(rows)], rng.standard_normal((rows, 256)).astype(np.float32))
    model = LoadedModel.from_gensim(kv)
    got = query.neighbours(model, "w42", n=10).words
    want = tuple(w for w, _s in kv.most_similar("w42", topn=10))
    if got != want:
        raise CheckFailed(f"int8 index search differs from gensim: {got} vs {want}")
    return f"faiss {faiss.__version__}: flat search, PCA and the int8 index over {rows} x 256 agree"


def check_segment(t: SelfTest) -> str:
    from explorer.core.corpus import SegmentOptions, segment_corpus
    from explorer.ui.resources import resource_path

    text = resource_path(*SELFTEST_CORPUS)
    # Two worker processes: in the frozen app this proves multiprocessing and jieba's dictionary both work.
    corpus = run_task(segment_corpus, [text], SegmentOptions(), cache_dir=t.workdir / "segmented", workers=2,
                      use_cache=False)
    if corpus.tokens < 10000:
        raise CheckFailed(f"only {corpus.tokens} tokens from {text.name}")
    t.state["corpus"] = corpus
    first = corpus.path.read_text(encoding="utf-8").splitlines()[1].split()[:8]
    return f"{text.name}: {corpus.sentences} sentences, {corpus.tokens} tokens (2 processes): {' '.join(first)} …"


def check_train(t: SelfTest) -> str:
    from explorer.core.training import TrainConfig, train

    # The seed recipe's architecture (skip-gram + hierarchical softmax), small and fast; the high learning
    # rate gives sensible neighbours after one epoch.
    config = TrainConfig(sg=True, hs=True, negative=0, vector_size=32, window=5, min_count=5, sample=1e-3,
                         epochs=1, workers=2, alpha=0.05)
    output = t.workdir / "selftest.model"
    result = run_task(train, t.state["corpus"], config, output)
    if not Path(result.model_path).is_file():
        raise CheckFailed(f"no model file at {result.model_path}")
    t.state["trained_path"] = Path(result.model_path)
    return f"1 epoch, {result.vocab_size} words, {result.seconds:.2f} s -> {Path(result.model_path).name}"


def check_open_trained(t: SelfTest) -> str:
    from explorer.core.io import open_model

    model = run_task(open_model, t.state["trained_path"])
    t.state["trained"] = model
    if model.vocab_size < 500:
        raise CheckFailed(f"only {model.vocab_size} words")
    return f"{model.info.format_label or model.info.format}, {model.vocab_size} words x {model.dims} d"


def check_related(t: SelfTest) -> str:
    """"Words that appear around it" reads the hierarchical-softmax output layer the trainer saved."""
    from explorer.core import query

    model = t.state["trained"]
    word = _probe_word(model)
    found = query.related(model, word, n=5)
    if found.method != "hs" or len(found.words) != 5:
        raise CheckFailed(f"related({word}) gave {found.method} with {len(found.words)} words")
    return f"{word} ({found.method}) -> " + ", ".join(f"{w.word} {w.score:.3f}" for w in found.words)


def check_window(t: SelfTest, app: Any) -> str:
    from explorer.ui.about import AboutDialog, about_html
    from explorer.ui.main_window import MainWindow
    from explorer.ui.settings import open_settings

    window = MainWindow(settings=open_settings())
    window.show()
    if "demo" in t.state:
        window.set_model(t.state["demo"])
    app.processEvents()
    about = AboutDialog(window)
    if "WenQuanYi" not in about_html():
        raise CheckFailed("the About text lacks the font's licence")
    title = window.windowTitle()
    about.deleteLater()
    window.close()
    window.deleteLater()
    app.processEvents()
    return f"main window {title!r} and the About dialog built"


def _model_checks(t: SelfTest, app: Any) -> None:
    t.check("open the demo model", lambda: check_open_demo(t))
    t.check("neighbours in the demo model", lambda: check_neighbours(t, "demo"), needs=["open the demo model"])
    t.check("PCA of the neighbours", lambda: check_pca(t), needs=["open the demo model"])
    t.check("word2vec .txt and .bin", lambda: check_c_formats(t), needs=["open the demo model"])
    t.check("faiss search", lambda: check_faiss(t))
    t.check("segment with jieba (2 processes)", lambda: check_segment(t))
    t.check("train 1 epoch on a QThread", lambda: check_train(t), needs=["segment with jieba (2 processes)"])
    t.check("open the trained model", lambda: check_open_trained(t), needs=["train 1 epoch on a QThread"])
    t.check("neighbours in the trained model", lambda: check_neighbours(t, "trained"),
            needs=["open the trained model"])
    t.check("words around it (output layer)", lambda: check_related(t), needs=["open the trained model"])
    t.check("main window and About dialog", lambda: check_window(t, app))


# --- cold-start probe ------------------------------------------------------------------------------
ENV_PROBE_REPORT = "W2V_EXPLORER_STARTUP_PROBE_REPORT"


def install_startup_probe(launched_at: float, out: TextIO | Any = None) -> None:
    """Make the next QApplication print the time from ``launched_at`` (a ``time.time()``) to the first paint
    of its first top-level window, then exit the process at once.

    Used by packaging/build.py to measure cold start; it swaps ``PySide6.QtWidgets.QApplication`` for a
    subclass, so it must run before the window code imports QApplication.
    """
    from PySide6 import QtWidgets
    from PySide6.QtCore import QEvent, QObject, QTimer

    # The build reads the figure from a file: a windowed app on Windows has no stdout.
    stream = out or _Tee(*([sys.stdout] if sys.stdout is not None else []),
                         *([open(os.environ[ENV_PROBE_REPORT], "w", encoding="utf-8")]  # noqa: SIM115
                           if os.environ.get(ENV_PROBE_REPORT) else []))
    python_at = time.time()

    class FirstWindowProbe(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.shown_at: float | None = None

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            kind = event.type()
            if isinstance(obj, QtWidgets.QWidget) and obj.isWindow() and kind in (QEvent.Type.Show, QEvent.Type.Paint):
                if kind == QEvent.Type.Show and self.shown_at is None:
                    self.shown_at = time.time()
                    QTimer.singleShot(2000, self.report)  # in case the platform never paints
                elif kind == QEvent.Type.Paint and self.shown_at is not None:
                    QTimer.singleShot(0, self.report)
            return False

        def report(self) -> None:
            painted = time.time()
            shown = self.shown_at or painted
            print(f"startup: first window shown {shown - launched_at:.2f} s, painted {painted - launched_at:.2f} s "
                  f"after launch (Python running at {python_at - launched_at:.2f} s)", file=stream, flush=True)
            # Quit hard: a model may still be loading on a QThread, and this is only a measurement.
            os._exit(0)

    base = QtWidgets.QApplication

    class ProbedApplication(base):  # type: ignore[misc,valid-type]
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            self._startup_probe = FirstWindowProbe()
            self.installEventFilter(self._startup_probe)

    QtWidgets.QApplication = ProbedApplication  # type: ignore[misc,assignment]
