"""Run hipmob with `python -m hipmob_tui`."""

from hipmob_tui.cli.main import main

raise SystemExit(main())
