"""Which planner, analyzer and voice engine run, and why: the real services when their keys are configured,
the offline engines otherwise. Every import here is lazy (the engines pull in heavy SDKs)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from interview_tui.domain.clock import Clock, SystemClock
from interview_tui.providers.base import Analyzer, Planner, VoiceEngine, VoiceName
from interview_tui.settings import Settings

if TYPE_CHECKING:
    from interview_tui.voice.recording import SessionRecorder

log = logging.getLogger(__name__)


EngineRole = Literal["planner", "analyzer", "voice", "recording"]


@dataclass(frozen=True)
class EngineChoice:
    role: EngineRole
    name: str
    reason: str
    sends: str = ""
    """What this engine sends off this computer, and to whom ("" = nothing leaves)."""


@dataclass
class Engines:
    planner: Planner
    analyzer: Analyzer
    make_voice: Callable[[], VoiceEngine]
    choices: list[EngineChoice] = field(default_factory=list)
    make_fallback_voice: Callable[[], VoiceEngine] | None = None
    """Typed answers, for when the chosen voice engine cannot start (no microphone, a rejected key…)."""
    make_recorder: Callable[[str], SessionRecorder] | None = None
    """A recorder for a session id, when recording is on (voice engines only use it)."""

    @property
    def recording(self) -> bool:
        return self.make_recorder is not None

    def describe(self) -> list[EngineChoice]:
        return list(self.choices)

    def outbound(self) -> list[str]:
        """What leaves this computer, engine by engine (empty: nothing at all)."""
        return [c.sends for c in self.choices if c.sends]


def _planner(settings: Settings) -> tuple[Planner, EngineChoice]:
    from interview_tui.providers.plan_cache import CachedPlanner, PlanCache

    if settings.gemini_configured:
        from interview_tui.providers.gemini import GeminiPlanner

        inner: Planner = GeminiPlanner(settings)
        choice = EngineChoice("planner", f"Gemini ({settings.gemini_model})", "a Gemini API key is set",
                              "the job description → Google Gemini")
    else:
        from interview_tui.providers.local_planner import LocalPlanner

        inner = LocalPlanner()
        choice = EngineChoice("planner", "offline planner", "no Gemini key (set GEMINI_API_KEY for Gemini)")
    return CachedPlanner(inner, PlanCache(settings.paths.cache_dir)), choice


def _analyzer(settings: Settings) -> tuple[Analyzer, EngineChoice]:
    if settings.gemini_configured:
        from interview_tui.providers.gemini_analyzer import GeminiAnalyzer

        return GeminiAnalyzer(settings), EngineChoice("analyzer", f"Gemini ({settings.gemini_model})",
                                                      "a Gemini API key is set",
                                                      "the transcript and plan → Google Gemini")
    from interview_tui.providers.local_analyzer import LocalAnalyzer

    return LocalAnalyzer(), EngineChoice("analyzer", "offline analyzer", "no Gemini key")


def _text_voice(clock: Clock) -> Callable[[], VoiceEngine]:
    def text() -> VoiceEngine:
        from interview_tui.voice.text_engine import TextVoice

        return TextVoice(clock=clock)

    return text


def _voice(settings: Settings, text_mode: bool,
           clock: Clock) -> tuple[Callable[[], VoiceEngine], EngineChoice, VoiceName]:
    text = _text_voice(clock)

    if text_mode or settings.text_mode:
        return text, EngineChoice("voice", "text mode", "chosen with --text"), VoiceName.TEXT
    if settings.elevenlabs_configured:
        def elevenlabs() -> VoiceEngine:
            from interview_tui.voice.elevenlabs_engine import ElevenLabsVoice

            return ElevenLabsVoice(settings, clock=clock)

        return elevenlabs, EngineChoice("voice", "ElevenLabs agent", "an ElevenLabs key and agent id are set",
                                        "your live microphone audio and the questions → ElevenLabs, which keeps "
                                        "the conversation (audio and transcript) in your account"), VoiceName.ELEVENLABS
    no_agent = ("no ElevenLabs agent id (run `interview agent create`)" if settings.elevenlabs_api_key
                else "no ElevenLabs key")
    problem = local_voice_problem(settings)
    if problem:
        return text, EngineChoice("voice", "text mode", f"{no_agent}, and {problem}"), VoiceName.TEXT

    def local() -> VoiceEngine:
        from interview_tui.voice.local_engine import LocalVoice

        return LocalVoice(settings, clock=clock)

    return local, EngineChoice("voice", "offline voice (espeak-ng + pocketsphinx)",
                               f"{no_agent}; a microphone was found"), VoiceName.LOCAL


def local_voice_problem(settings: Settings) -> str | None:
    """Why the offline voice engine cannot run here (None when it can)."""
    if shutil.which("espeak-ng") is None:
        return "espeak-ng is not installed, so answers are typed"
    try:
        import sounddevice as sd
    except OSError:
        return "PortAudio is not installed, so answers are typed"
    from interview_tui.voice.audio import device_option, device_problem

    asked = device_problem(sd, settings.input_device, "input")
    if asked is not None:  # the microphone asked for is not there: say which, and what there is
        return f"{asked}, so answers are typed (choose one with {device_option('input')})"
    if settings.input_device:
        return None
    try:
        sd.query_devices(kind="input")  # the default microphone
    except (ValueError, sd.PortAudioError):
        return "no microphone was found, so answers are typed"
    return None


def build_engines(settings: Settings, *, text_mode: bool = False, clock: Clock | None = None) -> Engines:
    """The engines this machine and configuration allow. `clock` times the voice engines' turns (use the same
    clock as the session service)."""
    planner, p_choice = _planner(settings)
    analyzer, a_choice = _analyzer(settings)
    clock = clock or SystemClock()
    make_voice, v_choice, voice = _voice(settings, text_mode, clock)
    fallback = None if voice is VoiceName.TEXT else _text_voice(clock)
    choices = [p_choice, a_choice, v_choice]
    make_recorder = None
    if settings.record and voice is not VoiceName.TEXT:
        make_recorder = _recorder(settings)
        choices.append(EngineChoice("recording", "on — your microphone, saved only on this computer",
                                    "recording is turned on (--record or [recordings] enabled)"))
    return Engines(planner, analyzer, make_voice, choices, fallback, make_recorder)


def _recorder(settings: Settings) -> Callable[[str], SessionRecorder]:
    def make(session_id: str) -> SessionRecorder:
        from interview_tui.recordings import RecordingStore
        from interview_tui.voice.recording import SessionRecorder

        return SessionRecorder(RecordingStore(settings.paths.recordings_dir).path_for(session_id))

    return make



