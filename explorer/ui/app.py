"""Start the desktop window: QApplication, CJK font, translations, excepthook, command line.

``w2v-explorer [MODEL] [--lang en|zh_CN]``; ``--self-test`` runs explorer.ui.selftest instead.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

log = logging.getLogger("explorer")


def _parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="w2v-explorer", description="Word2Vec Explorer (词向量探索器)")
    parser.add_argument("model", nargs="?", type=Path, help="a word2vec model file to open")
    parser.add_argument("--lang", choices=["system", "en", "zh_CN"], help="interface language (remembered)")
    parser.add_argument("--no-demo", action="store_true", help="do not open the built-in demo model")
    # Qt's own options (-style, -platform ...) are left for QApplication.
    args, _unknown = parser.parse_known_args(list(argv))
    return args


def _setup_logging() -> Path | None:
    """Log to stderr and to a file in the user's log folder; returns the file's path."""
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    log_file: Path | None = None
    try:
        from platformdirs import user_log_path

        folder = user_log_path("w2v-explorer", appauthor=False)
        folder.mkdir(parents=True, exist_ok=True)
        log_file = folder / "w2v-explorer.log"
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    except OSError:
        log_file = None
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        handlers=handlers)
    return log_file


def install_excepthook(log_file: Path | None = None) -> None:
    """Uncaught exceptions are logged with their traceback and shown as one sentence, never as a traceback."""
    from explorer.core.errors import ExplorerError
    from explorer.ui import messages

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if isinstance(exc, ExplorerError):
            log.warning("Unhandled ExplorerError: %s", exc)
            messages.error(None, exc)
            return
        log.error("Uncaught exception:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        where = f" ({log_file})" if log_file else ""
        messages.error(None, ExplorerError(
            f"Something went wrong: {exc_type.__name__}: {exc}",
            f"The details were written to the log{where}. Please report it; your work is not lost.",
        ))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        log.error("Uncaught exception in thread %s:\n%s", args.thread,
                  "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)))

    sys.excepthook = hook
    threading.excepthook = thread_hook


def create_application(argv: Sequence[str]) -> QApplication:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from explorer import __version__
    from explorer.ui.fonts import ensure_cjk_font
    from explorer.ui.resources import resource_path
    from explorer.ui.settings import APPLICATION, ORGANISATION

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv))
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Word2Vec Explorer")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("w2v-explorer")
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256, 512):
        icon.addFile(str(resource_path("icons", f"w2v-explorer-{size}.png")))
    app.setWindowIcon(icon)
    ensure_cjk_font()
    if not app.property("explorerStopsTasks"):
        from explorer.ui.workers import Task

        # Background threads must end before Qt tears the application down, or it aborts.
        app.aboutToQuit.connect(Task.shutdown_all)
        app.setProperty("explorerStopsTasks", True)
    return app


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if "--self-test" in argv:
        from explorer.ui import selftest

        return int(selftest.run(argv))
    args = _parse_args(argv[1:])
    from explorer.ui import platform_check

    try:
        platform_check.check(argv)
    except platform_check.PlatformProblem as problem:
        print(f"w2v-explorer: {problem}", file=sys.stderr)
        return 2
    log_file = _setup_logging()
    app = create_application(argv)
    install_excepthook(log_file)

    from explorer.ui import i18n
    from explorer.ui.main_window import MainWindow, freeze_heap
    from explorer.ui.settings import open_settings

    settings = open_settings()
    if args.lang:
        settings.setValue("language", args.lang)
    i18n.set_language(i18n.resolve(str(settings.value("language", "system"))))

    window = MainWindow(settings=settings)
    window.show()
    freeze_heap()  # the modules and the window live until the end
    if args.model is not None:
        window.open_model_path(args.model)
    elif not args.no_demo:
        window.open_initial_model()
    if not args.no_demo:  # --no-demo: a bare window (screenshots, tests), no start-up offers either
        window.offer_interrupted_trainings()
    return int(app.exec())


if __name__ == "__main__":
    raise SystemExit(main())
