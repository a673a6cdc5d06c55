"""Where the tests' files are: the checkout root and the shared test data (tests/data)."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = TESTS / "data"
SAMPLE_JD_FILE = DATA / "sample_jd.txt"
