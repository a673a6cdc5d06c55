"""Pytest fixtures around `FakeGeminiServer`. Use with `pytest_plugins = ["tests.fakes.gemini_fixtures"]`
or `from tests.fakes.gemini_fixtures import gemini_server, gemini_settings  # noqa: F401`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from interview_tui.settings import Settings
from tests.doubles import settings_for
from tests.fakes.gemini_server import FakeGeminiServer


@pytest.fixture
def gemini_server() -> Iterator[FakeGeminiServer]:
    server = FakeGeminiServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def gemini_settings(gemini_server: FakeGeminiServer, tmp_path: Path) -> Settings:
    return settings_for(tmp_path, gemini=gemini_server)
