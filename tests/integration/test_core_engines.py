"""Which engines run, and the reason shown to the user."""

from __future__ import annotations

from pathlib import Path

from interview_tui.domain.clock import FakeClock
from interview_tui.engines import build_engines
from interview_tui.paths import resolve_paths
from interview_tui.settings import load_settings


def _settings(home: Path, **env: str):
    return load_settings(resolve_paths(env={"INTERVIEW_TUI_HOME": str(home)}),
                         env={"INTERVIEW_TUI_HOME": str(home), **env})


def test_no_keys_means_offline_engines(app_home: Path) -> None:
    engines = build_engines(_settings(app_home), text_mode=True, clock=FakeClock())
    names = {c.role: c for c in engines.describe()}
    assert names["planner"].name == "offline planner" and "GEMINI_API_KEY" in names["planner"].reason
    assert names["analyzer"].name == "offline analyzer"
    assert names["voice"].name == "text mode" and names["voice"].reason == "chosen with --text"
    assert engines.planner.name == "local" and engines.analyzer.name == "local"
    voice = engines.make_voice()
    assert voice.name == "text" and voice.text_input


def test_keys_select_gemini_and_elevenlabs(app_home: Path) -> None:
    settings = _settings(app_home, GEMINI_API_KEY="k" * 20, GEMINI_MODEL="gemini-3.5-flash",
                         ELEVENLABS_API_KEY="e" * 20, ELEVENLABS_AGENT_ID="agent_1")
    engines = build_engines(settings)
    names = {c.role: c.name for c in engines.describe()}
    assert names == {"planner": "Gemini (gemini-3.5-flash)", "analyzer": "Gemini (gemini-3.5-flash)",
                     "voice": "ElevenLabs agent"}
    assert engines.planner.name == "gemini-3.5-flash"
    assert all("k" * 20 not in c.reason for c in engines.describe())


def test_elevenlabs_key_without_agent_is_not_enough(app_home: Path) -> None:
    engines = build_engines(_settings(app_home, ELEVENLABS_API_KEY="e" * 20), clock=FakeClock())
    voice = {c.role: c for c in engines.describe()}["voice"]
    assert voice.name != "ElevenLabs agent" and "interview agent create" in voice.reason
