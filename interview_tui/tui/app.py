"""The Textual app and its router (which screen comes next). It is built in one place, `bootstrap.make_app`.

Screens only talk to `SessionService`, `LiveSession` and `Engines`. Slow work runs in thread workers that post
messages; screens change widgets in their message handlers.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from interview_tui.domain.clock import Clock
from interview_tui.domain.lifecycle import Status
from interview_tui.domain.models import SessionRecord
from interview_tui.tui import intents, routes
from interview_tui.tui.ledger_watch import LedgerWatch
from interview_tui.tui.text import runnable

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from interview_tui.engines import Engines
    from interview_tui.erasure import SessionFiles
    from interview_tui.paths import AppPaths
    from interview_tui.service import SessionService
    from interview_tui.tui.screens.start import StartScreen

log = logging.getLogger(__name__)

DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"


class InterviewApp(App[None]):
    """Start → Setup → Live → Analysis → Report, plus History; the Start screen stays at the bottom.

    The app owns navigation. Screens never import each other: they post an intent (tui/intents.py) with
    `BaseScreen.go(...)` and `route` below turns it into one of four moves:

    - `open(screen)`: push, a side trip (History, a report opened from History); closing it comes back here.
    - `advance(screen)`: switch, the flow moves on (Setup → Live → Analysis → Report); the step left is gone.
    - `back()`: pop, to the screen this one was opened from (the Start screen is never closed).
    - `home()`: pop everything above the Start screen.

    So `back()` is "go back to where you came from": a report reached through the flow goes back to Start, the
    same report opened from History goes back to History. Which screen continues a session is the status →
    screen table `routes.RESUME_SCREENS`. To add a screen: a factory in tui/routes.py, an intent, a `case` in
    `route`.
    """

    CSS_PATH = "app.tcss"
    TITLE = "interview"
    SUB_TITLE = "practise a job interview"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
        # Priority: dialogs (modal screens) see it too.
        Binding("f1", "help", "Help", key_display="F1", tooltip="Every key of this screen", priority=True,
                id="help"),
        # Where a text field has focus it takes "?" as a character first: there, F1 is the way.
        Binding("question_mark", "help", "Help", show=False, id="help-question-mark"),
        # Not in the footer (it would crowd out the screen's own keys at 80 columns); in the help and palette.
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False, id="theme"),
    ]

    def __init__(self, service: SessionService, engines: Engines, clock: Clock, *, jd_text: str | None = None,
                 export_dir: Path | None = None, log_file: Path | None = None, tick_interval: float = 0.25,
                 candidate_name: str = "", theme: str = DARK_THEME, ledger_poll_s: float = 1.0,
                 paths: AppPaths | None = None, output_device: str | None = None,
                 save_theme: Callable[[str], None] | None = None, cli_command: str = "interview") -> None:
        super().__init__()
        self.cli_command = cli_command
        """How the user runs the CLI in a terminal (`invocation.cli_command`, from the composition root): every
        command shown in a hint starts with it."""
        self._paths = paths
        self.output_device = output_device
        """The speaker for playing recordings back (None: the system default)."""
        self.service = service
        self.engines = engines
        self.clock = clock
        self.initial_jd = jd_text
        self.export_dir = export_dir or Path.cwd()
        self.log_file = log_file
        self.tick_interval = tick_interval
        self.candidate_name = candidate_name
        self.theme = theme if theme in self.available_themes else DARK_THEME  # a config naming a lost theme
        self.ledger_poll_s = ledger_poll_s
        self.save_theme = save_theme
        """Remembers the theme (in the config file) when the user changes it; None: not remembered."""
        self._saved_theme = theme
        self.resume_offered: set[str] = set()
        """Unfinished sessions the user was already asked about, or left for later, in this run: the Start screen
        does not offer to resume them again."""
        self._files: SessionFiles | None = None

    def on_mount(self) -> None:
        self.push_screen(routes.start_screen(self.initial_jd))
        LedgerWatch(self, self.service.ledger_version, self.ledger_poll_s).start()
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        # Start-up objects (Textual, Rich, pydantic models, the store) live as long as the app: keep them out of
        # the cyclic collector's full passes, which otherwise pause the UI for ~0.1 s now and then.
        self.call_after_refresh(gc.freeze)

    @property
    def files(self) -> SessionFiles:
        """The sessions' files beside the database: recordings and cached plans (the app's data dir)."""
        if self._files is None:
            from interview_tui.erasure import SessionFiles
            from interview_tui.paths import resolve_paths

            self._files = SessionFiles.at(self._paths or resolve_paths())
        return self._files

    # ------------------------------------------------------------------------------------ navigation (the router)

    def open(self, screen: Screen[Any]) -> None:
        """Show `screen` on top of the current one; `back()` returns here."""
        self.push_screen(screen)

    def advance(self, screen: Screen[Any]) -> None:
        """Replace the current screen by the session's next step."""
        self.switch_screen(screen)

    def back(self) -> None:
        """Close the current screen (the Start screen is never closed)."""
        if len(self.screen_stack) > 2:
            self.pop_screen()

    def home(self) -> None:
        """Back to the Start screen (the one just above the default screen)."""
        while len(self.screen_stack) > 2 and self.screen is not self.start_screen():
            self.pop_screen()

    def start_screen(self) -> StartScreen:
        from interview_tui.tui.screens.start import StartScreen

        return next(s for s in self.screen_stack if isinstance(s, StartScreen))

    def open_session(self, record: SessionRecord) -> None:
        """Continue `record` wherever it stopped (`routes.RESUME_SCREENS`)."""
        status = routes.resume_status(record)
        if status is Status.ACTIVE and not self.service.held_elsewhere(record):
            self.open(routes.live_screen(record))  # paused by a quit or crash: continue it
            return
        if status in routes.NOT_RESUMABLE:
            message, timeout = routes.NOT_RESUMABLE[status]
            self.notify(message, severity="warning", timeout=timeout)
        else:
            self.open(routes.RESUME_SCREENS[status](record))

    @on(intents.Intent)
    def route(self, intent: intents.Intent) -> None:
        """The routing table: each intent a screen posts, and the move it means."""
        if intent.origin is not None and intent.origin not in self.screen_stack:
            return  # asked by a screen that has already closed (e.g. a key pressed twice)
        match intent:
            case intents.OpenSession(record=record):
                self.open_session(record)
            case intents.BeginInterview(record=record):
                self.advance(routes.live_screen(record))
            case intents.InterviewOver(session_id=session_id, engine=engine):
                self.advance(routes.analysis_screen(session_id, engine))
            case intents.ReportReady(record=record):
                self.advance(routes.report_screen(record))
            case intents.OpenReport(record=record):
                self.open(routes.report_screen(record))
            case intents.OpenHistory():
                self._open_history()
            case intents.GoBack(later=later):
                self._leave_for_later(later)
                self.back()
            case intents.GoHome(later=later):
                self._leave_for_later(later)
                self.home()
            case intents.DiscardSession(session_id=session_id):
                start = self.start_screen()
                self.back()
                start.discard(session_id)
            case _:
                raise TypeError(f"no route for {type(intent).__name__}")

    def _open_history(self) -> None:
        """History, or back to it when it is already below (Report's `h` toggles)."""
        from interview_tui.tui.screens.history import HistoryScreen

        if any(isinstance(s, HistoryScreen) for s in self.screen_stack):
            self.back()
        else:
            self.open(routes.history_screen())

    def _leave_for_later(self, session_id: str | None) -> None:
        if session_id:
            self.resume_offered.add(session_id)

    def runnable(self, text: str) -> str:
        """`text` with the commands quoted in it (`interview …`) as the user can run them."""
        return runnable(text, self.cli_command)

    def command(self, arguments: str) -> str:
        """A CLI command as the user can type it, e.g. `command("credits add 15")`."""
        return f"{self.cli_command} {arguments}"

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """A toast; commands quoted in it (`interview …`) are shown as the user can run them."""
        super().notify(self.runnable(message), title=title, severity=severity, timeout=timeout,
                       markup=markup)

    def report_error(self, message: str, *, title: str = "Something went wrong") -> None:
        """An error toast (plain text, never markup) and a log line."""
        log.warning("%s: %s", title, message)
        self.notify(message, title=title, severity="error", timeout=10, markup=False)

    def unexpected(self, err: BaseException, doing: str) -> str:
        """Log an unexpected exception with its traceback; return the sentence to show instead."""
        log.error("unexpected error while %s", doing, exc_info=err)
        where = f" Details are in {self.log_file}." if self.log_file else ""
        return f"Something unexpected went wrong while {doing} ({type(err).__name__}).{where}"

    # ------------------------------------------------------------------------------------ actions

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME

    def action_help(self) -> None:
        """The keys of the screen on top; F1 again closes it."""
        from interview_tui.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
        else:
            self.push_screen(HelpScreen(self.screen))

    def _theme_changed(self, _theme: object) -> None:
        if self.save_theme is not None and self.theme != self._saved_theme:
            self._saved_theme = self.theme
            try:
                self.save_theme(self.theme)
            except Exception as err:  # the theme still applies for this run
                log.warning("saving the theme failed: %s", err)

    def _settle_live_sessions(self) -> None:
        from interview_tui.tui.screens.live import LiveScreen

        for screen in self.screen_stack:
            if isinstance(screen, LiveScreen):
                screen.end_for_quit()

    async def action_quit(self) -> None:
        """Quit. During a live interview ask first; the interview is then paused (its time stops, a charge
        already made stands), to be continued or ended and analysed next time."""
        from interview_tui.tui.screens.live import LiveScreen
        from interview_tui.tui.screens.modals import ConfirmQuitDialog

        live = next((s for s in self.screen_stack if isinstance(s, LiveScreen) and s.is_live), None)
        if live is None:
            self._settle_live_sessions()
            self.exit()
            return
        if isinstance(self.screen, ConfirmQuitDialog):
            return

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self._settle_live_sessions()
                self.exit()

        self.push_screen(ConfirmQuitDialog(), answered)

    def _handle_exception(self, error: Exception) -> None:
        """A bug reached the top: log it (keys scrubbed by the log filter), settle a live interview, and leave one
        line on the terminal — never Textual's default traceback, whose local variables could include keys."""
        from rich.text import Text

        message = self.unexpected(error, "running the app")
        try:
            self._settle_live_sessions()
        except Exception:
            log.exception("settling the live session after a crash failed; recovery will settle it at next start")
        self._return_code = 1
        if self._exception is None:  # Pilot re-raises the first one for the test framework
            self._exception = error
            self._exception_event.set()
        self.bell()
        self._exit_renderables.append(Text(f"interview: {message}"))
        self._close_messages_no_wait()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette lists every action the current screen's footer shows, plus the system commands."""
        for command in super().get_system_commands(screen):
            if command.title == "Keys":  # Textual's key panel: our help overlay is the one place for keys
                continue
            if command.title == "Theme":
                command = SystemCommand("Theme", "Pick a theme (ctrl+t switches light/dark; remembered)",
                                        command.callback)
            yield command
        yield SystemCommand("Help", "Every key of this screen (F1)", self.action_help)
        seen: set[str] = set()
        for _key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.show or not active.enabled or binding.action in seen or binding.action == "quit":
                continue
            seen.add(binding.action)
            help_text = binding.tooltip or f"Key: {binding.key_display or binding.key}"
            # the binding's own node is the action's namespace, as when its key is pressed
            yield SystemCommand(binding.description, help_text, partial(self.run_action, binding.action, active.node))
