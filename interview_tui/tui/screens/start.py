"""Start: the job description (pasted or loaded from a file), the balance and cost, the engines that will run."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Footer, Header, Input, Label, Static, TextArea

from interview_tui.domain import billing
from interview_tui.domain.errors import SessionConflict
from interview_tui.domain.jd import clean_text
from interview_tui.domain.models import SessionRecord
from interview_tui.tui.intents import OpenHistory, OpenSession
from interview_tui.tui.messages import BalanceChanged, RecordLoaded, SessionCreated, StartInfo, WorkFailed
from interview_tui.tui.screens.base import BaseScreen
from interview_tui.tui.screens.modals import ResumeChoice, ResumeDialog
from interview_tui.tui.text import mmss, plural, unwrap_lines

TOP_UP_ARGUMENTS = f"credits add {billing.SESSION_COST}"


class JdFileRead(Message):
    """A JD file was read and cleaned in a worker: the text to show, and whether anything was removed."""

    def __init__(self, loaded: tuple[str, bool]) -> None:
        super().__init__()
        self.text, self.sanitised = loaded


def _read_jd_file(path_text: str) -> tuple[str, bool]:
    """Read (capped, regular files only) and clean a JD file; runs in a worker, never on the UI thread."""
    from interview_tui.jd_file import read_jd_file

    text = read_jd_file(path_text)
    cleaned = clean_text(text)
    return unwrap_lines(cleaned), cleaned != text.strip()


def cost_text(balance: int) -> Text:
    return Text.assemble(("Balance ", "dim"), (plural(balance, "credit"), "bold"),
                         ("  ·  an interview costs ", "dim"), (f"{billing.SESSION_COST} credits", "bold"),
                         (f", charged only once it has run {mmss(billing.CHARGE_AFTER_S)}", "dim"))


def blocked_text(balance: int, top_up_command: str) -> Text:
    """Why Start is disabled, and the top-up command as the user can run it."""
    return Text.assemble(
        (f"You have {plural(balance, 'credit')}; an interview needs {billing.SESSION_COST}. ", "bold"),
        "Top up in a terminal, then come back:  ", (top_up_command, "bold reverse"))


def outbound_text(sends: list[str]) -> Text:
    """What leaves this computer with these engines, and that everything else stays in the local database."""
    text = Text("Privacy  ", style="dim")
    if not sends:
        text.append("nothing leaves this computer", style="bold")
        text.append(": everything runs offline and stays in the local database.", style="dim")
        return text
    text.append("sent: ", style="dim")
    text.append("; ".join(sends))
    text.append(". Everything else stays in the local database.", style="dim")
    return text


class StartScreen(BaseScreen):
    """Paste or load a JD; start the interview."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "Start interview", tooltip="Plan an interview from this job description",
                id="start"),
        Binding("ctrl+o", "open_file", "Load file", tooltip="Load the job description from a text file",
                id="load-file"),
        Binding("ctrl+r", "history", "History", tooltip="Past sessions, score trend and credits", id="history"),
    ]

    def __init__(self, jd_text: str | None = None) -> None:
        super().__init__()
        self.initial_jd = jd_text
        self.balance: int | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="start-body"):
            yield Static(Text("Loading balance…", style="dim"), id="balance")
            yield Static("", id="blocked", classes="hidden")
            yield Static(self._engines_text(), id="engines")
            yield Label("Job description — paste it below, or load it from a file", id="jd-label")
            yield TextArea("", id="jd", soft_wrap=True, show_line_numbers=False,
                           placeholder="Paste the job ad here: the role, responsibilities and requirements.")
            with Horizontal(id="start-actions"):
                yield Input(placeholder="…or a path to a .txt file, then Enter", id="jd-path")
                yield Button("Start interview", id="start-button", variant="primary")
        yield Footer()

    def _engines_text(self) -> Text:
        text = Text()
        for index, choice in enumerate(self.iapp.engines.describe()):
            if index:
                text.append("\n")
            text.append(f"{choice.role.capitalize():<8} ", style="dim")
            text.append(choice.name, style="bold")
            text.append(f" — {self.iapp.runnable(choice.reason)}", style="dim")
        text.append("\n")
        text.append_text(outbound_text(self.iapp.engines.outbound()))
        return text

    def on_mount(self) -> None:
        if self.initial_jd:
            self._set_jd(self.initial_jd)
        self.query_one("#jd", TextArea).focus()

    def on_screen_resume(self) -> None:
        self.busy = False
        self.call_service("start-info", "reading your balance", self._start_info,
                          done=lambda info: info)

    def _start_info(self) -> StartInfo:
        service = self.iapp.service
        return StartInfo(service.balance(), service.unfinished())

    def discard(self, session_id: str) -> None:
        """Cancel an unfinished session that has not gone live, then refresh."""
        self.call_service("discard", "discarding the unfinished session", self._discard, session_id,
                          done=lambda info: info)

    def _discard(self, session_id: str) -> StartInfo:
        self.iapp.service.cancel(session_id)
        self.app.call_from_thread(self.notify, "Session discarded. Nothing was charged.")
        return self._start_info()

    def _set_jd(self, text: str) -> None:
        """Show a JD from a file (or `interview --jd`): control sequences removed, hard-wrapped lines rejoined."""
        cleaned = clean_text(text)
        if cleaned != text.strip():
            self.notify("Terminal control sequences were removed from the job description.", markup=False)
        self.query_one("#jd", TextArea).load_text(unwrap_lines(cleaned))

    # ------------------------------------------------------------------------------------------ messages

    @on(BalanceChanged)
    def balance_changed(self) -> None:
        """A top-up (maybe from another terminal): show the new balance and unblock Start."""
        self.call_service("start-info", "reading your balance", self._start_info, done=lambda info: info)

    @on(StartInfo)
    def show_info(self, info: StartInfo) -> None:
        self.balance = info.balance
        self.query_one("#balance", Static).update(cost_text(info.balance))
        blocked = self.query_one("#blocked", Static)
        is_blocked = info.balance < billing.SESSION_COST
        blocked.update(blocked_text(info.balance, self.iapp.command(TOP_UP_ARGUMENTS)) if is_blocked else "")
        blocked.set_class(not is_blocked, "hidden")
        self.query_one("#start-button", Button).disabled = is_blocked
        self.refresh_bindings()
        if info.unfinished is not None and info.unfinished.id not in self.iapp.resume_offered and self.is_current:
            self.ask_resume(info.unfinished)

    def ask_resume(self, record: SessionRecord) -> None:
        self.iapp.resume_offered.add(record.id)

        def chosen(choice: ResumeChoice | None) -> None:
            if choice == "resume":
                self.go(OpenSession(record))
            elif choice == "discard":
                self.discard(record.id)
            elif choice == "analyse":
                self.call_service("end-paused", "ending the interrupted interview", self.iapp.service.end,
                                  record.id, done=OpenSession)

        elsewhere = self.iapp.service.held_elsewhere(record)
        self.app.push_screen(ResumeDialog(record, self.iapp.clock.now(), elsewhere=elsewhere), chosen)

    @on(SessionCreated)
    def created(self, message: SessionCreated) -> None:
        self.busy = False
        self.iapp.resume_offered.add(message.record.id)  # a balance check still in flight must not offer it
        self.go(OpenSession(message.record))

    @on(RecordLoaded)
    def conflict_loaded(self, message: RecordLoaded) -> None:
        self.ask_resume(message.record)

    @on(WorkFailed)
    def failed(self, message: WorkFailed) -> None:
        self.busy = False
        if isinstance(message.error, SessionConflict):
            self.iapp.resume_offered.discard(message.error.session_id)
            self.call_service("conflict", "opening the unfinished session", self.iapp.service.get,
                              message.error.session_id, done=RecordLoaded)
            return
        if message.action == "load-file":
            self.iapp.report_error(message.message, title="Cannot load the file")
            return
        if message.action == "discard":
            self.notify("The session was not discarded: " + message.message, severity="error", markup=False)
        else:
            self.iapp.report_error(message.message, title="Cannot start" if message.action == "create" else
                                   "Something went wrong")
        self.on_screen_resume()

    # ------------------------------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start" and self.balance is not None and self.balance < billing.SESSION_COST:
            return None  # shown greyed out while blocked
        return True

    def action_start(self) -> None:
        if self.busy:
            return
        if self.balance is not None and self.balance < billing.SESSION_COST:
            self.notify(f"Top up first: {self.iapp.command(TOP_UP_ARGUMENTS)}", severity="warning",
                        markup=False)
            return
        text = self.query_one("#jd", TextArea).text
        self.busy = True
        self.call_service("create", "creating the session", self.iapp.service.create, text, done=SessionCreated)

    @on(Button.Pressed, "#start-button")
    def start_pressed(self) -> None:
        self.action_start()

    def action_open_file(self) -> None:
        path_input = self.query_one("#jd-path", Input)
        if path_input.value.strip() and path_input.has_focus:
            self.load_file(path_input.value)
        else:
            path_input.focus()

    @on(Input.Submitted, "#jd-path")
    def path_submitted(self, event: Input.Submitted) -> None:
        self.load_file(event.value)

    def load_file(self, path_text: str) -> None:
        if not path_text.strip():
            self.notify("Type the path of a text file holding the job description.", severity="warning")
            return
        self.call_service("load-file", "reading the file", _read_jd_file, path_text.strip(), done=JdFileRead)

    @on(JdFileRead)
    def file_read(self, message: JdFileRead) -> None:
        if message.sanitised:
            self.notify("Terminal control sequences were removed from the job description.", markup=False)
        self.query_one("#jd", TextArea).load_text(message.text)
        self.query_one("#jd", TextArea).focus()
        self.notify(f"Loaded {len(message.text.split())} words.", markup=False)

    def action_history(self) -> None:
        self.go(OpenHistory())
