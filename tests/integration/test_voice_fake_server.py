"""The fake ElevenLabs server is faithful: the official SDK (unmodified) runs whole sessions against it."""

from __future__ import annotations

import threading
import time

import pytest

from tests.fakes.elevenlabs_server import (
    API_KEY,
    DEFAULT_AGENT,
    FakeElevenLabs,
    rms_dbfs,
    tone,
)

VARS = {"questions": "1. Tell me about yourself.", "skills": "python", "level": "senior", "track": "backend",
        "candidate_name": "Ana"}


class ScriptedAudio:
    """A trivial AudioInterface: plays a scripted 'mic' (speech-like tone, then silence) and keeps the output."""

    def __init__(self) -> None:
        self.output_chunks: list[bytes] = []
        self.interrupts = 0
        self.stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, input_callback):  # type: ignore[no-untyped-def]
        def run() -> None:
            speech, silence = tone(0.6, 300), b"\x00" * 1600
            frames = [speech[i:i + 1600] for i in range(0, len(speech), 1600)] + [silence] * 12
            for frame in frames:
                if self.stopped.is_set():
                    return
                input_callback(frame)
                time.sleep(0.05)
            while not self.stopped.wait(0.05):
                input_callback(silence)
        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.stopped.set()

    def output(self, audio: bytes) -> None:
        self.output_chunks.append(audio)

    def interrupt(self) -> None:
        self.interrupts += 1


def _conversation(fake: FakeElevenLabs, audio: ScriptedAudio, events: dict, **kw):  # type: ignore[no-untyped-def]
    from elevenlabs.client import ElevenLabs
    from elevenlabs.conversational_ai.conversation import ClientTools, Conversation, ConversationInitiationData

    tools = ClientTools()
    tools.register("note", lambda params: f"noted {params['topic']}")
    client = ElevenLabs(api_key=API_KEY, base_url=fake.base_url)
    return Conversation(
        client, DEFAULT_AGENT, requires_auth=True, audio_interface=audio, client_tools=tools,
        config=ConversationInitiationData(dynamic_variables=kw.get("variables", VARS)),
        callback_agent_response=lambda t: events.setdefault("agent", []).append(t),
        callback_user_transcript=lambda t: events.setdefault("user", []).append(t),
        callback_latency_measurement=lambda ms: events.setdefault("ping", []).append(ms),
        callback_disconnect=lambda d: events.setdefault("disconnect", []).append(d),
    )


def _disconnect_details(events: dict):  # type: ignore[no-untyped-def]
    """The one DisconnectionDetails. The SDK may call `callback_disconnect` from the audio thread (a failed send)
    while its session thread has already returned from `wait_for_session_end`, so wait for it briefly."""
    deadline = time.monotonic() + 5
    while "disconnect" not in events and time.monotonic() < deadline:
        time.sleep(0.01)
    (details,) = events["disconnect"]
    return details


def test_official_sdk_completes_a_session(elevenlabs_server: FakeElevenLabs) -> None:
    fake = elevenlabs_server
    fake.behaviour.user_transcripts = ["I build backend services."]
    fake.behaviour.ping_interval_s = 0.2
    audio, events = ScriptedAudio(), {}
    conv = _conversation(fake, audio, events)
    conv.start_session()
    conn = fake.wait_connection(1)
    assert conn.query["conversation_signature"].startswith("sig_")
    assert conn.init["dynamic_variables"] == VARS
    assert conn.init["type"] == "conversation_initiation_client_data"
    assert conn.wait(lambda: "user" in events and len(events.get("agent", [])) >= 2)
    assert events["user"] == ["I build backend services."]
    assert events["agent"][0] == "Hello, welcome to your interview."
    conn.tool_call("note", {"topic": "python"})
    assert conn.wait(lambda: bool(conn.tool_results))
    assert conn.tool_results[0]["result"] == "noted python" and conn.tool_results[0]["is_error"] is False
    assert conn.wait(lambda: len(conn.pongs) >= 2)
    conn.interrupt(stale_audio_s=0.2)
    assert conn.wait(lambda: audio.interrupts == 1)
    n_out = len(audio.output_chunks)
    conn.close(1000, "agent ended the call")
    assert conv.wait_for_session_end() == conn.conversation_id
    # the stale audio after the interruption was dropped by the SDK
    assert len(audio.output_chunks) == n_out
    assert all(rms_dbfs(c) > -30 for c in audio.output_chunks)
    details = _disconnect_details(events)
    assert details.reason == "agent" and details.close_code == 1000
    assert rms_dbfs(conn.user_audio()[: 16000]) > -30  # the scripted speech arrived
    assert audio.stopped.is_set()

    from elevenlabs.client import ElevenLabs

    client = ElevenLabs(api_key=API_KEY, base_url=fake.base_url)
    first = client.conversational_ai.conversations.get(conn.conversation_id)
    assert first.status == "processing"
    done = client.conversational_ai.conversations.get(conn.conversation_id)
    assert done.status == "done"
    assert [(t.role, t.message) for t in done.transcript] == [
        ("agent", "Hello, welcome to your interview."), ("user", "I build backend services."),
        ("agent", "Thank you. Reply number 1.")]


@pytest.mark.parametrize(("variables", "error_type"), [
    ({k: v for k, v in VARS.items() if k != "skills"}, "missing_dynamic_variable"),
])
def test_missing_dynamic_variable_closes_1008(elevenlabs_server: FakeElevenLabs, variables, error_type) -> None:
    audio, events = ScriptedAudio(), {}
    conv = _conversation(elevenlabs_server, audio, events, variables=variables)
    conv.start_session()
    conv.wait_for_session_end()
    details = _disconnect_details(events)
    assert details.reason == "error" and details.close_code == 1008
    assert "skills" in details.close_reason
    assert elevenlabs_server.connections[0].sent[-1]["error_event"]["error_type"] == error_type


def test_drop_is_1006_and_rest_errors(elevenlabs_server: FakeElevenLabs) -> None:
    from elevenlabs.client import ElevenLabs
    from elevenlabs.core.api_error import ApiError

    audio, events = ScriptedAudio(), {}
    conv = _conversation(elevenlabs_server, audio, events)
    conv.start_session()
    conn = elevenlabs_server.wait_connection(1)
    conn.drop()
    conv.wait_for_session_end()
    details = _disconnect_details(events)
    assert details.reason == "error" and details.close_code == 1006
    bad = ElevenLabs(api_key="wrong", base_url=elevenlabs_server.base_url)
    with pytest.raises(ApiError) as err:
        bad.conversational_ai.conversations.get_signed_url(agent_id=DEFAULT_AGENT)
    assert err.value.status_code == 401
