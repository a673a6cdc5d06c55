"""The "free until 2:00 / charged 15 credits" indicator."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from interview_tui.domain import billing
from interview_tui.tui.text import mmss


def charge_text(elapsed_s: float, charged: bool) -> Text:
    """What the indicator says at `elapsed_s` seconds of live time."""
    if charged:
        return Text(f"Charged {billing.SESSION_COST} credits", style="bold")
    left = max(0.0, billing.CHARGE_AFTER_S - elapsed_s)
    return Text.assemble(("Free until ", ""), (mmss(billing.CHARGE_AFTER_S), "bold"),
                         (f" · {mmss(left)} left before {billing.SESSION_COST} credits are charged", ""))


class ChargeIndicator(Static):
    """Tells the candidate whether this session costs anything yet."""

    DEFAULT_CSS = """
    ChargeIndicator { height: 1; width: 1fr; padding: 0 1; background: $success-muted; }
    ChargeIndicator.-charged { background: $warning-muted; }
    """

    def show(self, elapsed_s: float, charged: bool) -> None:
        shown = (int(elapsed_s), charged)
        if shown == getattr(self, "_shown", None):
            return
        self._shown = shown
        self.update(charge_text(elapsed_s, charged), layout=False)  # one line, always: no re-layout
        self.set_class(charged, "-charged")
