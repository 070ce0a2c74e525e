"""`python -m explorer [FILE]` starts the window; `python -m explorer.cli` (or `w2v`) is the headless tool."""

if __name__ == "__main__":
    # Imported here, not at module level: corpus segmentation spawns worker processes that re-import this
    # module as __mp_main__, and they must not load Qt.
    import multiprocessing

    multiprocessing.freeze_support()
    from explorer.ui.app import main

    raise SystemExit(main())
