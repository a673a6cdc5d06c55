"""One owner per live session across real OS processes (issue 11): `interview --text` runs in a child process on a
pseudo-terminal, resumes a planned session and takes it live; this test process, a second instance on the same
database file, is refused ("live in another window") by the service and by its own app, and touches nothing. Once
the child is killed, the session is recovered and can be taken here: the refusal was the live owner's, not a
leftover. Waits are on the database and the child's screen, never fixed sleeps."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from interview_tui import bootstrap
from interview_tui.domain.errors import LiveElsewhere
from interview_tui.domain.lifecycle import Status
from interview_tui.live import LiveSession
from interview_tui.paths import resolve_paths
from interview_tui.providers.local_analyzer import LocalAnalyzer
from interview_tui.providers.local_planner import LocalPlanner
from interview_tui.service import SessionService
from interview_tui.store.db import Store
from tests.doubles import ScriptedVoice, scripted_engines, settings_for
from tests.fakes.pty_app import PtyApp
from tests.fakes.tui_pilot import wait_for_screen
from tests.paths import ROOT, SAMPLE_JD_FILE

JD = SAMPLE_JD_FILE.read_text(encoding="utf-8")


@pytest.fixture
def planned(app_home: Path) -> Iterator[tuple[Path, str]]:
    """A funded, planned (ready) session in the default database of this test's home."""
    db = resolve_paths().db_path
    with Store.open(db) as store:
        service = bootstrap.make_service(store, planner=LocalPlanner())
        service.top_up(15)
        sid = service.run_setup(service.create(JD).id).id
    yield db, sid


def _record(db: Path, sid: str):  # type: ignore[no-untyped-def]
    with Store.open(db) as store:
        return bootstrap.make_service(store).get(sid)


@pytest.mark.timeout(180)
@pytest.mark.anyio
async def test_a_session_live_in_another_process_is_refused_here(planned: tuple[Path, str], app_home: Path) -> None:
    db, sid = planned
    child = PtyApp(["--text"], {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(ROOT)})
    try:
        # The child: offered the unfinished session, resumes it (r), begins it (b), and is live.
        child.wait(child.shows("unfinished interview"), "the child's resume dialog")
        child.press(b"r")
        child.wait(child.shows("Begin interview"), "the child's plan")
        child.press(b"b")
        owner_prefix = f"{socket.gethostname()}:{child.proc.pid}:"

        def child_is_live() -> bool:
            record = _record(db, sid)
            return record.status is Status.ACTIVE and (record.owner or "").startswith(owner_prefix)

        child.wait(child_is_live, "the session live in the child")
        held = _record(db, sid)

        # This process, through the service: refused before anything starts; nothing it does touches the session.
        with Store.open(db) as store:
            here = bootstrap.make_service(store)
            with pytest.raises(LiveElsewhere, match="live in another window"):
                here.claim(sid)
            voice = ScriptedVoice()
            with pytest.raises(LiveElsewhere, match="live in another window"):
                LiveSession(here, sid, voice, here.clock).begin()
            assert voice.context is None, "the refused instance must not start a voice"
            with pytest.raises(LiveElsewhere):
                here.end(sid)
            with pytest.raises(LiveElsewhere):
                here.cancel(sid)
            assert here.heartbeat(sid) is False
            assert here.recover() == []  # the child is alive: nothing to recover

            # ... and through its own app: the session is offered as open elsewhere, and resume/discard do nothing.
            engines = scripted_engines(LocalPlanner(), LocalAnalyzer(), ScriptedVoice, "text mode")
            with bootstrap.open_runtime(settings_for(app_home), engines=engines) as runtime:
                app = bootstrap.make_app(runtime)
                async with app.run_test(size=(100, 32)) as pilot:
                    await wait_for_screen(pilot, "ResumeDialog", limit_s=30)
                    assert "another window" in str(app.screen.query_one("#resume-elsewhere").render())
                    for key in ("r", "d"):
                        await pilot.press(key)
                        assert type(app.screen).__name__ == "ResumeDialog"
                    await pilot.press("escape")
                    await wait_for_screen(pilot, "StartScreen")

            after = _record(db, sid)
            assert (after.status, after.owner, after.started_at, after.ended_at) == \
                (Status.ACTIVE, held.owner, held.started_at, None)
            assert child.proc.poll() is None, "the child kept running"

            # The child dies: now the session is recovered (paused) and this process may take it.
            child.kill()
            [paused] = here.recover()
            assert paused.id == sid and paused.interrupted
            claimed = here.claim(sid)
            assert claimed.owner == here.owner
    finally:
        child.close()


def test_the_child_process_owner_is_alive_only_while_it_runs(planned: tuple[Path, str]) -> None:
    """The premise of the test above, on its own: a service in another process sees a same-host owner as alive
    exactly while that process exists (no heartbeat wait)."""
    db, sid = planned
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(db), sid], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "claimed", "the child could not claim the session"
        with Store.open(db) as store:
            here: SessionService = bootstrap.make_service(store)
            with pytest.raises(LiveElsewhere, match="being started in another window"):
                here.claim(sid)
            holder.kill()
            holder.wait(timeout=30)
            assert here.claim(sid).owner == here.owner  # a dead claimant's claim is void at once
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


_HOLD = """
import sys
import time
from interview_tui import bootstrap
from interview_tui.store.db import Store

store = Store.open(sys.argv[1])
bootstrap.make_service(store).claim(sys.argv[2])
print("claimed", flush=True)
while True:
    time.sleep(60)
"""
