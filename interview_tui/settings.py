"""Settings from the config file (TOML) overlaid by environment variables. Keys are wrapped in `Secret`.

Environment: GEMINI_API_KEY / GOOGLE_API_KEY, GEMINI_BASE_URL, GEMINI_MODEL, ELEVENLABS_API_KEY,
ELEVENLABS_AGENT_ID, ELEVENLABS_VOICE_ID, ELEVENLABS_BASE_URL, INTERVIEW_INPUT_DEVICE, INTERVIEW_OUTPUT_DEVICE,
INTERVIEW_CANDIDATE_NAME, INTERVIEW_RECORD (1/0), INTERVIEW_RECORDINGS_KEEP_DAYS. The config file uses the same
names in lower case without the vendor prefix grouping, e.g.::

    [gemini]
    api_key = "..."
    model = "gemini-2.5-pro"
    [elevenlabs]
    agent_id = "..."
    [audio]
    input_device = "pulse"
    [recordings]
    enabled = true      # record your microphone during voice interviews (off by default)
    keep_days = 30      # delete recordings older than this at start-up (unset: keep them)
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from interview_tui.domain.errors import InvalidInput
from interview_tui.paths import AppPaths

DEFAULT_GEMINI_MODEL = "gemini-2.5-pro"


class Secret:
    """A string that never shows itself in repr/str/logs. Use `.reveal()` only where the SDK needs it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class Settings:
    paths: AppPaths
    gemini_api_key: Secret | None = None
    gemini_base_url: str | None = None
    gemini_model: str = DEFAULT_GEMINI_MODEL
    gemini_timeout_s: float = 120.0
    elevenlabs_api_key: Secret | None = None
    elevenlabs_agent_id: str | None = None
    elevenlabs_voice_id: str | None = None
    elevenlabs_base_url: str | None = None
    input_device: str | None = None
    output_device: str | None = None
    candidate_name: str = ""
    text_mode: bool = False
    record: bool = False
    """Record the candidate's microphone during voice interviews (opt-in)."""
    recordings_keep_days: float | None = None
    """Recordings older than this are deleted at start-up (None: kept until their session is deleted)."""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def gemini_configured(self) -> bool:
        return bool(self.gemini_api_key)

    @property
    def elevenlabs_configured(self) -> bool:
        return bool(self.elevenlabs_api_key) and bool(self.elevenlabs_agent_id)

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _read_config(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise InvalidInput(f"The config file {path} cannot be read: {err}") from None


def _secret(value: Any) -> Secret | None:
    return Secret(str(value)) if value else None


def _flag(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise InvalidInput(f"{name} must be 1 or 0 (true or false), not {value!r}.")


def _days(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        days = float(value)
    except (TypeError, ValueError):
        days = -1.0
    if not days >= 0:
        raise InvalidInput(f"The recordings' keep_days must be a number of days (0 or more), not {value!r}.")
    return days


def load_settings(paths: AppPaths, env: dict[str, str] | None = None) -> Settings:
    """Read the config file, then let environment variables override it."""
    env = os.environ if env is None else env
    cfg = _read_config(paths.config_file)
    gem, el, audio, profile = (cfg.get(k, {}) for k in ("gemini", "elevenlabs", "audio", "profile"))

    def pick(env_names: tuple[str, ...], section: dict[str, Any], key: str, default: Any = None) -> Any:
        for name in env_names:
            if env.get(name):
                return env[name]
        return section.get(key, default)

    timeout = pick(("GEMINI_TIMEOUT_S",), gem, "timeout_s", 120.0)
    try:
        timeout_s = float(timeout)
    except (TypeError, ValueError):
        raise InvalidInput(f"GEMINI_TIMEOUT_S must be a number of seconds, not {timeout!r}.") from None
    rec = cfg.get("recordings", {})
    return Settings(
        paths=paths,
        record=_flag(pick(("INTERVIEW_RECORD",), rec, "enabled", False), "INTERVIEW_RECORD"),
        recordings_keep_days=_days(pick(("INTERVIEW_RECORDINGS_KEEP_DAYS",), rec, "keep_days")),
        gemini_api_key=_secret(pick(("GEMINI_API_KEY", "GOOGLE_API_KEY"), gem, "api_key")),
        gemini_base_url=pick(("GEMINI_BASE_URL",), gem, "base_url"),
        gemini_model=pick(("GEMINI_MODEL",), gem, "model", DEFAULT_GEMINI_MODEL),
        gemini_timeout_s=timeout_s,
        elevenlabs_api_key=_secret(pick(("ELEVENLABS_API_KEY",), el, "api_key")),
        elevenlabs_agent_id=pick(("ELEVENLABS_AGENT_ID",), el, "agent_id"),
        elevenlabs_voice_id=pick(("ELEVENLABS_VOICE_ID",), el, "voice_id"),
        elevenlabs_base_url=pick(("ELEVENLABS_BASE_URL",), el, "base_url"),
        input_device=pick(("INTERVIEW_INPUT_DEVICE",), audio, "input_device"),
        output_device=pick(("INTERVIEW_OUTPUT_DEVICE",), audio, "output_device"),
        candidate_name=pick(("INTERVIEW_CANDIDATE_NAME",), profile, "name", ""),
        extra=cfg,
    )
