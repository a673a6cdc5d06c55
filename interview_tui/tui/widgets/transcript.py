"""The live transcript: a scrolling log of who said what, shown literally."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from interview_tui.domain.models import Turn
from interview_tui.tui.text import literal, mmss

SPEAKERS = {"agent": ("Interviewer", "bold cyan"), "user": ("You", "bold green")}


def turn_text(turn: Turn) -> Text:
    """One turn as `m:ss Speaker  words` (the words as plain text)."""
    name, style = SPEAKERS.get(turn.role, (turn.role, "bold"))
    text = Text.assemble((f"{mmss(turn.t):>5} ", "dim"), (f"{name}: ", style))
    text.append_text(literal(turn.text))
    if turn.interrupted:
        text.append(" (interrupted)", style="dim italic")
    return text


class TranscriptLog(VerticalScroll):
    """Appends turns as they arrive and keeps the newest in view (lines re-wrap when the terminal resizes)."""

    DEFAULT_CSS = """
    TranscriptLog { height: 1fr; border: round $primary 50%; padding: 0 1; background: $surface; }
    TranscriptLog > Static { height: auto; }
    TranscriptLog > .transcript-note { color: $text-muted; text-style: italic; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, can_focus=True)
        self.border_title = "Transcript"
        self.turn_count = 0

    def _append(self, widget: Static) -> None:
        at_end = self.is_vertical_scroll_end or self.max_scroll_y == 0
        self.mount(widget)
        if at_end:
            self.call_after_refresh(self.scroll_end, animate=False)

    def add_turn(self, turn: Turn) -> None:
        self.turn_count += 1
        self._append(Static(turn_text(turn)))

    def note(self, message: str) -> None:
        """A system line (reconnects, warnings)."""
        self._append(Static(Text(f"— {message}"), classes="transcript-note"))
