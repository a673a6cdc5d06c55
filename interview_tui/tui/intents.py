"""Intents: what a screen asks the app to show next.

A screen never imports another screen, nor touches another screen's state: it posts one of these with
`BaseScreen.go(...)`, and `InterviewApp` (the router, tui/app.py) picks the screen. Modal dialogs are the one
exception: a screen pushes its own dialog and gets the answer back through `dismiss()`.

The navigation rule, the same on every screen: **esc goes back to where you came from** (`GoBack`): a report
opened from History returns to History; after an interview it returns to Start. Steps of one interview replace
each other (`advance`), so "where you came from" is the screen the interview was started or resumed from. Going
home is its own key where offered (Report's `n`, `GoHome`). Mid-interview esc does nothing: ctrl+e ends it. A dialog
shows only the choices that work now, and esc closes it with the harmless one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

from interview_tui.domain.models import SessionRecord
from interview_tui.providers.base import VoiceEngine

if TYPE_CHECKING:
    from textual.screen import Screen


class Intent(Message):
    """Base of every navigation request; handled by the app's router (`InterviewApp.route`) only."""

    origin: Screen[Any] | None = None
    """The screen that asked (set by `BaseScreen.go`); an intent from a screen already closed is ignored."""


@dataclass
class OpenSession(Intent):
    """Continue `record` wherever it stopped (the app's status → screen table, `RESUME_SCREENS`)."""

    record: SessionRecord


@dataclass
class BeginInterview(Intent):
    """The plan is accepted: go live (Setup → Live, replacing Setup)."""

    record: SessionRecord


@dataclass
class InterviewOver(Intent):
    """The live part ended: analyse it (Live → Analysis, replacing Live). `engine` may still hold the
    authoritative transcript."""

    session_id: str
    engine: VoiceEngine | None = None


@dataclass
class ReportReady(Intent):
    """The analysis is done: show the report (Analysis → Report, replacing Analysis)."""

    record: SessionRecord


@dataclass
class OpenReport(Intent):
    """Show a finished session's report on top of this screen (esc comes back here)."""

    record: SessionRecord


@dataclass
class OpenHistory(Intent):
    """Show History; if History is already below this screen, go back to it instead of stacking another."""


@dataclass
class GoBack(Intent):
    """Close this screen: back to the screen it was opened from.

    `later` names a session the user leaves for later: the Start screen will not offer to resume it again in
    this run of the app.
    """

    later: str | None = None


@dataclass
class GoHome(Intent):
    """Back to the Start screen, closing everything above it. `later` as for `GoBack`."""

    later: str | None = None


@dataclass
class DiscardSession(Intent):
    """Drop an unfinished session that has not gone live: close this screen, the Start screen discards it."""

    session_id: str
