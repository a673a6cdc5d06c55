"""The composition root builds what production runs: settings → store → engines → service → app. These tests use
its wiring unchanged (only the clock is injected, or nothing at all when `interview` itself runs on a pty)."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import time
from pathlib import Path

import pytest

from interview_tui import bootstrap
from interview_tui.domain.clock import FakeClock
from interview_tui.domain.lifecycle import Status
from interview_tui.paths import resolve_paths
from interview_tui.providers.local_analyzer import LocalAnalyzer
from interview_tui.providers.local_planner import LocalPlanner
from interview_tui.providers.plan_cache import CachedPlanner
from interview_tui.service import SessionService
from interview_tui.store.db import Store
from interview_tui.tui.app import InterviewApp
from interview_tui.voice.text_engine import TextVoice
from tests.doubles import settings_for
from tests.fakes.gemini_server import FakeGeminiServer
from tests.fakes.pty_app import PtyApp
from tests.paths import ROOT, SAMPLE_JD_FILE

JD = SAMPLE_JD_FILE.read_text(encoding="utf-8")


def _crashed_live_session(service: SessionService, clock: FakeClock) -> str:
    """A session that went live and was last heard of 130 s in, in a process that no longer exists."""
    service.top_up(15)
    sid = service.run_setup(service.create(JD).id).id
    service.start_active(sid, voice="text")
    clock.advance(130)
    service.heartbeat(sid)
    service.store.conn.execute("UPDATE interview_sessions SET owner = ? WHERE id = ?",
                               (f"{socket.gethostname()}:999999999", sid))
    return sid


def test_offline_runtime_plans_and_scores_with_the_offline_engines(tmp_path: Path) -> None:
    clock = FakeClock()
    with bootstrap.open_runtime(settings_for(tmp_path), text_mode=True, clock=clock) as runtime:
        assert [(c.role, c.name) for c in runtime.engines.describe()] == [
            ("planner", "offline planner"), ("analyzer", "offline analyzer"), ("voice", "text mode")]
        assert isinstance(runtime.engines.planner, CachedPlanner)
        assert isinstance(runtime.engines.analyzer, LocalAnalyzer)
        assert isinstance(runtime.engines.make_voice(), TextVoice)
        assert runtime.store.path == tmp_path / "interview.db"
        runtime.service.top_up(15)
        record = runtime.service.run_setup(runtime.service.create(JD).id)
        assert record.status is Status.READY and record.planner == "local" and record.plan is not None
        assert runtime.service.clock is clock
    assert list((tmp_path / "cache").glob("plan-*.json"))  # the planner's cache lives under the settings' home


def test_gemini_keys_select_gemini(gemini_server: FakeGeminiServer, tmp_path: Path) -> None:
    with bootstrap.open_runtime(settings_for(tmp_path, gemini=gemini_server), text_mode=True) as runtime:
        names = {c.role: c.name for c in runtime.engines.describe()}
        assert names["planner"].startswith("Gemini") and names["analyzer"].startswith("Gemini")
        runtime.service.top_up(15)
        runtime.service.run_setup(runtime.service.create(JD).id)
    assert len(gemini_server.generate_requests) == 1


def test_start_up_pauses_a_session_a_crash_left_live(tmp_path: Path) -> None:
    clock = FakeClock()
    with bootstrap.open_runtime(settings_for(tmp_path), text_mode=True, clock=clock) as runtime:
        sid = _crashed_live_session(runtime.service, clock)
        clock.advance(600)
        bootstrap.start_up(runtime)
        record = runtime.service.get(sid)
        assert record.status is Status.ACTIVE and record.interrupted and record.charged and record.owner is None
        assert record.live_seconds(clock.now()) == 130  # settled from its last heartbeat


def test_make_app_takes_its_log_file_and_name_from_the_settings(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, candidate_name="Ana")
    with bootstrap.open_runtime(settings, text_mode=True) as runtime:
        app = bootstrap.make_app(runtime, jd_text="x")
        assert isinstance(app, InterviewApp)
        assert app.log_file == settings.paths.log_file and app.candidate_name == "Ana" and app.initial_jd == "x"
        assert (app.service, app.engines, app.clock) == (runtime.service, runtime.engines, runtime.clock)


@pytest.mark.timeout(120)
def test_interview_runs_the_production_wiring_end_to_end(app_home: Path) -> None:
    """`interview --text` as a user runs it: the runtime from the settings, recovery before the first screen (the
    settled session is then offered for resume), and a clean exit on ctrl+q."""
    paths = resolve_paths()
    clock = FakeClock(time.time() - 3600)
    store = Store.open(paths.db_path)
    sid = _crashed_live_session(bootstrap.make_service(store, planner=LocalPlanner(), clock=clock), clock)
    store.close()
    app = PtyApp(["--text"], {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(ROOT)})
    try:
        app.wait(app.shows("unfinished interview"), "the resume dialog")
        assert app.quit() == 0, app.text()
    finally:
        app.close()
    store = Store.open(paths.db_path)
    record = bootstrap.make_service(store).get(sid)
    store.close()
    assert record.interrupted and record.charged and record.owner is None  # settled at start-up (heartbeat)
    assert "recovered interrupted session" in paths.log_file.read_text()


@pytest.mark.timeout(120)
def test_the_apps_hints_name_the_cli_as_this_installation_runs_it(app_home: Path) -> None:
    """`interview` resolves, at start-up, how the user can run the CLI (`invocation.cli_command`) and the app's
    hints use it: with no `interview` on PATH, the top-up line names this installation's script (or `python -m`)."""
    from interview_tui.invocation import cli_command
    path = os.pathsep.join(["/usr/bin", "/bin"])
    if shutil.which("interview", path=path) is not None:
        pytest.skip("an `interview` is installed system-wide")
    expected = cli_command(path=path, argv0=str(ROOT / "interview_tui" / "__main__.py"), executable=sys.executable)
    assert expected != "interview"
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(ROOT), "PATH": path}
    app = PtyApp(["--text"], env, size=(200, 30))  # wide: the command is on one line
    try:
        app.wait(app.shows(f"{expected} credits add 15"), "the top-up hint (0 credits)")
        assert app.quit() == 0, app.text()
    finally:
        app.close()
