"""A faithful fake of the Gemini Developer API's REST endpoints, for tests and benchmarks (no pytest needed).

It speaks what google-genai 3.x really sends and parses (see research/genai.md, genai-sdk.md §2):

- `POST /{v1|v1beta|v1alpha}/models/{model}:generateContent` with the key in `x-goog-api-key` (or `?key=`);
  a wrong key gets the real 400 INVALID_ARGUMENT / API_KEY_INVALID body. The request must carry `contents`,
  `generationConfig.responseMimeType == "application/json"` and a `responseSchema`/`responseJsonSchema`
  (camelCase or snake_case, as the real proto-JSON parser accepts both), and a thinking config the model
  family accepts; otherwise a 400 like the real one.
- `GET /{version}/models/{model}` → the model resource, 404 NOT_FOUND for unknown models.
- Every request is recorded (`requests`). Scripted replies (`enqueue(Reply.…)`) are consumed in order by
  generateContent calls; with the queue empty it answers by itself from the request's schema (`schema_fill`):
  a plan built from the JD's keywords, an analysis quoting the candidate's real words from the request's
  transcript; `Reply.arbitrary(seed)` fills the schema with any valid values instead. `set_latency` makes
  every answer take as long as a model would (a fixed wait plus decoding time per output token).

    server = FakeGeminiServer().start()
    server.enqueue(Reply.error(429), Reply.ok())       # 429, then the default answer
    ... Settings(gemini_base_url=server.url, gemini_api_key=Secret(server.api_key)) ...
    server.stop()
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.schema_fill import SchemaFiller, candidate_quotes

DEFAULT_KEY = "fake-gemini-key-0123456789"
KNOWN_MODELS = ("gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-3.1-pro-preview",
                "gemini-3.5-flash", "gemini-3.8-flash", "gemini-4-argon")

_ROUTE = re.compile(r"^/(?:[^/]+/)*?(v1|v1beta|v1alpha)/models/([^/:]+)(?::([A-Za-z]+))?$")

# ------------------------------------------------------------------------------------- real error bodies

_ERRORS: dict[int, tuple[str, str]] = {
    400: ("INVALID_ARGUMENT", "Request contains an invalid argument."),
    401: ("UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, "
                             "login cookie or other valid authentication credential."),
    403: ("PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established "
                               "identity). Please use API Key or other form of API consumer identity to call "
                               "this API."),
    404: ("NOT_FOUND", "Requested entity was not found."),
    429: ("RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details. "
                                "For more information on this error, head to: "
                                "https://ai.google.dev/gemini-api/docs/rate-limits."),
    500: ("INTERNAL", "An internal error has occurred. Please retry or report in "
                      "https://developers.generativeai.google/guide/troubleshooting"),
    503: ("UNAVAILABLE", "The model is overloaded. Please try again later."),
    504: ("DEADLINE_EXCEEDED", "The request timed out. Please try again."),
}


def error_body(code: int, message: str | None = None, status: str | None = None,
               details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The Google API error envelope."""
    default_status, default_message = _ERRORS.get(code, ("UNKNOWN", "Unknown error."))
    body: dict[str, Any] = {"code": code, "message": message or default_message,
                            "status": status or default_status}
    if details is not None:
        body["details"] = details
    return {"error": body}


def bad_key_body() -> dict[str, Any]:
    message = "API key not valid. Please pass a valid API key."
    return error_body(400, message, "INVALID_ARGUMENT", [
        {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
         "domain": "googleapis.com", "metadata": {"service": "generativelanguage.googleapis.com"}},
        {"@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US", "message": message}])


