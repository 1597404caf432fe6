"""`python -m assistant` runs the same command line as `assistant`."""

from assistant.app.cli import main

raise SystemExit(main())
