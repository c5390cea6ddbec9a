"""Use cases the UI and the CLI call. Plain Python: no Qt, no SQL strings."""
