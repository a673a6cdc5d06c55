"""One structured-output call to Gemini through google-genai, with our own single retry and error mapping.

- google-genai is imported lazily (it costs about half a second).
- Explicit API version and timeout (the SDK's timeout is in milliseconds and defaults to none); the SDK's own
  retry stays off so that this module's one retry covers malformed or truncated JSON as well as 429/5xx/timeouts.
- Every failure becomes a `ProviderError` with a full sentence and a correct `retryable` flag. The key never
  appears in a message or a log line.
"""

from __future__ import annotations

import importlib
import json
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from interview_tui.domain.errors import ProviderError
from interview_tui.settings import Settings

log = logging.getLogger("interview_tui.providers.gemini")

API_VERSION = "v1beta"
"""Set explicitly: google-genai 3.x defaults to `v1`, older releases and the docs to `v1beta`."""

ATTEMPTS = 2
"""The call plus exactly one automatic retry for transient failures."""

DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com"

T = TypeVar("T")


@dataclass(frozen=True)
class CallSpec:
    """What to ask: `what` names the input in messages ("job description", "transcript")."""

    what: str
    system: str
    contents: str
    schema: type[BaseModel]
    temperature: float
    thinking_budget: int
    thinking_level: str


def thinking_config(model: str, *, budget: int, level: str) -> dict[str, Any] | None:
    """Thinking settings by model family: 2.5 takes a token budget, 3.x/4 a level, others nothing."""
    name = model.removeprefix("models/")
    if name.startswith("gemini-2.5"):
        return {"thinking_budget": max(512, budget)}
    if re.match(r"gemini-(3|4)(\b|[.-])", name):
        return {"thinking_level": level}
    return None


def routed_elsewhere(asked: str, version: str | None) -> bool:
    """Whether the answering model (`modelVersion`) is another model than the one asked for (e.g. a retired model
    routed to its replacement); a dated build of the same model ("gemini-2.5-pro-001") is the same model."""
    if not version:
        return False
    answered = version.removeprefix("models/")
    return not (answered == asked.removeprefix("models/") or answered.startswith(asked.removeprefix("models/") + "-"))


def _retry_delay_hint(details: Any) -> float | None:
    """`RetryInfo.retryDelay` ("15s") from a 429 body, when present."""
    try:
        for item in details["error"]["details"]:
            if str(item.get("@type", "")).endswith("RetryInfo"):
                return float(str(item["retryDelay"]).rstrip("s"))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return None


class _Transient(ProviderError):
    """A retryable failure that carries a server-suggested delay."""

    def __init__(self, message: str, delay_hint: float | None = None) -> None:
        super().__init__(message, retryable=True)
        self.delay_hint = delay_hint


