"""The Start screen's path field reads JD files in a worker, through the same capped reader as the CLI: a FIFO,
a device, a folder or a huge file is refused at once with the right message and the app stays responsive;
UTF-16 text with a byte-order mark loads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from interview_tui.bootstrap import make_app
from tests.doubles import make_harness
from tests.fakes.tui_pilot import settle, wait_for
from tests.paths import SAMPLE_JD_FILE

pytestmark = pytest.mark.anyio

JD = SAMPLE_JD_FILE.read_text(encoding="utf-8")


def _make(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"jd-{kind}"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "device":
        path = Path("/dev/zero")
    elif kind == "huge":
        with path.open("wb") as fh:
            fh.truncate(50_000_000)  # 50 MB (sparse): used to freeze the app for minutes
    elif kind == "spaces":
        path.write_bytes(b" " * 990_000 + b"x")
    elif kind == "utf16":
        path.write_bytes(b"\xff\xfe" + JD.encode("utf-16-le"))
    return path


def _messages(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("kind", "expected"), [
    ("fifo", "named pipe"), ("folder", "is a folder"), ("device", "is a device"), ("huge", "limit is 1,000 kB"),
    ("spaces", "990,001 characters"), ("missing", "There is no file"), ("utf16", None),
])
async def test_path_field(tmp_path: Path, kind: str, expected: str | None) -> None:
    h = make_harness(tmp_path)
    path = _make(tmp_path, kind)
    app = make_app(h.runtime, jd_text="")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        field = app.screen.query_one("#jd-path", Input)
        field.value = str(path)
        field.focus()
        await pilot.press("ctrl+o")
        if expected is None:
            await wait_for(pilot, lambda: "Senior" in app.screen.query_one("#jd", TextArea).text or
                           len(app.screen.query_one("#jd", TextArea).text) > 200, description="the JD loaded")
            assert any(m.startswith("Loaded ") for m in _messages(app))
        else:
            await wait_for(pilot, lambda: any(expected in m for m in _messages(app)),
                           description=f"an error naming {expected!r}")
            assert app.screen.query_one("#jd", TextArea).text == ""
        assert type(app.screen).__name__ == "StartScreen"
    h.runtime.close()
