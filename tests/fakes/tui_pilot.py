"""Helpers for driving the TUI with Textual's Pilot without sleeping for fixed times: the one home of the
apps the TUI tests run, the walks between screens they share, and reading what a screen shows."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from rich.console import Console
from rich.text import Text
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from interview_tui.bootstrap import Runtime, make_app, open_runtime
from interview_tui.domain.clock import Clock, FakeClock
from interview_tui.engines import EngineChoice, Engines
from interview_tui.providers.base import VoiceEngine
from interview_tui.providers.local_analyzer import LocalAnalyzer
from interview_tui.providers.local_planner import LocalPlanner
from interview_tui.settings import Settings
from interview_tui.tui.app import InterviewApp
from interview_tui.tui.widgets.transcript import TranscriptLog
from interview_tui.tui.widgets.work_panel import WorkPanel
from tests.doubles import JD_TEXT, Harness
from tests.paths import SAMPLE_JD_FILE

SAMPLE_JD = SAMPLE_JD_FILE.read_text(encoding="utf-8")
ANSWER = ("In my last role I led the redesign of our payments ledger service. The situation was that duplicate "
          "charges reached customers during retries, so my task was to make every write idempotent. I added "
          "request keys with a unique constraint in PostgreSQL, moved the retries into a Kafka consumer, and "
          "added Prometheus alerts. As a result duplicate charges fell to zero and p99 latency dropped by 30%.")
"""A strong STAR answer with numbers, typed by `answer`."""


async def wait_for(pilot: Pilot, predicate: Callable[[], bool], *, limit_s: float = 10.0,
                   description: str = "condition") -> None:
    """Pump the app until `predicate()` holds; fail naming what never happened."""
    deadline = time.monotonic() + limit_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {description}")
        await pilot.pause(0.02)
    await pilot.pause()


async def wait_for_screen(pilot: Pilot, name: str, *, limit_s: float = 10.0) -> None:
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == name, limit_s=limit_s,
                   description=f"the {name} (now on {type(pilot.app.screen).__name__})")


async def settle(pilot: Pilot) -> None:
    """Let running workers finish and their messages be handled."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _next_loop_step(min_sleep: float = 0.0, max_sleep: float = 1.0) -> None:
    await asyncio.sleep(0)


async def type_text(pilot: Pilot, text: str) -> None:
    """Type free text key by key, then wait once for the app to settle.

    Each character goes through Textual's own `press` path (a real `Key` event from the driver to the focused
    widget, bindings included); only the idle wait `press` makes after every key (two `wait_for_idle` calls, at
    least 40 ms a character) is skipped. Use it for typed answers, not for command keys whose effects the next
    key depends on."""
    with mock.patch("textual.app.wait_for_idle", _next_loop_step):
        await pilot.press(*text)
    await pilot.pause()


# ------------------------------------------------------------------------------------------------ apps


def app_for(h: Harness, jd: str | None = JD_TEXT, **options: object) -> InterviewApp:
    """The app on the harness's runtime, without animations. Gates a test left closed on the scripted planner or
    analyzer are opened when the app exits (a worker held at one would keep the thread pool, and the test,
    waiting)."""
    app = make_app(h.runtime, jd_text=jd, export_dir=h.export_dir, **options)
    app.animation_level = "none"
    exit_app = app.exit

    def release_gates_and_exit(*args: object, **kwargs: object) -> None:
        for gate in (h.planner.gate, h.analyzer.gate):
            if gate is not None:
                gate.set()
        exit_app(*args, **kwargs)  # type: ignore[arg-type]

    app.exit = release_gates_and_exit  # type: ignore[method-assign]
    return app


def offline_runtime(settings: Settings, clock: Clock, make_voice: Callable[[], VoiceEngine],
                    choices: list[EngineChoice], make_fallback_voice: Callable[[], VoiceEngine] | None = None, *,
                    credits: int = 15) -> Runtime:
    """The composition root's runtime with the offline planner and analyzer, `make_voice` for the interview (and
    `make_fallback_voice` for typed answers when it cannot start), `credits` topped up. The caller closes it."""
    engines = Engines(LocalPlanner(), LocalAnalyzer(), make_voice, choices, make_fallback_voice)
    runtime = open_runtime(settings, clock=clock, engines=engines)
    runtime.service.top_up(credits)
    return runtime


