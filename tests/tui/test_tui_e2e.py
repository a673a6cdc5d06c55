"""End-to-end Pilot tests: JD → setup → live (text mode, fake clock) → end → analysis → report, asserting on the
screen and on the database. Offline engines (LocalPlanner, LocalAnalyzer, TextVoice), and Gemini through its
fake server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import Static, TextArea

from interview_tui.bootstrap import make_app, open_runtime
from interview_tui.domain.clock import FakeClock
from interview_tui.domain.lifecycle import Status
from interview_tui.engines import Engines
from interview_tui.service import SessionService
from interview_tui.settings import Settings
from interview_tui.tui.widgets.charge import ChargeIndicator
from tests.doubles import MARKUP_JD, make_harness, settings_for
from tests.fakes.gemini_server import FakeGeminiServer
from tests.fakes.tui_pilot import (
    SAMPLE_JD,
    answer,
    interview_to_report,
    new_app,
    open_first_report,
    screen_text,
    settle,
    start_live,
    to_live,
    to_plan,
    type_text,
    wait_for,
    wait_for_screen,
)

pytestmark = pytest.mark.anyio

@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _debits(service: SessionService) -> list[object]:
    return [row for row in service.ledger_history() if row.kind == "debit"]


@pytest.mark.parametrize(("seconds_per_answer", "charged"), [(65.0, True), (20.0, False)])
async def test_offline_text_mode_happy_path(offline, tmp_path: Path, seconds_per_answer: float,
                                            charged: bool) -> None:
    service, clock = offline.service, offline.clock
    app = new_app(offline, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await start_live(pilot, app)
        # The first answer is typed key by key, like a person would.
        clock.advance(seconds_per_answer)
        await type_text(pilot, "I built the payments API.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await answer(pilot, app, clock, seconds_per_answer)
        await wait_for(pilot, lambda: "Question 3 of" in screen_text(app) or "Question 2 of" in screen_text(app),
                       description="the next question")
        indicator = str(app.screen.query_one(ChargeIndicator).render())
        assert ("Charged 15 credits" in indicator) is charged
        await pilot.press("ctrl+e")
        await wait_for_screen(pilot, "ConfirmEndDialog")
        await pilot.press("y")
        await wait_for_screen(pilot, "ReportScreen")
        await settle(pilot)
        text = screen_text(app)
        assert "Summary" in str(app.screen.query_one("#report")) or "charged" in text
        assert ("charged 15 credits" in text) is charged
        titles = "\n".join(str(label.render()) for label in app.screen.query(".section-title"))
        assert "Answer metrics" in titles and "Speech metrics" not in titles  # typed answers: no speech figures
    [record] = service.list_sessions()
    assert record.status is Status.COMPLETE
    assert record.charged is charged
    assert record.duration_s == pytest.approx(2 * seconds_per_answer)
    assert len(_debits(service)) == (1 if charged else 0)
    assert service.balance() == (15 if charged else 30)
    users = [t.text for t in record.transcript.turns if t.role == "user"]  # type: ignore[union-attr]
    assert users[0].startswith("I built the payments API") and len(users) == 2
    assert record.report is not None and record.report.engine == "local"


async def test_auto_end_at_fifteen_minutes_charges_once(offline, tmp_path: Path) -> None:
    service, clock = offline.service, offline.clock
    app = new_app(offline, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await start_live(pilot, app)
        clock.advance(130)
        await wait_for(pilot, lambda: "Charged" in str(app.screen.query_one(ChargeIndicator).render()),
                       description="the charge at 2:00")
        clock.advance(15 * 60)
        await wait_for_screen(pilot, "ReportScreen")
    [record] = service.list_sessions()
    assert record.status is Status.COMPLETE and record.duration_s == 900
    assert len(_debits(service)) == 1 and service.balance() == 15


async def test_quitting_mid_interview_settles_the_session(offline, tmp_path: Path) -> None:
    service, clock = offline.service, offline.clock
    app = new_app(offline, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await start_live(pilot, app)
        await answer(pilot, app, clock, 125)
        await pilot.press("ctrl+q")  # asks first
        await wait_for_screen(pilot, "ConfirmQuitDialog")
        await pilot.press("n")
        await wait_for_screen(pilot, "LiveScreen")
        assert service.list_sessions()[0].status is Status.ACTIVE and app.is_running
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, "ConfirmQuitDialog")
        await pilot.press("y")
        await pilot.pause()
    [record] = service.list_sessions()
    assert record.status is Status.ACTIVE and record.interrupted and record.charged
    assert record.live_seconds(clock.now() + 300) == 125  # paused: the clock stopped at the quit
    assert len(_debits(service)) == 1

    # Next start: the paused session is offered; "End and analyse" analyses it and shows the report.
    clock.advance(300)
    app = new_app(offline, tmp_path, jd=None)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_screen(pilot, "ResumeDialog")
        await pilot.press("a")
        await wait_for_screen(pilot, "ReportScreen")
    assert service.get(record.id).duration_s == 125
    assert service.get(record.id).status is Status.COMPLETE
    assert len(_debits(service)) == 1


async def test_discarding_an_unfinished_plan(offline, tmp_path: Path) -> None:
    service = offline.service
    record = service.run_setup(service.create(SAMPLE_JD).id)
    app = new_app(offline, tmp_path, jd=None)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for_screen(pilot, "ResumeDialog")
        await pilot.press("d")
        await wait_for(pilot, lambda: service.get(record.id).status is Status.CANCELLED,
                       description="the session to be cancelled")
        assert type(app.screen).__name__ == "StartScreen"
    assert service.balance() == 30


async def test_blocked_start_names_the_top_up_command(tmp_path: Path) -> None:
    h = make_harness(tmp_path, balance=5)
    app = make_app(h.runtime, jd_text=SAMPLE_JD)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert "interview credits add 15" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "StartScreen"
    assert h.service.list_sessions() == []
    h.runtime.close()


async def test_every_hint_shows_the_command_as_this_installation_runs(tmp_path: Path) -> None:
    """The composition root passes how the CLI can be run (`invocation.cli_command`); the app's own hints and the
    commands quoted by lower layers (here the engine choice's reason) all use it, never a bare `interview`."""
    from interview_tui.settings import Secret

    command = "~/app/.venv/bin/interview"
    settings = settings_for(tmp_path, elevenlabs_api_key=Secret("key-without-agent"))
    with open_runtime(settings, clock=FakeClock(1_780_000_000.0)) as runtime:
        runtime.service.top_up(5)
        app = make_app(runtime, jd_text=SAMPLE_JD, cli_command=command)
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(pilot)
            shown = screen_text(app)
            assert f"{command} credits add 15" in shown  # the blocked Start screen
            assert f"(run `{command} agent create`)" in shown  # why ElevenLabs is not used
            assert "interview credits" not in shown.replace(command, "") and \
                "`interview " not in shown
            await pilot.press("ctrl+r", "c")
            await wait_for_screen(pilot, "HistoryScreen")
            await wait_for(pilot, lambda: f"top up with: {command} credits add N" in screen_text(app),
                           description="the credits tab's top-up hint")


async def test_setup_failure_then_retry(tmp_path: Path) -> None:
    h = make_harness(tmp_path)
    h.planner.fail()
    app = make_app(h.runtime, jd_text=SAMPLE_JD)
    async with app.run_test(size=(100, 32)) as pilot:
        await to_plan(pilot)
        assert "HTTP 503" in screen_text(app)
        [record] = h.service.list_sessions()
        assert record.status is Status.FAILED
        await pilot.press("r")
        await settle(pilot)
        assert "Questions (4)" in screen_text(app)
    assert h.service.list_sessions()[0].status is Status.READY and h.planner.calls == 2
    h.runtime.close()


async def test_untrusted_text_is_shown_literally(tmp_path: Path) -> None:
    h = make_harness(tmp_path)
    h.planner.plan_result = h.planner.plan_result.model_copy(
        update={"role_title": "[bold]x[/bold] [link=http://a]y[/link] \x1b[31mred"})
    app = make_app(h.runtime, jd_text=MARKUP_JD)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        jd = app.screen.query_one("#jd", TextArea).text
        assert "[bold]x[/bold]" in jd and "[link=http://a]y[/link]" in jd and "\x1b" not in jd
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "SetupScreen")
        await settle(pilot)
        rendered = app.screen.query_one("#plan-text", Static).render()
        plain = str(rendered)
        assert "[bold]x[/bold] [link=http://a]y[/link] ␛[31mred" in plain
        assert isinstance(app.screen.query_one("#plan-text", Static).content, Text)
        spans = app.screen.query_one("#plan-text", Static).content.spans  # type: ignore[union-attr]
        start = plain.index("[bold]x")
        # Only the role line's own bold style covers the title; nothing links or recolours it.
        covering = {str(s.style) for s in spans if s.start <= start + 6 < s.end}
        assert covering <= {"bold"} and not any("link" in str(s.style) for s in spans)
    [record] = h.service.list_sessions()
    assert "[bold]x[/bold]" in record.jd_text and "\x1b" not in record.jd_text
    h.runtime.close()


