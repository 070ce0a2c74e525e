"""`python -m explorer.cli`: the headless `w2v` tool."""

from explorer.cli import main

raise SystemExit(main())
