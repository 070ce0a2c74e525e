"""`w2v-explorer --self-test` from the source tree (offscreen, in a child process), the start-up probe the
bundle build uses, and the About dialog's licences."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from explorer.ui.selftest import CheckFailed, SelfTest, check_gensim_internals

ROOT = Path(__file__).resolve().parents[2]


def _child_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", W2V_EXPLORER_CONFIG_DIR=str(tmp_path / "config"),
               W2V_EXPLORER_CACHE=str(tmp_path / "cache"))
    for xdg in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
        env[xdg] = str(tmp_path / xdg.lower())
    return env


@pytest.mark.slow
def test_self_test_passes_from_the_source_tree(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "explorer", "--self-test"], cwd=ROOT, env=_child_env(tmp_path),
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    checks = [line for line in proc.stdout.splitlines() if line.startswith(("  ok", "  FAIL"))]
    assert all(line.startswith("  ok") for line in checks), proc.stdout
    for name in ("gensim compiled routines", "gensim training internals", "resources", "translations", "open the demo model",
                 "neighbours in the demo model", "PCA of the neighbours", "faiss search",
                 "segment with jieba (2 processes)", "train 1 epoch on a QThread", "open the trained model",
                 "words around it (output layer)", "main window and About dialog"):
        assert f"  {name}: " in proc.stdout, name
    assert "self-test passed" in proc.stdout


def test_a_failed_check_fails_the_run_and_skips_what_needs_it(tmp_path: Path) -> None:
    out = io.StringIO()
    t = SelfTest(out=out, workdir=tmp_path)

    def broken() -> str:
        raise CheckFailed("the model is empty")

    assert t.check("first", lambda: "fine")
    assert not t.check("second", broken)
    assert not t.check("third", lambda: "never runs", needs=["second"])
    assert not t.all_passed
    text = out.getvalue()
    assert "ok" in text.splitlines()[0] and "first: fine" in text
    assert "FAIL" in text and "second: CheckFailed: the model is empty" in text
    assert "third: skipped: needs second" in text


def test_the_gensim_internals_check_passes_here_and_fails_when_forced(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.core import gensim_internals

    out = io.StringIO()
    t = SelfTest(out=out, workdir=tmp_path)
    assert t.check("gensim training internals", check_gensim_internals)
    assert "training internals usable" in out.getvalue()
    # The self-test reports the real state: the fallback switch does not hide a healthy gensim...
    monkeypatch.setenv(gensim_internals.FORCE_PUBLIC_LOOP_ENV, "1")
    assert t.check("gensim training internals", check_gensim_internals)
    # ...and a gensim whose internals changed fails it.
    def gone() -> gensim_internals.SliceApi:
        raise ImportError("gone")

    monkeypatch.setattr(gensim_internals, "slice_api", gone)
    assert not t.check("gensim training internals", check_gensim_internals)
    assert "NOT usable" in out.getvalue() and "gone" in out.getvalue()


def test_an_unexpected_error_is_reported_with_its_traceback(tmp_path: Path) -> None:
    out = io.StringIO()
    t = SelfTest(out=out, workdir=tmp_path)
    assert not t.check("boom", lambda: str(1 / 0))
    assert "ZeroDivisionError" in out.getvalue() and "Traceback" in out.getvalue()


def test_startup_probe_reports_the_first_window(tmp_path: Path) -> None:
    """The entry point of the bundle, run from source: it shows the window, prints the time and quits."""
    env = _child_env(tmp_path)
    env["W2V_EXPLORER_STARTUP_PROBE"] = repr(time.time())
    proc = subprocess.run([sys.executable, str(ROOT / "packaging" / "launch.py"), "--no-demo"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("startup:"))
    shown = float(line.split("shown ")[1].split(" s")[0])
    assert 0 < shown < 120


def test_about_dialog_names_the_version_and_every_licence(qtbot) -> None:  # type: ignore[no-untyped-def]
    from explorer import __version__
    from explorer.ui.about import AboutDialog

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    for needle in (__version__, "三国演义", "Public domain", "snownlp", "chinese-poetry", "MIT", "WenQuanYi Micro Hei",
                   "Apache-2.0", "GPLv3 with the font embedding exception", "PySide6", "LGPL-3.0", "gensim",
                   "LGPL-2.1", "jieba", "NumPy", "BSD-3-Clause", "pyqtgraph"):
        assert needle in text, needle