async def test_report_exports_markdown_and_json(offline, tmp_path: Path) -> None:
    clock = offline.clock
    app = new_app(offline, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await interview_to_report(pilot, app, clock)
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
    md = list((tmp_path / "exports").glob("*.md"))
    js = list((tmp_path / "exports").glob("*.json"))
    assert len(md) == 1 and len(js) == 1
    assert md[0].read_text(encoding="utf-8").startswith("# Interview report")
    assert '"status": "complete"' in js[0].read_text(encoding="utf-8")


async def test_history_opens_a_report_and_palette_lists_actions(offline, tmp_path: Path) -> None:
    clock = offline.clock
    app = new_app(offline, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await interview_to_report(pilot, app, clock)
        await pilot.press("escape")
        await wait_for_screen(pilot, "StartScreen")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Start interview", "Load file", "History"} <= set(titles)
        await open_first_report(pilot)
        await pilot.press("escape")  # back where the report was opened from
        await wait_for_screen(pilot, "HistoryScreen")
        await pilot.press("escape")
        await wait_for_screen(pilot, "StartScreen")


async def test_gemini_planner_and_analyzer_through_the_fake_server(gemini_server: FakeGeminiServer,
                                                                   gemini_settings: Settings,
                                                                   tmp_path: Path) -> None:
    clock = FakeClock()
    runtime = open_runtime(gemini_settings, text_mode=True, clock=clock)  # the production wiring, Gemini keys set
    service = runtime.service
    service.top_up(15, "test")
    app = new_app(runtime, tmp_path)
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(pilot)
            assert "Gemini" in screen_text(app)
            await start_live(pilot, app)
            for _ in range(3):
                await answer(pilot, app, clock, 45)
            await pilot.press("ctrl+e", "y")
            await wait_for_screen(pilot, "ReportScreen", limit_s=20)
            await settle(pilot)
        [record] = service.list_sessions()
        assert record.status is Status.COMPLETE and record.charged
        assert record.report is not None and record.report.engine.startswith("gemini")
        assert len(_debits(service)) == 1 and service.balance() == 0
        assert len(gemini_server.generate_requests) >= 2
    finally:
        runtime.close()


async def test_elevenlabs_voice_through_the_fake_server_with_a_reconnect(elevenlabs_server, offline,
                                                                         tmp_path: Path) -> None:
    from interview_tui.voice.elevenlabs_engine import ElevenLabsVoice
    from tests.doubles import ScriptedMic

    service, engines, clock = offline.service, offline.engines, offline.clock
    voice_engines = Engines(engines.planner, engines.analyzer, lambda: ElevenLabsVoice(
        settings_for(tmp_path, elevenlabs=elevenlabs_server), clock=clock, audio_factory=ScriptedMic,
        backoff_initial_s=0.05, backoff_max_s=0.2, poll_initial_s=0.05), engines.describe())
    app = new_app(replace(offline, engines=voice_engines), tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await to_live(pilot)
        first = elevenlabs_server.wait_connection(1)
        question = service.list_sessions()[0].plan.questions[0].text  # type: ignore[union-attr]
        first.send_agent(question)
        await wait_for(pilot, lambda: "Question 1 of" in screen_text(app), description="the agent's question")
        clock.advance(130)
        first.drop()
        await wait_for(pilot, lambda: "reconnecting" in screen_text(app).lower(), description="a reconnect notice")
        elevenlabs_server.wait_connection(2)
        await wait_for(pilot, lambda: "reconnected" in screen_text(app), description="the reconnection")
        await pilot.press("ctrl+e", "y")
        await wait_for_screen(pilot, "ReportScreen", limit_s=20)
    [record] = service.list_sessions()
    assert record.status is Status.COMPLETE and record.charged and len(record.conversation_ids) == 2
    assert record.voice == "elevenlabs" and len(_debits(service)) == 1
    assert record.report is not None and not record.report.assessable  # the candidate never spoke
