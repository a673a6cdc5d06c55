"""How a live ElevenLabs session ends: the 15:00 limit, a lost audio device, and agent corrections after barge-in."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from interview_tui.domain.clock import FakeClock
from interview_tui.domain.lifecycle import Status
from interview_tui.domain.models import Turn
from interview_tui.live import LiveListener, LiveSession
from interview_tui.service import SessionService
from interview_tui.voice.audio import SoundDeviceAudioInterface
from interview_tui.voice.elevenlabs_engine import ElevenLabsVoice
from tests.doubles import Recorder, ScriptedMic, context, settings_for
from tests.fakes.elevenlabs_server import FakeElevenLabs
from tests.fakes.pulse import PulseDevices, pulse_daemon

FAST = {"backoff_initial_s": 0.05, "backoff_max_s": 0.2, "poll_initial_s": 0.05}
EVENTS = ("on_turn", "on_status", "on_level", "on_speaking", "on_conversation_id", "on_ended")


def _live(service: SessionService, jd: str, engine: ElevenLabsVoice, clock: FakeClock, rec: Recorder,
          warnings: list[float] | None = None) -> tuple[LiveSession, str]:
    record = service.create(jd)
    service.run_setup(record.id)
    events = rec.events()
    listener = LiveListener(**{n: getattr(events, n) for n in EVENTS},
                            on_warning=(warnings.append if warnings is not None else lambda s: None))
    live = LiveSession(service, record.id, engine, clock, listener)
    live.begin()
    return live, record.id


def test_auto_end_at_15_minutes(funded: SessionService, sample_jd: str, elevenlabs_server: FakeElevenLabs,
                                clock: FakeClock, tmp_path: Path) -> None:
    fake = elevenlabs_server
    before = funded.balance()
    rec, warnings = Recorder(), []
    engine = ElevenLabsVoice(settings_for(tmp_path, elevenlabs=fake), clock=clock, audio_factory=ScriptedMic, **FAST)
    live, sid = _live(funded, sample_jd, engine, clock, rec, warnings)
    conn = fake.wait_connection(1)
    assert rec.wait(lambda: bool(rec.of("on_conversation_id")))
    for second in range(1, 901):
        clock.advance(1.0)
        state = live.tick()
        if second == 839:
            assert not warnings and not state.warning
        if second == 840:
            assert warnings == [60.0] and state.warning and not state.ended
        if second == 899:
            assert not state.ended
    assert state.ended and state.remaining_s == 0
    assert live.end_reason == "The 15-minute limit was reached."
    assert conn.closed.wait(5) and conn.client_close_code == 1000  # the engine hung up
    record = funded.get(sid)
    assert record.status is Status.ANALYZING
    assert record.duration_s == 900.0 and record.charged
    assert funded.balance() == before - 15
    debits = [e for e in funded.ledger_history() if e.session_id == sid]
    assert len(debits) == 1 and debits[0].amount == -15
    assert warnings == [60.0]
    assert live.end() is not None and funded.balance() == before - 15  # ending again changes nothing


@pytest.mark.audio
def test_audio_device_lost_mid_call_ends_the_session_cleanly(
        pulse_devices: PulseDevices, funded: SessionService, sample_jd: str, elevenlabs_server: FakeElevenLabs,
        clock: FakeClock, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    fake = elevenlabs_server
    fake.behaviour.first_message = "Hello Ana. Tell me about a service you built."
    fake.behaviour.first_audio_s = 0.2
    rec = Recorder()
    audios: list[SoundDeviceAudioInterface] = []

    def factory(**callbacks: Any) -> SoundDeviceAudioInterface:
        audios.append(SoundDeviceAudioInterface("pulse", "pulse", stall_timeout_s=1.0, **callbacks))
        return audios[-1]

    caplog.set_level(logging.WARNING)
    with pulse_daemon(warm_up=False) as headset:  # a second, private daemon: killing it is pulling the headset out
        engine = ElevenLabsVoice(settings_for(tmp_path, elevenlabs=fake), clock=clock, audio_factory=factory, **FAST)
        live, sid = _live(funded, sample_jd, engine, clock, rec)
        conn = fake.wait_connection(1)
        assert conn.wait(lambda: len(conn.chunks) > 10)  # the mic streams
        conn.send_raw({"type": "user_transcript", "user_transcription_event": {
            "user_transcript": "I built a payments service in Python.", "event_id": 5}})
        assert rec.wait(lambda: len(rec.of("on_turn")) >= 2)
        clock.advance(30.0)
        live.tick()
        headset.kill()
        assert rec.ended.wait(15)
        live.tick()
        engine.stop()
    assert live.ended
    (reason,) = rec.of("on_ended")
    assert "microphone stopped delivering audio" in reason and "what was said is saved" in reason
    assert live.end_reason == reason
    record = funded.get(sid)
    assert record.status is Status.ANALYZING and not record.charged
    assert [(t.role, t.text) for t in record.live_transcript] == [
        ("agent", "Hello Ana. Tell me about a service you built."),
        ("user", "I built a payments service in Python.")]
    assert record.conversation_ids == [conn.conversation_id]
    assert len(fake.connections) == 1  # a lost device is not a network drop: no reconnect
    assert not [r for r in caplog.records if r.exc_info and r.name.startswith("interview_tui")]
    assert audios[0].stopped


def test_agent_response_correction_replaces_the_interrupted_turn(elevenlabs_server: FakeElevenLabs,
                                                                 tmp_path: Path) -> None:
    fake = elevenlabs_server
    fake.behaviour.first_message = None
    rec = Recorder()
    engine = ElevenLabsVoice(settings_for(tmp_path, elevenlabs=fake), audio_factory=ScriptedMic, **FAST)
    engine.start(context(), rec.events())
    conn = fake.wait_connection(1)
    full = "Tell me about a time you disagreed with your manager, and what you did next."
    conn.send_agent(full, audio_s=0.5)
    assert rec.wait(lambda: len(rec.of("on_turn")) == 1)
    conn.interrupt()
    conn.send_raw({"type": "agent_response_correction", "agent_response_correction_event": {
        "original_agent_response": "Something else entirely.", "corrected_agent_response": "Something",
        "event_id": conn.last_event_id}})  # does not match the last agent turn: ignored
    conn.send_raw({"type": "agent_response_correction", "agent_response_correction_event": {
        "original_agent_response": full, "corrected_agent_response": "Tell me about a time you disagreed",
        "event_id": conn.last_event_id}})
    assert rec.wait(lambda: len(rec.of("on_turn")) == 2)
    conn.send_agent("Go on.", audio_s=0.1)
    assert rec.wait(lambda: len(rec.of("on_turn")) == 3)
    engine.stop()
    original, corrected, after = rec.of("on_turn")
    assert isinstance(corrected, Turn)
    assert (original.text, original.interrupted) == (full, False)
    assert (corrected.text, corrected.interrupted) == ("Tell me about a time you disagreed", True)
    assert (corrected.t, corrected.conversation_id) == (original.t, original.conversation_id)  # same turn
    assert (after.text, after.interrupted) == ("Go on.", False) and after.t >= original.t
