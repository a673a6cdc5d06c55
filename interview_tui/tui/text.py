"""Plain-text helpers for showing untrusted text (JDs, transcripts, model output) literally.

Everything here returns `rich.text.Text` built without markup parsing, so `[bold]` stays the five characters
it is, and control characters (ESC and friends) are replaced by visible control pictures (␛) instead of
reaching the terminal.
"""

from __future__ import annotations

import re
from datetime import datetime

from rich.text import Text

from interview_tui.domain import figures

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
"""Bidi overrides/isolates/marks and zero-width characters: they would reorder or hide what is shown."""


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)
    return "␡" if code == 0x7F else "\ufffd"


def visible(text: str) -> str:
    """Replace control characters (except newline and tab) with visible symbols; drop bidi and zero-width ones."""
    return _CONTROL.sub(_picture, _INVISIBLE.sub("", text))


def literal(text: str, style: str = "") -> Text:
    """Untrusted text as a `Text` that is displayed exactly as written."""
    return Text(visible(text), style=style)


def mmss(seconds: float | None) -> str:
    """Seconds as m:ss (or h:mm:ss past an hour); None as an em dash."""
    return "—" if seconds is None else figures.clock(seconds)


def clock_face(seconds: float) -> str:
    """Seconds as a zero-padded mm:ss for the big timer."""
    total = max(0, int(seconds))
    return f"{total // 60:02d}:{total % 60:02d}"


def when(ts: float | None) -> str:
    """A timestamp as local `YYYY-MM-DD HH:MM`."""
    if ts is None:
        return "—"
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


_LIST_ITEM = re.compile(r"^\s*(?:[-*•·–—▪◦+]|\(?\d{1,2}[.)]|[a-zA-Z][.)])\s+")
WRAPPED_MIN_CHARS = 40
"""A line at least this long that runs on into the next one was hard-wrapped; a shorter one is a heading."""


def unwrap_lines(text: str) -> str:
    """Join hard-wrapped lines back into paragraphs (text files and e-mails often break every ~72 columns).

    Kept as they are: blank lines (paragraph breaks), list items (`-`, `*`, `•`, `1.`, `a)` …), short lines
    such as headings, and lines ending with a colon. A list item's own wrapped continuation joins the item.
    """
    out: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        prev = out[-1] if out else ""
        joins = (line and prev and not _LIST_ITEM.match(raw) and len(prev) >= WRAPPED_MIN_CHARS
                 and not prev.endswith(":"))
        if joins:
            out[-1] = f"{prev} {line}"
        else:
            out.append(line if line else "")
    return "\n".join(out)


_CLI_IN_BACKTICKS = re.compile(r"`interview(?=[ `])")


def runnable(text: str, command: str) -> str:
    """`text` with each `interview …` command quoted in backticks (how the lower layers and the CLI write them)
    in the form the user can run: `command` (`InterviewApp.cli_command`, e.g. `~/app/.venv/bin/interview`)."""
    if command == "interview":
        return text
    return _CLI_IN_BACKTICKS.sub(lambda _m: "`" + command, text)
