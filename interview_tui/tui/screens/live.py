"""Live session: the timer, the charge indicator, the mic level, who is speaking, the transcript.

`LiveSession.tick()` runs on the UI thread from a `set_interval` timer (it is the one thread that writes to
the database during the call). The voice engine's callbacks arrive on its own threads and only post messages.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Footer, Header, Static

from interview_tui.domain import billing
from interview_tui.domain.errors import InterviewError, LiveElsewhere
from interview_tui.domain.models import InterviewPlan, SessionRecord, Turn
from interview_tui.live import LiveListener, LiveSession, LiveState
from interview_tui.providers.base import Speaker, VoiceEngine, VoiceName, VoiceStatus, VoiceStatusKind
from interview_tui.tui.intents import GoBack, InterviewOver
from interview_tui.tui.messages import (
    Charged,
    EngineEnded,
    LevelChanged,
    LiveBegan,
    LiveEnded,
    SpeakerChanged,
    StatusChanged,
    TurnReceived,
    WorkFailed,
)
from interview_tui.tui.screens.base import BaseScreen
from interview_tui.tui.screens.modals import ConfirmEndDialog
from interview_tui.tui.text import literal, mmss
from interview_tui.tui.widgets.answer_editor import SEND_KEYS, AnswerEditor
from interview_tui.tui.widgets.charge import ChargeIndicator
from interview_tui.tui.widgets.level_meter import LevelMeter, LevelThrottle
from interview_tui.tui.widgets.timer import SessionTimer
from interview_tui.tui.widgets.transcript import TranscriptLog

log = logging.getLogger(__name__)

SPEAKING = {
    "agent": Text.assemble(("● ", "bold cyan"), "Interviewer is speaking"),
    "user": Text.assemble(("● ", "bold green"), "You are speaking"),
    None: Text("○ Nobody is speaking", style="dim"),
}


LiveFailure = Literal["elsewhere", "voice", "other"]
"""Why going live failed: another window runs the session; the voice could not start (typed answers are offered);
anything else."""

ENGINE_NAMES: dict[str, str] = {VoiceName.TEXT: "typed answers", VoiceName.ELEVENLABS: "ElevenLabs voice agent",
                                VoiceName.LOCAL: "offline voice"}


PHASES = {
    "listening": Text.assemble(("◌ ", "bold green"), "Listening… take your time"),
    "transcribing": Text.assemble(("◌ ", "bold yellow"), "Transcribing your answer…"),
}


def engine_label(name: str) -> str:
    """The voice engine as the candidate knows it (unknown engines keep their own name)."""
    return ENGINE_NAMES.get(name, name)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def warning_text(remaining_s: float) -> Text:
    """The last-minute banner, counting down with the timer."""
    return Text(f"⚠ {mmss(remaining_s)} left: the interview ends by itself at {mmss(billing.MAX_SESSION_S)}.")


def is_follow_up(said: str) -> bool:
    """An interviewer line that is not a plan question but asks something (a nudge or a thank-you asks
    nothing, so it leaves the pinned question alone)."""
    return "?" in said


def match_question(plan: InterviewPlan, said: str) -> int | None:
    """The index of the plan question the interviewer just asked, if the turn contains one."""
    spoken = _norm(said)
    for index, question in enumerate(plan.questions):
        if _norm(question.text)[:80] in spoken:
            return index
    return None


class LiveScreen(BaseScreen):
    """One live interview, up to 15:00."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "toggle_mute", "Mute", tooltip="Mute or unmute your microphone", id="mute"),
        Binding("ctrl+e", "end", "End interview", tooltip="End now and get your report", priority=True,
                id="end"),
        Binding("t", "typed_answers", "Typed answers", tooltip="Continue with typed answers", id="typed"),
        Binding("escape", "back", "Back", tooltip="Back to the start screen; the session stays ready", id="back"),
        Binding("ctrl+r", "repeat_question", "Repeat", tooltip="The interviewer asks the question again "
                "(in voice, say \"can you repeat the question?\")", id="repeat-question"),
        Binding(SEND_KEYS, "send_answer", "Send answer", priority=True,
                tooltip="Send the typed answer (Enter starts a new line)", id="send-answer"),
    ]

    def __init__(self, record: SessionRecord) -> None:
        super().__init__()
        assert record.plan is not None
        self.record = record
        self.plan: InterviewPlan = record.plan
        self.engine: VoiceEngine | None = None
        self.live: LiveSession | None = None
        self.ticker: Timer | None = None
        self.ending = False
        self.left = False
        self.state: LiveState | None = None
        self.question_index: int | None = None
        self.failure: LiveFailure | None = None
        self.voice_failed: str | None = None
        """Why the voice engine could not start, when typed answers replace it (noted for the report)."""
        self.connecting = False
        self.charge_warning_shown = False
        self.reported: set[str] = set()
        self.phase: VoiceStatusKind | None = None
        """The offline voice's listening/transcribing phase, shown while nobody is speaking."""
        """Messages already shown as a toast (each error is shown once)."""
        """Why going live failed: "elsewhere" (another window runs it), "voice" (typed answers offered), "other"."""
        self.follow_up: str | None = None
        self._countdown_shown: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        # The widgets updated many times a second are kept at hand (no DOM query per level sample).
        self.timer_widget = SessionTimer(id="timer")
        self.charge_widget = ChargeIndicator(id="charge")
        self.meter = LevelMeter(id="level")
        with Horizontal(id="live-top"):
            yield self.timer_widget
            with Vertical(id="live-status"):
                yield self.charge_widget
                yield Static(SPEAKING[None], id="speaker")
                yield Static("", id="engine-line")
                yield self.meter
        yield Static("", id="notice", classes="hidden")
        yield Static(Text("Waiting for the interviewer…", style="dim"), id="question")
        yield TranscriptLog(id="transcript")
        yield AnswerEditor(id="answer", classes="hidden")
        yield Footer()

    # ------------------------------------------------------------------------------------ start & tick

    def _listener(self) -> LiveListener:
        def post(message: Message) -> None:
            self.post_message(message)

        return LiveListener(
            on_turn=lambda turn: post(TurnReceived(turn)),
            on_status=lambda status: post(StatusChanged(status)),
            on_level=LevelThrottle(lambda rms, peak: post(LevelChanged(rms, peak)), LevelMeter.MAX_FPS),
            on_speaking=lambda who: post(SpeakerChanged(who)),
            on_ended=lambda reason: post(EngineEnded(reason)),
            on_charged=lambda: post(Charged()),
            on_charge_warning=lambda seconds: post(StatusChanged(VoiceStatus(
                "charge-warning", f"No answer yet: {billing.SESSION_COST} credits are charged at "
                                  f"{mmss(billing.CHARGE_AFTER_S)} (in {seconds:.0f} s). Ending now (ctrl+e) is "
                                  "free."))),
        )

    def on_mount(self) -> None:
        """Go live in a worker: claim the session, bring the voice up (pre-flight), then mic on. Nothing here
        changes screens (a failure is shown on this screen, with its choices)."""
        self._begin(self.iapp.engines.make_voice)

    def _begin(self, make_engine: Callable[[], VoiceEngine]) -> None:
        self.failure = None
        self.connecting = True
        self.refresh_bindings()
        self.query_one("#question", Static).update(Text("Connecting to the interviewer…", style="dim"))
        self.call_service("begin", "starting the interview", self._begin_in_worker, make_engine,
                          done=LiveBegan)

    def _begin_in_worker(self, make_engine: Callable[[], VoiceEngine]) -> SessionRecord:
        app = self.iapp
        app.service.claim(self.record.id)  # before anything else: a window that loses opens nothing
        try:
            engine = make_engine()
        except BaseException:
            app.service.release(self.record.id)
            raise
        self.engine = engine
        make_recorder = app.engines.make_recorder
        recorder = make_recorder(self.record.id) if make_recorder is not None and not engine.text_input else None
        live = LiveSession(app.service, self.record.id, engine, app.clock, self._listener(),
                           candidate_name=app.candidate_name, recorder=recorder)
        self.live = live
        return live.begin(voice_failed=self.voice_failed if engine.text_input else None)

    @on(LiveBegan)
    def live_began(self, message: LiveBegan) -> None:
        if self.left or self.live is None:
            return
        text_mode = self.engine is not None and self.engine.text_input
        self.query_one("#engine-line", Static).update(self._engine_line(muted=False))
        self.query_one("#level").set_class(text_mode, "hidden")
        self.query_one("#answer").set_class(not text_mode, "hidden")
        if self.connecting:
            self.query_one("#question", Static).update(Text("Waiting for the interviewer…", style="dim"))
        if text_mode:
            self.query_one("#answer", AnswerEditor).focus()
        # Everything alive now (the app, the SDKs, numpy…) lives for the whole call: keep it out of the cyclic
        # collector's full passes, which otherwise stall the UI for ~100 ms each (bench/ui_live.py).
        gc.freeze()
        self.ticker = self.set_interval(self.iapp.tick_interval, self.tick)
        self.refresh_bindings()
        self.tick()

    def _begin_failed(self, message: WorkFailed) -> None:
        """The session did not go live (it stays `ready`, unless another window runs it): say why, offer typed
        answers when the voice was the problem, and let the candidate go back."""
        self.live = None
        elsewhere = isinstance(message.error, LiveElsewhere)
        text_mode = self.engine is None or self.engine.text_input
        fallback = self.iapp.engines.make_fallback_voice
        self.failure = "elsewhere" if elsewhere else ("voice" if not text_mode and fallback else "other")
        if self.failure == "voice":
            self.voice_failed = message.message
        if elsewhere:
            hint = "Press esc to go back. Nothing here touches that interview."
        elif self.failure == "voice":
            hint = ("Nothing was charged and the session is still ready. Press t to continue with typed answers, "
                    "or esc to go back and fix it.")
        else:
            hint = "Nothing was charged and the session is still ready. Press esc to go back."
        notice = self.query_one("#notice", Static)
        notice.update(Text(f"{self.iapp.runnable(message.message)}\n{hint}"))
        notice.set_classes("notice -warning")
        self.query_one("#question", Static).update(Text("The interview has not started.", style="bold"))
        title = "This interview is live elsewhere" if elsewhere else "The interview could not start"
        self.iapp.report_error(message.message, title=title)
        self.refresh_bindings()

    def action_typed_answers(self) -> None:
        fallback = self.iapp.engines.make_fallback_voice
        if self.failure == "voice" and fallback is not None:
            self.query_one("#notice", Static).set_classes("hidden")
            self._begin(fallback)

    def action_back(self) -> None:
        if self.failure is not None and not self.left:
            self.left = True
            self.go(GoBack())

    def _engine_line(self, *, muted: bool) -> Text:
        engine = self.engine
        name = engine_label(engine.name) if engine is not None else "—"
        if engine is not None and engine.text_input:
            return Text.assemble(("Mode ", "dim"), name, ("  ·  type below, ctrl+s sends", "dim"))
        line = Text.assemble(("Voice ", "dim"), name, ("  ·  mic ", "dim"),
                             ("muted", "bold red") if muted else ("on", "bold green"))
        if self.live is not None and self.live.recorder is not None:
            line.append_text(Text.assemble(("  ·  ", "dim"), ("● recording", "bold red")))
        return line

    def tick(self) -> None:
        """Advance the live session (charge, heartbeat, warning, auto-end) and repaint the clock."""
        if self.live is None or self.ending or self.ticker is None:
            return
        try:
            state = self.live.tick()
        except InterviewError as err:
            self.iapp.report_error(str(err), title="Saving the session failed")
            return
        except Exception as err:
            self.iapp.report_error(self.iapp.unexpected(err, "updating the live session"))
            return
        self.show_state(state)
        if self.live.lost_reason is not None:
            self._stop_ticker()
            self._lost(self.live.lost_reason)
        elif state.ended:
            self._stop_ticker()
            self._to_analysis()

    def _lost(self, reason: str) -> None:
        """The session stopped being live under this screen: the engine is stopped; say why, offer Back."""
        self.failure = "elsewhere"
        notice = self.query_one("#notice", Static)
        notice.update(Text(f"{reason}\nPress esc to go back."))
        notice.set_classes("notice -warning")
        self.query_one("#question", Static).update(Text("The interview stopped here.", style="bold"))
        self.iapp.report_error(reason, title="Interview stopped")
        self.refresh_bindings()

    def show_state(self, state: LiveState) -> None:
        self.state = state
        self.timer_widget.show(state.elapsed_s, warning=state.warning)
        self.charge_widget.show(state.elapsed_s, state.charged)
        if state.warning and not state.ended:
            self._show_countdown(state.remaining_s)

    def _show_countdown(self, remaining_s: float) -> None:
        """The last-minute banner, repainted when the shown second changes."""
        second = int(remaining_s)
        if second == self._countdown_shown:
            return
        self._countdown_shown = second
        notice = self.query_one("#notice", Static)
        if notice.has_class("-reconnecting"):
            self._countdown_shown = None  # repainted once the connection is back
            return
        notice.update(warning_text(remaining_s))
        notice.set_classes("notice -warning")

    def _stop_ticker(self) -> None:
        if self.ticker is not None:
            self.ticker.stop()
            self.ticker = None

    # ------------------------------------------------------------------------------------ engine events

    @on(TurnReceived)
    def turn_received(self, message: TurnReceived) -> None:
        if message.turn.role == "user":
            self._clear_charge_warning()
        self.query_one(TranscriptLog).add_turn(message.turn)
        if message.turn.role == "agent":
            self._show_question(message.turn)

    def _show_question(self, turn: Turn) -> None:
        """Pin the plan question being answered; a follow-up shows under it. Lines that ask nothing (a nudge,
        a thank-you) leave the header as it is: they are in the transcript."""
        self.connecting = False
        index = match_question(self.plan, turn.text)
        if index is not None:
            self.question_index, self.follow_up = index, None
        elif self.question_index is not None:
            if not is_follow_up(turn.text):
                return
            self.follow_up = turn.text
        self.query_one("#question", Static).update(self._question_text(turn.text))

    def _question_text(self, said: str) -> Text:
        if self.question_index is None:
            return Text.assemble(("Interviewer  ", "bold cyan"), literal(said))
        total = len(self.plan.questions)
        text = Text.assemble((f"Question {self.question_index + 1} of {total}  ", "bold cyan"),
                             literal(self.plan.questions[self.question_index].text))
        if self.follow_up:
            text.append("\nFollow-up  ", style="bold")
            text.append_text(literal(self.follow_up))
        return text

    def _clear_charge_warning(self) -> None:
        if self.charge_warning_shown:
            self.charge_warning_shown = False
            self.query_one("#notice", Static).set_classes("hidden")

    @on(StatusChanged)
    def status_changed(self, message: StatusChanged) -> None:
        status = message.status
        notice = self.query_one("#notice", Static)
        log_widget = self.query_one(TranscriptLog)
        if status.kind == "reconnecting":
            attempt = f" (attempt {status.attempt})" if status.attempt else ""
            text = status.message or "The connection dropped."
            notice.update(Text(f"⟳ Reconnecting{attempt}… {text} Your time keeps running; keep talking when "
                               "the interviewer is back."))
            notice.set_classes("notice -reconnecting")
            log_widget.note(f"connection lost, reconnecting{attempt}")
        elif status.kind in ("reconnected", "connected"):
            if notice.has_class("-reconnecting"):
                notice.set_classes("hidden")
                log_widget.note("reconnected")
                self.notify("Reconnected. The interview continues.")
        elif status.kind in ("warning", "charge-warning"):
            notice.update(Text(f"⚠ {self.iapp.runnable(status.message or '')}"))
            notice.set_classes("notice -warning")
            if status.kind == "charge-warning":
                self.charge_warning_shown = True
                self.notify(status.message, title="The charge is near", severity="warning", timeout=15,
                            markup=False)
        elif status.kind in ("listening", "transcribing"):
            self.phase = status.kind
            self._show_speaker(None)
        elif status.kind == "error":
            message_text = status.message or "The voice connection reported an error."
            if message_text not in self.reported:  # one toast per error
                self.reported.add(message_text)
                self.iapp.report_error(message_text, title="Voice problem")
        elif status.kind in ("muted", "unmuted"):
            muted = status.kind == "muted"
            self.meter.muted = muted
            self.query_one("#engine-line", Static).update(self._engine_line(muted=muted))
            self.refresh_bindings()

    @on(LevelChanged)
    def level_changed(self, message: LevelChanged) -> None:
        self.meter.set_level(message.rms_dbfs, message.peak_dbfs)

    @on(SpeakerChanged)
    def speaker_changed(self, message: SpeakerChanged) -> None:
        who: Speaker = message.who
        if who == "agent":
            self.phase = None
        self._show_speaker(who)

    def _show_speaker(self, who: Speaker) -> None:
        """Who is speaking; when nobody is, what the offline voice is doing (listening, transcribing)."""
        line = PHASES.get(self.phase or "") if who is None else None
        self.query_one("#speaker", Static).update(line or SPEAKING.get(who, SPEAKING[None]), layout=False)

    @on(EngineEnded)
    def engine_ended(self, message: EngineEnded) -> None:
        self.query_one(TranscriptLog).note(self.iapp.runnable(message.reason))
        self.tick()

    @on(Charged)
    def charged(self) -> None:
        self._clear_charge_warning()
        self.notify(f"{mmss(billing.CHARGE_AFTER_S)} reached: {billing.SESSION_COST} credits were charged for "
                    "this interview.", title="Charged")

    # ------------------------------------------------------------------------------------ user actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        live = self.live is not None and self.ticker is not None
        if action == "toggle_mute":
            return live and self.engine is not None and not self.engine.text_input and not self.ending
        if action == "end":
            return live and not self.ending
        if action == "typed_answers":
            return self.failure == "voice"
        if action == "back":
            return self.failure is not None
        if action == "repeat_question":
            return live and not self.ending and callable(getattr(self.engine, "repeat_question", None))
        if action == "send_answer":
            return live and self.engine is not None and self.engine.text_input and not self.ending
        return True

    def action_toggle_mute(self) -> None:
        if self.live is not None and not self.ending:
            try:
                self.live.set_muted(not self.live.muted)
            except Exception as err:
                self.iapp.report_error(self.iapp.unexpected(err, "muting the microphone"))

    def action_end(self) -> None:
        if self.live is None or self.ending or self.ticker is None:
            return
        state = self.state or self.live.state()

        def confirmed(answer: bool | None) -> None:
            if answer:
                self.finish("You ended the interview.")

        self.app.push_screen(ConfirmEndDialog(state.elapsed_s, state.charged), confirmed)

    def finish(self, reason: str) -> None:
        """End the call in a worker (stopping the engine may take a moment), then analyse."""
        if self.live is None or self.ending:
            return
        self.ending = True
        self._stop_ticker()
        self.refresh_bindings()
        self.query_one("#question", Static).update(Text("Ending the interview…", style="bold"))
        live = self.live
        self.call_service("end", "ending the interview", live.end, reason, done=lambda _r: LiveEnded(reason))

    @on(LiveEnded)
    def live_ended(self, message: LiveEnded) -> None:
        if self.live is not None and self.live.lost_reason is not None:
            self._lost(self.live.lost_reason)
        else:
            self._to_analysis()

    @on(WorkFailed)
    def work_failed(self, message: WorkFailed) -> None:
        if message.action == "begin":
            self._begin_failed(message)
            return
        self.iapp.report_error(message.message, title="Ending the interview failed")
        self.ending = False
        self.refresh_bindings()
        if self.live is not None and not self.live.ended:
            self.ticker = self.set_interval(self.iapp.tick_interval, self.tick)

    def action_repeat_question(self) -> None:
        repeat = getattr(self.engine, "repeat_question", None)
        if callable(repeat) and not self.ending:
            repeat()

    def action_send_answer(self) -> None:
        """Send the typed answer; the box is emptied only once the answer was taken."""
        editor = self.query_one("#answer", AnswerEditor)
        text = editor.text.strip()
        if not text or self.live is None or self.ending:
            return
        try:
            self.live.submit_text(text)
        except InterviewError as err:
            self.iapp.report_error(str(err), title="Answer not sent")
            return
        except Exception as err:
            self.iapp.report_error(self.iapp.unexpected(err, "sending your answer"))
            return
        editor.clear()

    def _to_analysis(self) -> None:
        if self.left or self.live is None or not self.live.ended:
            return
        self.left = True
        reason = self.live.end_reason if self.live is not None else None
        if reason and reason not in self.reported:  # an error already shown is not repeated
            self.reported.add(reason)
            self.notify(reason, markup=False)
        self.go(InterviewOver(self.record.id, self.engine))

    @property
    def is_live(self) -> bool:
        """The interview is running here (not starting, failed or ending)."""
        return self.live is not None and self.ticker is not None and not self.ending and not self.live.ended

    def end_for_quit(self) -> None:
        """The app is quitting (or crashed): stop the engine and pause the session now (synchronously); it can
        be continued or ended and analysed next time."""
        self._stop_ticker()
        if self.live is not None and not self.live.ended:
            try:
                self.live.pause("You quit the app during the interview.")
            except Exception:
                log.exception("pausing the session on quit failed")

    def on_unmount(self) -> None:
        self.end_for_quit()
