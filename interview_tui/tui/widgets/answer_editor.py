"""The text-mode answer box: a wrapping, multi-line editor; the screen's send key posts its text."""

from __future__ import annotations

from textual.widgets import TextArea

SEND_KEYS = "ctrl+s,ctrl+enter,ctrl+j"
"""ctrl+s works everywhere; ctrl+enter only where the terminal reports it; ctrl+j is what many send for it."""


class AnswerEditor(TextArea):
    """A soft-wrapped editor that grows with the answer (up to its max-height, then scrolls)."""

    DEFAULT_CSS = """
    AnswerEditor { height: auto; min-height: 3; max-height: 10; }
    AnswerEditor:focus { border: tall $accent; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, soft_wrap=True, show_line_numbers=False, tab_behavior="focus",
                         placeholder="Type your answer. Enter starts a new line; ctrl+s sends it.")
