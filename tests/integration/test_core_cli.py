"""The `interview` CLI: every core command, its --json shape, and every bad input (exit 2, one line)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interview_tui.bootstrap import make_service
from interview_tui.cli import app
from interview_tui.domain.clock import FakeClock
from interview_tui.store.db import SCHEMA_VERSION, Store
from tests.doubles import ScriptedAnalyzer, ScriptedPlanner

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def test_balance_on_an_empty_home_is_zero(app_home: Path) -> None:
    assert run("credits", "balance") == (0, "0\n", "")
    code, out, _ = run("credits", "balance", "--json")
    assert code == 0 and json.loads(out) == {"balance": 0}
    assert (app_home / "interview.db").exists()


def test_add_balance_history(app_home: Path) -> None:
    code, out, _ = run("credits", "add", "40", "--note", "welcome pack")
    assert code == 0 and out == "Added 40 credits. Balance: 40.\n"
    code, out, _ = run("credits", "add", "2", "--json")
    assert json.loads(out) == {"added": 2, "balance": 42, "entry_id": 2}
    assert run("credits", "balance")[1] == "42\n"
    code, out, _ = run("credits", "history", "--json", "--limit", "1")
    entries = json.loads(out)["entries"]
    assert len(entries) == 1
    assert set(entries[0]) == {"id", "amount", "kind", "session_id", "note", "created_at", "session_deleted"}
    assert entries[0]["amount"] == 2 and entries[0]["kind"] == "topup"
    code, out, _ = run("credits", "history")
    assert "welcome pack" in out and "+40" in out


@pytest.mark.parametrize(("amount", "message"), [
    ("0", "positive"), ("-5", "positive"), ("1.5", "whole number"), ("ten", "whole number"),
    ("100001", "limited"), ("99999999999999999999", "limited"),
])
def test_bad_amounts_exit_2(amount: str, message: str) -> None:
    code, _, err = run("credits", "add", "--", amount)
    assert code == 2 and message in err and err.count("\n") == 1
    assert run("credits", "balance")[1] == "0\n"


def test_global_db_option(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "x.db"
    assert run("--db", str(other), "credits", "add", "7")[0] == 0
    assert run("--db", str(other), "credits", "balance")[1] == "7\n"
    assert run("credits", "balance")[1] == "0\n"


def test_corrupt_database_is_reported_not_repaired(app_home: Path) -> None:
    db = app_home / "interview.db"
    db.write_bytes(b"garbage" * 50)
    code, _, err = run("credits", "balance")
    assert code == 2 and "not an interview-tui database" in err
    assert db.read_bytes() == b"garbage" * 50


def _seed_sessions(db: Path, jd: str) -> tuple[str, str]:
    clock = FakeClock()
    store = Store.open(db)
    svc = make_service(store, planner=ScriptedPlanner(), analyzer=ScriptedAnalyzer(), clock=clock)
    svc.top_up(30)
    done = svc.create(jd)
    svc.run_setup(done.id)
    svc.start_active(done.id, voice="text")
    clock.advance(130)
    svc.end(done.id)
    svc.run_analysis(done.id)
    clock.advance(10)
    open_ = svc.create(jd)
    store.close()
    return done.id, open_.id


def test_sessions_list_and_show(app_home: Path, sample_jd: str) -> None:
    done, pending = _seed_sessions(app_home / "interview.db", sample_jd)
    code, out, _ = run("sessions", "list", "--json")
    assert code == 0
    sessions = json.loads(out)["sessions"]
    assert [s["id"] for s in sessions] == [pending, done]
    assert set(sessions[0]) == {"id", "status", "created_at", "role", "track", "level", "duration_s", "charged",
                                "score", "error"}
    assert {k: v for k, v in sessions[1].items() if k != "created_at"} == {
        "id": done, "status": "complete", "role": "Senior Backend Engineer (Python)", "track": "backend",
        "level": "senior", "duration_s": 130.0, "charged": True, "score": None, "error": None,
    }
    assert sessions[0]["status"] == "created" and sessions[0]["charged"] is False
    code, out, _ = run("sessions", "show", done[:6], "--json")
    detail = json.loads(out)
    assert detail["id"] == done and detail["plan"]["questions"][0]["id"] == "q1"
    assert detail["started_at"].endswith("+00:00")
    code, out, _ = run("sessions", "show", done)
    assert "Senior Backend Engineer" in out and "Charged   yes" in out
    assert run("sessions", "list")[1].count("\n") == 2


@pytest.mark.parametrize("bad", ["nope", "zzzzzzzz", "%%%%"])
def test_unknown_session_exits_2(bad: str) -> None:
    code, _, err = run("sessions", "show", bad)
    assert code == 2 and "There is no session" in err


def test_doctor_never_prints_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "AIza-TOP-SECRET-value-123"
    monkeypatch.setenv("GEMINI_API_KEY", secret)
    monkeypatch.setenv("ELEVENLABS_API_KEY", secret + "-el")
    code, out, _ = run("doctor", "--json")
    assert code == 1 and secret not in out  # a check failed (no agent): doctor exits non-zero
    checks = {c["name"]: c for c in json.loads(out)["checks"]}
    assert checks["gemini_key"]["ok"] and checks["elevenlabs_key"]["ok"]
    assert not checks["elevenlabs_agent"]["ok"] and "interview agent create" in checks["elevenlabs_agent"]["fix"]
    assert f"schema {SCHEMA_VERSION} of {SCHEMA_VERSION}" in checks["database"]["detail"]
    code, out, _ = run("doctor")
    assert secret not in out and "[ok  ] gemini_key" in out


def test_credits_path_does_not_import_heavy_modules(app_home: Path) -> None:
    Store.open(app_home / "interview.db").close()  # the first run's migration may import sqlite-utils; later runs don't
    code = (
        "import sys\n"
        "sys.argv = ['interview', 'credits', 'balance']\n"
        "from interview_tui.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted({m.split('.')[0] + ('.genai' if m.startswith('google.genai') else '') for m in sys.modules\n"
        "    if m.startswith(('textual', 'google.genai', 'elevenlabs', 'sounddevice', 'numpy', 'sqlite_utils',\n"
        "                     'pydantic', 'rich'))})\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**os.environ}, check=True).stdout
    assert out.splitlines()[0] == "0"
    assert out.splitlines()[-1] == "HEAVY []"


def test_python_dash_m_runs_the_cli(app_home: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "interview_tui", "credits", "balance", "--json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and json.loads(proc.stdout) == {"balance": 0}


@pytest.mark.parametrize(("model", "key", "ok", "text"), [
    ("gemini-2.5-pro", None, True, "gemini-2.5-pro"),
    ("gemini-1.0-retired", None, False, "GEMINI_MODEL"),
    ("gemini-2.5-pro", "wrong-key-000000", False, "rejected"),
])
def test_doctor_checks_the_gemini_model(monkeypatch: pytest.MonkeyPatch, gemini_server, model: str,
                                        key: str | None, ok: bool, text: str) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", key or gemini_server.api_key)
    monkeypatch.setenv("GEMINI_BASE_URL", gemini_server.url)
    monkeypatch.setenv("GEMINI_MODEL", model)
    code, out, _ = run("doctor", "--json")
    report = json.loads(out)
    check = {c["name"]: c for c in report["checks"]}["gemini_model"]
    assert code == (0 if report["ok"] else 1) and check["ok"] is ok
    assert text in (check["detail"] + check["fix"])
    assert gemini_server.api_key not in out and (key is None or key not in out)
