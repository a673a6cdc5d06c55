"""The live session's big mm:ss timer against the 15:00 limit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits, Label

from interview_tui.domain import billing
from interview_tui.tui.text import clock_face, mmss


class SessionTimer(Vertical):
    """Elapsed live time in large digits, with the limit and the time left underneath."""

    DEFAULT_CSS = """
    SessionTimer { height: auto; width: auto; }
    SessionTimer Digits { width: auto; }
    SessionTimer #timer-limit { color: $text-muted; }
    SessionTimer.-warning Digits { color: $warning; }
    """

    def compose(self) -> ComposeResult:
        yield Digits(clock_face(0), id="timer-digits")
        yield Label(self._limit_text(0.0), id="timer-limit")

    @staticmethod
    def _limit_text(elapsed_s: float) -> str:
        left = max(0.0, billing.MAX_SESSION_S - elapsed_s)
        return f"of {mmss(billing.MAX_SESSION_S)} · {mmss(left):>5} left"  # fixed width: no re-layout

    def show(self, elapsed_s: float, *, warning: bool = False) -> None:
        """Display `elapsed_s` seconds of live time (repaints only when the shown second changes)."""
        shown = (int(elapsed_s), warning)
        if shown == getattr(self, "_shown", None):
            return
        self._shown = shown
        self.query_one(Digits).update(clock_face(elapsed_s))
        self.query_one("#timer-limit", Label).update(self._limit_text(elapsed_s), layout=False)
        self.set_class(warning, "-warning")
