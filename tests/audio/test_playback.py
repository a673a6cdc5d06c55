"""Playback of a recording: answer spans from the transcript, reading and exporting spans, playing to the speaker
(the PulseAudio null sink, recorded from its monitor)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from interview_tui.domain.answer_spans import answer_spans
from interview_tui.domain.errors import InvalidInput
from interview_tui.domain.models import Turn
from interview_tui.voice.playback import Player, export_span, levels, read_span, recording_seconds
from tests.audio_helpers import best_correlation, voiced_seconds
from tests.fakes.pulse import PulseDevices, espeak_pcm


def write_recording(path: Path, pcm: bytes) -> None:
    with sf.SoundFile(str(path), "w", samplerate=16_000, channels=1, format="OGG", subtype="OPUS") as f:
        f.write(np.frombuffer(pcm, dtype=np.int16))


def test_spans_from_untimed_and_timed_transcripts() -> None:
    untimed = [Turn(role="agent", text="Hi. Tell me about yourself.", t=1.0),
               Turn(role="user", text="I build APIs.", t=9.0),
               Turn(role="user", text="Mostly in Go.", t=12.0),
               Turn(role="agent", text="Why this role?", t=13.0),
               Turn(role="user", text="Payments.", t=20.0)]
    spans = answer_spans(untimed, 25.0)
    assert [(s.start_s, s.end_s) for s in spans] == [(1.0, 13.0), (13.0, 25.0)]
    assert spans[0].text == "I build APIs. Mostly in Go." and spans[1].question == "Why this role?"
    timed = [Turn(role="agent", text="Q?", t=0.5, end_t=2.0), Turn(role="user", text="A.", t=3.0, end_t=8.0)]
    assert [(s.start_s, s.end_s) for s in answer_spans(timed, 30.0)] == [(2.7, 8.5)]
    assert answer_spans(untimed, 10.0)[-1].end_s == 10.0  # never past the end of the recording
    assert answer_spans([Turn(role="agent", text="Q?", t=1.0)], 5.0) == []


def test_read_levels_and_export_a_span(tmp_path: Path) -> None:
    rate = 16_000
    silence, tone = np.zeros(rate * 2, np.int16), (np.sin(np.arange(rate) * 0.2) * 12000).astype(np.int16)
    source = tmp_path / "s.opus"
    write_recording(source, np.concatenate([silence, tone, silence]).tobytes())
    assert recording_seconds(source) == pytest.approx(5.0, abs=0.05)
    span = read_span(source, 1.5, 3.5)
    assert len(span) == 2 * rate
    curve = levels(span)
    assert len(curve) == 20 and max(curve[:4]) < 0.2 and min(curve[7:13]) > 0.7
    one = export_span(source, tmp_path / "out" / "answer.opus", 2.0, 3.0)
    assert oct(one.stat().st_mode & 0o777) == "0o600"
    assert sf.info(str(one)).duration == pytest.approx(1.0, abs=0.05)
    whole = export_span(source, tmp_path / "out" / "all.opus")
    assert whole.read_bytes() == source.read_bytes()


def test_an_export_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    """Written under a hidden name and renamed: a failed save leaves an earlier file with that name as it was and
    no partial file behind (a reader polling the folder never sees half a clip)."""
    target = tmp_path / "out" / "all.opus"
    target.parent.mkdir()
    target.write_bytes(b"an earlier export")
    with pytest.raises(InvalidInput, match="could not be saved"):
        export_span(tmp_path / "missing.opus", target)
    assert target.read_bytes() == b"an earlier export"
    assert [p.name for p in target.parent.iterdir()] == ["all.opus"]

@pytest.mark.audio
def test_playback_reaches_the_speaker(pulse_devices: PulseDevices, tmp_path: Path) -> None:
    speech = espeak_pcm("Tell me about the payments migration you led last year.")
    source = tmp_path / "s.opus"
    write_recording(source, b"\0" * 32_000 + speech + b"\0" * 32_000)
    span = read_span(source, 1.0, 1.0 + len(speech) / 32_000)
    player = Player(pulse_devices.output_device)
    with pulse_devices.record() as rec:
        time.sleep(0.2)
        player.play(span)
        assert player.playing
        assert player.finished.wait(len(speech) / 32_000 + 5)
        time.sleep(0.3)
        played = rec.stop()
    assert player.position_s == pytest.approx(len(span) / 16_000, abs=0.01)
    assert voiced_seconds(played) > 1.0
    assert best_correlation(span.tobytes()[16_000:48_000], played) > 0.7

    with pulse_devices.record() as rec:  # stop cuts it short
        player.play(span)
        time.sleep(0.4)
        player.stop()
        assert not player.playing
        time.sleep(0.6)
        cut = rec.stop()
    assert voiced_seconds(cut) < 0.8


def test_a_continued_session_is_read_across_its_parts(tmp_path: Path) -> None:
    from interview_tui.recordings import RecordingStore
    from interview_tui.voice.playback import parts_seconds, read_parts
    from interview_tui.voice.recording import SessionRecorder

    store = RecordingStore(tmp_path / "recordings")
    tone = (np.sin(np.arange(16_000 * 2) * 0.2) * 12000).astype(np.int16).tobytes()
    for offset in (0.0, 5.0):  # recorded, paused at 0:05 (after 2 s of talk), continued
        recorder = SessionRecorder(store.path_for("abcd1234"))
        recorder.start(offset_s=offset)
        for i in range(0, len(tone), 640):
            recorder.mic(tone[i:i + 640])
        recorder.close()
    parts = store.parts("abcd1234")
    assert [(o, p.name) for o, p in parts] == [(0.0, "abcd1234.opus"), (5.0, "abcd1234.5000.opus")]
    assert parts_seconds(parts) == pytest.approx(7.0, abs=0.1)
    samples = read_parts(parts, 0.0, 7.0)
    curve = levels(samples, window_s=0.5)
    assert min(curve[:4]) > 0.7 and max(curve[5:9]) < 0.2 and min(curve[10:14]) > 0.7
    whole = export_span(parts, tmp_path / "all.opus")
    assert sf.info(str(whole)).duration == pytest.approx(7.0, abs=0.1)
    assert store.size("abcd1234") == sum(p.stat().st_size for _, p in parts)
    assert store.delete("abcd1234") == 2 and store.parts("abcd1234") == []
