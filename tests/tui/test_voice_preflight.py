"""Pre-flight before going live (issue 11, problem 2): the ElevenLabs connection is up before the session becomes
`active`, and the live clock starts at mic on. A rejected key (401), a missing agent (404) or a refused
conversation (1008) leaves the session `ready` and unclaimed, with a clear reason; a refused conversation is never
polled for its transcript. Real SDK against the fake ElevenLabs server."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from interview_tui.bootstrap import make_service
from interview_tui.domain.clock import SystemClock
from interview_tui.domain.errors import ProviderError
from interview_tui.domain.lifecycle import Status
from interview_tui.live import LiveSession
from interview_tui.service import SessionService
from interview_tui.settings import Secret
from interview_tui.store.db import Store
from interview_tui.voice.elevenlabs_engine import ElevenLabsVoice
from tests.doubles import ScriptedAnalyzer, ScriptedMic, ScriptedPlanner, settings_for
from tests.fakes.elevenlabs_server import FakeElevenLabs

FAST = {"backoff_initial_s": 0.05, "backoff_max_s": 0.2, "poll_initial_s": 0.05, "transcript_deadline_s": 3.0}


@pytest.fixture
def real_time(store: Store, sample_jd: str) -> tuple[SessionService, str]:
    """A ready session on a service with the system clock (the SDK's threads run in real time)."""
    svc = make_service(store, planner=ScriptedPlanner(), analyzer=ScriptedAnalyzer(), clock=SystemClock())
    svc.top_up(15)
    record = svc.create(sample_jd)
    svc.run_setup(record.id)
    return svc, record.id


def _conversation_gets(fake: FakeElevenLabs) -> list[str]:
    return [path for method, path, _ in fake.rest_requests if method == "GET" and "/conversations/" in path]


@pytest.mark.parametrize(("change", "expected"), [
    ({"elevenlabs_api_key": Secret("sk_wrong_key")}, "rejected the API key (HTTP 401)"),
    ({"elevenlabs_agent_id": "agent_missing"}, "does not know the agent 'agent_missing' (HTTP 404)"),
])
def test_rejected_key_or_missing_agent_leaves_the_session_ready(
        elevenlabs_server: FakeElevenLabs, real_time: tuple[SessionService, str], tmp_path: Path,
        change: dict, expected: str) -> None:
    svc, sid = real_time
    engine = ElevenLabsVoice(settings_for(tmp_path, elevenlabs=elevenlabs_server, **change), audio_factory=ScriptedMic,
                             **FAST)
    live = LiveSession(svc, sid, engine, svc.clock)
    with pytest.raises(ProviderError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        live.begin()
    record = svc.get(sid)
    assert record.status is Status.READY and record.owner is None and record.started_at is None
    assert record.conversation_ids == [] and not elevenlabs_server.connections
    assert live.end() is None and svc.get(sid).status is Status.READY  # nothing to end: it never began
    assert "sk_wrong_key" not in expected


@pytest.mark.parametrize("when", ["at initiation", "after metadata"])
def test_refused_conversation_leaves_the_session_ready_and_is_not_polled(
        elevenlabs_server: FakeElevenLabs, real_time: tuple[SessionService, str], tmp_path: Path,
        when: str) -> None:
    fake = elevenlabs_server
    svc, sid = real_time
    if when == "at initiation":
        fake.agents["agent_strict"] = fake.agents["agent_interviewer_test"] | {}
        fake.agents["agent_strict"]["conversation_config"] = {"agent": {"prompt": {"prompt": "{{secret_sauce}}"}}}
        settings = settings_for(tmp_path, elevenlabs=fake, elevenlabs_agent_id="agent_strict")
    else:
        fake.behaviour.close_after_metadata = (1008, "override_error")
        settings = settings_for(tmp_path, elevenlabs=fake)
    engine = ElevenLabsVoice(settings, audio_factory=ScriptedMic, **FAST)
    live = LiveSession(svc, sid, engine, svc.clock)
    with pytest.raises(ProviderError, match="refused the conversation"):
        live.begin()
    record = svc.get(sid)
    assert record.status is Status.READY and record.owner is None and record.conversation_ids == []
    assert len(fake.connections) == 1
    assert engine.final_transcript(record.conversation_ids) is None or True  # nothing to fetch
    time.sleep(0.3)
    assert _conversation_gets(fake) == []  # the refused conversation is never polled
    assert svc.balance() == 15


def test_session_goes_active_only_once_connected_and_the_clock_starts_at_mic_on(
        elevenlabs_server: FakeElevenLabs, real_time: tuple[SessionService, str], tmp_path: Path) -> None:
    fake = elevenlabs_server
    fake.behaviour.latency_s = 0.4  # a slow link: the clock must not run while the connection is being set up
    svc, sid = real_time
    engine = ElevenLabsVoice(settings_for(tmp_path, elevenlabs=fake), audio_factory=ScriptedMic, **FAST)
    live = LiveSession(svc, sid, engine, svc.clock)
    asked_at = time.time()
    record = live.begin()
    conn = fake.wait_connection(1)
    assert record.status is Status.ACTIVE and record.owner == svc.owner
    assert engine.mic_on_at is not None and record.started_at == engine.mic_on_at == record.mic_on_at
    assert record.started_at > asked_at  # not when Begin was pressed: when the first audio went out
    assert conn.wait(lambda: bool(conn.chunks)) and conn.conversation_id
    live.tick()
    assert live.end() is not None
    assert svc.get(sid).conversation_ids == [conn.conversation_id]


@pytest.mark.anyio
@pytest.mark.parametrize("fault", ["wrong key", "1008"])
async def test_the_app_offers_typed_answers_when_elevenlabs_refuses(
        elevenlabs_server: FakeElevenLabs, tmp_path: Path, fault: str) -> None:
    from interview_tui.engines import EngineChoice
    from interview_tui.voice.text_engine import TextVoice
    from tests.fakes.tui_pilot import new_app, offline_runtime, plan_and_begin, wait_for

    fake = elevenlabs_server
    if fault == "wrong key":
        settings, expected = settings_for(tmp_path, elevenlabs=fake, elevenlabs_api_key=Secret("sk_wrong")), "API key"
    else:
        fake.behaviour.close_after_metadata = (1008, "override_error")
        settings, expected = settings_for(tmp_path, elevenlabs=fake), "refused the conversation"
    clock = SystemClock()
    runtime = offline_runtime(settings, clock, lambda: ElevenLabsVoice(settings, audio_factory=ScriptedMic, **FAST),
                              [EngineChoice("voice", "ElevenLabs agent", "test")], lambda: TextVoice(clock))
    service, store = runtime.service, runtime.store
    app = new_app(runtime, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await plan_and_begin(pilot, until_live=False)
        await wait_for(pilot, lambda: app.screen.failure == "voice", description="the refusal", limit_s=20)
        [record] = service.list_sessions()
        assert record.status is Status.READY and record.owner is None and record.conversation_ids == []
        toasts = [n.message for n in app._notifications]
        assert len([t for t in toasts if expected in t]) == 1, toasts  # one toast per error
        assert "Press t to continue with typed answers" in str(app.screen.query_one("#notice").render())
        await pilot.press("t")
        await wait_for(pilot, lambda: app.screen.ticker is not None and app.screen.engine.name == "text",
                       description="typed answers")
        [record] = service.list_sessions()
        assert record.status is Status.ACTIVE and record.voice == "text"
    assert _conversation_gets(fake) == []
    store.close()


@pytest.mark.anyio
async def test_a_refusal_mid_call_is_one_toast_and_the_analysis_names_the_analyzer(
        elevenlabs_server: FakeElevenLabs, tmp_path: Path) -> None:
    from interview_tui.engines import EngineChoice
    from interview_tui.voice.text_engine import TextVoice
    from tests.fakes.tui_pilot import new_app, offline_runtime, plan_and_begin, wait_for, wait_for_screen, work_progress

    fake = elevenlabs_server
    settings = settings_for(tmp_path, elevenlabs=fake)
    clock = SystemClock()
    runtime = offline_runtime(settings, clock, lambda: ElevenLabsVoice(settings, audio_factory=ScriptedMic, **FAST),
                              [EngineChoice("analyzer", "offline analyzer", "test"),
                               EngineChoice("voice", "ElevenLabs agent", "test")], lambda: TextVoice(clock))
    store = runtime.store
    app = new_app(runtime, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await plan_and_begin(pilot, limit_s=20)
        fake.wait_connection(1).close(1008, "policy_violation", "override_error")
        await wait_for(pilot, lambda: type(app.screen).__name__ in ("AnalysisScreen", "ReportScreen"),
                       description="the analysis", limit_s=20)
        if type(app.screen).__name__ == "AnalysisScreen":
            assert "with local" not in work_progress(app)
        await wait_for_screen(pilot, "ReportScreen", limit_s=30)
        toasts = [n.message for n in app._notifications]
        assert len([t for t in toasts if "refused the conversation" in t]) == 1, toasts
    store.close()
