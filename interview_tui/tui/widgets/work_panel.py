"""`WorkPanel`: what a screen shows while slow work runs (the steps so far and a spinner) and, when the work fails,
the failure with Retry and Back. The screen only sets the panel's reactive state; the panel shows it."""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Button, Label, LoadingIndicator, Static

WorkStatus = Literal["working", "failed", "done"]
"""Working (progress and spinner), failed (the message, Retry and Back), done (the panel is hidden)."""


class WorkPanel(Vertical):
    """One bordered panel for a slow step. Its buttons run the screen's `retry` and `back` actions, so the
    screen's bindings and `check_action` decide for keys and clicks alike."""

    status: reactive[WorkStatus] = reactive("working")
    progress: reactive[Text] = reactive(Text)
    """What has happened so far (a checklist), shown while working."""
    message: reactive[str] = reactive("")
    """Why the work failed, a sentence for the user (plain text, never markup), shown when failed."""

    def __init__(self, *, working: str, failed: str, reassurance: str | None = None) -> None:
        super().__init__(classes="-working")  # hidden parts stay hidden from the first frame
        self.titles: dict[WorkStatus, str] = {"working": working, "failed": failed, "done": working}
        self.reassurance = reassurance

    def compose(self) -> ComposeResult:
        yield Label(self.titles["working"], classes="panel-title")
        yield Static("", classes="work-progress while-working")
        yield LoadingIndicator(classes="while-working")
        yield Static("", classes="work-message when-failed")
        if self.reassurance:
            yield Static(Text(self.reassurance, style="dim"), classes="when-failed")
        with Horizontal(classes="panel-buttons when-failed"):
            yield Button("Retry (r)", id="retry-button", variant="primary", action="screen.retry")
            yield Button("Back (esc)", id="back-button", action="screen.back")

    def watch_status(self, status: WorkStatus) -> None:
        self.set_class(status == "working", "-working")
        self.set_class(status == "failed", "-failed")
        self.set_class(status == "done", "-done")
        self.query_one(".panel-title", Label).update(self.titles[status])
        if status == "failed":
            self.query_one("#retry-button", Button).focus()

    def watch_progress(self, progress: Text) -> None:
        self.query_one(".work-progress", Static).update(progress)

    def watch_message(self, message: str) -> None:
        self.query_one(".work-message", Static).update(Text(message))
