"""A vertical bar chart of scores over sessions, drawn with block characters."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from interview_tui.tui.widgets.score_bars import score_style

BLOCKS = " ▁▂▃▄▅▆▇█"


def chart_text(points: Sequence[tuple[str, int]], height: int = 8, column_width: int = 4) -> Text:
    """Scores (0–100) as columns `height` rows high, oldest left, with the score under each column."""
    if not points:
        return Text("No scored sessions yet. Finish an interview to start your trend.", style="dim")
    text = Text()
    for row in range(height, 0, -1):
        axis = "100 ┤" if row == height else "  0 ┤" if row == 1 else " 50 ┤" if row == (height + 1) // 2 else "    │"
        text.append(axis, style="dim")
        for _, score in points:
            eighths = round(score / 100 * height * 8)
            level = max(0, min(8, eighths - (row - 1) * 8))
            cell = BLOCKS[level] * (column_width - 1) + " "
            text.append(cell, style=score_style(score))
        text.append("\n")
    text.append("    └" + "─" * (column_width * len(points)) + "\n", style="dim")
    text.append("     ")
    for _, score in points:
        text.append(f"{score:<{column_width}}", style="bold")
    text.append("\n     ")
    for label, _ in points:
        text.append(f"{label[: column_width - 1]:<{column_width}}", style="dim")
    return text


class TrendChart(Static):
    """The score trend: one column per scored session, oldest first."""

    DEFAULT_CSS = """
    TrendChart { height: auto; padding: 0 1; }
    """

    COLUMN = 6
    """Cells per bar: wide enough for its MM-DD date."""

    def set_points(self, points: Sequence[tuple[str, int]]) -> None:
        self.points = list(points)
        self._draw()

    def on_resize(self) -> None:
        if hasattr(self, "points"):
            self._draw()

    def _draw(self) -> None:
        """The newest bars that fit the width (axis 5 cells, padding 2)."""
        fits = max(1, (self.size.width - 7) // self.COLUMN) if self.size.width else len(self.points)
        self.update(chart_text(self.points[-fits:], column_width=self.COLUMN))
