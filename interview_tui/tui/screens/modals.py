"""Modal dialogs: resume-or-discard an unfinished session, confirm ending the interview early, confirm deleting a
session (or several marked in History)."""

from __future__ import annotations

from typing import ClassVar, Literal, get_args

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from interview_tui.domain import billing
from interview_tui.domain.lifecycle import Status
from interview_tui.domain.models import SessionRecord
from interview_tui.report_export import session_title
from interview_tui.tui.text import literal, mmss, when

_STEP = {
    Status.CREATED: "was created but not planned yet",
    Status.SETUP: "was being planned",
    Status.READY: "is planned and ready to begin",
    Status.ANALYZING: "has ended and is waiting to be analysed",
}


def resume_text(record: SessionRecord, now: float) -> Text:
    """What the resume dialog says about `record`."""
    if record.status is Status.FAILED:
        step = "failed during analysis" if record.failed_after_going_live else "failed while planning"
    else:
        step = _STEP.get(record.status, f"is {record.status.value}")
    text = Text.assemble(("Interview: ", "dim"))
    text.append_text(literal(session_title(record), "bold"))
    text.append(f"\nStarted {when(record.created_at)}; it {step}.")
    if record.went_live:
        charged = f"charged {billing.SESSION_COST} credits" if record.charged else "not charged"
        text.append(f"\nLive time {mmss(record.live_seconds(now))}, {charged}.")
    if record.error:
        text.append("\nLast error: ", style="dim")
        text.append_text(literal(record.error))
    return text


ResumeChoice = Literal["resume", "discard", "analyse"]
"""What the resume dialog answers (None: later): resume (or continue) it, discard it, or end and analyse it."""
RESUME_CHOICES: tuple[ResumeChoice, ...] = get_args(ResumeChoice)


class ResumeDialog(ModalScreen[ResumeChoice | None]):
    """Resume the unfinished session, discard it, or decide later."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('resume')", "Resume", id="resume"),
        Binding("d", "choose('discard')", "Discard", id="discard"),
        Binding("a", "choose('analyse')", "End and analyse", id="analyse"),
        Binding("escape", "choose('later')", "Later", id="later"),
    ]

    def __init__(self, record: SessionRecord, now: float, *, elsewhere: bool = False) -> None:
        super().__init__()
        self.record = record
        self.now = now
        self.elsewhere = elsewhere
        """Another live window holds the session: nothing here may touch it."""

    @property
    def paused(self) -> bool:
        """Went live, then the app quit or crashed: it can be continued or ended and analysed."""
        return not self.elsewhere and self.record.status is Status.ACTIVE

    @property
    def can_discard(self) -> bool:
        return not self.elsewhere and self.record.status in (Status.CREATED, Status.SETUP, Status.READY,
                                                             Status.FAILED)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="resume-dialog"):
            yield Label("You have an unfinished interview", classes="dialog-title")
            yield Static(resume_text(self.record, self.now), id="resume-text")
            if self.elsewhere:
                yield Static(Text("It is open in another window right now. Finish it there; this window "
                                  "leaves it alone.", style="bold"), id="resume-elsewhere")
            elif self.paused:
                yield Static(Text("It was interrupted (the app quit or stopped). Continue it — a new "
                                  "conversation picks up at your next question, with no new charge — or end it "
                                  "and get your report.", style="dim"))
            elif not self.can_discard:
                yield Static(Text("It has already gone live, so it can be analysed but not discarded.",
                                  style="dim"))
            with Horizontal(classes="dialog-buttons"):  # only the choices that work now
                if not self.elsewhere:
                    yield Button("Continue (r)" if self.paused else "Resume (r)", id="resume", variant="primary")
                if self.paused:
                    yield Button("End and analyse (a)", id="analyse", variant="warning")
                elif self.can_discard:
                    yield Button("Discard (d)", id="discard", variant="error")
                yield Button("Later (esc)", id="later")

    def on_mount(self) -> None:
        self.query_one("#later" if self.elsewhere else "#resume", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters:
            return self._can(str(parameters[0]))
        return True

    def _can(self, choice: str) -> bool:
        return not ((choice == "discard" and not self.can_discard) or (choice == "resume" and self.elsewhere)
                    or (choice == "analyse" and not self.paused))

    def action_choose(self, choice: str) -> None:
        if not self._can(choice):
            return
        self.dismiss(next((known for known in RESUME_CHOICES if known == choice), None))  # "later": None

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id or "later")


def yes_no_bindings(yes: str, no: str, yes_id: str, no_id: str) -> list[BindingType]:
    """y answers yes, n or esc no; the labels are the buttons' (without their keys)."""
    return [Binding("y", "answer(True)", yes, id=yes_id), Binding("n,escape", "answer(False)", no, id=no_id)]