def quota_body(retry_delay_s: int = 1) -> dict[str, Any]:
    return error_body(429, details=[
        {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [{
            "quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
            "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier", "quotaValue": "10"}]},
        {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": f"{retry_delay_s}s"}])


def not_found_body(model: str, version: str) -> dict[str, Any]:
    return error_body(404, f"models/{model} is not found for API version {version}, or is not supported for "
                           "generateContent. Call ListModels to see the list of available models and their "
                           "supported methods.")


# --------------------------------------------------------------------------------------------- replies


@dataclass(frozen=True)
class Reply:
    """One scripted answer. Build with the class methods."""

    kind: str
    status: int = 200
    body: Any = None
    answer_text: str | None = None
    finish_reason: str = "STOP"
    delay_s: float = 0.0
    seed: int | None = None

    @classmethod
    def ok(cls) -> Reply:
        """The default answer derived from the request's schema, with plausible content (see `default_answer`)."""
        return cls("default")

    @classmethod
    def arbitrary(cls, seed: int) -> Reply:
        """ANY answer the request's schema allows (random enums, booleans, strings, optional parts left out),
        reproducible from `seed`."""
        return cls("arbitrary", seed=seed)

    @classmethod
    def answer(cls, obj: Any, finish_reason: str = "STOP") -> Reply:
        """A 200 answer whose text is `obj` serialised as JSON."""
        return cls("text", answer_text=json.dumps(obj), finish_reason=finish_reason)

    @classmethod
    def text(cls, text: str, finish_reason: str = "STOP") -> Reply:
        """A 200 answer with this exact text (e.g. malformed JSON)."""
        return cls("text", answer_text=text, finish_reason=finish_reason)

    @classmethod
    def malformed(cls) -> Reply:
        """Broken JSON with finishReason STOP."""
        return cls("text", answer_text='{"questions": [{"text": "Tell me about yourself", "kind": ')

    @classmethod
    def truncated(cls) -> Reply:
        """The default answer cut in half, with finishReason MAX_TOKENS."""
        return cls("truncated", finish_reason="MAX_TOKENS")

    @classmethod
    def error(cls, code: int, message: str | None = None) -> Reply:
        if code == 429:
            return cls("raw", status=429, body=quota_body())
        return cls("raw", status=code, body=error_body(code, message))

    @classmethod
    def bad_key(cls) -> Reply:
        return cls("raw", status=400, body=bad_key_body())

    @classmethod
    def blocked(cls, reason: str = "SAFETY") -> Reply:
        """promptFeedback.blockReason, no candidates."""
        return cls("raw", status=200, body={
            "promptFeedback": {"blockReason": reason, "safetyRatings": [
                {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": True}]},
            "usageMetadata": {"promptTokenCount": 120, "totalTokenCount": 120}, "modelVersion": "{model}"})

    @classmethod
    def empty(cls) -> Reply:
        """"candidates": [] — seen in the wild."""
        return cls("raw", status=200, body={"candidates": [], "usageMetadata": {"promptTokenCount": 120,
                                                                                "totalTokenCount": 120},
                                            "modelVersion": "{model}"})

    @classmethod
    def slow(cls, delay_s: float) -> Reply:
        """Wait `delay_s` (past the client's timeout), then send the default answer."""
        return cls("default", delay_s=delay_s)

    @classmethod
    def raw(cls, status: int, body: Any) -> Reply:
        """Any status with any JSON body (or a str body sent as-is)."""
        return cls("raw", status=status, body=body)


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    api_version: str | None = None
    model: str | None = None
    action: str | None = None
    reply: str = ""
    status: int = 0
    answer_chars: int = 0
    """Length of the answer's JSON text (200 answers with a candidate)."""

    @property
    def contents_text(self) -> str:
        """All text parts of `contents`, joined."""
        out = []
        for content in (self.body or {}).get("contents", []) if isinstance(self.body, dict) else []:
            for part in content.get("parts", []):
                if isinstance(part.get("text"), str):
                    out.append(part["text"])
        return "\n".join(out)

    @property
    def system_text(self) -> str:
        body = self.body if isinstance(self.body, dict) else {}
        system = body.get("systemInstruction") or body.get("system_instruction") or {}
        return "\n".join(p.get("text", "") for p in system.get("parts", []))

    @property
    def generation_config(self) -> dict[str, Any]:
        body = self.body if isinstance(self.body, dict) else {}
        return body.get("generationConfig") or body.get("generation_config") or {}

    @property
    def schema(self) -> dict[str, Any] | None:
        return _pick(self.generation_config, "responseSchema", "response_schema", "responseJsonSchema",
                     "response_json_schema")


def _pick(mapping: dict[str, Any], *names: str) -> Any:
    for name in names:
        if name in mapping:
            return mapping[name]
    return None


# --------------------------------------------------------------------------------------- default answers

_STOPWORDS = """a an and are as at be by for from has have in is it of on or our the to we will with you your
this that who what how can able about into per plus than more most such their they them these those using
ability work working experience years year role team strong skills skill including across within new our
join looking help build building make must should would nice bonus preferred required requirements
responsibilities responsibility knowledge understanding good great excellent solid familiarity proven
track record environment company senior junior engineer engineers developer backend frontend lead mid
principal staff intern manager candidate ideal etc also other all any each both well while when where"""
_STOP = frozenset(_STOPWORDS.split())


def _keywords(text: str, limit: int = 8) -> list[str]:
    tokens = re.findall(r"[A-Za-z][A-Za-z0-9+#.\-]{1,30}", text)
    counts: Counter[str] = Counter()
    first_form: dict[str, str] = {}
    for token in tokens:
        token = token.strip(".-")
        low = token.lower()
        if len(low) < 3 or low in _STOP or low.startswith(("job_description", "ignore")):
            continue
        counts[low] += 2 if token[:1].isupper() else 1
        first_form.setdefault(low, token)
    return [first_form[w] for w, _ in counts.most_common(limit)]


_DATA_BLOCK = re.compile(r"<<<[A-Z_]+\n(.*)\n[A-Z_]+>>>", re.S)


def default_plan(request_text: str) -> dict[str, Any]:
    """A valid WirePlan-shaped answer built from the JD's keywords (inside the data block when there is one)."""
    block = _DATA_BLOCK.search(request_text)
    request_text = block.group(1) if block else request_text
    skills = _keywords(request_text) or ["communication", "problem solving", "teamwork", "ownership"]
    while len(skills) < 4:
        skills.append(["communication", "problem solving", "teamwork", "ownership"][len(skills)])
    kinds = ["behavioural", "technical", "technical", "situational", "technical", "behavioural"]
    questions = [{"text": "Walk me through your background and what draws you to this role.",
                  "kind": "behavioural", "skill": skills[0]}]
    for i, skill in enumerate(skills[:6]):
        kind = kinds[i % len(kinds)]
        if kind == "technical":
            text = f"How have you used {skill} in a real project, and what trade-offs did you make?"
        elif kind == "situational":
            text = f"Imagine a production problem involving {skill} at 5 pm on a Friday. What do you do?"
        else:
            text = f"Tell me about a time you had to learn or apply {skill} under pressure."
        questions.append({"text": text, "kind": kind, "skill": skill})
    low = request_text.lower()
    level = next((lv for lv in ("principal", "staff", "senior", "junior", "intern") if lv in low), "mid")
    track = next((t for t, words in (("ml", ("machine learning", "pytorch")), ("frontend", ("react", "css")),
                                     ("data-engineering", ("spark", "airflow")),
                                     ("backend", ("backend", "api", "python", "java", "go ")),
                                     ("devops", ("kubernetes",)))
                  if any(w in low for w in words)), "general")
    return {"role_title": "Software Engineer" if track != "general" else "Specialist",
            "experience_level": level, "domain_track": track, "detected_skills": skills,
            "questions": questions[:8]}


def _schema_props(schema: Any) -> set[str]:
    if not isinstance(schema, dict):
        return set()
    return set((schema.get("properties") or {}).keys())


# ------------------------------------------------------------------------------------------------ server


@dataclass
class _State:
    api_key: str
    models: set[str]
    queue: list[Reply] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    model_version: str | None = None
    latency_s: float = 0.0
    latency_per_token_s: float = 0.0
    latency_per_input_token_s: float = 0.0
    verbosity: int = 0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # silence stderr
        return

    # -- plumbing
    def _send(self, status: int, body: Any, record: RecordedRequest | None, reply: str) -> None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        if record is not None:
            record.status, record.reply = status, reply
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _record(self, body: Any, match: re.Match[str] | None) -> RecordedRequest:
        record = RecordedRequest(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        if match:
            record.api_version, record.model, record.action = match.group(1), match.group(2), match.group(3)
        with self.server.state.lock:
            self.server.state.requests.append(record)
        return record

    def _key_ok(self) -> bool:
        key = self.headers.get("x-goog-api-key") or parse_qs(urlsplit(self.path).query).get("key", [""])[0]
        return key == self.server.state.api_key

    # -- routes
    def do_GET(self) -> None:
        match = _ROUTE.match(urlsplit(self.path).path)
        record = self._record(None, match)
        if not self._key_ok():
            return self._send(400, bad_key_body(), record, "bad_key")
        if not match or match.group(3):
            return self._send(404, error_body(404), record, "not_found")
        model = match.group(2)
        if model not in self.server.state.models:
            return self._send(404, error_body(404, f"models/{model} is not found for API version "
                                                   f"{match.group(1)}."), record, "not_found")
        return self._send(200, {
            "name": f"models/{model}", "version": "001", "displayName": model, "description": "Fake model.",
            "inputTokenLimit": 1048576, "outputTokenLimit": 65536,
            "supportedGenerationMethods": ["generateContent", "countTokens"], "thinking": True}, record, "model")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        match = _ROUTE.match(urlsplit(self.path).path)
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = None
        record = self._record(body, match)
        if not self._key_ok():
            return self._send(400, bad_key_body(), record, "bad_key")
        if not match or match.group(3) != "generateContent":
            return self._send(404, error_body(404, "Not found."), record, "not_found")
        model = match.group(2)
        if model not in self.server.state.models:
            return self._send(404, not_found_body(model, match.group(1)), record, "not_found")
        problem = _shape_problem(body, model)
        if problem:
            return self._send(400, error_body(400, problem), record, "bad_request")
        with self.server.state.lock:
            reply = self.server.state.queue.pop(0) if self.server.state.queue else Reply.ok()
        if reply.delay_s and self.server.state.stopping.wait(reply.delay_s):
            return None
        self._answer(reply, record, model)
        return None

    def _answer(self, reply: Reply, record: RecordedRequest, model: str) -> None:
        version = self.server.state.model_version or model
        if reply.kind == "raw":
            body = reply.body
            if isinstance(body, dict) and body.get("modelVersion") == "{model}":
                body = {**body, "modelVersion": version}
            return self._send(reply.status, body, record, f"raw {reply.status}")
        if reply.kind == "text":
            text = reply.answer_text or ""
        else:  # default or arbitrary: from the request's schema
            text = json.dumps(default_answer(record, reply.seed, self.server.state.verbosity))
            if reply.kind == "truncated":
                text = text[: len(text) // 2]
        record.answer_chars = len(text)
        state = self.server.state
        if state.latency_s or state.latency_per_token_s:  # like a model: fixed, prefill and decoding time
            time.sleep(state.latency_s + state.latency_per_input_token_s * len(record.contents_text) / 4
                       + state.latency_per_token_s * len(text) / 4)
        return self._send(200, {
            "candidates": [{"content": {"role": "model", "parts": [{"text": text}]},
                            "finishReason": reply.finish_reason, "index": 0}],
            "usageMetadata": {"promptTokenCount": len(record.contents_text) // 4,
                              "candidatesTokenCount": len(text) // 4, "thoughtsTokenCount": 256,
                              "totalTokenCount": len(record.contents_text) // 4 + len(text) // 4 + 256},
            "modelVersion": version, "responseId": f"fake-{len(self.server.state.requests)}"},
            record, reply.kind)


def default_answer(record: RecordedRequest, seed: int | None = None, words: int = 0) -> Any:
    """An answer derived from the request's schema: plausible (a plan from the JD's keywords, quotes from the
    candidate's real words), or, with a `seed`, arbitrary valid values (`schema_fill`)."""
    text = record.contents_text
    quotes = candidate_quotes(text)
    if seed is not None:
        return SchemaFiller(quotes, random.Random(seed)).fill(record.schema)
    hint = default_plan(text) if {"questions", "detected_skills"} <= _schema_props(record.schema) else None
    return SchemaFiller(quotes, words=words).fill(record.schema, hint=hint)


def _shape_problem(body: Any, model: str) -> str | None:
    """What the real API would reject (a subset): returns the 400 message, or None."""
    if not isinstance(body, dict):
        return "Invalid JSON payload received."
    contents = body.get("contents")
    if not isinstance(contents, list) or not contents or not all(
            isinstance(c, dict) and isinstance(c.get("parts"), list) and c["parts"] for c in contents):
        return "* GenerateContentRequest.contents: contents is not specified"
    config = body.get("generationConfig") or body.get("generation_config") or {}
    mime = _pick(config, "responseMimeType", "response_mime_type")
    if mime != "application/json":
        return "This fake expects structured output: generationConfig.responseMimeType must be application/json."
    schema = _pick(config, "responseSchema", "response_schema", "responseJsonSchema", "response_json_schema")
    if not isinstance(schema, dict) or not schema:
        return "This fake expects structured output: a responseSchema or responseJsonSchema is required."
    thinking = _pick(config, "thinkingConfig", "thinking_config") or {}
    has_budget = _pick(thinking, "thinkingBudget", "thinking_budget") is not None
    has_level = _pick(thinking, "thinkingLevel", "thinking_level") is not None
    if model.startswith("gemini-2.5") and has_level:
        return "Thinking level is not supported for this model."
    if model.startswith("gemini-4") and has_budget:
        return "Thinking budget is not supported for this model. Use thinking_level instead."
    if model == "gemini-2.5-pro" and has_budget and _pick(thinking, "thinkingBudget", "thinking_budget") == 0:
        return "Budget 0 is invalid. This model only works in thinking mode."
    return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: _State


class FakeGeminiServer:
    """Start/stop a fake Gemini API on 127.0.0.1 (random port)."""

    def __init__(self, api_key: str = DEFAULT_KEY, models: tuple[str, ...] = KNOWN_MODELS) -> None:
        self.api_key = api_key
        self._state = _State(api_key=api_key, models=set(models))
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> FakeGeminiServer:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.state = self._state
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="fake-gemini", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._state.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeGeminiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def enqueue(self, *replies: Reply) -> None:
        with self._state.lock:
            self._state.queue.extend(replies)

    def set_latency(self, fixed_s: float = 0.0, per_output_token_s: float = 0.0,
                    per_input_token_s: float = 0.0, verbosity: int = 0) -> None:
        """Delay every 200 answer like a model would: `fixed_s` plus `per_input_token_s` per prompt token and
        `per_output_token_s` per output token (≈ 4 characters each); default answers' free-text fields are padded
        to about `verbosity` words, as a model writes them. For benchmarks."""
        self._state.latency_s = fixed_s
        self._state.latency_per_token_s = per_output_token_s
        self._state.latency_per_input_token_s = per_input_token_s
        self._state.verbosity = verbosity

    def set_model_version(self, version: str | None) -> None:
        """Answer with this `modelVersion` (e.g. to simulate auto-routing to another model)."""
        self._state.model_version = version

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._state.lock:
            return list(self._state.requests)

    @property
    def generate_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.action == "generateContent"]

    @property
    def pending(self) -> int:
        with self._state.lock:
            return len(self._state.queue)

    def clear(self) -> None:
        with self._state.lock:
            self._state.requests.clear()
            self._state.queue.clear()


if __name__ == "__main__":  # pragma: no cover - manual use: python -m tests.fakes.gemini_server
    import time

    with FakeGeminiServer() as fake:
        print(f"fake Gemini on {fake.url} key={fake.api_key}", flush=True)
        while True:
            time.sleep(3600)
