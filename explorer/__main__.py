"""`python -m explorer [FILE]` starts the window; `python -m explorer.cli` is the headless tool."""

from explorer.ui.app import main

if __name__ == "__main__":
    raise SystemExit(main())
