"""Which screen shows a session: the status → screen table the app's router uses, and one factory per screen.

The factories import their screen when called, so opening the app loads only the Start screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from interview_tui.domain.lifecycle import Status
from interview_tui.domain.models import SessionRecord
from interview_tui.providers.base import VoiceEngine


def start_screen(jd_text: str | None = None) -> Screen[Any]:
    from interview_tui.tui.screens.start import StartScreen

    return StartScreen(jd_text=jd_text)


def setup_screen(record: SessionRecord) -> Screen[Any]:
    from interview_tui.tui.screens.setup import SetupScreen

    return SetupScreen(record.id)


def live_screen(record: SessionRecord) -> Screen[Any]:
    from interview_tui.tui.screens.live import LiveScreen

    return LiveScreen(record)


def analysis_screen(session_id: str, engine: VoiceEngine | None = None) -> Screen[Any]:
    from interview_tui.tui.screens.analysis import AnalysisScreen

    return AnalysisScreen(session_id, engine=engine)


def report_screen(record: SessionRecord) -> Screen[Any]:
    from interview_tui.tui.screens.report import ReportScreen

    return ReportScreen(record)


def history_screen() -> Screen[Any]:
    from interview_tui.tui.screens.history import HistoryScreen

    return HistoryScreen()


RESUME_SCREENS: dict[Status, Callable[[SessionRecord], Screen[Any]]] = {
    Status.CREATED: setup_screen,
    Status.SETUP: setup_screen,
    Status.READY: setup_screen,  # shows the plan and "Begin interview"
    Status.ANALYZING: lambda record: analysis_screen(record.id),
    Status.COMPLETE: report_screen,
}
"""Where an unfinished or finished session continues. A failed session continues at the step that failed:
analysis once it has gone live, setup before (`resume_status`)."""

NOT_RESUMABLE: dict[Status, tuple[str, float | None]] = {
    Status.ACTIVE: ("This interview is live in another window. Finish it there; once that window has closed it "
                    "can be continued or ended here.", 8),
    Status.CANCELLED: ("That session was discarded.", None),
}
"""What the app says (and for how many seconds, None = the default) instead of opening a session in these
statuses."""


def resume_status(record: SessionRecord) -> Status:
    """The status whose screen continues `record`: a failed session's failed step, otherwise its own status."""
    if record.status is Status.FAILED:
        return Status.ANALYZING if record.failed_after_going_live else Status.SETUP
    return record.status
