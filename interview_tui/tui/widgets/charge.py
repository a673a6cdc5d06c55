"""The "free until 2:00 / charged 15 credits" indicator."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from interview_tui.domain import billing
from interview_tui.tui.text import mmss


def charge_text(elapsed_s: float, charged: bool, width: int = 80) -> Text:
    """What the indicator says at `elapsed_s` seconds of live time, in at most `width` cells when it can."""
    if charged:
        return Text(f"Charged {billing.SESSION_COST} credits", style="bold")
    left = mmss(max(0.0, billing.CHARGE_AFTER_S - elapsed_s))
    cost = f"{billing.SESSION_COST} credits"
    for tail in (f" · {left} left before {cost} are charged", f" · {left} left, then {cost}"):
        text = Text.assemble(("Free until ", ""), (mmss(billing.CHARGE_AFTER_S), "bold"), (tail, ""))
        if text.cell_len <= width:
            return text
    return Text.assemble(("Free ", ""), (f"{left}", "bold"), (f", then {cost}", ""))


class ChargeIndicator(Static):
    """Tells the candidate whether this session costs anything yet."""

    DEFAULT_CSS = """
    ChargeIndicator { height: 1; width: 1fr; padding: 0 1; background: $success-muted; }
    ChargeIndicator.-charged { background: $warning-muted; }
    """

    def show(self, elapsed_s: float, charged: bool) -> None:
        width = self.content_region.width or 80
        shown = (int(elapsed_s), charged, width)
        if shown == getattr(self, "_shown", None):
            return
        self._shown = shown
        self.update(charge_text(elapsed_s, charged, width), layout=False)  # one line, always: no re-layout
        self.set_class(charged, "-charged")