def new_app(runtime: Runtime, tmp_path: Path, jd: str | None = SAMPLE_JD, *,
            tick_interval: float = 0.1) -> InterviewApp:
    """The app on any runtime (the offline engines, Gemini's fake server…), exporting to `tmp_path/exports`."""
    app = make_app(runtime, jd_text=jd, export_dir=tmp_path / "exports", tick_interval=tick_interval)
    app.animation_level = "none"
    return app


# ----------------------------------------------------------------------------------------- walking


async def to_plan(pilot: Pilot) -> None:
    """From Start: submit the job description (ctrl+s) and let the Setup screen finish planning."""
    await settle(pilot)
    await pilot.press("ctrl+s")
    await wait_for_screen(pilot, "SetupScreen")
    await settle(pilot)


async def to_live(pilot: Pilot) -> None:
    """From Start: plan, then Begin (b) — the Live screen is up."""
    await to_plan(pilot)
    await pilot.press("b")
    await wait_for_screen(pilot, "LiveScreen")


async def plan_and_begin(pilot: Pilot, *, until_live: bool = True, limit_s: float = 10.0) -> None:
    """From Start: submit the job description (ctrl+s), wait until the plan is ready, Begin (b); then wait until
    the live session's timer runs (`until_live`), or only for the Live screen (a voice that may be refused)."""
    await settle(pilot)
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "state", None) == "ready", description="the plan")
    await pilot.press("b")
    if until_live:
        await wait_for(pilot, lambda: getattr(pilot.app.screen, "ticker", None) is not None, description="live",
                       limit_s=limit_s)
    else:
        await wait_for_screen(pilot, "LiveScreen", limit_s=limit_s)


async def open_history(pilot: Pilot) -> None:
    """History (ctrl+r), loaded."""
    await pilot.press("ctrl+r")
    await wait_for_screen(pilot, "HistoryScreen")
    await settle(pilot)


async def open_first_report(pilot: Pilot) -> None:
    """History (ctrl+r), then the newest session's report (enter)."""
    await open_history(pilot)
    await pilot.press("enter")
    await wait_for_screen(pilot, "ReportScreen")


async def start_live(pilot: Pilot, app: InterviewApp) -> None:
    """From Start to the Live screen showing the first question, checking the plan on the way."""
    await to_plan(pilot)
    assert "Questions (" in screen_text(app)
    await pilot.press("b")
    await wait_for_screen(pilot, "LiveScreen")
    await wait_for(pilot, lambda: "Question 1 of" in screen_text(app), description="the first question")


async def answer(pilot: Pilot, app: InterviewApp, clock: FakeClock, seconds: float, text: str = ANSWER) -> None:
    """`seconds` pass, then `text` is typed in the answer box and sent (ctrl+s)."""
    clock.advance(seconds)
    box = app.screen.query_one("#answer", TextArea)
    box.load_text(text)
    box.focus()
    await pilot.press("ctrl+s")
    await pilot.pause()


# ----------------------------------------------------------------------------------------- reading


async def interview_to_report(pilot: Pilot, app: InterviewApp, clock: FakeClock, seconds: float = 60) -> None:
    """From Start: live, one typed answer after `seconds`, end (ctrl+e, y); the Report screen is up."""
    await start_live(pilot, app)
    await answer(pilot, app, clock, seconds)
    await pilot.press("ctrl+e", "y")
    await wait_for_screen(pilot, "ReportScreen")


def plain_text(content: object) -> str:
    """A Static's content as plain text (tables and groups rendered without wrapping)."""
    if isinstance(content, (str, Text)):
        return str(content)
    console = Console(width=1000, color_system=None, file=io.StringIO())
    with console.capture() as captured:
        console.print(content)
    return captured.get()


def screen_text(app: App[object]) -> str:
    """All the text the current screen's Static widgets and its transcript log show."""
    texts = [plain_text(w.content) for w in app.screen.query(Static)]
    texts += [log.plain for log in app.screen.query(TranscriptLog)]
    return "\n".join(texts)


def work_progress(app: App[object]) -> str:
    """The progress the current screen's work panel (Setup, Analysis) shows, as plain text."""
    return app.screen.query_one(WorkPanel).progress.plain
