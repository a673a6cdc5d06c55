"""Horizontal score bars (0–100) for the overall score and the report's dimensions."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from interview_tui.tui.text import visible

BAR_CELLS = 20


def score_style(score: int) -> str:
    return "green" if score >= 70 else "yellow" if score >= 50 else "red"


def bar(score: int, cells: int = BAR_CELLS) -> Text:
    """`score` out of 100 as a bar `cells` wide."""
    filled = round(max(0, min(100, score)) / 100 * cells)
    return Text.assemble(("█" * filled, score_style(score)), ("░" * (cells - filled), "dim"))


def bars_text(rows: Sequence[tuple[str, int | None]], label_width: int = 26) -> Text:
    """One line per (label, score): the label, the bar, the number. None scores show as 'not scored'."""
    text = Text()
    for index, (label, score) in enumerate(rows):
        if index:
            text.append("\n")
        name = visible(label)
        name = name if len(name) <= label_width else name[: label_width - 1] + "…"
        text.append(f"{name:<{label_width}} ")
        if score is None:
            text.append("not scored", style="dim")
            continue
        text.append_text(bar(score))
        text.append(f" {score:>3}", style="bold")
    return text


class ScoreBars(Static):
    """A block of labelled score bars."""

    DEFAULT_CSS = """
    ScoreBars { height: auto; }
    """

    def __init__(self, rows: Sequence[tuple[str, int | None]], *, id: str | None = None) -> None:
        super().__init__(bars_text(rows), id=id)
