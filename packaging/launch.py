"""Entry point of the double-click app (PyInstaller): freeze_support first, then the window or the self-test.

``W2V_EXPLORER_STARTUP_PROBE=<launch time.time()>`` makes the app print how long the first window took to
appear and quit (packaging/build.py measures cold start with it).
"""

from __future__ import annotations

import multiprocessing
import os
import sys


def main() -> int:
    # Child processes of a frozen app re-run this executable; freeze_support() turns them into workers
    # before anything else (Qt above all) is imported.
    multiprocessing.freeze_support()
    argv = list(sys.argv)
    if "--self-test" in argv:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from explorer.ui import selftest

        return int(selftest.run(argv))
    probe = os.environ.get("W2V_EXPLORER_STARTUP_PROBE")
    if probe:
        from explorer.ui.selftest import install_startup_probe

        install_startup_probe(float(probe))
    from explorer.ui.app import main as app_main

    return int(app_main(argv))


if __name__ == "__main__":
    sys.exit(main())
