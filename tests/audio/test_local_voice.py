"""The offline voice engine on real PortAudio devices (PulseAudio null sink + pipe-source mic).

espeak-ng speech is fed as the candidate's microphone. We assert that the engine spoke, heard an answer and
produced a user turn of plausible length and timing; recognition quality is printed, not asserted.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from interview_tui.domain.errors import ProviderError
from interview_tui.domain.metrics import word_count
from interview_tui.domain.models import DomainTrack, ExperienceLevel, InterviewPlan, Question, QuestionKind, Turn
from interview_tui.paths import resolve_paths
from interview_tui.providers.base import VoiceContext, VoiceEvents, VoiceStatus
from interview_tui.settings import Settings
from interview_tui.voice.local_engine import LocalVoice
from interview_tui.voice.local_stt import Recognizer, TurnDetector
from tests.audio_helpers import rms, voiced_seconds
from tests.doubles import settings_for
from tests.fakes.pulse import PulseDevices, espeak_pcm
from tests.fakes.pulse import pulse_devices as pulse_devices

ANSWER = ("At my last job I led the migration of our payment service to a new database. I wrote the plan, "
          "moved the data in small batches and checked every step. As a result we had no downtime.")

PLAN = InterviewPlan(
    questions=[
        Question(id="q1", text="Tell me about a project you led.", kind=QuestionKind.BEHAVIOURAL, skill="Ownership"),
        Question(id="q2", text="What did you learn from it?", kind=QuestionKind.BEHAVIOURAL, skill="Learning"),
    ],
    experience_level=ExperienceLevel.MID,
    domain_track=DomainTrack.BACKEND,
    role_title="Backend Engineer",
)


class Collector:
    def __init__(self) -> None:
        self.turns: list[Turn] = []
        self.statuses: list[VoiceStatus] = []
        self.levels: list[float] = []
        self.speaking: list[str | None] = []
        self.ended = threading.Event()
        self.reason = ""
        self.cond = threading.Condition()

    def events(self) -> VoiceEvents:
        def on_turn(turn: Turn) -> None:
            with self.cond:
                self.turns.append(turn)
                self.cond.notify_all()

        def on_ended(reason: str) -> None:
            self.reason = reason
            self.ended.set()

        return VoiceEvents(on_turn=on_turn, on_status=self.statuses.append,
                           on_level=lambda r, p: self.levels.append(r), on_speaking=self.speaking.append,
                           on_ended=on_ended)

    def wait_for(self, predicate, timeout: float) -> bool:  # type: ignore[no-untyped-def]
        with self.cond:
            return self.cond.wait_for(lambda: predicate(self.turns), timeout)


def agent_turns(turns: list[Turn]) -> int:
    return sum(t.role == "agent" for t in turns)


@pytest.mark.audio
def test_local_voice_hears_an_espeak_answer(pulse_devices: PulseDevices, tmp_path: Path) -> None:
    answer_pcm = espeak_pcm(ANSWER)
    answer_s = len(answer_pcm) / 32000
    engine = LocalVoice(settings_for(tmp_path, devices=pulse_devices), end_silence_s=1.2, words_per_minute=280)
    got = Collector()
    engine.start(VoiceContext(session_id="s", plan=PLAN, started_at=time.time()), got.events())
    try:
        with pulse_devices.record() as speaker:
            # greeting + first question are spoken (agent turns), then the engine listens
            assert got.wait_for(lambda ts: agent_turns(ts) >= 2, 30), got.statuses
            q1 = got.turns[-1]
            assert q1.text == PLAN.questions[0].text and q1.end_t is not None
            assert pulse_devices.wait_fed(5)
            # wait until the question has been played, then answer into the mic
            deadline = time.monotonic() + 30
            while engine._audio.playing and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.3)
            pulse_devices.feed(answer_pcm)
            assert got.wait_for(lambda ts: any(t.role == "user" for t in ts), 60), got.turns
            played = speaker.stop()
        user = next(t for t in got.turns if t.role == "user")
        n = word_count(user.text)
        print(f"\nespeak answer ({word_count(ANSWER)} words, {answer_s:.1f} s) heard as {n} words: {user.text!r}")
        assert 10 <= n <= 2 * word_count(ANSWER)
        assert user.confidence is not None and 0.0 < user.confidence <= 1.0   # carried into the turn
        assert user.end_t is not None
        heard_s = user.end_t - user.t
        assert 0.6 * answer_s <= heard_s <= answer_s + 2.0, (heard_s, answer_s)
        assert user.t >= q1.t
        # the interviewer answered the answer (the next question, or a probe on a talking point it missed), and its
        # voice reached the speaker
        assert got.wait_for(lambda ts: ts[-1].role == "agent" and (ts[-1].text.endswith(PLAN.questions[1].text)
                                                                   or "could you also speak to this" in ts[-1].text),
                            30)
        assert voiced_seconds(played) > 2.0 and rms(played) > 100
        assert got.levels and "agent" in got.speaking
        assert got.statuses[0].kind == "connecting" and any(s.kind == "connected" for s in got.statuses)
    finally:
        engine.stop()
        engine.stop()
        pulse_devices.clear_feed()
    assert not engine._thread or not engine._thread.is_alive()


def test_missing_devices_give_a_clear_provider_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    engine = LocalVoice(Settings(paths=resolve_paths()))
    with pytest.raises(ProviderError, match="espeak-ng"):
        engine.start(VoiceContext(session_id="s", plan=PLAN, started_at=time.time()), VoiceEvents())
    engine.stop()


def test_turn_detector_on_synthetic_levels() -> None:
    import numpy as np

    block = 320  # 20 ms
    silence = np.zeros(block, dtype=np.int16).tobytes()
    rng = np.random.default_rng(0)
    voice = (rng.standard_normal(block) * 3000).astype(np.int16).tobytes()
    det = TurnDetector(end_silence_s=1.0)
    events = []
    stream = [silence] * 50 + [voice] * 100 + [silence] * 10 + [voice] * 20 + [silence] * 60
    for pcm in stream:
        ev = det.feed(pcm)
        if ev:
            events.append((ev.kind, round(ev.offset_s, 2), len(ev.pcm)))
    assert [e[0] for e in events] == ["start", "end"]  # a 0.2 s pause does not end the answer
    assert events[0][1] == pytest.approx(1.0, abs=0.05)   # onset after 50 silent blocks
    assert events[1][1] == pytest.approx(3.6, abs=0.05)   # last voiced block
    assert events[0][2] > 0                               # pre-roll kept for the recogniser


def test_recogniser_reports_its_confidence() -> None:
    recognizer = Recognizer()
    text = recognizer.transcribe(espeak_pcm(ANSWER))
    assert word_count(text) >= 10
    assert recognizer.last_confidence is not None and 0.0 < recognizer.last_confidence < 1.0
    assert recognizer.transcribe(bytes(16_000 * 2)) == "" and recognizer.last_confidence is None  # silence


@pytest.mark.audio
def test_a_thinking_pause_does_not_end_the_answer(pulse_devices: PulseDevices, tmp_path: Path) -> None:
    """Turn-taking (issue 11, problem 7): a 2.5 s pause in the middle of an answer is thinking, not the end (the
    default answer pause is 4 s); the interviewer waits, and the screen can show listening / transcribing."""
    first, second = espeak_pcm("I designed the billing service."), espeak_pcm("It handled ten thousand payments.")
    pause = b"\x00" * int(16000 * 2.5) * 2
    engine = LocalVoice(settings_for(tmp_path, devices=pulse_devices), words_per_minute=280)
    assert engine.end_silence_s == 4.0
    got = Collector()
    engine.start(VoiceContext(session_id="s", plan=PLAN, started_at=time.time()), got.events())
    try:
        assert got.wait_for(lambda ts: agent_turns(ts) >= 2, 30), got.statuses
        deadline = time.monotonic() + 30
        while engine._audio.playing and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        agents_before = agent_turns(got.turns)
        pulse_devices.feed(first + pause + second)
        assert got.wait_for(lambda ts: any(t.role == "user" for t in ts), 60), got.turns
        [user] = [t for t in got.turns if t.role == "user"]
        spoken_s = (len(first) + len(pause) + len(second)) / 32000
        assert user.end_t is not None and user.end_t - user.t >= 0.8 * spoken_s, (user, spoken_s)
        assert agent_turns(got.turns[:got.turns.index(user)]) == agents_before  # nobody spoke over the answer
        kinds = [s.kind for s in got.statuses]
        assert "listening" in kinds and "transcribing" in kinds
        assert kinds.index("transcribing") > kinds.index("listening")
        print(f"\nanswer with a 2.5 s pause heard as one turn of {user.end_t - user.t:.1f} s "
              f"(spoken {spoken_s:.1f} s): {user.text!r}")
    finally:
        engine.stop()
        pulse_devices.clear_feed()


def test_the_answer_pause_is_a_setting(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from interview_tui.domain.errors import InvalidInput
    from interview_tui.settings import load_settings

    home = {"INTERVIEW_TUI_HOME": str(tmp_path)}
    assert load_settings(resolve_paths(), env=home).answer_pause_s == 4.0
    settings = load_settings(resolve_paths(), env={**home, "INTERVIEW_ANSWER_PAUSE_S": "6"})
    assert settings.answer_pause_s == 6.0 and LocalVoice(settings).end_silence_s == 6.0
    with pytest.raises(InvalidInput, match="from 1 to 15"):
        load_settings(resolve_paths(), env={**home, "INTERVIEW_ANSWER_PAUSE_S": "0"})


def test_an_answer_heard_in_parts_keeps_the_weighted_confidence() -> None:
    # Used to fool it: when the last part was noise, the answer lost its confidence and looked exact.
    from interview_tui.voice.local_engine import _mean_confidence

    assert _mean_confidence([(30, 0.4), (10, 0.8)]) == 0.5
    assert _mean_confidence([(30, 0.4), (0, None)]) == 0.4
    assert _mean_confidence([]) is None


@pytest.mark.audio
def test_asking_for_the_question_again_by_voice_or_key(pulse_devices: PulseDevices, tmp_path: Path) -> None:
    """Issue 14: "could you repeat the question?" said into the mic, and the repeat key, both make the interviewer
    speak the question again; neither counts as an answer in the analysis."""
    from interview_tui.domain.models import Transcript
    from interview_tui.domain.repeat_requests import is_repeat_request
    from interview_tui.providers.local_analyzer import LocalAnalyzer

    engine = LocalVoice(settings_for(tmp_path, devices=pulse_devices), end_silence_s=1.2, words_per_minute=280)
    got = Collector()
    q1 = PLAN.questions[0].text
    engine.start(VoiceContext(session_id="s", plan=PLAN, started_at=time.time()), got.events())

    def listening() -> int:
        return sum(s.kind == "listening" for s in got.statuses)

    def after_playback(listened: int) -> None:
        """Wait until the engine listens again after what the interviewer is saying (the turn comes first)."""
        deadline = time.monotonic() + 30
        while listening() <= listened and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)

    try:
        assert got.wait_for(lambda ts: agent_turns(ts) >= 2, 30), got.statuses
        after_playback(0)
        listened = listening()
        pulse_devices.feed(espeak_pcm("Sorry, could you repeat the question?"))
        assert got.wait_for(lambda ts: ts[-1].role == "agent" and ts[-1].text == f"Of course. {q1}", 60), got.turns
        [request] = [t for t in got.turns if t.role == "user"]
        print(f"\nrepeat request heard as {request.text!r}")
        assert is_repeat_request(request.text)
        after_playback(listened)
        turns_before, listened = len(got.turns), listening()
        engine.repeat_question()  # the key, while the engine listens
        assert got.wait_for(lambda ts: len(ts) > turns_before, 30), got.turns
        assert got.turns[turns_before].role == "agent" and got.turns[turns_before].text == f"Of course. {q1}"
        after_playback(listened)
        pulse_devices.feed(espeak_pcm(ANSWER))
        assert got.wait_for(lambda ts: sum(t.role == "user" for t in ts) == 2 and ts[-1].role == "agent", 60), got.turns
    finally:
        engine.stop()
        pulse_devices.clear_feed()
    # the transcript keeps the request; the analysis counts one answer to the first question, without it
    report = LocalAnalyzer().analyze(Transcript(turns=got.turns), PLAN)
    assert report.metrics.answer_count == 1
    first = next(q for q in report.questions if q.question_id == "q1")
    assert first.answer and request.text not in first.answer
