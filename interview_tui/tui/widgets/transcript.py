"""The live transcript: a scrolling log of who said what, shown literally.

A line-API widget (`ScrollView`): each turn is kept once (its words, time and speaker) with a line index; only
the visible lines are wrapped and painted (a small cache holds the recently shown turns' lines). Adding a turn
appends a few index entries instead of mounting a widget, so a long interview costs no more per turn than the
first one: no re-layout of earlier turns, no per-turn widget, memory growing with the words only.
Wrapped lines hang under the speaker, leaving the time column clear.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from rich.console import Console
from rich.text import Text
from textual.cache import LRUCache
from textual.events import Resize
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from interview_tui.domain.models import Turn
from interview_tui.tui.text import literal, mmss, visible

SPEAKERS = {"agent": ("Interviewer", "bold cyan"), "user": ("You", "bold green")}
TIME_WIDTH = 5
HANG = TIME_WIDTH + 1
"""Continuation lines start here: under the speaker's name, clear of the time column."""


class Said(NamedTuple):
    """What the log keeps of a turn (a plain tuple: a long transcript costs little more than its words)."""

    t: float
    role: str
    text: str
    interrupted: bool


@dataclass(frozen=True)
class Entry:
    head: Text
    body: Text
    note: bool = False


def turn_entry(turn: Turn | Said) -> Entry:
    """One turn as `m:ss Speaker: words` (the words as plain text)."""
    name, style = SPEAKERS.get(turn.role, (turn.role, "bold"))
    head = Text.assemble((f"{mmss(turn.t):>{TIME_WIDTH}} ", "dim"), (f"{name}: ", style))
    body = literal(turn.text)
    if turn.interrupted:
        body.append(" (interrupted)", style="dim italic")
    return Entry(head, body)


def turn_text(turn: Turn | Said) -> Text:
    """One turn on one logical line (for tests and plain-text views)."""
    entry = turn_entry(turn)
    return Text.assemble(entry.head, entry.body)


def wrap_hanging(head: Text, body: Text, width: int, console: Console, hang: int = HANG) -> list[Text]:
    """`head` + `body` wrapped to `width`; every line after the first (and each later paragraph) indented by
    `hang` cells. Too narrow for a hanging indent → plain wrapping."""
    if width - hang < 12:
        hang = 0
    lines: list[Text] = []
    pad = Text(" " * hang)
    for index, paragraph in enumerate(body.split("\n", allow_blank=True)):
        if index == 0:
            full = Text.assemble(head, paragraph)
            wrapped = full.wrap(console, width, overflow="fold")
            first = wrapped[0] if wrapped else Text("")
            lines.append(first)
            rest = full[len(first.plain):]
        else:
            rest = paragraph
        rest = rest[len(rest.plain) - len(rest.plain.lstrip(" ")):]
        if not rest.plain:
            if index:
                lines.append(Text(""))
            continue
        for line in rest.wrap(console, max(1, width - hang), overflow="fold"):
            lines.append(Text.assemble(pad, line))
    return lines


NEW_LINES_HINT = "↓ new lines below"


class TranscriptLog(ScrollView, can_focus=True):
    """Appends turns as they arrive and keeps the newest in view, unless the candidate scrolled up to read:
    then it stays put and its border says new lines arrived below (lines re-wrap when the width changes)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"transcript-log--note"}
    DEFAULT_CSS = """
    TranscriptLog {
        height: 1fr; border: round $primary 50%; padding: 0 1; background: $surface;
        scrollbar-gutter: stable; overflow-x: hidden;
    }
    TranscriptLog > .transcript-log--note { color: $text-muted; text-style: italic; }
    TranscriptLog { border-subtitle-color: $warning; border-subtitle-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Transcript"
        self.turn_count = 0
        self._items: list[Said | str] = []
        """Turns, and notes (plain strings), in order."""
        self._first_line = array("I")
        """Per item: its first line number at the current width."""
        self._line_item = array("I")
        """Per line: the item it belongs to."""
        self._strips: LRUCache[int, list[Strip]] = LRUCache(96)
        self._width = 0
        self.following = True
        """Scrolled to the end: new lines scroll into view. Scrolling up stops it; scrolling back to the end
        resumes it."""

    # ------------------------------------------------------------------------------------ adding

    def add_turn(self, turn: Turn) -> None:
        said = Said(turn.t, turn.role, turn.text, turn.interrupted)
        if turn.role == "agent" and turn.interrupted and self._replace_last_agent(said):
            return
        self.turn_count += 1
        self._add(said)

    def _replace_last_agent(self, said: Said) -> bool:
        """An agent correction (cut off when the candidate barged in) replaces the line it corrects."""
        for number in range(len(self._items) - 1, -1, -1):
            item = self._items[number]
            if isinstance(item, Said) and item.role == "agent":
                if item.t != said.t:
                    return False
                self._items[number] = said
                if self._width:
                    self._rewrap(self._width)
                self.refresh()
                return True
        return False

    def note(self, message: str) -> None:
        """A system line (reconnects, warnings)."""
        self._add(f"— {message}")

    @property
    def plain(self) -> str:
        """Everything the log holds, one item per line (for tests)."""
        return "\n".join(item if isinstance(item, str) else turn_text(item).plain for item in self._items)

    def _add(self, item: Said | str) -> None:
        self._items.append(item)
        if not self._width:
            return  # wrapped on the first resize
        self._index(len(self._items) - 1)
        self.virtual_size = Size(self._width, len(self._line_item))
        if self.following:
            self.scroll_end(animate=False, immediate=False, x_axis=False)
        elif self.max_scroll_y > self.scroll_y:
            self.border_subtitle = NEW_LINES_HINT
        self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.following = round(new_value) >= self.max_scroll_y
        if self.following:
            self.border_subtitle = ""

    # ------------------------------------------------------------------------------------ wrapping

    def _index(self, number: int) -> None:
        """Wrap item `number` (the last one) and record its lines."""
        self._first_line.append(len(self._line_item))
        self._line_item.extend([number] * len(self._lines_of(number)))

    def _lines_of(self, number: int) -> list[Strip]:
        strips = self._strips.get(number)
        if strips is None:
            strips = self._wrap(self._items[number], self._width)
            self._strips[number] = strips
        return strips

    def _wrap(self, item: Said | str, width: int) -> list[Strip]:
        console = self.app.console
        if isinstance(item, str):
            style = self.get_component_rich_style("transcript-log--note", partial=True)
            texts = wrap_hanging(Text(""), Text(visible(item), style=style), width, console, hang=2)
        else:
            entry = turn_entry(item)
            texts = wrap_hanging(entry.head, entry.body, width, console)
        return [Strip(text.render(console), text.cell_len) for text in texts]

    def _rewrap(self, width: int) -> None:
        self._width = width
        self._strips.clear()
        self._first_line = array("I")
        self._line_item = array("I")
        for number in range(len(self._items)):
            self._index(number)
        self.virtual_size = Size(width, len(self._line_item))
        if self.following:
            self.scroll_end(animate=False, immediate=False, x_axis=False)

    def on_resize(self, event: Resize) -> None:
        width = self.scrollable_content_region.width
        if width > 0 and width != self._width:
            self._rewrap(width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # the theme changed: notes take the new muted colour

    # ------------------------------------------------------------------------------------ painting

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        index = scroll_y + y
        style = self.rich_style
        if index >= len(self._line_item) or width != self._width:
            return Strip.blank(width, style)
        number = self._line_item[index]
        strip = self._lines_of(number)[index - self._first_line[number]]
        return strip.crop_extend(scroll_x, scroll_x + width, style).apply_style(style)
