"""The help overlay (F1, or ? where no text field has focus): every key of the screen below it, and the theme."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

APP_KEYS: tuple[tuple[str, str], ...] = (
    ("F1 / ?", "This help (? only where you are not typing)"),
    ("^p", "Command palette: every action by name, and the theme picker"),
    ("^t", "Switch between the light and dark theme (remembered)"),
    ("^q", "Quit (during an interview it asks first; the interview can be continued later)"),
)
FOCUS_KEYS = {"app.focus_next": "Next field", "app.focus_previous": "Previous field", "focus_next": "Next field",
              "focus_previous": "Previous field"}
HIDDEN_ACTIONS = {"help", "quit", "toggle_theme", "command_palette"}
"""Shown once, in `APP_KEYS`, whichever screen is below."""


def screen_keys(app: App[Any], screen: Screen[Any]) -> list[tuple[str, str]]:
    """(key, what it does) for every binding that works on `screen` now: the screen's own and those of the
    focused widget that its footer shows. A key that does nothing now is left out."""
    keys: dict[str, list[str]] = {}
    """What it does → its keys (one row per action, its keys together: "^s / ^j")."""
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.action in HIDDEN_ACTIONS or not active.enabled or binding.system or not binding.description:
            continue
        own = active.node is screen
        if not own and not binding.show:
            continue  # a text field's editing keys: not this screen's actions
        what = FOCUS_KEYS.get(binding.action, binding.description)
        if binding.tooltip:
            what = f"{binding.description} — {binding.tooltip}"
        key = app.get_key_display(binding)
        if key not in keys.setdefault(what, []):
            keys[what].append(key)
    return [(" / ".join(shown), what) for what, shown in keys.items()]


def help_table(app: App[Any], screen: Screen[Any]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    rows = screen_keys(app, screen)
    if not rows:
        table.add_row("", Text("No keys of its own on this screen.", style="dim"))
    for key, what in rows:
        table.add_row(Text(key, style="bold"), Text(what))
    table.add_row("", "")
    for key, what in APP_KEYS:
        table.add_row(Text(key, style="bold"), Text(what, style="dim"))
    return table


def screen_title(screen: Screen[Any]) -> str:
    name = type(screen).__name__.removesuffix("Screen").removesuffix("Dialog")
    return {"Live": "Live interview", "Confirm End": "End the interview?"}.get(name, name)


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen it covers; any of esc, F1, ? or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "close", "Close help", id="close-help"),
    ]

    def __init__(self, below: Screen[Any]) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        theme = "dark" if self.app.current_theme.dark else "light"
        with VerticalScroll(classes="dialog", id="help-dialog"):
            yield Label(f"Keys — {screen_title(self.below)}", classes="dialog-title")
            yield Static(help_table(self.app, self.below), id="help-keys")
            yield Static(Text.assemble(("Theme ", "dim"), (self.app.theme, "bold"), (f" ({theme})", "dim"),
                                       ("   esc closes this help", "dim")), id="help-theme")

    def action_close(self) -> None:
        self.dismiss(None)
