"""Shared fixtures: a private app home per test, a fake clock, a store and services built the way the app builds
them (`interview_tui.bootstrap`), with the scripted providers of tests/doubles.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from interview_tui import bootstrap
from interview_tui.domain.clock import FakeClock
from interview_tui.paths import HOME_ENV
from interview_tui.service import SessionService
from interview_tui.store.db import Store
from tests.doubles import Harness, MakeService, ScriptedAnalyzer, ScriptedPlanner, make_harness
from tests.paths import SAMPLE_JD_FILE

pytest_plugins = ["tests.fakes.gemini_fixtures", "tests.fakes.pulse", "tests.fakes.elevenlabs_server"]

SAMPLE_JD = SAMPLE_JD_FILE.read_text(encoding="utf-8")

SCRIPTED: Any = object()
"""`make_service`'s default provider: a fresh `ScriptedPlanner` / `ScriptedAnalyzer`."""


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own INTERVIEW_TUI_HOME, and no real API keys leak in from the environment."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv(HOME_ENV, str(home))
    for name in ("GEMINI_API_KEY", "GOOGLE_API_KEY", "GEMINI_BASE_URL", "GEMINI_MODEL", "ELEVENLABS_API_KEY",
                 "ELEVENLABS_AGENT_ID", "ELEVENLABS_VOICE_ID", "ELEVENLABS_BASE_URL", "INTERVIEW_INPUT_DEVICE",
                 "INTERVIEW_OUTPUT_DEVICE", "INTERVIEW_CANDIDATE_NAME"):
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
def make_service(db_path: Path, clock: FakeClock) -> Iterator[MakeService]:
    """Build a `SessionService` as the app does (`bootstrap.make_service`). `db`: a `Store`, or a database file
    to open (default: the test's); providers default to scripted ones (pass None for none); the test's clock.
    Stores it opens are closed after the test."""
    opened: list[Store] = []

    def make(db: Store | Path = db_path, *, planner: Any = SCRIPTED, analyzer: Any = SCRIPTED,
             clock: Any = clock) -> SessionService:
        if not isinstance(db, Store):
            db = Store.open(db)
            opened.append(db)
        return bootstrap.make_service(db, planner=ScriptedPlanner() if planner is SCRIPTED else planner,
                                      analyzer=ScriptedAnalyzer() if analyzer is SCRIPTED else analyzer,
                                      clock=clock)

    yield make
    for s in opened:
        s.close()


@pytest.fixture
def service(store: Store, make_service: MakeService) -> SessionService:
    return make_service(store)


@pytest.fixture
def funded(service: SessionService) -> SessionService:
    service.top_up(100, "test funds")
    return service


@pytest.fixture
def sample_jd() -> str:
    return SAMPLE_JD


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    """The TUI harness (tests/doubles.py): a runtime from the composition root with scripted providers."""
    h = make_harness(tmp_path)
    yield h
    for gate in (h.planner.gate, h.analyzer.gate):
        if gate is not None:
            gate.set()
    h.runtime.close()
