"""ElevenLabsVoice against the fake ElevenLabs server: real SDK, real audio devices where it matters."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from interview_tui.voice.elevenlabs_engine import ElevenLabsVoice
from tests.audio_helpers import best_correlation, voiced_seconds
from tests.doubles import Recorder, ScriptedMic, context, settings_for
from tests.fakes.elevenlabs_server import FakeElevenLabs
from tests.fakes.pulse import PulseDevices, espeak_pcm

FAST = {"backoff_initial_s": 0.05, "backoff_max_s": 0.2, "poll_initial_s": 0.05}


@pytest.mark.audio
def test_real_audio_path_mic_to_server_and_agent_to_speaker(
        elevenlabs_server: FakeElevenLabs, pulse_devices: PulseDevices, tmp_path: Path) -> None:
    fake = elevenlabs_server
    fake.behaviour.first_audio_s = 1.0
    fake.behaviour.user_transcripts = ["I design backend services in Python."]
    speech = espeak_pcm("I design backend services in Python.")
    rec = Recorder(raise_in={"on_turn", "on_level"})  # a buggy UI must not end the call
    engine = ElevenLabsVoice(settings_for(tmp_path, elevenlabs=fake), **FAST)
    with pulse_devices.record() as speaker:
        engine.start(context(), rec.events())
        conn = fake.wait_connection(1)
        assert conn.init["dynamic_variables"]["candidate_name"] == "Ana"
        questions = conn.init["dynamic_variables"]["questions"]
        assert "2. How would you model idempotent payment requests in PostgreSQL?" in questions
        assert rec.wait(lambda: voiced_seconds(speaker.snapshot()) > 0.6)  # the greeting reached the speaker
        start = len(conn.user_audio())
        pulse_devices.feed(speech)
        assert rec.wait(lambda: any(t.role == "user" for t in rec.of("on_turn")))
        heard = conn.user_audio()[start:]
        assert best_correlation(speech, heard) > 0.8  # the server got the very speech fed into the mic
        assert rec.wait(lambda: len([t for t in rec.of("on_turn") if t.role == "agent"]) >= 2)
        assert rec.wait(lambda: voiced_seconds(speaker.snapshot()) > 0.8)
        conn.close(1000, "end_call")
        assert rec.ended.wait(10)
    turns = rec.of("on_turn")
    assert [(t.role, t.conversation_id) for t in turns][:2] == [("agent", conn.conversation_id),
                                                               ("user", conn.conversation_id)]
    assert turns[1].text == "I design backend services in Python." and turns[1].t >= turns[0].t
    assert rec.of("on_conversation_id") == [conn.conversation_id]
    assert rec.of("on_ended") == ["The interviewer ended the call."]
    assert any(level[1] > -20 for level in rec.of("on_level"))
    assert {"agent", "user"} <= set(rec.of("on_speaking"))
    assert len({len(b) for _, b in conn.chunks[3:-3]}) == 1 and len(conn.chunks[5][1]) == 640  # 20 ms blocks
    engine.stop()


@pytest.mark.audio
def test_reconnects_after_a_tcp_drop(elevenlabs_server: FakeElevenLabs, pulse_devices: PulseDevices,
                                     tmp_path: Path) -> None:
    fake = elevenlabs_server
    rec = Recorder()
    engine = ElevenLabsVoice(settings_for(tmp_path, elevenlabs=fake), **FAST)
    engine.start(context(), rec.events())
    first = fake.wait_connection(1)
    assert first.wait(lambda: len(first.chunks) > 10)
    first.drop()
    second = fake.wait_connection(2)
    assert rec.wait(lambda: len(rec.of("on_conversation_id")) == 2)
    assert second.wait(lambda: len(second.chunks) > 10)  # the mic streams into the new conversation
    assert second.wait(lambda: any(m.get("type") == "contextual_update" for m in second.messages))
    kinds = [s.kind for s in rec.statuses()]
    assert kinds.index("connected") < kinds.index("reconnecting") < kinds.index("reconnected")
    assert not rec.ended.is_set()
    engine.stop()
    assert second.closed.wait(5) and second.client_close_code == 1000
    assert rec.of("on_conversation_id") == [first.conversation_id, second.conversation_id]
    assert engine.conversation_ids == [first.conversation_id, second.conversation_id]
    assert not rec.of("on_ended")  # the user ended it: LiveSession knows, no engine-side "ended"


def test_policy_close_is_a_configuration_error_without_retry(elevenlabs_server: FakeElevenLabs,
                                                             tmp_path: Path) -> None:
    from interview_tui.domain.errors import ProviderError

    fake = elevenlabs_server
    fake.agents["agent_strict"] = fake.agents["agent_interviewer_test"] | {}
    fake.agents["agent_strict"]["conversation_config"] = {"agent": {"prompt": {"prompt": "Use {{secret_sauce}}"}}}
    rec = Recorder()
    engine = ElevenLabsVoice(settings_for(tmp_path, elevenlabs=fake, elevenlabs_agent_id="agent_strict"),
                             audio_factory=ScriptedMic, **FAST)
    with pytest.raises(ProviderError) as err:
        engine.start(context(), rec.events())  # pre-flight: refused before the interview begins
    assert "secret_sauce" in str(err.value) and "interview agent" in str(err.value) and not err.value.retryable
    time.sleep(0.3)
    assert len(fake.connections) == 1
    assert not rec.of("on_conversation_id") and not rec.of("on_ended")  # never announced, so never polled
    assert "error" not in [s.kind for s in rec.statuses()]  # the caller reports it, once
    assert "reconnecting" not in [s.kind for s in rec.statuses()]
    engine.stop()


def test_server_error_1011_reconnects_but_bounded(elevenlabs_server: FakeElevenLabs, tmp_path: Path) -> None:
    fake = elevenlabs_server
    rec = Recorder()
    engine = ElevenLabsVoice(settings_for(tmp_path, elevenlabs=fake), audio_factory=ScriptedMic, max_reconnects=2,
                             **FAST)
    engine.start(context(), rec.events())
    first = fake.wait_connection(1)
    fake.behaviour.close_after_metadata = (1011, "unknown_websocket_crash")
    first.close(1011, "unknown_websocket_crash")
    assert rec.ended.wait(15)
    assert len(fake.connections) == 3  # the call + 2 reconnects
    assert "could not be restored" in rec.of("on_ended")[0]
    assert len(rec.of("on_conversation_id")) == 3
    engine.stop()


def test_bad_api_key_is_clear_and_not_retried(elevenlabs_server: FakeElevenLabs, tmp_path: Path) -> None:
    from interview_tui.domain.errors import ProviderError
    from interview_tui.settings import Secret

    rec = Recorder()
    wrong_key = settings_for(tmp_path, elevenlabs=elevenlabs_server, elevenlabs_api_key=Secret("sk_wrong"))
    engine = ElevenLabsVoice(wrong_key, audio_factory=ScriptedMic, **FAST)
    with pytest.raises(ProviderError) as err:
        engine.start(context(), rec.events())
    assert "API key" in str(err.value) and "sk_wrong" not in str(err.value) and not err.value.retryable
    assert not elevenlabs_server.connections and not rec.of("on_ended")


def test_callback_exceptions_do_not_end_the_call(elevenlabs_server: FakeElevenLabs, tmp_path: Path) -> None:
    fake = elevenlabs_server
    rec = Recorder(raise_in={"on_turn", "on_status", "on_conversation_id"})
    engine = ElevenLabsVoice(settings_for(tmp_path, elevenlabs=fake), audio_factory=ScriptedMic, **FAST)
    engine.start(context(), rec.events())
    conn = fake.wait_connection(1)
    conn.send_agent("Next question: what is idempotency?")
    assert rec.wait(lambda: len(rec.of("on_turn")) >= 2)
    time.sleep(0.3)
    assert not rec.ended.is_set() and not conn.closed.is_set()
    engine.stop()
    assert conn.closed.wait(5)


def test_final_transcript_merges_conversations_in_time_order(elevenlabs_server: FakeElevenLabs,
                                                             tmp_path: Path) -> None:
    fake = elevenlabs_server
    fake.behaviour.processing_polls = 2
    rec = Recorder()
    engine = ElevenLabsVoice(settings_for(tmp_path, elevenlabs=fake), audio_factory=ScriptedMic, **FAST)
    engine.start(context(), rec.events())
    first = fake.wait_connection(1)
    first.send_raw({"type": "user_transcript", "user_transcription_event": {"user_transcript": "x",
                                                                            "event_id": 9}})
    first.record.turns.append({"role": "user", "message": "Before the drop.", "time_in_call_secs": 1})
    first.drop()
    second = fake.wait_connection(2)
    second.record.turns.append({"role": "user", "message": "After the drop.", "time_in_call_secs": 1})
    assert rec.wait(lambda: len(engine.conversation_ids) == 2)
    engine.conversation_offsets[first.conversation_id] = 0.0
    engine.conversation_offsets[second.conversation_id] = 100.0
    engine.stop()
    transcript = engine.final_transcript(engine.conversation_ids)
    assert transcript is not None and transcript.source == "provider"
    texts = [(t.text, t.conversation_id) for t in transcript.turns]
    assert texts == [("Hello, welcome to your interview.", first.conversation_id),
                     ("Before the drop.", first.conversation_id),
                     ("Hello, welcome to your interview.", second.conversation_id),
                     ("After the drop.", second.conversation_id)]
    assert [t.t for t in transcript.turns] == [0.0, 1.0, 100.0, 101.0]
    polls = [p for m, p, _ in fake.rest_requests if p.startswith("/v1/convai/conversations/")]
    assert len(polls) >= 6  # processing twice, then done, for each


def test_final_transcript_falls_back_when_stuck(elevenlabs_server: FakeElevenLabs, tmp_path: Path) -> None:
    fake = elevenlabs_server
    rec = Recorder()
    engine = ElevenLabsVoice(settings_for(tmp_path, elevenlabs=fake), audio_factory=ScriptedMic,
                             transcript_deadline_s=0.6, **FAST)
    engine.start(context(), rec.events())
    conn = fake.wait_connection(1)
    assert rec.wait(lambda: bool(engine.conversation_ids))
    fake.stuck.add(conn.conversation_id)
    engine.stop()
    started = time.monotonic()
    assert engine.final_transcript(engine.conversation_ids) is None
    assert time.monotonic() - started < 10
    assert engine.final_transcript(["conv_unknown"]) is None
