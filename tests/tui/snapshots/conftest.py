"""Fixtures for the TUI snapshot tests: UTC dates, no cursor blink (the harness is in tests/conftest.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from textual.widgets import Input, TextArea


@pytest.fixture(autouse=True)
def _deterministic_terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dates render in UTC; cursors do not blink (a blink between frames would make snapshots flaky)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(Input, "_toggle_cursor", lambda _self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda _self: None)
    yield
    monkeypatch.undo()
    time.tzset()
