"""A horizontal microphone level meter (dBFS), fed with the latest level sample."""

from __future__ import annotations

import time
from collections.abc import Callable
from itertools import groupby

from rich.text import Text
from textual.reactive import reactive
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

FLOOR_DBFS = -60.0


def _whole(dbfs: float) -> int:
    return round(max(dbfs, FLOOR_DBFS)) if dbfs == dbfs else int(FLOOR_DBFS)


def level_fraction(dbfs: float) -> float:
    """Map dBFS (−60 … 0) onto 0 … 1."""
    if dbfs != dbfs:  # NaN
        return 0.0
    return min(1.0, max(0.0, (dbfs - FLOOR_DBFS) / -FLOOR_DBFS))


def meter_text(rms_dbfs: float, peak_dbfs: float, width: int, muted: bool) -> Text:
    """A bar `width` cells wide: green → yellow → red, with the peak marked."""
    label = " muted " if muted else f"{max(rms_dbfs, FLOOR_DBFS):5.0f} dB "
    cells = max(4, width - len(label) - 2)
    filled = 0 if muted else round(level_fraction(rms_dbfs) * cells)
    peak = -1 if muted else min(cells - 1, round(level_fraction(peak_dbfs) * cells) - 1)
    def cell(i: int) -> tuple[str, str]:
        style = "green" if i < cells * 0.7 else "yellow" if i < cells * 0.9 else "red"
        return ("█", style) if i < filled else ("▏", style) if i == peak else ("·", "dim")

    text = Text("▕")
    for (char, style), run in groupby(cell(i) for i in range(cells)):  # one span per run, not per cell
        text.append(char * len(list(run)), style=style)
    text.append("▏")
    text.append(label, style="dim" if muted else "")
    return text


class LevelThrottle:
    """Forwards at most `rate` level samples a second from an audio thread: the newest RMS with the loudest peak
    since the last one forwarded. Spares the UI loop a wake-up per audio block (50/s)."""

    def __init__(self, forward: Callable[[float, float], None], rate: float,
                 now: Callable[[], float] = time.monotonic) -> None:
        self._forward = forward
        self._interval = 1 / rate
        self._now = now
        self._next = float("-inf")
        self._peak = float("-inf")

    def __call__(self, rms_dbfs: float, peak_dbfs: float) -> None:
        if peak_dbfs > self._peak:
            self._peak = peak_dbfs
        t = self._now()
        if t < self._next:
            return
        self._next = t + self._interval
        peak, self._peak = self._peak, float("-inf")
        self._forward(rms_dbfs, peak)


class LevelMeter(Widget):
    """Shows the microphone's current RMS level and recent peak.

    Audio engines report levels at up to the block rate (50/s); the meter repaints at most `MAX_FPS` times a
    second, and only when the shown value (whole dB) changes — the newest sample always wins.
    """

    DEFAULT_CSS = """
    LevelMeter { height: 1; width: 1fr; }
    """

    MAX_FPS = 10
    muted: reactive[bool] = reactive(False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rms_dbfs = FLOOR_DBFS
        self.peak_dbfs = FLOOR_DBFS
        self._shown: tuple[int, int] | None = None
        self._painted_at = 0.0
        self._pending: Timer | None = None

    def set_level(self, rms_dbfs: float, peak_dbfs: float) -> None:
        self.rms_dbfs, self.peak_dbfs = rms_dbfs, peak_dbfs
        if self._pending is not None:
            return  # a repaint is already due; it will show these values
        wait = self._painted_at + 1 / self.MAX_FPS - time.monotonic()
        if wait > 0:
            self._pending = self.set_timer(wait, self._paint)
        else:
            self._paint()

    def _paint(self) -> None:
        self._pending = None
        shown = (_whole(self.rms_dbfs), _whole(self.peak_dbfs))
        if shown != self._shown:
            self._shown = shown
            self._painted_at = time.monotonic()
            self.refresh()

    def watch_muted(self) -> None:
        self._shown = None

    def render_line(self, y: int) -> Strip:
        """The bar as segments straight from Rich (a line-API widget: no markup/content conversion per frame)."""
        width = self.size.width
        style = self.rich_style
        if y:
            return Strip.blank(width, style)
        text = meter_text(self.rms_dbfs, self.peak_dbfs, width, self.muted)
        return Strip(text.render(self.app.console), text.cell_len).crop_extend(0, width, style).apply_style(style)
