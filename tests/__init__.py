"""The test suite, laid out like the code (tests/<app>/test_<module>.py)."""

from pathlib import Path

# Checked-in test data (tests/data/), found from here so that a test's own depth does not matter.
DATA = Path(__file__).resolve().parent / "data"
