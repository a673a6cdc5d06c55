"""`interview sessions delete`: the session leaves no trace in the database file (WAL included), its recording
and cached plan are removed, the ledger is unchanged; a live session is refused; retention expires recordings."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interview_tui.bootstrap import make_service
from interview_tui.cli import app
from interview_tui.domain.clock import FakeClock
from interview_tui.domain.models import Turn
from interview_tui.providers.plan_cache import PlanCache
from interview_tui.recordings import RecordingStore
from interview_tui.service import SessionService
from interview_tui.store.db import Store
from tests.doubles import ScriptedAnalyzer, ScriptedPlanner, sample_plan

runner = CliRunner()
JD_MARK = "Zorblaxian"
ANSWER_MARK = "flumpernickel"
SECRET_JD = ("{jd}\nYou will own the Zorblaxian payments platform, the Zorblaxian ledger and the Zorblaxian "
             "reconciliation jobs.")


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def file_bytes(db: Path) -> bytes:
    """The database file and its write-ahead log, as bytes on disk."""
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal")) if p.exists())


def make_session(svc: SessionService, clock: FakeClock, jd: str, *, answers: int = 12, mark: str = "billing") -> str:
    """A complete, charged session whose JD and answers carry the marker strings."""
    record = svc.create(jd)
    svc.run_setup(record.id)
    svc.start_active(record.id, voice="test")
    for i in range(answers):  # many updates of the live transcript: stale row versions pile up in the file
        clock.advance(15)
        svc.append_turn(record.id, Turn(role="agent", text=f"Question {i}?", t=i * 15.0))
        svc.append_turn(record.id, Turn(role="user", text=f"I led the {mark} number {i}.", t=i * 15.0 + 5))
    svc.end(record.id)
    svc.run_analysis(record.id)
    return record.id


@pytest.fixture
def home_db(app_home: Path) -> Path:
    return app_home / "interview.db"


def open_service(db: Path, clock: FakeClock) -> SessionService:
    return make_service(Store.open(db), planner=ScriptedPlanner(), analyzer=ScriptedAnalyzer(), clock=clock)


def test_delete_leaves_no_trace_in_the_file_and_keeps_the_ledger(app_home: Path, home_db: Path,
                                                                 sample_jd: str) -> None:
    clock = FakeClock()
    svc = open_service(home_db, clock)
    svc.top_up(100, "funds")
    keep = make_session(svc, clock, sample_jd, answers=2)
    gone = make_session(svc, clock, SECRET_JD.format(jd=sample_jd), mark=ANSWER_MARK)
    recordings = RecordingStore(app_home / "recordings")
    recordings.ensure_dir()
    recordings.path_for(gone).write_bytes(b"OggS fake audio")
    recordings.path_for(keep).write_bytes(b"OggS other audio")
    cache = PlanCache(app_home / "cache")
    cache.put(SECRET_JD.format(jd=sample_jd), "static", "", sample_plan())
    cache.put(sample_jd, "static", "", sample_plan())
    ledger_before = [r.as_dict() for r in svc.ledger_history()]
    assert any(r["session_id"] == gone and r["kind"] == "debit" for r in ledger_before)
    svc.store.close()
    before = file_bytes(home_db)
    assert JD_MARK.encode() in before and ANSWER_MARK.encode() in before  # the check below can fail

    code, out, err = run("sessions", "delete", gone, "--yes")
    assert code == 0, err
    assert "Deleted 1 session with 1 recording and 1 cached plan" in out

    after = file_bytes(home_db)
    assert JD_MARK.encode() not in after
    assert ANSWER_MARK.encode() not in after
    assert not recordings.path_for(gone).exists() and recordings.path_for(keep).exists()
    assert len(list((app_home / "cache").glob("plan-*.json"))) == 1
    svc = open_service(home_db, clock)
    assert [r.as_dict() for r in svc.ledger_history()] == ledger_before
    assert [s.id for s in svc.list_sessions()] == [keep]
    svc.store.close()
    code, out, _ = run("credits", "history", "--json")
    entries = json.loads(out)["entries"]
    debit = next(e for e in entries if e["session_id"] == gone)
    assert debit["kind"] == "debit" and debit["session_deleted"] is True
    assert all(not e["session_deleted"] for e in entries if e["session_id"] != gone)
    assert f"session {gone} (deleted)" in run("credits", "history")[1]
    assert run("sessions", "show", gone)[0] == 2


def test_no_trace_even_where_sqlite_does_not_zero_deleted_content(home_db: Path, app_home: Path,
                                                                   sample_jd: str) -> None:
    """Many SQLite builds leave deleted bytes in the file (secure_delete off by default; Debian's is on): the
    erasure must not depend on it."""
    from interview_tui.erasure import erase_sessions

    clock = FakeClock()
    svc = open_service(home_db, clock)
    svc.store.conn.execute("PRAGMA secure_delete = OFF")
    svc.top_up(100)
    make_session(svc, clock, sample_jd, answers=3)
    gone = make_session(svc, clock, SECRET_JD.format(jd=sample_jd), mark=ANSWER_MARK)
    result = erase_sessions(svc, [svc.get(gone)], recordings=RecordingStore(app_home / "recordings"),
                            plan_cache=PlanCache(app_home / "cache"))
    assert result.session_ids == [gone] and result.scrubbed
    after = file_bytes(home_db)
    assert JD_MARK.encode() not in after and ANSWER_MARK.encode() not in after
    assert Path(f"{home_db}-wal").stat().st_size == 0
    svc.store.close()


def test_delete_asks_first_and_refuses_without_an_answer(home_db: Path, sample_jd: str) -> None:
    clock = FakeClock()
    svc = open_service(home_db, clock)
    svc.top_up(100)
    sid = make_session(svc, clock, sample_jd, answers=1)
    svc.store.close()
    code, _, err = run("sessions", "delete", sid[:6], stdin="n\n")
    assert code == 1 and "Nothing was deleted" in err
    code, _, err = run("sessions", "delete", sid[:6])  # no input at all
    assert code == 1 and "Nothing was deleted" in err
    assert run("sessions", "show", sid)[0] == 0
    code, out, _ = run("sessions", "delete", sid[:6], stdin="y\n")
    assert code == 0 and "Deleted 1 session" in out
    assert run("sessions", "show", sid)[0] == 2


def test_delete_before_a_date(home_db: Path, sample_jd: str) -> None:
    clock = FakeClock(start=time.mktime((2026, 3, 1, 12, 0, 0, 0, 0, -1)))
    svc = open_service(home_db, clock)
    svc.top_up(100)
    old = make_session(svc, clock, sample_jd, answers=1)
    clock.set(time.mktime((2026, 3, 20, 12, 0, 0, 0, 0, -1)))
    new = make_session(svc, clock, sample_jd, answers=1)
    svc.store.close()
    code, out, _ = run("sessions", "delete", "--before", "2026-03-10", "--yes", "--json")
    assert code == 0 and json.loads(out)["deleted"] == [old]
    assert run("sessions", "show", new)[0] == 0 and run("sessions", "show", old)[0] == 2
    code, out, _ = run("sessions", "delete", "--before", "2026-03-10", "--yes")
    assert code == 0 and "nothing was deleted" in out
    for bad in (["--before", "last week"], [], [new, "--before", "2026-01-01"]):
        code, _, err = run("sessions", "delete", *bad, "--yes")
        assert code == 2 and err.count("\n") == 1


def test_a_session_live_in_another_process_is_refused(home_db: Path, sample_jd: str) -> None:
    clock = FakeClock(start=time.time())
    svc = open_service(home_db, clock)
    svc.top_up(100)
    record = svc.create(sample_jd)
    svc.run_setup(record.id)
    svc.start_active(record.id, voice="test")
    other = subprocess.Popen(["sleep", "30"])
    try:
        svc.sessions.update(record.id, clock.now(), owner=f"{socket.gethostname()}:{other.pid}")
        svc.store.close()
        code, _, err = run("sessions", "delete", record.id, "--yes")
        assert code == 2 and "live" in err
        code, _, err = run("sessions", "delete", "--before", "2100-01-01", "--yes")
        assert code == 2 and "live" in err
        assert run("sessions", "show", record.id)[0] == 0
    finally:
        other.kill()
        other.wait()
    code, _, _ = run("sessions", "delete", record.id, "--yes")  # its process is gone: a stale session goes
    assert code == 0


def test_retention_expires_old_recordings(tmp_path: Path) -> None:
    store = RecordingStore(tmp_path / "recordings")
    store.ensure_dir()
    assert oct(os.stat(store.directory).st_mode & 0o777) == "0o700"
    now = time.time()
    for sid, age_days in (("old1", 40), ("recent", 2), ("old2", 31)):
        path = store.path_for(sid)
        path.write_bytes(b"x")
        os.utime(path, (now - age_days * 86_400, now - age_days * 86_400))
    removed = store.expire(30, now)
    assert sorted(p.stem for p in removed) == ["old1", "old2"]
    assert store.exists("recent") and not store.exists("old1")
    assert store.expire(-1, now) == []
    with pytest.raises(ValueError):
        store.path_for("../etc/passwd")


def test_recording_settings_from_config_and_environment(tmp_path: Path) -> None:
    from interview_tui.domain.errors import InvalidInput
    from interview_tui.paths import AppPaths
    from interview_tui.settings import load_settings

    paths = AppPaths(data_dir=tmp_path, config_dir=tmp_path, db_path=tmp_path / "db")
    assert (load_settings(paths, {}).record, load_settings(paths, {}).recordings_keep_days) == (False, None)
    paths.config_file.write_text("[recordings]\nenabled = true\nkeep_days = 30\n")
    settings = load_settings(paths, {})
    assert (settings.record, settings.recordings_keep_days) == (True, 30.0)
    settings = load_settings(paths, {"INTERVIEW_RECORD": "0", "INTERVIEW_RECORDINGS_KEEP_DAYS": "7"})
    assert (settings.record, settings.recordings_keep_days) == (False, 7.0)
    for env in ({"INTERVIEW_RECORD": "maybe"}, {"INTERVIEW_RECORDINGS_KEEP_DAYS": "-3"},
                {"INTERVIEW_RECORDINGS_KEEP_DAYS": "a month"}):
        with pytest.raises(InvalidInput):
            load_settings(paths, env)
