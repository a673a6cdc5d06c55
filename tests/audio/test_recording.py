"""Opt-in recording: the microphone blocks the audio layer sends, tapped on its sender thread, written to Ogg Opus
as they come (real PortAudio devices through the PulseAudio test daemon; real ElevenLabs SDK on the fake server)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from interview_tui.bootstrap import make_service
from interview_tui.domain.clock import FakeClock
from interview_tui.live import LiveSession
from interview_tui.service import SessionService
from interview_tui.voice.audio import SoundDeviceAudioInterface
from interview_tui.voice.elevenlabs_engine import ElevenLabsVoice
from interview_tui.voice.recording import SessionRecorder
from interview_tui.voice.text_engine import TextVoice
from tests.audio_helpers import best_correlation
from tests.doubles import Recorder, context, settings_for
from tests.fakes.elevenlabs_server import FakeElevenLabs
from tests.fakes.pulse import PulseDevices, espeak_pcm
from tests.paths import ROOT

SPEECH = "I moved our billing service to Postgres and cut the nightly batch from four hours to twenty minutes."


def decoded(path: Path) -> bytes:
    data, rate = sf.read(path, dtype="int16")
    assert rate == 16_000
    return data.tobytes()


def _wait(pred, timeout: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.02)
    return pred()


@pytest.mark.audio
def test_the_recording_is_what_the_microphone_heard(pulse_devices: PulseDevices, tmp_path: Path) -> None:
    speech = espeak_pcm(SPEECH)
    path = tmp_path / "recordings" / "s1.opus"
    recorder = SessionRecorder(path)
    sent: list[bytes] = []
    audio = SoundDeviceAudioInterface(pulse_devices.input_device, pulse_devices.output_device)
    audio.tap = recorder.mic
    recorder.start()
    audio.start(sent.append)
    try:
        time.sleep(0.3)
        mark = pulse_devices.feed(speech)
        assert mark.done.wait(30)
        time.sleep(0.5)
    finally:
        audio.stop()
        recorder.close()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
    got = decoded(path)
    sent_audio = b"".join(sent)
    assert best_correlation(speech, got) > 0.7  # lossy codec, same waveform
    assert abs(len(got) - len(sent_audio)) < 16_000  # the whole capture, within one second
    assert recorder.dropped_blocks == 0 and recorder.error is None
    assert path.stat().st_size < len(speech) / 3  # compressed


CHILD = textwrap.dedent("""
    import sys, time
    from interview_tui.voice.audio import SoundDeviceAudioInterface
    from interview_tui.voice.recording import SessionRecorder
    recorder = SessionRecorder(sys.argv[1])
    audio = SoundDeviceAudioInterface("pulse", "pulse")
    audio.tap = recorder.mic
    recorder.start()
    audio.start(lambda pcm: None)
    print("recording", flush=True)
    time.sleep(120)
