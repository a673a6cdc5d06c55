"""Async helpers for driving the TUI with Textual's Pilot without sleeping for fixed times."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.app import App
from textual.pilot import Pilot


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


def work_progress(app: App[object]) -> str:
    """The progress the current screen's work panel (Setup, Analysis) shows, as plain text."""
    from interview_tui.tui.widgets.work_panel import WorkPanel

    return app.screen.query_one(WorkPanel).progress.plain
