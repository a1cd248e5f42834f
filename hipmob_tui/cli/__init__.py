"""The `hipmob` command line: every subcommand; the app is imported only to start it."""
