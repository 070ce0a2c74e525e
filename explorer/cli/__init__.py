"""`w2v`: the headless commands (info, neighbours, analogy, related, keywords, convert, doctor, train, cache).

Everything here calls explorer.core; output is for people unless ``--json`` is given.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from explorer import __version__
from explorer.core.errors import ExplorerError

Command = Callable[[argparse.Namespace], Any]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="w2v", description="Word2Vec Explorer, headless.")
    parser.add_argument("--version", action="version", version=f"w2v {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    from explorer.cli import cache, model, query, train

    for group in (model, query, train, cache):
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:  # the `w2v` program itself, not a call from Python (tests, scripts)
        from explorer.core.io import reopen_cache

        reopen_cache.DEFER_WRITES = True  # written after the answer, by a detached process
        _exit_without_teardown(_run(argv))
    return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Command = args.run
    try:
        result = run(args)
    except ExplorerError as err:
        print(f"w2v: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("w2v: interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        print("w2v: there is not enough memory for this. Close other programs or use a smaller model.",
              file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`w2v ... | head`): not an error. Point stdout at nothing so the
        # interpreter's final flush does not complain again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as err:  # noqa: BLE001 - a bug: one sentence for the user, the traceback only on request
        if os.environ.get("W2V_DEBUG"):
            raise
        print(f"w2v: unexpected error ({type(err).__name__}: {err}). This is a bug in Word2Vec Explorer; "
              "please report it with the command you ran (W2V_DEBUG=1 shows the details).", file=sys.stderr)
        return 3
    return int(result or 0)


def _exit_without_teardown(code: int) -> NoReturn:
    """Finish like the interpreter would, minus freeing every object one by one.

    With a large model open, the interpreter's teardown spends 0.1-0.2 s releasing hundreds of thousands of
    word strings that the operating system reclaims at once anyway: a tenth of a quick `w2v neighbours`.
    Background work still completes: the reopen-cache writes go to a detached process, non-daemon threads
    are joined and the atexit handlers (logging, multiprocessing clean-up) run.
    """
    import atexit
    import threading

    from explorer.core.io import reopen_cache

    reopen_cache.detach_cache_writes()
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(code)


if __name__ == "__main__":
    raise SystemExit(main())