class GeminiCaller:
    """Holds one lazily created SDK client and makes structured calls with one retry."""

    def __init__(self, settings: Settings, *, retry_delay_s: float = 1.0, max_retry_delay_s: float = 10.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._settings = settings
        self.model = settings.gemini_model
        self.timeout_s = settings.gemini_timeout_s
        self.retry_delay_s = retry_delay_s
        self.max_retry_delay_s = max_retry_delay_s
        self._sleep = sleep
        self._client: Any = None
        self._client_lock = threading.Lock()
        self._this_thread = threading.local()
        self.last_model_version: str | None = None
        self.attempts_made = 0

    # ------------------------------------------------------------------------------------------------ public

    def generate(self, spec: CallSpec, convert: Callable[[Any], T]) -> T:
        """Ask, validate the answer against `spec.schema`, `convert` it; retry once if that may help."""
        self.attempts_made = 0
        for attempt in range(1, ATTEMPTS + 1):
            self.attempts_made = attempt
            try:
                wire = self._call_once(spec)
                try:
                    return convert(wire)
                except (ValidationError, ValueError) as err:
                    raise ProviderError(
                        f"Gemini's answer for the {spec.what} could not be used ({_first_error(err)}). "
                        "Try again; if it keeps happening, try another model with GEMINI_MODEL.") from None
            except ProviderError as err:
                if not err.retryable or attempt == ATTEMPTS:
                    raise ProviderError(str(err), retryable=err.retryable) from None
                delay = self.retry_delay_s
                hint = getattr(err, "delay_hint", None)
                if hint is not None:
                    delay = max(delay, hint)
                delay = min(delay, self.max_retry_delay_s)
                log.info("gemini %s call failed (%s); retrying once in %.1f s", spec.what, err, delay)
                self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def generate_versioned(self, spec: CallSpec, convert: Callable[[Any], T]) -> tuple[T, str | None]:
        """`generate`, plus the `modelVersion` the answer reported (per thread: safe for parallel calls)."""
        result = self.generate(spec, convert)
        return result, getattr(self._this_thread, "model_version", None)

    # ----------------------------------------------------------------------------------------------- private

    def _key(self) -> str:
        key = self._settings.gemini_api_key
        if not key:
            raise ProviderError("No Gemini API key is configured. Set GEMINI_API_KEY (or api_key under [gemini] "
                                "in the config file), or use the offline engines.", retryable=False)
        return key.reveal()

    def _get_client(self) -> Any:
        with self._client_lock:
            return self._client or self._new_client()

    def _new_client(self) -> Any:
        if self._client is None:
            from google import genai
            from google.genai import types

            options = types.HttpOptions(
                base_url=self._settings.gemini_base_url or None,
                api_version=API_VERSION,
                timeout=max(100, int(self.timeout_s * 1000)),  # milliseconds
                retry_options=types.HttpRetryOptions(attempts=1),  # our own single retry instead
            )
            self._client = genai.Client(api_key=self._key(), http_options=options)
        return self._client

    def _config(self, spec: CallSpec) -> Any:
        from google.genai import types

        thinking = thinking_config(self.model, budget=spec.thinking_budget, level=spec.thinking_level)
        return types.GenerateContentConfig(
            system_instruction=spec.system,
            response_mime_type="application/json",
            response_schema=spec.schema,
            temperature=spec.temperature,
            thinking_config=types.ThinkingConfig(**thinking) if thinking else None,
        )

    def _scrub(self, text: str) -> str:
        key = self._settings.gemini_api_key
        if key and key.reveal():
            text = text.replace(key.reveal(), "********")
        return text

    def _call_once(self, spec: CallSpec) -> BaseModel:
        self._key()
        from google.genai import errors

        transport = _transport_errors()
        try:
            client = self._get_client()
            response = client.models.generate_content(model=self.model, contents=spec.contents,
                                                      config=self._config(spec))
        except errors.APIError as err:
            raise self._api_error(err, spec.what) from None
        except (errors.UnknownApiResponseError, json.JSONDecodeError):
            raise ProviderError(f"Gemini sent an unreadable answer for the {spec.what} (not JSON). "
                                "Try again in a moment.") from None
        except transport as err:
            raise self._transport_error(err) from None
        return self._read(response, spec)

    def _read(self, response: Any, spec: CallSpec) -> BaseModel:
        self.last_model_version = self._this_thread.model_version = response.model_version
        if routed_elsewhere(self.model, response.model_version):
            log.warning("gemini %s: asked for %s, answered by %s (the service routed the request)", spec.what,
                        self.model, response.model_version)
        usage = response.usage_metadata
        log.info("gemini %s answer: model=%s model_version=%s prompt_tokens=%s output_tokens=%s "
                 "thought_tokens=%s", spec.what, self.model, response.model_version,
                 getattr(usage, "prompt_token_count", None), getattr(usage, "candidates_token_count", None),
                 getattr(usage, "thoughts_token_count", None))
        feedback = response.prompt_feedback
        if feedback is not None and feedback.block_reason:
            reason = _enum_name(feedback.block_reason)
            raise ProviderError(
                f"Gemini refused to process this {spec.what} (blocked: {reason}). Remove anything that could "
                f"read as harmful or sensitive from the {spec.what} and try again.", retryable=False)
        if not response.candidates:
            raise ProviderError(f"Gemini returned an empty answer for the {spec.what} (no candidates). "
                                "Try again in a moment.")
        candidate = response.candidates[0]
        finish = _enum_name(candidate.finish_reason) if candidate.finish_reason else "STOP"
        if finish == "MAX_TOKENS":
            raise ProviderError(f"Gemini's answer for the {spec.what} was cut off before it was complete "
                                "(MAX_TOKENS). Try again; a shorter input helps.")
        if finish in {"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII"}:
            raise ProviderError(
                f"Gemini stopped answering for safety reasons ({finish}). Remove anything that could read as "
                f"harmful or sensitive from the {spec.what} and try again.", retryable=False)
        parts = candidate.content.parts if candidate.content and candidate.content.parts else []
        text = "".join(p.text for p in parts if p.text and not p.thought)
        if not text.strip():
            raise ProviderError(f"Gemini returned an empty answer for the {spec.what} (finish reason {finish}). "
                                "Try again in a moment.")
        try:
            return spec.schema.model_validate_json(text)
        except ValidationError as err:
            raise ProviderError(f"Gemini's answer for the {spec.what} was not valid ({_first_error(err)}). "
                                "Try again in a moment.") from None

    def _api_error(self, err: Any, what: str) -> ProviderError:
        code = int(getattr(err, "code", 0) or 0)
        status = str(getattr(err, "status", "") or "")
        server_msg = self._scrub(" ".join(str(getattr(err, "message", "") or "").split()))[:200]
        details = json.dumps(getattr(err, "details", None), default=str)
        if (code == 400 and "API_KEY_INVALID" in details) or code == 401:
            return ProviderError(
                f"Your Gemini key was rejected ({server_msg or status}). Check GEMINI_API_KEY (or api_key "
                "under [gemini] in the config file) and try again, or unset it to use the offline engines.",
                retryable=False)
        if code == 403:
            return ProviderError(
                f"Your Gemini key was rejected: it is not allowed to use {self.model} ({server_msg or status}). "
                "Check that the key's project has the Gemini API enabled, or set another key.", retryable=False)
        if code == 404:
            return ProviderError(
                f"The Gemini model '{self.model}' was not found (it may have been retired). Set GEMINI_MODEL "
                "(or model under [gemini]) to a current model, e.g. gemini-3.8-flash, and try again.",
                retryable=False)
        if code == 429:
            return _Transient("Gemini's rate limit or quota was reached (429). Wait a minute and try again, or "
                              "check the plan and billing of your key.", _retry_delay_hint(
                                  getattr(err, "details", None)))
        if code >= 500 or code in (408,):
            return _Transient(f"Gemini is unavailable right now ({code} {status}). Try again in a few minutes.")
        return ProviderError(f"Gemini rejected the request for the {what} ({code} {status}: {server_msg}). "
                             "Check GEMINI_MODEL and GEMINI_BASE_URL.", retryable=False)

    def check_model(self) -> str:
        """For `interview doctor`: the key is accepted and the model exists. Returns e.g. "gemini-2.5-pro
        (Gemini 2.5 Pro) reachable"; raises `ProviderError` (404 → the model was retired, with the fix)."""
        self._key()
        from google.genai import errors

        try:
            model = self._get_client().models.get(model=self.model)
        except errors.APIError as err:
            raise self._api_error(err, "model check") from None
        except _transport_errors() as err:
            raise self._transport_error(err) from None
        shown = getattr(model, "display_name", None) or self.model
        return f"{self.model} ({shown}) is available at {self._settings.gemini_base_url or DEFAULT_BASE_URL}"

    def _transport_error(self, err: BaseException) -> ProviderError:
        where = self._settings.gemini_base_url or DEFAULT_BASE_URL
        if _is_timeout(err):
            return ProviderError(f"Gemini did not answer within {self.timeout_s:g} s. Try again; if it keeps "
                                 "happening raise GEMINI_TIMEOUT_S.")
        return ProviderError(f"Could not reach Gemini at {where} ({type(err).__name__}). Check your network "
                             "connection and GEMINI_BASE_URL, then try again.")


def _transport_errors() -> tuple[type[BaseException], ...]:
    found: list[type[BaseException]] = [TimeoutError, ConnectionError]
    for name in ("httpx2", "httpx"):
        try:
            found.append(importlib.import_module(name).TransportError)
        except (ImportError, AttributeError):
            continue
    return tuple(found)


def _is_timeout(err: BaseException) -> bool:
    if isinstance(err, TimeoutError):
        return True
    return "Timeout" in type(err).__name__


def _enum_name(value: Any) -> str:
    return str(getattr(value, "name", value) or "").upper()


def _first_error(err: Exception) -> str:
    if isinstance(err, ValidationError):
        errors = err.errors()
        if not errors:
            return "answer: invalid"
        where = ".".join(str(p) for p in errors[0]["loc"]) or "answer"
        return f"{where}: {errors[0]['msg']}"[:160]
    return str(err)[:160]
