"""Pytest fixtures around `FakeGeminiServer`. Use with `pytest_plugins = ["tests.fakes.gemini_fixtures"]`
or `from tests.fakes.gemini_fixtures import gemini_server, gemini_settings  # noqa: F401`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from interview_tui.paths import AppPaths
from interview_tui.settings import Secret, Settings
from tests.fakes.gemini_server import FakeGeminiServer

TEST_TIMEOUT_S = 2.0
"""Client timeout for tests: short, so the slow-answer case stays fast."""


@pytest.fixture
def gemini_server() -> Iterator[FakeGeminiServer]:
    server = FakeGeminiServer().start()
    try:
        yield server
    finally:
        server.stop()


def settings_for(server: FakeGeminiServer, home: Path, *, model: str = "gemini-2.5-pro",
                 timeout_s: float = TEST_TIMEOUT_S, api_key: str | None = None) -> Settings:
    """Settings pointing the real google-genai client at the fake server, with all files under `home`."""
    paths = AppPaths(data_dir=home, config_dir=home, db_path=home / "interview.db")
    return Settings(paths=paths, gemini_api_key=Secret(api_key if api_key is not None else server.api_key),
                    gemini_base_url=server.url, gemini_model=model, gemini_timeout_s=timeout_s)


@pytest.fixture
def gemini_settings(gemini_server: FakeGeminiServer, tmp_path: Path) -> Settings:
    return settings_for(gemini_server, tmp_path)
