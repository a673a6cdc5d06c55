"""The two panels a screen doing slow work shows: progress (steps + spinner) and failure (message + Retry)."""

from __future__ import annotations

from rich.text import Text
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Label, LoadingIndicator, Static


def work_panels(name: str, *, working: str, failed: str, reassurance: str | None = None) -> list[Widget]:
    """`#{name}-progress` (with `#{name}-steps`, `#{name}-spinner`) and `#{name}-error` (hidden, with
    `#{name}-error-text`, `#retry-button`, `#back-button`)."""
    progress = Vertical(
        Label(working, classes="panel-title"),
        Static("", id=f"{name}-steps"),
        LoadingIndicator(id=f"{name}-spinner"),
        id=f"{name}-progress", classes="progress-panel",
    )
    error_parts: list[Widget] = [Label(failed, classes="panel-title"), Static("", id=f"{name}-error-text")]
    if reassurance:
        error_parts.append(Static(Text(reassurance, style="dim")))
    error_parts.append(Horizontal(
        Button("Retry (r)", id="retry-button", variant="primary"),
        Button("Back (esc)", id="back-button"),
        classes="panel-buttons",
    ))
    return [progress, Vertical(*error_parts, id=f"{name}-error", classes="error-panel hidden")]
