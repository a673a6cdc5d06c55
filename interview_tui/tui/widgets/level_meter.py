"""A horizontal microphone level meter (dBFS), fed with the latest level sample."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

FLOOR_DBFS = -60.0


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
    text = Text("▕")
    for i in range(cells):
        style = "green" if i < cells * 0.7 else "yellow" if i < cells * 0.9 else "red"
        if i < filled:
            text.append("█", style=style)
        elif i == peak:
            text.append("▏", style=style)
        else:
            text.append("·", style="dim")
    text.append("▏")
    text.append(label, style="dim" if muted else "")
    return text


class LevelMeter(Widget):
    """Shows the microphone's current RMS level and recent peak."""

    DEFAULT_CSS = """
    LevelMeter { height: 1; width: 1fr; }
    """

    rms_dbfs: reactive[float] = reactive(FLOOR_DBFS)
    peak_dbfs: reactive[float] = reactive(FLOOR_DBFS)
    muted: reactive[bool] = reactive(False)

    def set_level(self, rms_dbfs: float, peak_dbfs: float) -> None:
        self.rms_dbfs = rms_dbfs
        self.peak_dbfs = peak_dbfs

    def render(self) -> Text:
        return meter_text(self.rms_dbfs, self.peak_dbfs, self.size.width, self.muted)
