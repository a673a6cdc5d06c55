"""`ElevenLabsVoice`: the live interview over an ElevenLabs agent (official SDK `Conversation`, unmodified).

* Private agent: each connection uses a signed URL fetched with the API key (`requires_auth=True`).
* Audio through `SoundDeviceAudioInterface` (opened in `start()` so device problems are reported at once).
* The SDK calls back on its own thread; every callback is guarded and forwarded to `VoiceEvents`.
* A supervisor thread runs one `Conversation` after another: when the socket drops with an error it
  reconnects with bounded exponential backoff (new conversation id, same session); a normal close by the
  agent (end_call, max duration) ends the session; 1008 (configuration/policy) ends it with a clear error.
* `final_transcript` polls GET /v1/convai/conversations/{id} for each conversation and merges them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from interview_tui.domain.clock import Clock, SystemClock
from interview_tui.domain.errors import ProviderError
from interview_tui.domain.models import Role, Transcript, Turn
from interview_tui.providers.base import VoiceContext, VoiceEvents, VoiceName, VoiceStatus, guard_events, guarded
from interview_tui.settings import Settings
from interview_tui.voice.elevenlabs_transcript import fetch_merged_transcript

log = logging.getLogger(__name__)

POLICY_CLOSE = 1008


def dynamic_variables(context: VoiceContext, default_name: str = "", first_question: int = 0) -> dict[str, str]:
    """The agent's `{{placeholders}}` from the plan; scalar strings only (lists are joined). From
    `first_question` on only (numbered as in the plan) when the interview continues after a break."""
    plan = context.plan
    remaining = list(enumerate(plan.questions, 1))[first_question:] or list(enumerate(plan.questions, 1))[-1:]
    questions = "\n".join(f"{i}. {q.text}" for i, q in remaining)
    return {
        "questions": questions,
        "skills": ", ".join(plan.detected_skills) or "general software engineering",
        "level": plan.experience_level.value,
        "track": plan.domain_track.value,
        "role_title": plan.role_title or "software engineer",
        "candidate_name": (context.candidate_name or default_name or "there").strip()[:80],
    }


def continue_message(context: VoiceContext, first_question: int, default_name: str = "") -> str:
    """The first thing a new conversation says when it continues an interview (no second greeting)."""
    questions = context.plan.questions
    name = (context.candidate_name or default_name).strip()[:80]
    hello = f"Welcome back{', ' + name if name else ''}. Let's continue"
    if first_question >= len(questions):
        return f"{hello}: we had covered all my questions. Is there anything you would like to add?"
    return f"{hello} with question {first_question + 1}: {questions[first_question].text}"


class ElevenLabsVoice:
    """VoiceEngine over the ElevenLabs Agents platform."""

    name: str = VoiceName.ELEVENLABS
    text_input = False

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        audio_factory: Callable[..., Any] | None = None,
        max_reconnects: int = 4,
        backoff_initial_s: float = 0.5,
        backoff_max_s: float = 8.0,
        transcript_deadline_s: float = 90.0,
        poll_initial_s: float = 0.5,
        input_block_ms: int = 20,
        stable_after_s: float = 20.0,
        preflight_timeout_s: float = 20.0,
        preflight_grace_s: float = 1.0,
    ) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self.audio_factory = audio_factory
        self.max_reconnects = max_reconnects
        self.backoff_initial_s = backoff_initial_s
        self.backoff_max_s = backoff_max_s
        self.transcript_deadline_s = transcript_deadline_s
        self.poll_initial_s = poll_initial_s
        self.input_block_ms = input_block_ms
        self.stable_after_s = stable_after_s
        self.preflight_timeout_s = preflight_timeout_s
        self.preflight_grace_s = preflight_grace_s
        """After the conversation id arrives, how long a silent agent must keep the socket open to count as up
        (a refusal such as 1008 comes at once); the agent's first message counts as up straight away."""
        self.mic_on_at: float | None = None
        """Clock time the microphone's first audio went out to ElevenLabs (the live session's start)."""
        self.conversation_ids: list[str] = []
        self.conversation_offsets: dict[str, float] = {}
        """Seconds from the live-session start to each conversation's start (for merging transcripts)."""
        self.end_reason: str | None = None
        self._events = VoiceEvents()
        self._context: VoiceContext | None = None
        self._client: Any = None
        self._conv: Any = None
        self._audio: Any = None
        self._muted = False
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._audio_error: str | None = None
        self._turns: list[Turn] = []
        self._announce_lock = threading.Lock()
        """This engine's turns so far (to find where a reconnected conversation picks up)."""

    # ------------------------------------------------------------------------------ VoiceEngine
    def start(self, context: VoiceContext, events: VoiceEvents) -> None:
        """Pre-flight, then return: the devices open, the signed URL fetched, the conversation started and not
        refused. Any failure raises `ProviderError` with the reason (the caller keeps the session ready and
        offers typed answers); nothing is announced, so a refused conversation is never polled."""
        s = self.settings
        if not s.elevenlabs_api_key or not s.elevenlabs_agent_id:
            raise ProviderError("ElevenLabs is not configured: set ELEVENLABS_API_KEY and ELEVENLABS_AGENT_ID "
                                "(or run `interview agent create`), or use offline/text mode.", retryable=False)
        self._context = context
        self._events = guard_events(events)
        try:
            from elevenlabs.client import ElevenLabs
        except ImportError as err:
            raise ProviderError(f"The elevenlabs package is missing ({err}); reinstall interview-tui.",
                                retryable=False) from None
        kwargs: dict[str, Any] = {"api_key": s.elevenlabs_api_key.reveal(), "timeout": 30.0}
        if s.elevenlabs_base_url:
            kwargs["base_url"] = s.elevenlabs_base_url
        self._client = ElevenLabs(**kwargs)
        self._audio = self._new_audio()
        self._audio.open()  # device problems surface here, as ProviderError/InvalidInput
        try:
            conv, state = self._preflight(self._audio)
        except BaseException:
            self._audio.stop(drain=False)
            raise
        self._thread = threading.Thread(target=self._supervise, args=(conv, state), name="elevenlabs-session",
                                        daemon=True)
        self._thread.start()

    def _preflight(self, audio: Any) -> tuple[Any, dict[str, Any]]:
        """Start the first conversation and wait until it is up (or refused, or timed out)."""
        self._events.on_status(VoiceStatus("connecting", "Connecting to the interviewer…"))
        state: dict[str, Any] = {}
        conv = self._make_conversation(audio, state)
        try:
            conv.start_session()  # blocking REST call for the signed URL
        except Exception as err:
            fatal = self._fatal_start_error(err)
            raise ProviderError(fatal or f"Could not connect to ElevenLabs ({_short(err)}). Check the network "
                                "and try again.", retryable=fatal is None) from None
        with self._lock:
            self._conv = conv
        deadline = time.monotonic() + self.preflight_timeout_s
        up_since: float | None = None
        while True:
            if state["disconnected"].is_set() or not _session_running(conv):
                state["disconnected"].wait(2.0)
                raise ProviderError(self._refusal(state.get("details")), retryable=False)
            if getattr(conv, "_conversation_id", None):
                up_since = up_since or time.monotonic()
                settled = state.get("agent_spoke") or time.monotonic() - up_since >= self.preflight_grace_s
                if settled and self.mic_on_at is not None:  # up, and the microphone's audio is going out
                    return conv, state
            if time.monotonic() > deadline or self._stopping.is_set():
                self._abandon(conv)
                raise ProviderError(f"ElevenLabs did not start the conversation within "
                                    f"{self.preflight_timeout_s:.0f} s. Check the network and try again.")
            time.sleep(0.02)

    def _abandon(self, conv: Any) -> None:
        with self._lock:
            self._conv = None
        try:
            conv.end_session()
        except Exception:
            log.info("ending an abandoned conversation failed", exc_info=True)

    def _refusal(self, details: Any) -> str:
        """Why the conversation closed before the interview began, for the candidate."""
        code = getattr(details, "close_code", None)
        reason = getattr(details, "close_reason", None) or getattr(details, "message", None) or ""
        if code == POLICY_CLOSE:
            return (f"ElevenLabs refused the conversation ({reason or 'policy violation'}). The agent's "
                    "configuration does not match this app: run `interview agent show` to check it, or "
                    "`interview agent create` to provision a matching agent.")
        what = reason or (f"code {code}" if code else "no reason given")
        return f"ElevenLabs closed the conversation before the interview began ({what}). Try again."

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            conv, audio = self._conv, self._audio
        if audio is not None:
            audio.interrupt()  # the user ended it: no need to hear the rest of the sentence
        if conv is not None:
            try:
                conv.end_session()
            except Exception:
                log.exception("end_session failed")
        elif audio is not None:
            audio.stop(drain=False)
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=3.0)

    def set_muted(self, muted: bool) -> None:
        self._muted = muted
        with self._lock:
            audio = self._audio
        if audio is not None:
            audio.set_muted(muted)

    def submit_text(self, text: str) -> None:
        with self._lock:
            conv = self._conv
        if conv is not None:
            try:
                conv.send_user_message(text)
            except RuntimeError:
                log.info("not connected; typed text dropped")

    def final_transcript(self, conversation_ids: list[str]) -> Transcript | None:
        started = self._context.started_at if self._context else None
        return fetch_merged_transcript(
            self._rest_client(), conversation_ids, offsets=self.conversation_offsets, session_started_at=started,
            deadline_s=self.transcript_deadline_s, poll_initial_s=self.poll_initial_s)

    # ------------------------------------------------------------------------------ internals
    def _rest_client(self) -> Any:
        if self._client is None:
            from elevenlabs.client import ElevenLabs

            s = self.settings
            kwargs: dict[str, Any] = {"api_key": s.elevenlabs_api_key.reveal() if s.elevenlabs_api_key else ""}
            if s.elevenlabs_base_url:
                kwargs["base_url"] = s.elevenlabs_base_url
            self._client = ElevenLabs(**kwargs)
        return self._client

    def _new_audio(self) -> Any:
        ev = self._events
        if self.audio_factory is not None:
            audio = self.audio_factory(on_level=ev.on_level, on_speaking=ev.on_speaking, on_error=self._on_audio_error)
        else:
            from interview_tui.voice.audio import SoundDeviceAudioInterface

            audio = SoundDeviceAudioInterface(self.settings.input_device, self.settings.output_device,
                                              block_ms=self.input_block_ms, on_level=ev.on_level,
                                              on_speaking=ev.on_speaking, on_error=self._on_audio_error)
        audio.set_muted(self._muted)
        audio.tap = self._context.mic_tap if self._context is not None else None
        return audio

    def _on_audio_error(self, message: str) -> None:
        self._audio_error = message
        with self._lock:
            conv = self._conv
        if conv is not None:  # end from another thread: we may be on the audio sender thread
            threading.Thread(target=conv.end_session, name="elevenlabs-audio-end", daemon=True).start()

    def _elapsed(self) -> float:
        assert self._context is not None
        ctx = self._context
        if self.mic_on_at is None:  # the session clock starts with the microphone: anything before is its time 0
            return ctx.resumed_after_s
        return max(0.0, self.clock.now() - (self.mic_on_at - ctx.resumed_after_s))

    def _mic_on(self, audio: Any) -> Any:
        """`audio` as the SDK sees it, noting when the first microphone chunk goes out (the clock's start)."""
        engine = self

        class MicOnAudio:
            def start(self, input_callback: Callable[[bytes], None]) -> None:
                def send(chunk: bytes) -> None:
                    if engine.mic_on_at is None:
                        engine.mic_on_at = engine.clock.now()
                    input_callback(chunk)

                audio.start(send)

            def stop(self) -> None:
                audio.stop()

            def output(self, pcm: bytes) -> None:
                audio.output(pcm)

            def interrupt(self) -> None:
                audio.interrupt()

        return MicOnAudio()

    def _make_conversation(self, audio: Any, state: dict[str, Any]) -> Any:
        from elevenlabs.conversational_ai.conversation import Conversation, ConversationInitiationData

        assert self._context is not None
        ev = self._events

        def turn(role: Role, text: str) -> None:
            if text and self.conversation_ids and not state.get("announced"):
                self._announce(state["conv"], state)  # a reconnected conversation: say so before its first turn
            if text:
                cid = state.get("cid") or getattr(state.get("conv"), "_conversation_id", None)
                made = Turn(role=role, text=text[:20_000], t=self._elapsed(), conversation_id=cid)
                if role == "agent":
                    state["last_agent"] = made
                    state["agent_spoke"] = True
                self._turns.append(made)
                ev.on_turn(made)

        def correction(original: str, corrected: str) -> None:
            """After a barge-in the server sends what the agent really said: the same turn (same `t` and
            conversation id), with the corrected text and `interrupted=True` — a replacement, not a new turn."""
            last: Turn | None = state.get("last_agent")
            if last is None or last.interrupted or last.text != original[:20_000] or not corrected:
                return
            state["last_agent"] = fixed = last.model_copy(update={"text": corrected[:20_000], "interrupted": True})
            ev.on_turn(fixed)

        def disconnect(details: Any) -> None:
            state["details"] = details
            state["disconnected"].set()

        state["disconnected"] = threading.Event()
        resume_at = self._resume_point()
        override = None
        if resume_at is not None:  # continuing (after a quit, a crash or a drop): no second greeting
            override = {"agent": {"first_message": continue_message(self._context, resume_at,
                                                                    self.settings.candidate_name)}}
        config = ConversationInitiationData(
            dynamic_variables=dynamic_variables(self._context, self.settings.candidate_name, resume_at or 0),
            conversation_config_override=override)
        state["conv"] = Conversation(
            self._client, self.settings.elevenlabs_agent_id or "", requires_auth=True,
            audio_interface=self._mic_on(audio),
            config=config,
            callback_agent_response=guarded("agent_response", lambda text: turn("agent", text)),
            callback_agent_response_correction=guarded("agent_response_correction", correction),
            callback_user_transcript=guarded("user_transcript", lambda text: turn("user", text)),
            callback_disconnect=guarded("disconnect", disconnect),
        )
        return state["conv"]

    def _resume_point(self) -> int | None:
        """Where a new conversation picks up: None for the very first one of a fresh interview."""
        assert self._context is not None
        if not self._turns:
            return self._context.first_question if self._context.resumed_after_s > 0 else None
        from interview_tui.domain.resume_point import next_question_index

        start = self._context.first_question
        plan = self._context.plan.model_copy(update={"questions": self._context.plan.questions[start:]})
        return start + next_question_index(plan, self._turns)

    def _supervise(self, conv: Any, state: dict[str, Any]) -> None:
        """Watch the conversation the pre-flight started; reconnect when it drops with an error."""
        failures = 0
        attempt = 1
        while not self._stopping.is_set():
            if attempt > 1:
                state = {}
                with self._lock:
                    audio = self._audio = self._new_audio()
                try:
                    audio.open()
                    conv = self._make_conversation(audio, state)
                    conv.start_session()  # blocking REST call for the signed URL
                except Exception as err:
                    fatal = self._fatal_start_error(err)
                    audio.stop(drain=False)
                    if fatal is not None:
                        return self._finish(fatal, error=True)
                    failures += 1
                    attempt += 1
                    if not self._backoff(failures, f"could not connect ({_short(err)})"):
                        return
                    continue
                with self._lock:
                    self._conv = conv
            attempt += 1
            if self._stopping.is_set():
                conv.end_session()
            cid = self._watch(conv, state)
            with self._lock:
                self._conv = None
            details = state.get("details")
            if cid and state.get("connected_for", 0.0) >= self.stable_after_s:
                failures = 0  # it ran fine for a while: a new drop gets the full set of attempts again
            if self._stopping.is_set():
                return
            if self._audio_error:
                return self._finish(f"{self._audio_error} The interview was ended; what was said is saved.",
                                    error=True)
            reason = getattr(details, "reason", "error")
            code = getattr(details, "close_code", None)
            close_reason = getattr(details, "close_reason", None) or getattr(details, "message", None) or ""
            if reason == "agent":
                return self._finish("The interviewer ended the call.")
            if code == POLICY_CLOSE:
                return self._finish(self._refusal(details), error=True)
            failures += 1
            if not self._backoff(failures, f"the connection dropped ({close_reason or f'code {code}'})"):
                return

    def _watch(self, conv: Any, state: dict[str, Any]) -> str | None:
        """Wait for the conversation to end; report its id as soon as the server announces it."""
        thread = getattr(conv, "_thread", None)
        while True:
            if getattr(conv, "_conversation_id", None):
                self._announce(conv, state)
            if thread is None or not thread.is_alive():
                break
            thread.join(timeout=0.05)
        cid = conv.wait_for_session_end() or state.get("cid")
        # The SDK may end the session from the mic thread (a send that failed because the agent hung up): its
        # session thread then returns before that thread has called `callback_disconnect`. Wait for the details,
        # or a normal hang-up would look like a dropped connection and be "reconnected".
        disconnected = state.get("disconnected")
        if disconnected is not None and not disconnected.wait(5.0):
            log.warning("the SDK did not report why the conversation ended")
        announced = bool(state.get("announced"))
        if cid and not announced:
            state["announced"] = True
            state["cid"] = cid
            self.conversation_ids.append(cid)
            self.conversation_offsets[cid] = self._elapsed()
            self._events.on_conversation_id(cid)
        state["connected_for"] = time.monotonic() - state["announced_at"] if announced else 0.0
        return cid

    def _announce(self, conv: Any, state: dict[str, Any]) -> None:
        """Report a conversation once it has an id: its id, and connected / reconnected. Called by the watcher,
        and by the first turn of a reconnected conversation, so "reconnected" comes before what is said next
        (the transcript's note sits where the drop was)."""
        with self._announce_lock:
            cid = getattr(conv, "_conversation_id", None)
            if not cid or state.get("announced"):
                return
            state["announced"] = True
            state["cid"] = cid
            state["announced_at"] = time.monotonic()
            self.conversation_ids.append(cid)
            self.conversation_offsets[cid] = self._elapsed()
        self._events.on_conversation_id(cid)
        reconnected = len(self.conversation_ids) > 1
        self._events.on_status(VoiceStatus(
            "reconnected" if reconnected else "connected",
            "Reconnected; the interview continues." if reconnected else "Connected."))
        if reconnected:
            self._send_resume_note(conv)

    def _send_resume_note(self, conv: Any) -> None:
        try:
            conv.send_contextual_update(
                "The connection dropped and was restored. This is the same interview: do not start over; "
                "briefly apologise and continue with the next unanswered question.")
        except Exception:
            log.info("could not send the resume note", exc_info=True)

    def _backoff(self, failures: int, what: str) -> bool:
        if failures > self.max_reconnects:
            self._finish(f"The connection to ElevenLabs was lost and could not be restored ({what}). "
                         "The interview was ended; what was said is saved.", error=True)
            return False
        delay = min(self.backoff_max_s, self.backoff_initial_s * 2 ** (failures - 1))
        self._events.on_status(VoiceStatus(
            "reconnecting", f"Connection problem: {what}. Reconnecting (attempt {failures} of "
            f"{self.max_reconnects})…", attempt=failures))
        return not self._stopping.wait(delay)

    def _fatal_start_error(self, err: Exception) -> str | None:
        status = getattr(err, "status_code", None)
        if status in (401, 403):
            return f"ElevenLabs rejected the API key (HTTP {status}). Check ELEVENLABS_API_KEY."
        if status in (404, 422):
            return (f"ElevenLabs does not know the agent {self.settings.elevenlabs_agent_id!r} (HTTP {status}). "
                    "Check ELEVENLABS_AGENT_ID or run `interview agent create`.")
        if isinstance(err, ProviderError) and not err.retryable:
            return str(err)
        return None

    def _finish(self, message: str, error: bool = False) -> None:
        self.end_reason = message
        if error:
            self._events.on_status(VoiceStatus("error", message))
        self._events.on_status(VoiceStatus("ended", message))
        self._events.on_ended(message)


def _session_running(conv: Any) -> bool:
    thread = getattr(conv, "_thread", None)
    return thread is None or thread.is_alive()


def _short(err: Exception) -> str:
    text = str(err).splitlines()[0] if str(err) else type(err).__name__
    return text[:160]
