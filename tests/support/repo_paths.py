"""Where the tests find the repository's files, wherever in tests/ a test sits."""

from pathlib import Path

SUPPORT = Path(__file__).resolve().parent  # tests/support: helpers and child scripts
TESTS = SUPPORT.parent
REPO = TESTS.parent
