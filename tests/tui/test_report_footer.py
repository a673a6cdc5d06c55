"""The Report screen's footer at 80×24 and 60×20: the essential keys and F1 fit; the secondary key (Save .json)
stays in the F1 help and still works."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from tests.doubles import complete_session, make_harness
from tests.fakes.tui_pilot import (
    app_for,
    open_first_report,
    plain_text,
    settle,
    wait_for,
    wait_for_screen,
)

pytestmark = pytest.mark.anyio

ESSENTIAL = {"m": "Save .md", "h": "History", "n": "New", "escape": "Back", "ctrl+q": "Quit", "f1": "Help"}


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_report_footer_fits_the_essential_keys_and_help_lists_the_rest(tmp_path: Path,
                                                                            size: tuple[int, int]) -> None:
    h = make_harness(tmp_path)
    complete_session(h, score=64, live_s=300)
    app = app_for(h)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_first_report(pilot)
        await settle(pilot)
        keys = list(app.screen.query(FooterKey))
        palette = [k.region.x for k in keys if k.has_class("-command-palette")]
        room = min(palette, default=size[0])  # the palette hint is docked right, over anything that runs under it
        shown = {k.key: k for k in keys if not k.has_class("-command-palette")}
        assert set(ESSENTIAL) <= set(shown), sorted(shown)
        for key, label in sorted(ESSENTIAL.items(), key=lambda kv: kv[0] != "f1"):  # F1 first: it was cut
            region = shown[key].region
            assert region.width > 0 and region.right <= room, (key, region, room)  # whole and uncovered
            assert shown[key].description == label
        assert "j" not in shown
        await pilot.press("f1")
        await wait_for_screen(pilot, "HelpScreen")
        help_text = plain_text(app.screen.query_one("#help-keys", Static).content)
        assert "Save .json — Save the session as JSON" in help_text
        await pilot.press("escape")
        await wait_for_screen(pilot, "ReportScreen")
        await pilot.press("j")  # hidden from the footer, not disabled
        await wait_for(pilot, lambda: any(h.export_dir.glob("*.json")), description="the JSON export")
