"""`LiveSession`: runs one live interview — the voice engine, the timer, the 120 s charge, heartbeats, auto-end.

Engines call back on their own threads; those events are forwarded to the UI's listener at once (guarded) and
queued for persistence. `tick()`, called from one thread (the UI's timer, or a test with a `FakeClock`), drains
the queue into the database and applies the timer rules, so every database write happens on that one thread.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from interview_tui.domain import billing
from interview_tui.domain.clock import Clock
from interview_tui.domain.errors import IllegalTransition, LiveElsewhere
from interview_tui.domain.lifecycle import Status
from interview_tui.domain.models import SessionRecord, Transcript, Turn, VoiceStop
from interview_tui.domain.resume_point import next_question_index
from interview_tui.domain.transcript_timing import with_end_times
from interview_tui.providers.base import VoiceContext, VoiceEngine, VoiceEvents, VoiceStatus, guarded
from interview_tui.service import SessionService

if TYPE_CHECKING:
    from interview_tui.voice.recording import SessionRecorder

log = logging.getLogger(__name__)

LOST_REASON = ("This interview was ended elsewhere (another window, or recovery after this one stopped "
               "answering). The voice was stopped here; the session's own record stands.")


@dataclass(frozen=True)
class LiveState:
    elapsed_s: float
    remaining_s: float
    charged: bool
    warning: bool
    ended: bool
    muted: bool


@dataclass
class LiveListener(VoiceEvents):
    """What the UI hears: the engine's events, plus the session's own milestones."""

    on_charged: Callable[[], None] = lambda: None
    on_warning: Callable[[float], None] = lambda remaining_s: None
    on_charge_warning: Callable[[float], None] = lambda seconds_to_charge: None
    """No answer yet and the charge is near (1:45): ending now is still free."""


class LiveSession:
    def __init__(self, service: SessionService, session_id: str, engine: VoiceEngine, clock: Clock,
                 listener: LiveListener | None = None, *, candidate_name: str = "",
                 recorder: SessionRecorder | None = None) -> None:
        self.service = service
        self.session_id = session_id
        self.engine = engine
        self.clock = clock
        self.listener = listener or LiveListener()
        self.candidate_name = candidate_name
        self.recorder = recorder if recorder is not None and not engine.text_input else None
        """Records the microphone (voice engines only; typed answers have no audio)."""
        self._pending: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._end_lock = threading.Lock()
        self._ended_record: SessionRecord | None = None
        self._engine_end_reason: str | None = None
        self._engine_error: str | None = None
        """The engine's last error (its thread writes it): an end with the same reason is a stop, not a goodbye."""
        self._started_at: float | None = None
        self._last_heartbeat = 0.0
        self._charged = False
        self._warned = False
        self._answered = False
        self._charge_warned = False
        self.muted = False
        self.end_reason: str | None = None
        self.lost_reason: str | None = None
        """Set when the session stopped being live under us (settled or taken over elsewhere)."""

    # ------------------------------------------------------------------------------- engine → here

    def _events(self) -> VoiceEvents:
        ui = self.listener

        def on_turn(turn: Turn) -> None:
            if turn.role == "user" and turn.text.strip():
                self._answered = True
            self._pending.put(("turn", turn))
            guarded("on_turn", ui.on_turn)(turn)

        def on_conversation_id(cid: str) -> None:
            self._pending.put(("cid", cid))
            guarded("on_conversation_id", ui.on_conversation_id)(cid)

        ui_status = guarded("on_status", ui.on_status)

        def on_status(status: VoiceStatus) -> None:
            if status.kind == "error":
                self._engine_error = status.message
            ui_status(status)

        def on_ended(reason: str) -> None:
            # Engines report a failure as an error status, then end with the same sentence; a normal end (the
            # interviewer said goodbye) has no error before it.
            stopped = self._engine_error is not None and self._engine_error == reason
            self._pending.put(("ended", (reason, stopped, self.clock.now())))
            guarded("on_ended", ui.on_ended)(reason)

        return VoiceEvents(
            on_turn=on_turn,
            on_status=on_status,
            on_level=guarded("on_level", ui.on_level),
            on_speaking=guarded("on_speaking", ui.on_speaking),
            on_conversation_id=on_conversation_id,
            on_ended=on_ended,
        )

    def _drain(self) -> None:
        while True:
            try:
                kind, value = self._pending.get_nowait()
            except queue.Empty:
                return
            if kind == "turn":
                self.service.append_turn(self.session_id, value)
            elif kind == "cid":
                self.service.add_conversation_id(self.session_id, value)
            elif kind == "ended" and self._engine_end_reason is None:
                reason, stopped, at = value
                self._engine_end_reason = reason
                if stopped:
                    self._record_stop(reason, at, then="ended")

    def _record_stop(self, reason: str, at: float, *, then: Literal["ended", "typed"]) -> None:
        """Note in the session that the voice stopped at `at` (clock time), for the report."""
        started = self._started_at if self._started_at is not None else at
        t = min(max(0.0, at - started), billing.MAX_SESSION_S)
        log.warning("session %s: the voice stopped at %.0f s (%s): %s", self.session_id, t, then, reason)
        try:
            self.service.record_voice_stop(self.session_id, VoiceStop(t=t, reason=reason[:2000], then=then))
        except Exception:  # the note must never cost the interview
            log.exception("recording the voice stop failed")

    # ----------------------------------------------------------------------------------- lifecycle

    def begin(self, *, mic_on_at: float | None = None, voice_failed: str | None = None) -> SessionRecord:
        """Claim the session, bring the engine up (pre-flight), then mark the session live from mic on.

        The claim comes first, so a second window never opens a voice connection for a session that is not
        its own (`LiveElsewhere`). The engine's `start` returns once its connection is up; a voice engine that
        cannot start (no microphone, a rejected key, a refused conversation) raises, the claim is released and
        the session stays `ready` — nothing is lost or charged, and the UI can offer typed answers instead.
        The live clock starts when the microphone's first audio went out (`engine.mic_on_at`), else now.
        `voice_failed`: why the chosen voice engine could not run, when this engine (typed answers) replaces it;
        the session notes it for the report.
        """
        record = self.service.claim(self.session_id)
        if record.plan is None:
            raise IllegalTransition("This session has no interview plan yet.")
        paused = record.status is Status.ACTIVE and record.ended_at is not None  # claimed, so now ours
        before = record.live_seconds(self.clock.now()) if paused else 0.0
        started = (mic_on_at if mic_on_at is not None else self.clock.now()) - before
        first = next_question_index(record.plan, record.live_transcript) if paused else 0
        recorder = self.recorder
        context = VoiceContext(session_id=self.session_id, plan=record.plan, started_at=started,
                               candidate_name=self.candidate_name, first_question=first, resumed_after_s=before,
                               mic_tap=recorder.mic if recorder else None)
        self._charged = record.charged
        self._answered = any(t.role == "user" for t in record.live_transcript)
        try:
            self.engine.start(context, self._events())
            if mic_on_at is None:
                mic_on_at = getattr(self.engine, "mic_on_at", None) or self.clock.now()
            record = self.service.start_active(self.session_id, voice=self.engine.name, mic_on_at=mic_on_at)
        except BaseException:  # the engine did not start, or the session could not go live: undo both
            self._stop_engine()
            self._release()
            if recorder is not None:
                recorder.discard()
            raise
        self._started_at = record.started_at
        if voice_failed:
            self._record_stop(voice_failed, self.started_at + before, then="typed")  # at `before` s
        if recorder is not None:  # file time 0 = the session's time 0 (mic on), which may be a moment ago
            since_mic_on = min(max(0.0, self.clock.now() - mic_on_at), 30.0)
            try:
                recorder.start(origin=time.monotonic() - since_mic_on, offset_s=before)
            except Exception:  # a recording that cannot start must not stop the interview
                log.exception("the recording could not start; the interview goes on without it")
                self.recorder = None
        self._last_heartbeat = self.clock.now()
        return record

    def _release(self) -> None:
        try:
            self.service.release(self.session_id)
        except Exception:
            log.exception("releasing the claim on %s failed", self.session_id)

    def _stop_engine(self) -> None:
        try:
            self.engine.stop()
        except Exception:
            log.exception("voice engine failed to stop cleanly")

    @property
    def started_at(self) -> float:
        if self._started_at is None:
            raise IllegalTransition("The live session has not begun.")
        return self._started_at

    def state(self) -> LiveState:
        elapsed = min(max(0.0, self.clock.now() - self.started_at), billing.MAX_SESSION_S)
        return LiveState(
            elapsed_s=elapsed,
            remaining_s=billing.MAX_SESSION_S - elapsed,
            charged=self._charged,
            warning=elapsed >= billing.MAX_SESSION_S - billing.END_WARNING_S,
            ended=self._ended_record is not None or self.lost_reason is not None,
            muted=self.muted,
        )

    def tick(self) -> LiveState:
        """Persist what the engine said, then apply the clock: charge at 2:00, heartbeat, warn, end at 15:00."""
        if self._ended_record is not None or self.lost_reason is not None:
            return self.state()
        self._drain()
        now = self.clock.now()
        elapsed = now - self.started_at
        if not self._charged and billing.is_chargeable(elapsed):
            self._charged = self.service.ensure_charge(self.session_id)
            if self._charged:
                guarded("on_charged", self.listener.on_charged)()
        if now - self._last_heartbeat >= billing.HEARTBEAT_EVERY_S:
            self._last_heartbeat = now
            if not self.service.heartbeat(self.session_id):
                self._lose(LOST_REASON)
                return self.state()
        if (not self._charged and not self._answered and not self._charge_warned
                and billing.CHARGE_WARNING_S <= elapsed < billing.CHARGE_AFTER_S):
            self._charge_warned = True
            guarded("on_charge_warning", self.listener.on_charge_warning)(billing.CHARGE_AFTER_S - elapsed)
        poll = getattr(self.engine, "poll", None)
        if callable(poll):
            guarded("engine.poll", poll)()
        remaining = billing.MAX_SESSION_S - elapsed
        if not self._warned and remaining <= billing.END_WARNING_S:
            self._warned = True
            guarded("on_warning", self.listener.on_warning)(max(0.0, remaining))
        if elapsed >= billing.MAX_SESSION_S:
            self.end(reason="The 15-minute limit was reached.")
        elif self._engine_end_reason is not None:
            self.end(reason=self._engine_end_reason)
        return self.state()

    def end(self, reason: str = "You ended the interview.") -> SessionRecord | None:
        """Stop the engine and settle the session (→ analyzing). Idempotent.

        Only a session this object began is settled: before `begin` succeeded (or after the session was
        settled elsewhere) the engine is stopped and nothing else happens — None is returned.
        """
        return self._settle(reason, self.service.end)

    def pause(self, reason: str) -> SessionRecord | None:
        """The app is quitting (or crashed): stop the engine and pause the session, so that it can be continued
        later or ended and analysed. Idempotent; does nothing for a session this object did not begin."""
        return self._settle(reason, self.service.interrupt)

    def _settle(self, reason: str, settle: Callable[[str], SessionRecord]) -> SessionRecord | None:
        """Stop the engine and the recording, save what is queued, then `settle` the session (end or pause it) —
        once: a second call returns the first result. A session lost to another process is left as it is."""
        with self._end_lock:
            if self._ended_record is not None:
                return self._ended_record
            if self._started_at is None or self.lost_reason is not None:
                self._stop_engine()
                return None
            self.end_reason = reason
            self._stop_engine()
            if self.recorder is not None:
                self.recorder.close()
            self._drain()
            try:
                self._ended_record = settle(self.session_id)
            except (LiveElsewhere, IllegalTransition):
                self._lose(LOST_REASON)
                return None
            self._charged = self._ended_record.charged
            return self._ended_record

    def _lose(self, reason: str) -> None:
        """The session is no longer ours: stop talking, keep what was said (it is in the database already)."""
        log.warning("session %s stopped being live here: %s", self.session_id, reason)
        self.lost_reason = reason
        self.end_reason = reason
        self._stop_engine()
        if self.recorder is not None:
            self.recorder.close()

    @property
    def ended(self) -> bool:
        return self._ended_record is not None

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        self.engine.set_muted(muted)
        guarded("on_status", self.listener.on_status)(VoiceStatus("muted" if muted else "unmuted"))

    def submit_text(self, text: str) -> None:
        self.engine.submit_text(text)


def collect_transcript(engine: VoiceEngine | None, record: SessionRecord) -> Transcript:
    """The authoritative transcript from the voice service when it can be fetched, else the live one.

    Each conversation is placed on the session's time line where the live transcript saw it begin (its first
    turn), unless the engine that ran it knows better — so an interview continued after a quit or a crash, or
    one analysed by a later process, merges in order."""
    if engine is not None and record.conversation_ids:
        offsets = getattr(engine, "conversation_offsets", None)
        if isinstance(offsets, dict):
            for turn in record.live_transcript:
                if turn.conversation_id and turn.conversation_id not in offsets:
                    offsets[turn.conversation_id] = turn.t
        try:
            fetched = engine.final_transcript(record.conversation_ids)
        except Exception:
            log.exception("fetching the final transcript failed; using the live transcript")
            fetched = None
        if fetched is not None and fetched.turns:
            return with_end_times(fetched, record.live_transcript)
    return Transcript(turns=record.live_transcript, source="live")


def analyze_session(service: SessionService, session_id: str, engine: VoiceEngine | None) -> SessionRecord:
    """The analysis step: fetch the transcript, score it, store the report."""
    record = service.get(session_id)
    return service.run_analysis(session_id, collect_transcript(engine, record))
