"""`interview plan FILE [--json]`: Gemini (fake server) with a key, the offline planner without; no session,
no credits; errors are one line on stderr with exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interview_tui.cli import app
from tests.fakes.gemini_server import FakeGeminiServer, Reply
from tests.paths import SAMPLE_JD_FILE

JD_FILE = SAMPLE_JD_FILE
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def gemini_env(gemini_server: FakeGeminiServer, monkeypatch: pytest.MonkeyPatch) -> FakeGeminiServer:
    monkeypatch.setenv("GEMINI_API_KEY", gemini_server.api_key)
    monkeypatch.setenv("GEMINI_BASE_URL", gemini_server.url)
    monkeypatch.setenv("GEMINI_TIMEOUT_S", "2")
    return gemini_server


def test_plan_with_gemini_then_from_cache(gemini_env: FakeGeminiServer, app_home: Path) -> None:
    code, out, err = run("plan", str(JD_FILE))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Interview plan for ")
    assert "Planner: gemini-3.8-flash" in lines[1] and "from cache" not in lines[1]
    assert lines[2].startswith("Skills: ")
    assert any(line.startswith("1. [") for line in lines)
    assert len(gemini_env.generate_requests) == 1

    code, again, _ = run("plan", str(JD_FILE))
    assert code == 0 and "gemini-3.8-flash, from cache" in again
    assert again.splitlines()[3:] == lines[3:]
    assert len(gemini_env.generate_requests) == 1
    assert not (app_home / "interview.db").exists()  # no session, no ledger: the store is never opened


def test_plan_json(gemini_env: FakeGeminiServer) -> None:
    code, out, _ = run("plan", str(JD_FILE), "--json")
    assert code == 0
    plan = json.loads(out)
    assert plan["engine"] == "gemini-3.8-flash"
    assert plan["questions"][0]["id"] == "q1"
    assert {"questions", "detected_skills", "experience_level", "domain_track", "role_title"} <= set(plan)


def test_plan_without_a_key_uses_the_offline_planner(gemini_server: FakeGeminiServer) -> None:
    code, out, err = run("plan", str(JD_FILE), "--json")
    assert code == 0, err
    assert json.loads(out)["engine"] == "local"
    assert gemini_server.requests == []


def test_model_output_is_printed_as_plain_text(gemini_env: FakeGeminiServer) -> None:
    gemini_env.enqueue(Reply.answer({
        "role_title": "[bold red]Boss[/] \x1b[2J\x1b]0;pwned\x07Engineer", "experience_level": "senior",
        "domain_track": "backend", "detected_skills": ["[link=http://x]Python[/link]"],
        "questions": [{"text": f"[blink]Question {i}[/blink] about Python?", "kind": "technical",
                       "skill": "Python"} for i in range(5)]}))
    code, out, _ = run("plan", str(JD_FILE))
    assert code == 0
    assert "Interview plan for [bold red]Boss[/] Engineer" in out
    assert "[link=http://x]Python[/link]" in out and "[blink]Question 0[/blink]" in out
    assert "\x1b" not in out and "\x07" not in out


def test_rejected_key_is_one_line_exit_2(gemini_env: FakeGeminiServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", "AIza-wrong-key-123")
    code, out, err = run("plan", str(JD_FILE))
    assert code == 2 and out == ""
    assert err.startswith("interview: Your Gemini key was rejected") and err.count("\n") == 1
    assert "AIza-wrong-key-123" not in err


@pytest.mark.parametrize(("content", "message"), [
    (None, "There is no file"),
    (b"%PDF-1.7\x00\x01binary", "looks binary"),
    ("caf\u00e9 ".encode("latin-1") * 40, "not UTF-8"),
    (b"Backend engineer, Python.", "only 3 words"),
    (b"   \n\t  ", "empty"),
])
def test_bad_jd_files_exit_2(gemini_env: FakeGeminiServer, tmp_path: Path, content: bytes | None,
                             message: str) -> None:
    path = tmp_path / "jd.txt"
    if content is not None:
        path.write_bytes(content)
    code, _, err = run("plan", str(path))
    assert code == 2 and message in err and err.count("\n") == 1
    assert gemini_env.requests == []


def test_plan_command_as_a_real_process(gemini_server: FakeGeminiServer, app_home: Path) -> None:
    env = {**os.environ, "GEMINI_API_KEY": gemini_server.api_key, "GEMINI_BASE_URL": gemini_server.url,
           "GEMINI_TIMEOUT_S": "5", "INTERVIEW_TUI_HOME": str(app_home)}
    gemini_server.enqueue(Reply.error(503), Reply.error(503))
    proc = subprocess.run([sys.executable, "-m", "interview_tui", "plan", str(JD_FILE)], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("interview: Gemini is unavailable right now (503")
    assert "Traceback" not in proc.stderr
    assert len(gemini_server.generate_requests) == 2
