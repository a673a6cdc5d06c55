"""A faithful fake of the ElevenLabs Agents platform on 127.0.0.1, for tests and benchmarks.

Two ports, started in background threads by `FakeElevenLabs` (a context manager; `elevenlabs_server` is the
pytest fixture):

* REST (``http.server``) at `base_url` - what ``ElevenLabs(base_url=...)`` calls:
  - ``GET  /v1/convai/conversation/get-signed-url?agent_id=`` → ``{"signed_url": "ws://127.0.0.1:<ws>/..."}``
    (checks ``xi-api-key``; 401 otherwise, 404 for an unknown agent);
  - ``GET  /v1/convai/conversations/{id}`` → the conversation: ``in-progress`` while the socket is open, then
    ``processing`` for `Behaviour.processing_polls` polls, then ``done`` (or ``failed``; or stuck in
    ``processing`` for ids in `stuck`), with the transcript the fake agent and fake ASR produced;
  - ``POST /v1/convai/agents/create`` and ``GET /v1/convai/agents/{id}``.
* Websocket (``websockets.sync.server``) speaking the Agents protocol as the 2.78.0 SDK expects (research §2):
  reads ``conversation_initiation_client_data``, enforces the agent's ``{{placeholders}}`` (missing → ``error``
  event + close 1008 ``missing_dynamic_variable``) and its override permissions (→ 1008 ``override_error``),
  sends ``conversation_initiation_metadata`` once, pings (``ping_ms`` null first, pongs expected), the first
  message as ``agent_response`` + ``audio`` chunks with event ids, and runs a scripted agent: an energy VAD on
  the received ``user_audio_chunk`` stream; at the end of each user utterance it sends ``user_transcript`` and
  an ``agent_response`` with audio. Tests drive a live `FakeConnection` directly: `send_agent`, `interrupt`
  (plus stale audio with the interrupted id), `tool_call`, `close(code)`, `drop()` (TCP reset, no close frame),
  and `Behaviour.latency_s` delays every server frame.

Everything received is recorded on the `FakeConnection` (initiation data, each audio chunk with its arrival
time on ``time.monotonic()``, pongs, tool results, user messages, the client's close code).
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import math
import queue
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

RATE = 16_000
API_KEY = "sk_test_fake_key"
DEFAULT_AGENT = "agent_interviewer_test"
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")


def tone(seconds: float, freq: float = 440.0, amplitude: int = 8000) -> bytes:
    """A sine tone as 16 kHz s16le mono (the fake agent's "voice")."""
    n = int(RATE * seconds)
    return b"".join(
        int(amplitude * math.sin(2 * math.pi * freq * i / RATE)).to_bytes(2, "little", signed=True) for i in range(n)
    )


def rms_dbfs(pcm: bytes) -> float:
    n = len(pcm) // 2
    if not n:
        return -120.0
    samples = memoryview(pcm[: n * 2]).cast("h")
    power = sum(s * s for s in samples) / n
    return 10 * math.log10(power / (32768.0**2)) if power > 0 else -120.0


def default_agent_config() -> dict[str, Any]:
    """An interviewer agent as `interview agent create` provisions it (placeholders enforced by the socket)."""
    return {
        "name": "Mock interviewer",
        "conversation_config": {
            "agent": {
                "first_message": "Hello {{candidate_name}}, welcome to your {{level}} {{track}} interview.",
                "language": "en",
                "prompt": {"prompt": "Ask these questions one by one: {{questions}}. Skills: {{skills}}.",
                           "built_in_tools": {"end_call": {"name": "end_call", "params": {"system_tool_type":
                                                                                          "end_call"}}}},
            },
            "tts": {"agent_output_audio_format": "pcm_16000"},
            "asr": {"user_input_audio_format": "pcm_16000"},
            "turn": {"turn_timeout": 20, "turn_eagerness": "patient"},
            "conversation": {"max_duration_seconds": 1200},
        },
        "platform_settings": {
            "auth": {"enable_auth": True},
            "overrides": {"conversation_config_override": {"agent": {"first_message": True}}},
        },
    }


@dataclass
class Behaviour:
    """How new connections behave (mutate between connections)."""

    first_message: str | None = "Hello, welcome to your interview."
    first_audio_s: float = 0.3
    reply_on_turn: bool = True
    user_transcripts: list[str] = field(default_factory=list)
    agent_replies: list[str] = field(default_factory=list)
    reply_audio_s: float = 0.3
    latency_s: float = 0.0
    ping_interval_s: float = 1.0
    vad_threshold_dbfs: float = -45.0
    min_speech_s: float = 0.25
    end_silence_s: float = 0.5
    processing_polls: int = 1
    close_after_metadata: tuple[int, str] | None = None


@dataclass
class ConversationRecord:
    conversation_id: str
    agent_id: str
    start_unix: float
    turns: list[dict[str, Any]] = field(default_factory=list)
    open: bool = True
    polls: int = 0
    termination_reason: str = ""


class FakeConnection:
    """One websocket conversation, as the server saw it. Control methods are safe from any thread."""

    def __init__(self, server: FakeElevenLabs, ws: Any, record: ConversationRecord, query: dict[str, str]) -> None:
        self.server = server
        self.ws = ws
        self.record = record
        self.query = query
        self.conversation_id = record.conversation_id
        self.behaviour = server.behaviour
        self.init: dict[str, Any] | None = None
        self.chunks: list[tuple[float, bytes]] = []
        self.messages: list[dict[str, Any]] = []
        self.sent: list[dict[str, Any]] = []
        self.pongs: list[int] = []
        self.tool_results: list[dict[str, Any]] = []
        self.client_close_code: int | None = None
        self.closed = threading.Event()
        self.opened_mono = time.monotonic()
        self._commands: queue.Queue[Callable[[], None]] = queue.Queue()
        self._event_ids = itertools.count(1)
        self.last_event_id = 0
        self._transcripts = iter(self.behaviour.user_transcripts)
        self._replies = iter(self.behaviour.agent_replies)
        self._turn_no = 0

    # ------------------------------------------------------------------ recorded data
    def user_audio(self) -> bytes:
        return b"".join(b for _, b in list(self.chunks))

    def t(self) -> float:
        return time.monotonic() - self.opened_mono

    def wait(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.01)
        return predicate()

    # ------------------------------------------------------------------ control (queued to the handler thread)
    def send_agent(self, text: str, audio_s: float | None = None, pcm: bytes | None = None) -> None:
        self._commands.put(lambda: self._agent_says(text, tone(audio_s or 0.3) if pcm is None else pcm))

    def interrupt(self, stale_audio_s: float = 0.2) -> None:
        def run() -> None:
            eid = self.last_event_id
            self._send({"type": "interruption", "interruption_event": {"event_id": eid}})
            if stale_audio_s:  # audio the SDK must drop: its id is not newer than the interruption's
                self._send_audio(tone(stale_audio_s, 660), eid)
        self._commands.put(run)

    def tool_call(self, name: str, parameters: dict[str, Any], call_id: str = "call_1") -> None:
        self._commands.put(lambda: self._send({"type": "client_tool_call", "client_tool_call": {
            "tool_name": name, "tool_call_id": call_id, "parameters": parameters,
            "event_id": next(self._event_ids)}}))

    def send_raw(self, message: dict[str, Any]) -> None:
        self._commands.put(lambda: self._send(message))

    def close(self, code: int = 1000, reason: str = "agent ended the call", error_type: str | None = None) -> None:
        self._commands.put(lambda: self._close(code, reason, error_type))

    def drop(self) -> None:
        """Cut the TCP connection without a close frame (the client sees 1006)."""
        self._commands.put(self._drop)

    # ------------------------------------------------------------------ internals (handler thread)
    def _send(self, message: dict[str, Any]) -> None:
        if self.behaviour.latency_s:
            time.sleep(self.behaviour.latency_s)
        self.sent.append(message)
        self.ws.send(json.dumps(message))

    def _send_audio(self, pcm: bytes, event_id: int, chunk_s: float = 0.1) -> None:
        step = int(RATE * chunk_s) * 2
        for i in range(0, len(pcm), step):
            self._send({"type": "audio", "audio_event": {
                "audio_base_64": base64.b64encode(pcm[i:i + step]).decode(), "event_id": event_id}})

    def _agent_says(self, text: str, pcm: bytes) -> None:
        eid = next(self._event_ids)
        self.last_event_id = eid
        self.record.turns.append({"role": "agent", "message": text, "time_in_call_secs": int(self.t())})
        self._send({"type": "agent_response", "agent_response_event": {"agent_response": text, "event_id": eid}})
        self._send_audio(pcm, eid)

    def _user_turn_ended(self) -> None:
        self._turn_no += 1
        text = next(self._transcripts, f"User answer number {self._turn_no}.")
        eid = next(self._event_ids)
        self.record.turns.append({"role": "user", "message": text, "time_in_call_secs": int(self.t())})
        self._send({"type": "user_transcript", "user_transcription_event": {"user_transcript": text,
                                                                              "event_id": eid}})
        if self.behaviour.reply_on_turn:
            reply = next(self._replies, f"Thank you. Reply number {self._turn_no}.")
            self._agent_says(reply, tone(self.behaviour.reply_audio_s, 523))

    def _close(self, code: int, reason: str, error_type: str | None = None) -> None:
        if code != 1000:
            self._send({"type": "error", "error_event": {"code": code, "message": reason,
                                                         "error_type": error_type or "internal_error",
                                                         "reason": None, "debug_message": None, "details": None}})
        self.record.termination_reason = reason
        self.ws.close(code, reason)
        raise _Finished

    def _drop(self) -> None:
        self.record.termination_reason = "connection dropped"
        with contextlib.suppress(OSError):
            self.ws.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.ws.socket.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            self.ws.socket.close()
        raise _Finished

    def _check_init(self, init: dict[str, Any]) -> None:
        agent = self.server.agents.get(self.record.agent_id)
        if agent is None:
            self._close(1008, f"Agent {self.record.agent_id} not found", "invalid_agent")
        if init.get("type") != "conversation_initiation_client_data":
            self._close(1008, "Expected conversation_initiation_client_data", "invalid_message")
        cfg = agent["conversation_config"]["agent"]
        text = json.dumps([cfg.get("first_message", ""), cfg.get("prompt", {}).get("prompt", "")])
        provided = init.get("dynamic_variables") or {}
        defaults = cfg.get("dynamic_variables", {}).get("dynamic_variable_placeholders", {})
        for name in _PLACEHOLDER.findall(text):
            if not name.startswith("system__") and name not in provided and name not in defaults:
                self._close(1008, f"Missing required dynamic variables: {name}", "missing_dynamic_variable")
            if name in provided and isinstance(provided[name], (list, dict)):
                self._close(1008, f"Dynamic variable {name} must be a scalar", "value_error")
        allowed = agent.get("platform_settings", {}).get("overrides", {}).get("conversation_config_override", {})
        override = init.get("conversation_config_override") or {}
        for key in (override.get("agent") or {}):
            if not (allowed.get("agent") or {}).get(key):
                self._close(1008, f"Override for field '{key}' is not allowed by config.", "override_error")

    def _handle(self, msg: dict[str, Any], vad: _Vad) -> None:
        if "user_audio_chunk" in msg:
            pcm = base64.b64decode(msg["user_audio_chunk"])
            self.chunks.append((time.monotonic(), pcm))
            if vad.push(pcm):
                self._user_turn_ended()
            return
        self.messages.append(msg)
        kind = msg.get("type")
        if kind == "pong":
            self.pongs.append(int(msg["event_id"]))
        elif kind == "client_tool_result":
            self.tool_results.append(msg)
        elif kind == "user_message":
            self.record.turns.append({"role": "user", "message": msg["text"], "time_in_call_secs": int(self.t())})

    def run(self) -> None:
        from websockets.exceptions import ConnectionClosed

        b = self.behaviour
        vad = _Vad(b.vad_threshold_dbfs, b.min_speech_s, b.end_silence_s)
        try:
            self.init = json.loads(self.ws.recv(timeout=10))
            self.messages.append(self.init)
            self._check_init(self.init)
            self._send({"type": "conversation_initiation_metadata", "conversation_initiation_metadata_event": {
                "conversation_id": self.conversation_id, "agent_output_audio_format": "pcm_16000",
                "user_input_audio_format": "pcm_16000"}})
            if b.close_after_metadata:
                self._close(*b.close_after_metadata)
            ping_id = itertools.count(1)
            self._send({"type": "ping", "ping_event": {"event_id": next(ping_id), "ping_ms": None}})
            if b.first_message:
                self._agent_says(b.first_message, tone(b.first_audio_s))
            next_ping = time.monotonic() + b.ping_interval_s
            while True:
                while True:
                    try:
                        self._commands.get_nowait()()
                    except queue.Empty:
                        break
                if time.monotonic() >= next_ping:
                    self._send({"type": "ping", "ping_event": {"event_id": next(ping_id), "ping_ms": 20}})
                    next_ping = time.monotonic() + b.ping_interval_s
                try:
                    raw = self.ws.recv(timeout=0.02)
                except TimeoutError:
                    continue
                self._handle(json.loads(raw), vad)
        except _Finished:
            pass
        except ConnectionClosed as err:
            self.client_close_code = err.rcvd.code if err.rcvd else None
        finally:
            self.record.open = False
            self.closed.set()


class _Finished(Exception):
    """The server side ended the conversation."""


class _Vad:
    """Energy VAD: True once at the end of each utterance (speech ≥ min_speech_s, then end_silence_s quiet)."""

    def __init__(self, threshold_dbfs: float, min_speech_s: float, end_silence_s: float) -> None:
        self.threshold, self.min_speech, self.end_silence = threshold_dbfs, min_speech_s, end_silence_s
        self.speech = 0.0
        self.silence = 0.0

    def push(self, pcm: bytes) -> bool:
        dur = len(pcm) / 2 / RATE
        if rms_dbfs(pcm) > self.threshold:
            self.speech += dur
            self.silence = 0.0
            return False
        self.silence += dur
        if self.speech >= self.min_speech and self.silence >= self.end_silence:
            self.speech = 0.0
            return True
        if self.silence >= self.end_silence:
            self.speech = 0.0
        return False


class FakeElevenLabs:
    """REST + websocket fake; see the module docstring. Use as a context manager."""

    def __init__(self, api_key: str = API_KEY) -> None:
        self.api_key = api_key
        self.behaviour = Behaviour()
        self.agents: dict[str, dict[str, Any]] = {DEFAULT_AGENT: default_agent_config()}
        self.conversations: dict[str, ConversationRecord] = {}
        self.connections: list[FakeConnection] = []
        self.rest_requests: list[tuple[str, str, dict[str, Any] | None]] = []
        self.stuck: set[str] = set()
        self.failed: set[str] = set()
        self._signatures: dict[str, str] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._http: ThreadingHTTPServer | None = None
        self._ws_server: Any = None

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> FakeElevenLabs:
        from websockets.sync.server import serve

        self._ws_server = serve(self._ws_handler, "127.0.0.1", 0, process_request=self._ws_process_request,
                                max_size=16 * 1024 * 1024, ping_interval=None)
        threading.Thread(target=self._ws_server.serve_forever, name="fake-11l-ws", daemon=True).start()
        handler = type("Handler", (_RestHandler,), {"fake": self})
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._http.daemon_threads = True
        threading.Thread(target=self._http.serve_forever, name="fake-11l-rest", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._http:
            self._http.shutdown()
            self._http.server_close()
        if self._ws_server:
            self._ws_server.shutdown()

    def __enter__(self) -> FakeElevenLabs:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._http is not None
        return f"http://127.0.0.1:{self._http.server_address[1]}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self._ws_server.socket.getsockname()[1]}"

    # ------------------------------------------------------------------ helpers for tests
    def wait_connection(self, n: int = 1, timeout: float = 10.0) -> FakeConnection:
        """The n-th (1-based) connection once it has received its initiation message."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.connections) >= n and self.connections[n - 1].init is not None:
                    return self.connections[n - 1]
            time.sleep(0.01)
        raise AssertionError(f"no connection #{n} within {timeout} s (have {len(self.connections)})")

    def signed_url(self, agent_id: str) -> str:
        sig = f"sig_{next(self._ids)}"
        self._signatures[sig] = agent_id
        return f"{self.ws_url}/v1/convai/conversation?agent_id={agent_id}&conversation_signature={sig}"

    # ------------------------------------------------------------------ websocket
    def _ws_process_request(self, connection: Any, request: Any) -> Any:
        parts = urlsplit(request.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if parts.path != "/v1/convai/conversation":
            return connection.respond(HTTPStatus.NOT_FOUND, "Not found\n")
        agent = self.agents.get(query.get("agent_id", ""))
        needs_auth = bool(agent and agent.get("platform_settings", {}).get("auth", {}).get("enable_auth"))
        if needs_auth and self._signatures.get(query.get("conversation_signature", "")) != query.get("agent_id"):
            return connection.respond(HTTPStatus.FORBIDDEN, "Invalid or missing conversation signature\n")
        return None

    def _ws_handler(self, ws: Any) -> None:
        parts = urlsplit(ws.request.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        with self._lock:
            cid = f"conv_fake_{next(self._ids)}"
            record = ConversationRecord(cid, query.get("agent_id", ""), time.time())
            self.conversations[cid] = record
            conn = FakeConnection(self, ws, record, query)
            self.connections.append(conn)
        conn.run()

    # ------------------------------------------------------------------ REST
    def conversation_json(self, cid: str) -> dict[str, Any] | None:
        rec = self.conversations.get(cid)
        if rec is None:
            return None
        if rec.open:
            status = "in-progress"
        elif cid in self.failed:
            status = "failed"
        elif cid in self.stuck or rec.polls < self.behaviour.processing_polls:
            status = "processing"
        else:
            status = "done"
        if not rec.open:
            rec.polls += 1
        return {
            "agent_id": rec.agent_id, "conversation_id": cid, "status": status, "user_id": None,
            "transcript": [dict(t) for t in rec.turns] if status == "done" else [],
            "metadata": {"start_time_unix_secs": int(rec.start_unix), "call_duration_secs": 0,
                         "termination_reason": rec.termination_reason},
            "analysis": None, "has_audio": False, "has_user_audio": False, "has_response_audio": False,
            "has_auxiliary_audio": False,
        }


class _RestHandler(BaseHTTPRequestHandler):
    fake: FakeElevenLabs
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _reply(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _authorised(self) -> bool:
        if self.headers.get("xi-api-key") == self.fake.api_key:
            return True
        self._reply(401, {"detail": {"status": "invalid_api_key", "message": "Invalid API key"}})
        return False

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.fake.rest_requests.append(("GET", parts.path, query))
        if not self._authorised():
            return
        if parts.path in ("/v1/convai/conversation/get-signed-url", "/v1/convai/conversation/get_signed_url"):
            agent_id = query.get("agent_id", "")
            if agent_id not in self.fake.agents:
                return self._reply(404, {"detail": {"status": "agent_not_found", "message": "Agent not found"}})
            return self._reply(200, {"signed_url": self.fake.signed_url(agent_id)})
        if m := re.fullmatch(r"/v1/convai/conversations/([^/]+)", parts.path):
            body = self.fake.conversation_json(m.group(1))
            if body is None:
                return self._reply(404, {"detail": {"status": "conversation_not_found", "message": "Not found"}})
            return self._reply(200, body)
        if m := re.fullmatch(r"/v1/convai/agents/([^/]+)", parts.path):
            agent = self.fake.agents.get(m.group(1))
            if agent is None:
                return self._reply(404, {"detail": {"status": "agent_not_found", "message": "Agent not found"}})
            now = int(time.time())
            return self._reply(200, {"agent_id": m.group(1), "name": agent.get("name", ""),
                                     "conversation_config": agent["conversation_config"],
                                     "platform_settings": agent.get("platform_settings", {}),
                                     "metadata": {"created_at_unix_secs": now, "updated_at_unix_secs": now},
                                     "tags": []})
        self._reply(404, {"detail": "Not Found"})

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            return self._reply(422, {"detail": "Invalid JSON body"})
        self.fake.rest_requests.append(("POST", parts.path, body))
        if not self._authorised():
            return
        if parts.path == "/v1/convai/agents/create":
            if "conversation_config" not in body:
                return self._reply(422, {"detail": [{"loc": ["body", "conversation_config"],
                                                     "msg": "Field required", "type": "missing"}]})
            agent_id = f"agent_{next(self.fake._ids)}"
            self.fake.agents[agent_id] = body
            return self._reply(200, {"agent_id": agent_id})
        self._reply(404, {"detail": "Not Found"})


@pytest.fixture
def elevenlabs_server() -> Iterator[FakeElevenLabs]:
    """A running fake ElevenLabs platform (fresh per test)."""
    with FakeElevenLabs() as fake:
        yield fake
