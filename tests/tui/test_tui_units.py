"""Pure pieces of the TUI and the report export: literal text, formatting, charts, meters, Markdown/JSON."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from rich.console import Console

from interview_tui.domain.clock import iso
from interview_tui.domain.errors import InvalidInput
from interview_tui.domain.lifecycle import Status
from interview_tui.domain.models import SessionRecord, Transcript, Turn
from interview_tui.report_export import TIME_FIELDS, export_session, to_markdown
from interview_tui.tui.screens.live import engine_label, match_question
from interview_tui.tui.screens.setup import question_list
from interview_tui.tui.text import clock_face, literal, mmss, unwrap_lines, visible
from interview_tui.tui.widgets.charge import charge_text
from interview_tui.tui.widgets.level_meter import LevelThrottle, level_fraction, meter_text
from interview_tui.tui.widgets.score_bars import bars_text
from interview_tui.tui.widgets.transcript import HANG, turn_entry, wrap_hanging
from interview_tui.tui.widgets.trend_chart import chart_text
from tests.doubles import sample_plan, sample_report


def record(**changes: object) -> SessionRecord:
    base = dict(id="abc123def456", status=Status.COMPLETE, jd_text="jd", jd_sha256="0" * 64, plan=sample_plan(),
                planner="local", analyzer="local", voice="text", started_at=1_780_000_000.0, ended_at=1_780_000_300.0,
                duration_s=300.0, charged=True, report=sample_report(), created_at=1_780_000_000.0,
                updated_at=1_780_000_400.0,
                transcript=Transcript(turns=[Turn(role="agent", text="Hi | there", t=0.0),
                                             Turn(role="user", text="Hello\x1b[31m", t=3.0)]))
    base.update(changes)
    return SessionRecord(**base)  # type: ignore[arg-type]


def test_literal_keeps_markup_characters_and_shows_escapes() -> None:
    text = literal("[bold]x[/bold] [link=http://a]y[/link] \x1b[31mred\x07")
    assert text.plain == "[bold]x[/bold] [link=http://a]y[/link] ␛[31mred␇"
    assert text.spans == [] and not text.style
    assert visible("a\nb\tc") == "a\nb\tc"


def test_time_formats() -> None:
    assert mmss(0) == "0:00" and mmss(119.9) == "1:59" and mmss(900) == "15:00" and mmss(3725) == "1:02:05"
    assert mmss(None) == "—" and clock_face(65) == "01:05" and clock_face(-3) == "00:00"


def test_charge_text_before_and_after() -> None:
    assert charge_text(65, False).plain == "Free until 2:00 · 0:55 left before 15 credits are charged"
    assert charge_text(130, True).plain == "Charged 15 credits"
    assert charge_text(65, False, 48).plain == "Free until 2:00 · 0:55 left, then 15 credits"
    assert charge_text(65, False, 30).plain == "Free 0:55, then 15 credits"
    assert all(charge_text(65, False, w).cell_len <= w for w in (26, 34, 45, 60))


def test_level_meter_scale_and_mute() -> None:
    assert level_fraction(-60) == 0 and level_fraction(0) == 1 and level_fraction(float("nan")) == 0
    assert level_fraction(-30) == pytest.approx(0.5)
    assert len(meter_text(-20, -10, 40, False).plain) == 40
    assert "muted" in meter_text(-20, -10, 40, True).plain and "█" not in meter_text(-20, -10, 40, True).plain


def test_score_bars_and_trend_chart() -> None:
    bars = bars_text([("Overall", 72), ("[bold]Evil[/bold] label that is far too long to fit", None)]).plain
    assert "72" in bars and "not scored" in bars and "[bold]Evil" in bars
    chart = chart_text([("#1", 40), ("#2", 100), ("#3", 0)]).plain.splitlines()
    assert len(chart) == 8 + 3
    assert chart[0].startswith("100 ┤") and "███" in chart[0]  # only the 100 reaches the top row
    assert "40" in chart[-2] and "#3" in chart[-1]
    assert "No scored sessions" in chart_text([]).plain


def test_match_question_finds_the_asked_question() -> None:
    plan = sample_plan()
    assert match_question(plan, "Great. " + plan.questions[2].text.upper()) == 2
    assert match_question(plan, "Thanks, that is all.") is None


def test_markdown_export_has_every_section_and_safe_tables() -> None:
    md = to_markdown(record())
    for heading in ("# Interview report — Senior Backend Engineer (Python)", "## Summary", "## Scores",
                    "## Questions", "## Highlights", "## Recommendations", "## Skill coverage",
                    "## Speech metrics", "## Transcript"):
        assert heading in md
    assert "**Overall: 72/100**" in md and "Charged:** yes, 15 credits" in md
    assert "\x1b" not in md and "Hello[31m" in md
    assert "| Relevance to the JD | 78 |" in md


def test_markdown_export_without_report_or_scores() -> None:
    md = export_session(record(report=None, status=Status.ANALYZING), "md")
    assert "No report yet" in md and "## Scores" not in md


def test_json_export_round_trips() -> None:
    data = json.loads(export_session(record(), "json"))
    assert data["export_version"] == 2
    data.pop("export_version")
    original = record()
    assert {key: data[key] for key in TIME_FIELDS} == {key: iso(getattr(original, key)) for key in TIME_FIELDS}
    assert data["created_at"].endswith("+00:00")
    data |= {key: getattr(original, key) for key in TIME_FIELDS}  # ISO times are to the second
    assert SessionRecord.model_validate(data) == original


def test_unknown_export_format() -> None:
    with pytest.raises(InvalidInput, match="--format md"):
        export_session(record(), "pdf")


def test_report_export_does_not_import_the_ui() -> None:
    code = ("import sys, interview_tui.report_export; "
            "print(any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_transcript_lines_hang_under_the_speaker() -> None:
    entry = turn_entry(Turn(role="agent", text="Tell me about a service you designed and what you would change. "
                                                "Second sentence here.\n[bold]literal[/bold] line", t=61.0))
    lines = [line.plain.rstrip() for line in wrap_hanging(entry.head, entry.body, 40, Console(width=200))]
    assert lines[0].startswith(" 1:01 Interviewer: Tell me")
    assert all(line.startswith(" " * HANG) and line[HANG] != " " for line in lines[1:])
    assert all(len(line) <= 40 for line in lines)
    assert lines[-1] == " " * HANG + "[bold]literal[/bold] line"
    assert " ".join(line.strip() for line in lines).endswith("Second sentence here. [bold]literal[/bold] line")


def test_unwrap_lines_joins_hard_wrapped_paragraphs_only() -> None:
    text = ("Senior Engineer\n\nWe need someone who builds services in Python and\ndeploys them to Kubernetes "
            "every day.\n\nRequirements:\n- Five years of Python building production services at\n  scale\n"
            "- SQL\n1. first\n2) second")
    assert unwrap_lines(text) == (
        "Senior Engineer\n\nWe need someone who builds services in Python and deploys them to Kubernetes every "
        "day.\n\nRequirements:\n- Five years of Python building production services at scale\n- SQL\n1. first"
        "\n2) second")


def test_engine_label_names_engines_for_people() -> None:
    assert engine_label("text") == "typed answers" and engine_label("elevenlabs") == "ElevenLabs voice agent"
    assert engine_label("local-voice") == "offline voice" and engine_label("custom") == "custom"


def test_level_throttle_forwards_newest_level_with_loudest_peak() -> None:
    now = [0.0]
    got: list[tuple[float, float]] = []
    throttle = LevelThrottle(lambda rms, peak: got.append((rms, peak)), rate=10, now=lambda: now[0])
    for i, (rms, peak) in enumerate([(-30, -20), (-31, -5), (-32, -25), (-33, -26), (-34, -27)]):
        now[0] = i * 0.02  # 50 samples a second
        throttle(rms, peak)
    now[0] = 0.1
    throttle(-36, -30)
    assert got == [(-30, -20), (-36, -5)]  # the first at once, then one per 0.1 s


def test_plan_questions_hang_under_their_first_word() -> None:
    console = Console(width=44, color_system=None, file=io.StringIO())
    with console.capture() as captured:
        console.print(question_list(sample_plan()))
    lines = captured.get().rstrip("\n").split("\n")
    assert lines[0].startswith("1. Tell me about") and len(lines) > len(sample_plan().questions)
    assert all(line.startswith(("1. ", "2. ", "3. ", "4. ", "   ")) for line in lines)
    assert any(line.startswith("   ") and line[3] != " " for line in lines)


@pytest.mark.anyio
async def test_transcript_replaces_an_agent_correction() -> None:
    from textual.app import App, ComposeResult

    from interview_tui.tui.widgets.transcript import TranscriptLog

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield TranscriptLog(id="log")

    async with Host().run_test(size=(80, 20)) as pilot:
        log = pilot.app.query_one(TranscriptLog)
        log.add_turn(Turn(role="agent", text="Tell me about a time you led a migration and what", t=5))
        log.add_turn(Turn(role="user", text="Sure.", t=9))
        log.add_turn(Turn(role="agent", text="Tell me about a time you led a migration", t=5, interrupted=True))
        log.add_turn(Turn(role="agent", text="A new line cut short", t=12, interrupted=True))
        await pilot.pause()
        assert log.turn_count == 3
        assert "and what" not in log.plain
        assert log.plain.count("Tell me about a time you led a migration") == 1
        assert "A new line cut short" in log.plain


@pytest.mark.parametrize(("status", "started_at", "screen"), [
    (Status.CREATED, None, "SetupScreen"), (Status.SETUP, None, "SetupScreen"), (Status.READY, None, "SetupScreen"),
    (Status.FAILED, None, "SetupScreen"), (Status.FAILED, 1_780_000_000.0, "AnalysisScreen"),
    (Status.ANALYZING, 1_780_000_000.0, "AnalysisScreen"), (Status.COMPLETE, 1_780_000_000.0, "ReportScreen"),
    (Status.ACTIVE, 1_780_000_000.0, None), (Status.CANCELLED, None, None),
])
def test_the_router_continues_each_status_on_its_screen(status: Status, started_at: float | None,
                                                        screen: str | None) -> None:
    from interview_tui.tui import routes

    target = routes.resume_status(record(status=status, started_at=started_at))
    if screen is None:
        assert target in routes.NOT_RESUMABLE and target not in routes.RESUME_SCREENS
    else:
        assert type(routes.RESUME_SCREENS[target](record(status=status))).__name__ == screen
    assert {*routes.RESUME_SCREENS, *routes.NOT_RESUMABLE} == set(Status) - {Status.FAILED}
