"""The ElevenLabs agents API through the SDK: create the interviewer agent, fetch it, probe the key and agent.

The only place outside the voice engine that talks to ElevenLabs: `cli/agent.py` and `cli/doctor.py` call these
functions and get plain data back, or a `ProviderError`/`InvalidInput` whose message names the fix. The SDK is
imported inside each call (starting the CLI stays fast).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from interview_tui.domain.errors import InvalidInput, ProviderError

if TYPE_CHECKING:
    from interview_tui.settings import Settings

MISSING_KEY = ("ELEVENLABS_API_KEY is not set: export it (or add api_key under [elevenlabs] in the config file).")


def _client(settings: Settings, timeout_s: float) -> Any:
    """An SDK client for the configured key and base URL (InvalidInput when no key is set)."""
    if not settings.elevenlabs_api_key:
        raise InvalidInput(MISSING_KEY)
    from elevenlabs.client import ElevenLabs

    kwargs: dict[str, Any] = {"api_key": settings.elevenlabs_api_key.reveal(), "timeout": timeout_s}
    if settings.elevenlabs_base_url:
        kwargs["base_url"] = settings.elevenlabs_base_url
    return ElevenLabs(**kwargs)


def api_error(err: Exception, what: str) -> str:
    """A failed call as one sentence with its fix (`what`: "create the agent", …)."""
    code = getattr(err, "status_code", None)
    if code in (401, 403):
        return f"ElevenLabs rejected the API key while trying to {what} (HTTP {code}); check ELEVENLABS_API_KEY."
    if code == 404:
        return f"ElevenLabs could not find it while trying to {what} (HTTP 404); check ELEVENLABS_AGENT_ID."
    if code:
        return f"ElevenLabs refused to {what} (HTTP {code}); try again later."
    return f"Could not reach ElevenLabs to {what} ({type(err).__name__}); check the network or ELEVENLABS_BASE_URL."


def create_agent(settings: Settings, spec: dict[str, Any]) -> str:
    """POST the agent `spec` (`elevenlabs_agent.agent_spec()`); returns the new agent's id."""
    client = _client(settings, 30.0)
    try:
        created = client.conversational_ai.agents.create(
            conversation_config=spec["conversation_config"], platform_settings=spec["platform_settings"],
            name=spec["name"])
    except Exception as err:
        raise ProviderError(api_error(err, "create the agent"), retryable=False) from None
    return str(created.agent_id)


def fetch_agent(settings: Settings, agent_id: str) -> dict[str, Any]:
    """The agent's configuration as JSON data (for `elevenlabs_agent.check_agent()`)."""
    client = _client(settings, 30.0)
    try:
        agent = client.conversational_ai.agents.get(agent_id)
    except Exception as err:
        raise ProviderError(api_error(err, f"fetch agent {agent_id}"), retryable=False) from None
    if hasattr(agent, "model_dump"):
        return dict(agent.model_dump(mode="json", exclude_none=True))
    return dict(agent)


def probe_agent(settings: Settings, agent_id: str) -> tuple[int | None, str]:
    """GET the agent once, without retries: (its HTTP status, or None; a sentence when it could not be asked).
    Never raises: the doctor turns the answer into checks."""
    try:
        client = _client(settings, 10.0)
    except InvalidInput as err:
        return None, str(err)
    except ImportError:
        return None, "the elevenlabs package is missing"
    try:
        client.conversational_ai.agents.get(agent_id, request_options={"max_retries": 0})
    except Exception as err:
        code = getattr(err, "status_code", None)
        if isinstance(code, int):
            return code, "" if code in (401, 403, 404) else f"ElevenLabs answered HTTP {code}"
        return None, f"ElevenLabs could not be reached ({type(err).__name__})"
    return 200, ""
