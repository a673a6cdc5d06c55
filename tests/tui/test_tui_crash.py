"""A bug that reaches the top of the app: the live session is settled, the traceback goes to the log (keys
scrubbed), and the terminal gets one line — never Textual's traceback with local variables."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from textual.widgets import TextArea

from interview_tui.bootstrap import make_app, make_service, open_runtime
from interview_tui.domain.clock import FakeClock
from interview_tui.domain.lifecycle import Status
from interview_tui.logging_setup import configure_logging
from interview_tui.paths import resolve_paths
from interview_tui.providers.local_analyzer import LocalAnalyzer
from interview_tui.providers.local_planner import LocalPlanner
from interview_tui.settings import load_settings
from interview_tui.store.db import Store
from interview_tui.voice.text_engine import TextVoice
from tests.doubles import scripted_engines
from tests.fakes.tui_pilot import to_live, wait_for
from tests.paths import SAMPLE_JD_FILE

pytestmark = pytest.mark.anyio

JD = SAMPLE_JD_FILE.read_text(encoding="utf-8")
SECRET = "AIza-secret-that-must-not-leak-42"


class BugInTheUI(RuntimeError):
    pass


async def test_unhandled_error_is_logged_and_the_live_session_settled(app_home: Path,
                                                                     capfd: pytest.CaptureFixture[str]) -> None:
    settings = load_settings(resolve_paths(), env={"INTERVIEW_TUI_HOME": str(app_home), "GEMINI_API_KEY": SECRET})
    handler = configure_logging(settings)
    clock = FakeClock()
    engines = scripted_engines(LocalPlanner(), LocalAnalyzer(), lambda: TextVoice(clock), "text mode")
    runtime = open_runtime(settings, clock=clock, engines=engines)
    store, service = runtime.store, runtime.service
    service.top_up(15)
    app = make_app(runtime, jd_text=JD, tick_interval=0.1)  # the log file is the settings' (bootstrap.make_app)
    app.animation_level = "none"

    def bug(api_key: str = SECRET) -> None:
        raise BugInTheUI(f"widget exploded near {api_key}")

    try:
        with pytest.raises(BugInTheUI):
            async with app.run_test(size=(100, 32)) as pilot:
                await to_live(pilot)
                clock.advance(130)
                app.screen.query_one("#answer", TextArea).load_text("I led the ledger migration end to end.")
                await pilot.press("ctrl+s")
                await wait_for(pilot, lambda: service.get(service.list_sessions()[0].id).charged,
                               description="the charge at 2:00")
                app.call_later(bug)
                await pilot.pause()
                await pilot.pause()
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
        store.close()
    assert app.return_code == 1
    printed = capfd.readouterr()
    assert "Traceback" not in printed.err + printed.out and SECRET not in printed.err + printed.out
    line = "".join(printed.err.splitlines())  # one message; the captured console is 80 columns wide
    assert line.count("interview:") == 1
    assert line.startswith("interview: Something unexpected went wrong while running the app (BugInTheUI).")
    assert str(settings.paths.log_file) in line and SECRET not in line
    log_text = settings.paths.log_file.read_text()
    assert "BugInTheUI: widget exploded near ********" in log_text and SECRET not in log_text
    store = Store.open(settings.paths.db_path)
    [record] = make_service(store).list_sessions()
    # paused at the crash (not lost, not ended): it can be continued or ended next time; the charge stands
    assert record.status is Status.ACTIVE and record.interrupted and record.charged
    assert record.live_seconds(clock.now() + 600) == 130
    store.close()
