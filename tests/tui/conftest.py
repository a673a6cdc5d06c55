"""Fixtures shared by the TUI tests (the harness and the services are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from interview_tui.bootstrap import Runtime, open_runtime
from interview_tui.domain.clock import FakeClock
from interview_tui.providers.local_analyzer import LocalAnalyzer
from interview_tui.providers.local_planner import LocalPlanner
from interview_tui.voice.text_engine import TextVoice
from tests.doubles import scripted_engines, settings_for


@pytest.fixture
def offline(tmp_path: Path) -> Iterator[Runtime]:
    """The composition root's runtime with the offline planner and analyzer and typed answers, on a fake clock."""
    clock = FakeClock()
    engines = scripted_engines(LocalPlanner(), LocalAnalyzer(), lambda: TextVoice(clock), "text mode")
    with open_runtime(settings_for(tmp_path), clock=clock, engines=engines) as runtime:
        runtime.service.top_up(30, "test funds")
        yield runtime
