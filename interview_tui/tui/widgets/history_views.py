"""History's text views: the per-dimension trend and the side-by-side comparison of two sessions."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from interview_tui.domain.compare import Comparison, QuestionPair, ScoreDelta
from interview_tui.domain.models import QuestionFeedback, SessionRecord
from interview_tui.report_export import session_title
from interview_tui.report_text import status_label
from interview_tui.tui.text import literal, mmss, when
from interview_tui.tui.widgets.score_bars import score_style

SPARKS = "▁▂▃▄▅▆▇█"


def mode_label(record: SessionRecord) -> str:
    """How the candidate answered: typed ("text") or spoken ("voice"); "—" before going live."""
    if not record.voice:
        return "—"
    return "text" if record.voice == "text" else "voice"


def sparkline(scores: list[int | None]) -> Text:
    text = Text()
    for score in scores:
        if score is None:
            text.append("·", style="dim")
        else:
            text.append(SPARKS[min(7, score * 8 // 101)], style=score_style(score))
    return text


def _delta(delta: int | None) -> Text:
    if delta is None:
        return Text("—", style="dim")
    style = "green" if delta > 0 else "yellow" if delta < 0 else "dim"
    return Text(f"{delta:+d}", style=style)


def dimension_trend(series: dict[str, list[int | None]]) -> Table | Text:
    """One row per dimension: a sparkline over the sessions, first → latest, and the change."""
    if not series:
        return Text("")
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, justify="right")
    table.add_column(no_wrap=True, justify="right")
    table.add_row(Text("Dimension", style="bold"), Text("Trend", style="bold"), Text("First → latest", style="bold"),
                  Text("Change", style="bold"))
    for name, scores in series.items():
        known = [s for s in scores if s is not None]
        first, last = (known[0], known[-1]) if known else (None, None)
        span = Text(f"{first} → {last}" if known else "—")
        table.add_row(Text(name), sparkline(scores[-24:]), span,
                      _delta(known[-1] - known[0] if len(known) >= 2 else None))
    return table


def _score(value: int | None) -> Text:
    return Text("—", style="dim") if value is None else Text(str(value), style=f"bold {score_style(value)}")


def _session_line(label: str, record: SessionRecord) -> Text:
    return Text.assemble((f"{label} ", "bold"), when(record.created_at), ("  ·  ", "dim"), mode_label(record),
                         ("  ·  ", "dim"), f"{mmss(record.duration_s)} live", ("  ·  ", "dim"),
                         literal(session_title(record)))


def _answer_cell(feedback: QuestionFeedback | None) -> Text:
    if feedback is None:
        return Text("not in this session", style="dim italic")
    head = Text.assemble(_score(feedback.score), (f"  {status_label(feedback)}", "dim"))
    words = " ".join(feedback.answer.split())
    if words:
        head.append("\n")
        head.append_text(literal(words if len(words) <= 240 else words[:239] + "…", "italic"))
    return head


def _scores_table(rows: list[ScoreDelta]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    for _ in range(3):
        table.add_column(no_wrap=True, justify="right")
    table.add_row(Text(""), Text("A", style="bold"), Text("B", style="bold"), Text("Change", style="bold"))
    for row in rows:
        table.add_row(Text(row.name, style="bold" if row.name == "Overall" else ""), _score(row.before),
                      _score(row.after), _delta(row.delta))
    return table


def _questions_table(pairs: list[QuestionPair]) -> Table:
    table = Table(show_header=True, header_style="bold", expand=True, show_lines=True, box=None, padding=(0, 1))
    table.add_column("Question", ratio=2)
    table.add_column("A", ratio=3)
    table.add_column("B", ratio=3)
    for pair in pairs:
        table.add_row(literal(pair.question), _answer_cell(pair.before), _answer_cell(pair.after))
    return table


def comparison_view(comparison: Comparison) -> list[Text | Table]:
    """The compare tab's parts, top to bottom."""
    parts: list[Text | Table] = [
        Text.assemble(_session_line("A", comparison.before), "\n", _session_line("B", comparison.after)),
        _scores_table([comparison.overall, *comparison.dimensions]),
    ]
    if comparison.overall.before is None or comparison.overall.after is None:
        parts.append(Text("A session that was not assessable has no scores to compare.", style="dim"))
    if comparison.questions:
        parts.append(_questions_table(comparison.questions))
    return parts
