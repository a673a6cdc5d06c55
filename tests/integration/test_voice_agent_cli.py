"""`interview agent create|show` against the fake ElevenLabs REST API."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from interview_tui.cli.agent import register
from interview_tui.domain.errors import InvalidInput
from interview_tui.voice.elevenlabs_agent import agent_spec, store_agent_id
from tests.fakes.elevenlabs_server import API_KEY, FakeElevenLabs


@pytest.fixture
def cli(elevenlabs_server: FakeElevenLabs, monkeypatch: pytest.MonkeyPatch, app_home: Path) -> typer.Typer:
    monkeypatch.setenv("ELEVENLABS_API_KEY", API_KEY)
    monkeypatch.setenv("ELEVENLABS_BASE_URL", elevenlabs_server.base_url)
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        pass

    register(app)
    return app


def test_create_stores_the_id_and_show_checks_it(cli: typer.Typer, elevenlabs_server: FakeElevenLabs,
                                                  app_home: Path) -> None:
    config = app_home / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[gemini]\nmodel = "x"\n\n[elevenlabs]\nvoice_id = "v1"\n# keep me\n'
                      '[audio]\ninput_device = "2"\n')
    result = CliRunner().invoke(cli, ["agent", "create"])
    assert result.exit_code == 0, result.output
    agent_id = next(k for k in elevenlabs_server.agents if k.startswith("agent_") and k[6:].isdigit())
    assert agent_id in result.output
    body = elevenlabs_server.agents[agent_id]
    cc = body["conversation_config"]
    assert "{{questions}}" in cc["agent"]["prompt"]["prompt"] and cc["conversation"]["max_duration_seconds"] >= 900
    assert cc["asr"]["user_input_audio_format"] == cc["tts"]["agent_output_audio_format"] == "pcm_16000"
    assert body["platform_settings"]["auth"]["enable_auth"] is True
    assert cc["tts"]["voice_id"] == "v1"
    assert {"audio", "interruption", "agent_response", "user_transcript", "agent_response_correction"} <= set(
        cc["conversation"]["client_events"])
    text = config.read_text()
    assert f'agent_id = "{agent_id}"' in text and 'model = "x"' in text and "# keep me" in text
    assert 'input_device = "2"' in text.split("[audio]")[1]
    assert stat.S_IMODE(config.stat().st_mode) == 0o600

    shown = CliRunner().invoke(cli, ["agent", "show"])
    assert shown.exit_code == 0, shown.output
    assert "FIX" not in shown.output and "max duration" in shown.output


def test_show_reports_each_problem_with_a_fix(cli: typer.Typer, elevenlabs_server: FakeElevenLabs,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    weak = agent_spec()
    weak["conversation_config"]["conversation"] = {}
    weak["conversation_config"]["turn"] = {}
    weak["platform_settings"]["auth"] = {"enable_auth": False}
    elevenlabs_server.agents["agent_weak"] = weak
    monkeypatch.setenv("ELEVENLABS_AGENT_ID", "agent_weak")
    result = CliRunner().invoke(cli, ["agent", "show"])
    assert result.exit_code == 1
    assert result.output.count("FIX") == 3
    assert "600 s" in result.output and "7 s" in result.output and "public" in result.output


def test_errors_are_one_line_exit_2(cli: typer.Typer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ELEVENLABS_AGENT_ID", "agent_missing")
    result = CliRunner().invoke(cli, ["agent", "show"])
    assert result.exit_code == 2 and "HTTP 404" in result.output and "Traceback" not in result.output
    monkeypatch.setenv("ELEVENLABS_API_KEY", "sk_wrong")
    result = CliRunner().invoke(cli, ["agent", "create"])
    assert result.exit_code == 2 and "API key" in result.output and "sk_wrong" not in result.output


def test_store_agent_id_creates_section(tmp_path: Path) -> None:
    cfg = tmp_path / "c" / "config.toml"
    store_agent_id(cfg, "agent_1")
    store_agent_id(cfg, "agent_2")
    assert cfg.read_text() == '[elevenlabs]\nagent_id = "agent_2"\n'
    with pytest.raises(ValueError):
        store_agent_id(cfg, 'x" \n[evil]')


def test_store_agent_id_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    import os
    import tomllib

    cfg = tmp_path / "config.toml"
    cfg.write_text('# my settings\n[gemini]\nmodel = "gemini-3.5-flash"  # newer\n\n[elevenlabs]\nvoice_id = "v1"\n'
                   'agent_id = "old"\n\n[audio]\ninput_device = "pulse"\n')
    store_agent_id(cfg, "agent_new")
    text = cfg.read_text()
    assert "# my settings" in text and "# newer" in text
    assert tomllib.loads(text) == {"gemini": {"model": "gemini-3.5-flash"},
                                   "elevenlabs": {"voice_id": "v1", "agent_id": "agent_new"},
                                   "audio": {"input_device": "pulse"}}
    assert os.stat(cfg).st_mode & 0o777 == 0o600
    cfg.write_text("[elevenlabs\nbroken = ")
    with pytest.raises(InvalidInput, match="not valid TOML"):
        store_agent_id(cfg, "agent_x")
    assert cfg.read_text() == "[elevenlabs\nbroken = "


def test_no_key_is_one_line_naming_the_setting(cli: typer.Typer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ELEVENLABS_API_KEY")
    for argv in (["agent", "create"], ["agent", "show"]):
        monkeypatch.setenv("ELEVENLABS_AGENT_ID", "agent_x")
        result = CliRunner().invoke(cli, argv)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("interview: ELEVENLABS_API_KEY is not set") and len(
            result.stderr.splitlines()) == 1