""")


@pytest.mark.audio
def test_kill_9_mid_session_leaves_a_playable_file(pulse_devices: PulseDevices, tmp_path: Path) -> None:
    speech = espeak_pcm(SPEECH)
    path = tmp_path / "s2.opus"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "recording"
        began = time.monotonic()
        time.sleep(0.3)
        mark = pulse_devices.feed(speech)
        assert mark.done.wait(30)
        time.sleep(2.5)  # the last flush is at most a second old
        child.send_signal(signal.SIGKILL)
        lived = time.monotonic() - began
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    got = decoded(path)
    print(f"killed after {lived:.2f} s; {len(got) / 32_000:.2f} s playable")
    assert len(got) / 2 / 16_000 >= lived - 1.5  # at most about a second lost
    assert best_correlation(speech, got) > 0.7


@pytest.mark.audio
def test_a_voice_engine_records_through_its_own_audio_path(
        elevenlabs_server: FakeElevenLabs, pulse_devices: PulseDevices, tmp_path: Path) -> None:
    fake = elevenlabs_server
    fake.behaviour.user_transcripts = [SPEECH]
    speech = espeak_pcm(SPEECH)
    recorder = SessionRecorder(tmp_path / "s3.opus")
    recorder.start()
    rec = Recorder()
    engine = ElevenLabsVoice(settings_for(tmp_path, elevenlabs=fake), poll_initial_s=0.05)
    ctx = context()
    engine.start(type(ctx)(**{**ctx.__dict__, "mic_tap": recorder.mic}), rec.events())
    try:
        conn = fake.wait_connection(1)
        assert rec.wait(lambda: conn.conversation_id is not None)
        pulse_devices.feed(speech)
        assert rec.wait(lambda: any(t.role == "user" for t in rec.of("on_turn")), 30)
        heard = conn.user_audio()
    finally:
        engine.stop()
        recorder.close()
    got = decoded(recorder.path)
    assert best_correlation(speech, got) > 0.7
    loudest = int(np.argmax(np.abs(np.frombuffer(heard, dtype=np.int16)))) * 2
    window = heard[max(0, loudest - 16_000): loudest + 16_000]
    assert best_correlation(window, got) > 0.7  # the file holds the very blocks the server received


def test_gaps_are_filled_so_file_time_is_session_time(tmp_path: Path) -> None:
    recorder = SessionRecorder(tmp_path / "gap.opus")
    recorder.start()
    block = (np.sin(np.arange(320) / 5) * 8000).astype(np.int16).tobytes()
    for _ in range(25):  # 0.5 s of audio delivered in real time
        recorder.mic(block)
        time.sleep(0.02)
    time.sleep(1.5)  # the microphone stalls (a reconnect): 1.5 s without audio
    for _ in range(25):
        recorder.mic(block)
        time.sleep(0.02)
    recorder.close()
    data, _ = sf.read(recorder.path, dtype="int16")
    assert len(data) / 16_000 == pytest.approx(2.5, abs=0.3)
    loud = np.abs(data.astype(float)) > 2000
    assert not loud[int(0.8 * 16_000):int(1.8 * 16_000)].any() and loud[int(2.1 * 16_000):].any()


def test_typed_answers_are_never_recorded(service: SessionService, clock: FakeClock, tmp_path: Path) -> None:
    recorder = SessionRecorder(tmp_path / "text.opus")
    live = LiveSession(service, "none", TextVoice(clock=clock), clock, recorder=recorder)
    assert live.recorder is None


def test_recording_is_opt_in_and_only_for_voice(tmp_path: Path) -> None:
    from interview_tui.engines import build_engines
    from interview_tui.paths import AppPaths
    from interview_tui.settings import Secret, Settings

    paths = AppPaths(data_dir=tmp_path, config_dir=tmp_path, db_path=tmp_path / "db")
    voice = {"elevenlabs_api_key": Secret("k"), "elevenlabs_agent_id": "agent"}
    assert not build_engines(Settings(paths=paths, **voice)).recording
    assert not build_engines(Settings(paths=paths, record=True, **voice), text_mode=True).recording
    engines = build_engines(Settings(paths=paths, record=True, **voice))
    assert engines.recording and engines.make_recorder is not None
    assert engines.make_recorder("abc123").path == tmp_path / "recordings" / "abc123.opus"
    assert [c.role for c in engines.describe()][-1] == "recording"


@pytest.mark.audio
def test_a_live_session_records_from_mic_on_to_the_end(
        elevenlabs_server: FakeElevenLabs, pulse_devices: PulseDevices, tmp_path: Path, store) -> None:  # type: ignore[no-untyped-def]
    from interview_tui.domain.clock import SystemClock
    from tests.doubles import ScriptedAnalyzer, ScriptedPlanner

    clock = SystemClock()
    service = make_service(store, planner=ScriptedPlanner(), analyzer=ScriptedAnalyzer(), clock=clock)
    service.top_up(100)
    sid = service.create("Senior Python engineer. " * 20).id
    service.run_setup(sid)
    fake = elevenlabs_server
    fake.behaviour.user_transcripts = [SPEECH]
    recorder = SessionRecorder(tmp_path / f"{sid}.opus")
    engine = ElevenLabsVoice(settings_for(tmp_path, elevenlabs=fake), clock=clock, poll_initial_s=0.05)
    live = LiveSession(service, sid, engine, clock, recorder=recorder)
    live.begin()
    assert live.recorder is recorder
    conn = fake.wait_connection(1)
    fed_at = time.time()
    mark = pulse_devices.feed(espeak_pcm(SPEECH))
    assert mark.done.wait(30)
    time.sleep(1.0)
    record = live.end()
    assert record is not None and record.duration_s is not None
    got = decoded(recorder.path)
    assert best_correlation(espeak_pcm(SPEECH), got) > 0.7
    assert len(got) / 32_000 == pytest.approx(record.duration_s, abs=1.0)  # file time is session time
    loud = np.flatnonzero(np.abs(np.frombuffer(got, dtype=np.int16)) > 3000)
    assert loud[0] / 16_000 == pytest.approx(fed_at - record.started_at, abs=1.0)
    assert conn.conversation_id


def test_what_leaves_the_computer_is_said_per_engine(tmp_path: Path) -> None:
    from interview_tui.engines import build_engines
    from interview_tui.paths import AppPaths
    from interview_tui.settings import Secret, Settings
    from interview_tui.tui.screens.start import outbound_text

    paths = AppPaths(data_dir=tmp_path, config_dir=tmp_path, db_path=tmp_path / "db")
    online = build_engines(Settings(paths=paths, gemini_api_key=Secret("g"), elevenlabs_api_key=Secret("k"),
                                    elevenlabs_agent_id="agent", record=True))
    sends = online.outbound()
    assert len(sends) == 3
    assert "job description" in sends[0] and "Gemini" in sends[0]
    assert "transcript" in sends[1] and "Gemini" in sends[1]
    assert "audio" in sends[2] and "ElevenLabs" in sends[2] and "keeps" in sends[2]
    assert "stays in the local database" in outbound_text(sends).plain
    offline = build_engines(Settings(paths=paths), text_mode=True)
    assert offline.outbound() == []
    assert "nothing leaves this computer" in outbound_text([]).plain


class ToneVoice:
    """A voice engine double whose microphone hears a steady tone: it hands 20 ms blocks to the session's mic tap
    from its own thread, as the audio layer does."""

    name = "tone"
    text_input = False

    def __init__(self) -> None:
        import threading

        self._halt = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, context, events) -> None:  # type: ignore[no-untyped-def]
        import threading

        block = (np.sin(np.arange(320) * 0.3) * 10_000).astype(np.int16).tobytes()

        def run() -> None:
            while not self._halt.wait(0.02):
                if context.mic_tap is not None:
                    context.mic_tap(block)

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._halt.set()
        if self._thread is not None:
            self._thread.join(2)

    def set_muted(self, muted: bool) -> None: ...

    def submit_text(self, text: str) -> None: ...

    def final_transcript(self, conversation_ids: list[str]):  # type: ignore[no-untyped-def]
        return None


def test_a_session_continued_after_a_pause_records_a_second_part(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from interview_tui.domain.clock import SystemClock
    from interview_tui.recordings import RecordingStore
    from tests.doubles import ScriptedAnalyzer, ScriptedPlanner

    clock = SystemClock()
    service = make_service(store, planner=ScriptedPlanner(), analyzer=ScriptedAnalyzer(), clock=clock)
    service.top_up(100)
    sid = service.create("Senior Python engineer. " * 20).id
    service.run_setup(sid)
    recordings = RecordingStore(tmp_path / "recordings")
    first = LiveSession(service, sid, ToneVoice(), clock, recorder=SessionRecorder(recordings.path_for(sid)))
    first.begin()
    time.sleep(1.5)
    paused = first.pause("You quit the app during the interview.")
    assert paused is not None
    second = LiveSession(service, sid, ToneVoice(), clock, recorder=SessionRecorder(recordings.path_for(sid)))
    second.begin()
    time.sleep(1.0)
    ended = second.end()
    assert ended is not None and ended.duration_s is not None
    parts = recordings.parts(sid)
    assert len(parts) == 2 and parts[0] == (0.0, recordings.path_for(sid))
    assert paused.ended_at is not None and paused.started_at is not None
    live_before = paused.ended_at - paused.started_at  # the session time the second part starts at
    assert parts[1][0] == pytest.approx(live_before, abs=0.01)
    assert sf.info(str(parts[0][1])).duration == pytest.approx(live_before, abs=0.4)
    assert parts[1][0] + sf.info(str(parts[1][1])).duration == pytest.approx(ended.duration_s, abs=0.5)
