"""Run the window under Xvfb on the built-in demo model and save screenshots of the main views to docs/.

    .venv/bin/python scripts/screenshots.py            # re-runs itself under xvfb-run when there is no display
    .venv/bin/python scripts/screenshots.py --lang zh_CN

Settings go to a temporary folder, so the screenshots never touch (or depend on) the user's own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SIZE = (1440, 860)


def _under_xvfb() -> int:
    xvfb = shutil.which("xvfb-run")
    if not xvfb:
        print("xvfb-run not found; running offscreen instead", file=sys.stderr)
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return run()
    env = dict(os.environ, W2V_SCREENSHOTS_INNER="1", QT_QPA_PLATFORM="xcb")
    cmd = [xvfb, "-a", "-s", "-screen 0 1600x1000x24", sys.executable, __file__, *sys.argv[1:]]
    return subprocess.run(cmd, env=env, check=False).returncode


def run() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("W2V_EXPLORER_CONFIG_DIR", tempfile.mkdtemp(prefix="w2v-shots-"))
    from PySide6.QtCore import QEventLoop, QTimer

    from explorer.core.examples import examples
    from explorer.ui import i18n
    from explorer.ui.app import create_application
    from explorer.ui.main_window import MainWindow, demo_model_path
    from explorer.ui.query_runner import Query
    from explorer.ui.settings import open_settings

    app = create_application([sys.argv[0]])

    def wait_for(signal: object, timeout_ms: int = 60000) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)  # type: ignore[attr-defined]
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()

    def settle(ms: int = 400) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    DOCS.mkdir(exist_ok=True)
    demo = demo_model_path()
    if demo is None:
        print("no demo model in resources/demo/", file=sys.stderr)
        return 1
    saved: list[Path] = []
    for language in ("en", "zh_CN"):
        i18n.set_language(language)
        settings = open_settings()
        settings.clear()
        window = MainWindow(settings=settings)
        window.resize(*SIZE)
        window.show()
        window.open_model_path(demo)
        wait_for(window.model_changed)
        window.plot_panel.set_background(True, 4000)
        wait_for(window.plot_panel.plot_ready)
        suffix = "" if language == "en" else "-zh"

        def shoot(name: str, query: Query | None = None) -> None:
            if query is not None:
                window.search_panel.run_query(query)
                wait_for(window.search_panel.results_shown)
                wait_for(window.plot_panel.plot_ready)
            settle()
            path = DOCS / f"screenshot-{name}{suffix}.png"
            window.grab().save(str(path))
            saved.append(path)

        # the README's examples: chosen from the model by explorer.core.examples, checked by its tests
        offered = examples(window.current_model)
        shoot("neighbours", Query("neighbours", offered["neighbours"], 20))
        if language == "en":
            shoot("analogy", Query("analogy", offered["analogy"], 15, "3cosadd"))
            window.model_dock.raise_()
            shoot("model")
            saved.extend(shoot_training(window, wait_for, settle))
        window.close()
        window.deleteLater()
        settle(100)
    i18n.set_language("en")
    for path in saved:
        print(path.relative_to(ROOT))
    app.quit()
    return 0


def shoot_training(window: object, wait_for: object, settle: object) -> list[Path]:
    """The training dialog on a mixed bag of real files: the per-file report, the parameters with their
    preview, and the progress view after a short training."""
    from explorer.ui.widgets.training_view import TrainingDialog

    corpus = ROOT / "tests" / "data" / "corpus"
    files = [ROOT / "resources" / "selftest" / "sanguo_yanyi_300.txt", corpus / "sanguo_gbk.txt",
             corpus / "tangshi_big5.txt", corpus / "waimai_utf16.txt", corpus / "hotel_utf8_bom.txt",
             corpus / "pd199801_damaged_utf8.txt", corpus / "empty.txt", corpus / "binary.txt"]
    dialog = TrainingDialog(window, corpus_paths=files)  # type: ignore[arg-type]
    dialog.resize(1000, 720)
    dialog.show()
    if dialog.corpus_page.busy:
        wait_for(dialog.corpus_page.inspected)  # type: ignore[operator]
    shots = []

    def shoot(name: str) -> None:
        settle()  # type: ignore[operator]
        path = DOCS / f"screenshot-training-{name}.png"
        dialog.grab().save(str(path))
        shots.append(path)

    shoot("corpus")
    dialog.go_next()
    wait_for(dialog.preview_ready)  # type: ignore[operator]
    dialog.params_page.set_values(epochs=8, min_count=3)
    wait_for(dialog.preview_ready)  # type: ignore[operator]
    shoot("parameters")
    dialog.params_page.set_output_path(Path(tempfile.mkdtemp(prefix="w2v-shots-")) / "screenshot.model")
    dialog.start_training()
    wait_for(dialog.training_finished, 300000)  # type: ignore[operator]
    shoot("progress")
    dialog.close()
    return shots


if __name__ == "__main__":
    if os.environ.get("W2V_SCREENSHOTS_INNER") or os.environ.get("DISPLAY") or \
            os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        raise SystemExit(run())
    raise SystemExit(_under_xvfb())
