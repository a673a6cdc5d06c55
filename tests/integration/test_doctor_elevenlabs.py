"""`interview doctor` checks the ElevenLabs key and agent against the API (the fake server), or says plainly that
it did not (issue 11, problem 2: a wrong key used to show as "set, ok")."""

from __future__ import annotations

import json
import socket

import pytest
from typer.testing import CliRunner

from interview_tui.cli import app
from tests.fakes.elevenlabs_server import API_KEY, DEFAULT_AGENT, FakeElevenLabs

runner = CliRunner()


def _doctor(monkeypatch: pytest.MonkeyPatch, base_url: str, key: str, agent: str | None) -> dict[str, dict]:
    monkeypatch.setenv("ELEVENLABS_API_KEY", key)
    monkeypatch.setenv("ELEVENLABS_BASE_URL", base_url)
    if agent:
        monkeypatch.setenv("ELEVENLABS_AGENT_ID", agent)
    result = runner.invoke(app, ["doctor", "--json"])
    assert result.exit_code in (0, 1) and "Traceback" not in result.output  # 1: some check failed
    assert key not in result.stdout
    return {c["name"]: c for c in json.loads(result.stdout)["checks"]}


@pytest.mark.parametrize(("key", "agent", "key_ok", "agent_ok", "says"), [
    (API_KEY, DEFAULT_AGENT, True, True, "accepted by ElevenLabs"),
    ("sk_wrong_key_123", DEFAULT_AGENT, False, True, "rejected it (HTTP 401)"),
    (API_KEY, "agent_nobody_made", True, False, "does not know this agent (HTTP 404)"),
    (API_KEY, None, True, False, "not checked: there is no agent id"),
])
def test_doctor_asks_elevenlabs(monkeypatch: pytest.MonkeyPatch, elevenlabs_server: FakeElevenLabs, key: str,
                                agent: str | None, key_ok: bool, agent_ok: bool, says: str) -> None:
    checks = _doctor(monkeypatch, elevenlabs_server.base_url, key, agent)
    assert checks["elevenlabs_key"]["ok"] is key_ok and checks["elevenlabs_agent"]["ok"] is agent_ok
    assert says in checks["elevenlabs_key"]["detail"] + checks["elevenlabs_agent"]["detail"]
    if not key_ok:
        assert "ELEVENLABS_API_KEY" in checks["elevenlabs_key"]["fix"]
    if agent and agent_ok:
        assert any(m == "GET" and DEFAULT_AGENT in p for m, p, _ in elevenlabs_server.rest_requests)


def test_doctor_says_when_it_could_not_check(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:  # a port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    checks = _doctor(monkeypatch, f"http://127.0.0.1:{port}", API_KEY, DEFAULT_AGENT)
    assert "not checked: ElevenLabs could not be reached" in checks["elevenlabs_key"]["detail"]
