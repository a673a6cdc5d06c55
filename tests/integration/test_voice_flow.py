"""LiveSession + ElevenLabsVoice + fake server with an injected clock: charging, reconnects, merged transcript."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from interview_tui.domain.clock import FakeClock
from interview_tui.live import LiveSession, analyze_session
from interview_tui.report_export import to_json, to_markdown
from interview_tui.report_text import report_text
from interview_tui.service import SessionService
from interview_tui.voice.elevenlabs_engine import ElevenLabsVoice
from tests.doubles import Recorder, ScriptedMic, SpeakingMic, context, settings_for
from tests.fakes.elevenlabs_server import FakeElevenLabs, tone

FAST = {"backoff_initial_s": 0.05, "backoff_max_s": 0.2, "poll_initial_s": 0.05}


def _live(funded: SessionService, sample_jd: str, fake: FakeElevenLabs, clock: FakeClock, tmp: Path,
          recorder: Recorder, **options: Any) -> tuple[LiveSession, ElevenLabsVoice, str]:
    rec = funded.create(sample_jd)
    funded.run_setup(rec.id)
    engine = ElevenLabsVoice(settings_for(tmp, elevenlabs=fake), clock=clock, audio_factory=ScriptedMic,
                             **(FAST | options))
    from interview_tui.live import LiveListener

    listener = LiveListener(**{n: getattr(recorder.events(), n) for n in (
        "on_turn", "on_status", "on_level", "on_speaking", "on_conversation_id", "on_ended")})
    live = LiveSession(funded, rec.id, engine, clock, listener)
    live.begin()
    return live, engine, rec.id


def _advance(live: LiveSession, clock: FakeClock, seconds: float) -> None:
    for _ in range(int(seconds)):
        clock.advance(1.0)
        live.tick()


def test_end_at_90s_is_free(funded: SessionService, sample_jd: str, elevenlabs_server: FakeElevenLabs,
                            clock: FakeClock, tmp_path: Path) -> None:
    before = funded.balance()
    live, _engine, _sid = _live(funded, sample_jd, elevenlabs_server, clock, tmp_path, Recorder())
    elevenlabs_server.wait_connection(1)
    _advance(live, clock, 90)
    record = live.end()
    assert not record.charged and funded.balance() == before


def test_crossing_120s_charges_once(funded: SessionService, sample_jd: str, elevenlabs_server: FakeElevenLabs,
                                    clock: FakeClock, tmp_path: Path) -> None:
    before = funded.balance()
    rec = Recorder()
    live, _engine, sid = _live(funded, sample_jd, elevenlabs_server, clock, tmp_path, rec)
    conn = elevenlabs_server.wait_connection(1)
    assert rec.wait(lambda: bool(rec.of("on_conversation_id")))
    _advance(live, clock, 125)
    assert live.state().charged
    conn.close(1000, "end_call")  # the agent hangs up
    assert rec.ended.wait(10), [(s.kind, s.message) for s in rec.statuses()]
    live.tick()
    assert live.ended
    record = funded.get(sid)
    assert record.charged and funded.balance() == before - 15
    assert record.conversation_ids == [conn.conversation_id]
    assert record.voice_stops == []  # the agent hanging up is the interview's end, not the voice stopping
    report = analyze_session(funded, sid, _engine).report
    assert report is not None and report.voice_stops == [] and "The voice stopped" not in report_text(report)


def test_a_drop_that_ends_the_interview_is_in_the_report(funded: SessionService, sample_jd: str,
                                                         elevenlabs_server: FakeElevenLabs, clock: FakeClock,
                                                         tmp_path: Path) -> None:
    """The socket drops and cannot be restored (no reconnects allowed): the session notes when and why the voice
    stopped, and every view of the report says so in one line."""
    rec = Recorder()
    live, engine, sid = _live(funded, sample_jd, elevenlabs_server, clock, tmp_path, rec, max_reconnects=0)
    conn = elevenlabs_server.wait_connection(1)
    assert rec.wait(lambda: bool(rec.of("on_conversation_id")))
    _advance(live, clock, 95)
    conn.record.turns.append({"role": "user", "message": "An answer before the drop.", "time_in_call_secs": 40})
    conn.drop()
    assert rec.ended.wait(10), [(s.kind, s.message) for s in rec.statuses()]
    live.tick()
    assert live.ended
    [stop] = funded.get(sid).voice_stops
    assert stop.then == "ended" and stop.t == 95.0
    assert stop.reason.startswith("The connection to ElevenLabs was lost and could not be restored")
    record = analyze_session(funded, sid, engine)
    assert record.report is not None and record.report.voice_stops == [stop]
    line = ("The voice stopped at 1:35 and ended the interview (The connection to ElevenLabs was lost and could "
            "not be restored")
    assert line in " ".join(report_text(record.report).split())
    assert line in " ".join(to_markdown(record).split())
    assert '"voice_stops"' in to_json(record)


def test_drop_at_100s_reconnect_end_at_130s(funded: SessionService, sample_jd: str,
                                            elevenlabs_server: FakeElevenLabs, clock: FakeClock,
                                            tmp_path: Path) -> None:
    fake = elevenlabs_server
    before = funded.balance()
    rec = Recorder(raise_in={"on_turn", "on_status"})  # UI callback bugs must not end the call
    live, engine, sid = _live(funded, sample_jd, fake, clock, tmp_path, rec)
    first = fake.wait_connection(1)
    assert rec.wait(lambda: len(rec.of("on_conversation_id")) == 1)
    _advance(live, clock, 100)
    first.record.turns.append({"role": "user", "message": "Answer before the drop.", "time_in_call_secs": 50})
    first.drop()
    second = fake.wait_connection(2)
    assert rec.wait(lambda: len(rec.of("on_conversation_id")) == 2)
    second.send_agent("Welcome back. Let's continue.")
    assert rec.wait(lambda: any(t.text == "Welcome back. Let's continue." for t in rec.of("on_turn")))
    calls = list(rec.calls)
    reconnected = next(i for i, (n, v) in enumerate(calls) if n == "on_status" and v.kind == "reconnected")
    first_turn = next(i for i, (n, v) in enumerate(calls)
                      if n == "on_turn" and v.conversation_id == second.conversation_id)
    assert reconnected < first_turn  # "reconnected" comes first: the transcript's note sits where the drop was
    assert second.init["conversation_config_override"]["agent"]["first_message"].startswith("Welcome back")
    second.record.turns.append({"role": "user", "message": "Answer after the drop.", "time_in_call_secs": 10})
    _advance(live, clock, 30)
    assert not live.ended
    record = live.end()
    assert record.charged and funded.balance() == before - 15
    assert record.conversation_ids == [first.conversation_id, second.conversation_id]
    live_turns = funded.get(sid)
    transcript = engine.final_transcript(record.conversation_ids)
    assert transcript is not None
    users = [(t.text, t.t) for t in transcript.turns if t.role == "user"]
    assert users == [("Answer before the drop.", 50.0), ("Answer after the drop.", 110.0)]
    assert [t.t for t in transcript.turns] == sorted(t.t for t in transcript.turns)
    assert live_turns.status.value in ("analyzing", "complete")


class _LateMic(SpeakingMic):
    """A microphone whose first block goes out only when the test says so (a slow device or a busy machine)."""

    def __init__(self, **callbacks: Any) -> None:
        super().__init__(**callbacks)
        self.go = threading.Event()

    def start(self, input_callback) -> None:  # type: ignore[no-untyped-def]
        def late(block: bytes) -> None:
            if self.go.is_set():
                input_callback(block)

        super().start(late)


def test_turn_times_run_on_the_session_clock_which_starts_with_the_microphone(
        elevenlabs_server: FakeElevenLabs, tmp_path: Path) -> None:
    """The session's time 0 is the first microphone block (`mic_on_at`, as the service's `started_at`): the greeting
    that arrives before it is at 0:00, not at the wall time since the screen went live, so turns stay in order."""
    elevenlabs_server.behaviour.user_transcripts = ["I led the payments migration."]
    mics: list[_LateMic] = []

    def make_mic(**callbacks: Any) -> _LateMic:
        mics.append(_LateMic(**callbacks))
        return mics[-1]

    engine = ElevenLabsVoice(settings_for(tmp_path, elevenlabs=elevenlabs_server), audio_factory=make_mic, **FAST)
    rec = Recorder()

    def microphone_on_after_the_greeting() -> None:  # start() returns once the microphone's audio goes out
        if rec.wait(lambda: any(t.role == "agent" for t in rec.of("on_turn")), 30):
            time.sleep(0.3)
        mics[-1].go.set()

    threading.Thread(target=microphone_on_after_the_greeting, daemon=True).start()
    engine.start(context(started_at=time.time() - 5.0), rec.events())  # the screen went live 5 s ago
    try:
        assert any(t.role == "agent" for t in rec.of("on_turn")), "the greeting came before the microphone was on"
        mics[-1].speak(tone(0.8, 300))
        assert rec.wait(lambda: any(t.role == "user" for t in rec.of("on_turn")), 30), list(rec.of("on_turn"))
    finally:
        engine.stop()
    turns = list(rec.of("on_turn"))
    assert turns[0].role == "agent" and turns[0].t == 0.0, turns[0]
    user = next(t for t in turns if t.role == "user")
    assert 0.0 < user.t < 5.0, user
    assert [t.t for t in turns] == sorted(t.t for t in turns)
