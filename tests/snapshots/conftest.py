"""Fixtures for the TUI snapshot tests: UTC dates, no cursor blink, a harness in a temp dir."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from tests.fakes.tui_doubles import Harness, make_harness


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


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    h = make_harness(tmp_path)
    yield h
    for gate in (h.planner.gate, h.analyzer.gate):
        if gate is not None:
            gate.set()
    h.store.close()
