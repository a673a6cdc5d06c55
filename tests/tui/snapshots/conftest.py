"""Fixtures for the TUI snapshot tests: UTC dates, no cursor blink, toasts that stay (the harness is in
tests/conftest.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from textual.notifications import Notification
from textual.widgets import Input, TextArea


@pytest.fixture(autouse=True)
def _deterministic_terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dates render in UTC; cursors do not blink (a blink between frames would make snapshots flaky); a toast stays
    until the test clears it (toasts expire on the real clock, so under load which ones showed was a race)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(Input, "_toggle_cursor", lambda _self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda _self: None)
    monkeypatch.setattr(Notification, "time_left", property(lambda _self: 3600.0))
    yield
    monkeypatch.undo()
    time.tzset()