class YesNoDialog(ModalScreen[bool]):
    """A question answered yes (y) or no (n, esc); "no" has the focus, so a stray enter changes nothing.

    A subclass names the question, the two answers (`YES`, `NO`, also in its `yes_no_bindings`) and the body."""

    QUESTION: ClassVar[str]
    YES: ClassVar[str]
    NO: ClassVar[str]
    DIALOG_ID: ClassVar[str]
    BODY_ID: ClassVar[str | None] = None

    def body(self) -> Text:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id=self.DIALOG_ID):
            yield Label(self.QUESTION, classes="dialog-title")
            yield Static(self.body(), id=self.BODY_ID)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.YES} (y)", id="yes", variant="error")
                yield Button(f"{self.NO} (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class ConfirmQuitDialog(YesNoDialog):
    """Quitting during a live interview: it is paused, not ended, and can be continued next time."""

    QUESTION, YES, NO, DIALOG_ID = "Quit during the interview?", "Quit", "Keep going", "confirm-quit-dialog"
    BINDINGS: ClassVar[list[BindingType]] = yes_no_bindings(YES, NO, "confirm-quit", "keep-going-quit")

    def body(self) -> Text:
        return Text("The interview is paused: its clock stops and nothing more is charged. Next time you can "
                    "continue it (a new conversation picks up at your next question) or end it and get your "
                    "report.")


class ConfirmEndDialog(YesNoDialog):
    """Confirm ending the interview before 15:00."""

    QUESTION, YES, NO, DIALOG_ID = "End the interview now?", "End interview", "Keep going", "confirm-end-dialog"
    BINDINGS: ClassVar[list[BindingType]] = yes_no_bindings(YES, NO, "confirm-end", "keep-going")

    def __init__(self, elapsed_s: float, charged: bool) -> None:
        super().__init__()
        self.elapsed_s = elapsed_s
        self.charged = charged

    def body(self) -> Text:
        if self.charged:
            cost = f"This session has been charged {billing.SESSION_COST} credits."
        else:
            cost = (f"Ending before {mmss(billing.CHARGE_AFTER_S)} costs nothing, but a very short interview "
                    "may be too short to assess.")
        return Text(f"You have been live for {mmss(self.elapsed_s)} of {mmss(billing.MAX_SESSION_S)}. {cost}\n"
                    "Your answers so far will be analysed.")


class ConfirmDeleteDialog(YesNoDialog):
    """Confirm deleting a session for good (its transcripts, report and recording; the ledger stays)."""

    QUESTION, YES, NO, DIALOG_ID = "Delete this session for good?", "Delete", "Keep it", "confirm-delete-dialog"
    BODY_ID = "delete-text"
    BINDINGS: ClassVar[list[BindingType]] = yes_no_bindings(YES, NO, "confirm-delete", "keep-session")

    def __init__(self, record: SessionRecord, recording_bytes: int | None = None) -> None:
        super().__init__()
        self.record = record
        self.recording_bytes = recording_bytes

    def body(self) -> Text:
        from interview_tui.recordings import human_size

        text = Text.assemble(("Interview: ", "dim"))
        text.append_text(literal(session_title(self.record), "bold"))
        text.append(f"\n{when(self.record.created_at)}, {self.record.status.value}.")
        gone = "its job description, plan, transcripts and report"
        if self.recording_bytes is not None:
            gone += f", and its recording ({human_size(self.recording_bytes)})"
        text.append(f"\n\nThis erases {gone} from this computer. It cannot be undone. The credit ledger keeps "
                    "its rows (a charge stays, marked as a deleted session).")
        return text


class ConfirmDeleteManyDialog(YesNoDialog):
    """Confirm deleting several sessions (marked in History) for good, in one go; the ledger stays."""

    QUESTION, YES, NO, DIALOG_ID = "Delete these sessions for good?", "Delete all", "Keep them", \
        "confirm-delete-many-dialog"
    BODY_ID = "delete-many-text"
    BINDINGS: ClassVar[list[BindingType]] = yes_no_bindings(YES, NO, "confirm-delete-many", "keep-sessions")
    LISTED = 6
    """Sessions named one per line; the rest are counted."""

    def __init__(self, records: list[SessionRecord], recording_bytes: int = 0) -> None:
        super().__init__()
        self.records = records
        self.recording_bytes = recording_bytes

    def body(self) -> Text:
        from interview_tui.recordings import human_size

        text = Text.assemble((f"{len(self.records)} sessions:", "bold"))
        for record in self.records[:self.LISTED]:
            text.append(f"\n• {when(record.created_at)}  ", style="dim")
            text.append_text(literal(session_title(record)))
        if len(self.records) > self.LISTED:
            text.append(f"\n… and {len(self.records) - self.LISTED} more", style="dim")
        gone = "their job descriptions, plans, transcripts and reports"
        if self.recording_bytes:
            gone += f", and their recordings ({human_size(self.recording_bytes)})"
        text.append(f"\n\nThis erases {gone} from this computer. It cannot be undone. The credit ledger keeps "
                    "its rows (a charge stays, marked as a deleted session).")
        return text

