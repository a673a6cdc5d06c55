"""Shared fixtures: a private app home per test, a fake clock, a store and a service on real SQLite files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from interview_tui.domain.clock import FakeClock
from interview_tui.paths import HOME_ENV
from interview_tui.service import SessionService
from interview_tui.store.db import Store
from tests.doubles import StaticAnalyzer, StaticPlanner

pytest_plugins = ["tests.fakes.gemini_fixtures", "tests.fakes.pulse", "tests.fakes.elevenlabs_server"]

SAMPLE_JD = (Path(__file__).parent / "data" / "sample_jd.txt").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own INTERVIEW_TUI_HOME, and no real API keys leak in from the environment."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv(HOME_ENV, str(home))
    for name in ("GEMINI_API_KEY", "GOOGLE_API_KEY", "GEMINI_BASE_URL", "GEMINI_MODEL", "ELEVENLABS_API_KEY",
                 "ELEVENLABS_AGENT_ID", "ELEVENLABS_VOICE_ID", "ELEVENLABS_BASE_URL", "INTERVIEW_INPUT_DEVICE",
                 "INTERVIEW_OUTPUT_DEVICE", "INTERVIEW_CANDIDATE_NAME", "INTERVIEW_RECORD",
                 "INTERVIEW_RECORDINGS_KEEP_DAYS"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(app_home: Path) -> Path:
    return app_home / "interview.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = Store.open(db_path)
    yield s
    s.close()


@pytest.fixture
def service(store: Store, clock: FakeClock) -> SessionService:
    return SessionService(store, planner=StaticPlanner(), analyzer=StaticAnalyzer(), clock=clock)


@pytest.fixture
def funded(service: SessionService) -> SessionService:
    service.top_up(100, "test funds")
    return service


@pytest.fixture
def sample_jd() -> str:
    return SAMPLE_JD
