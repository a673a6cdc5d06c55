"""Settings from the config file (TOML) overlaid by environment variables. Keys are wrapped in `Secret`.

Environment: GEMINI_API_KEY / GOOGLE_API_KEY, GEMINI_BASE_URL, GEMINI_MODEL, ELEVENLABS_API_KEY,
ELEVENLABS_AGENT_ID, ELEVENLABS_VOICE_ID, ELEVENLABS_BASE_URL, INTERVIEW_INPUT_DEVICE, INTERVIEW_OUTPUT_DEVICE,
INTERVIEW_CANDIDATE_NAME, INTERVIEW_RECORD (1/0), INTERVIEW_RECORDINGS_KEEP_DAYS. The config file uses the same
names in lower case without the vendor prefix grouping, e.g.::

    [gemini]
    api_key = "..."
    model = "gemini-3.8-flash"
    [elevenlabs]
    agent_id = "..."
    [audio]
    input_device = "pulse"
    [recordings]
    enabled = true      # record your microphone during voice interviews (off by default)
    keep_days = 30      # delete recordings older than this at start-up (unset: keep them)
    [ui]
    theme = "textual-light"   # written by the app when you switch themes (ctrl+t or the palette)
"""

from __future__ import annotations

import contextlib
import math
import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from interview_tui.domain.errors import InvalidInput
from interview_tui.paths import AppPaths

DEFAULT_GEMINI_MODEL = "gemini-3.8-flash"
"""Google's recommended replacement for the retired gemini-2.5-pro (data/gemini_models.json lists shutdowns)."""
_CONFIG_MAX_BYTES = 1_000_000


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
    answer_pause_s: float = 4.0
    """Offline voice: the silence that ends an answer (thinking pauses shorter than this do not)."""
    output_device: str | None = None
    candidate_name: str = ""
    text_mode: bool = False
    record: bool = False
    """Record the candidate's microphone during voice interviews (opt-in)."""
    recordings_keep_days: float | None = None
    """Recordings older than this are deleted at start-up (None: kept until their session is deleted)."""
    theme: str | None = None
    """The app's theme, as last chosen in the app (None: the default dark theme)."""
    extra: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    """Problems that did not stop loading (unknown keys in the config file), to show once."""

    @property
    def gemini_configured(self) -> bool:
        return bool(self.gemini_api_key)

    @property
    def elevenlabs_configured(self) -> bool:
        return bool(self.elevenlabs_api_key) and bool(self.elevenlabs_agent_id)

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _read_config(path: Path) -> dict[str, Any]:
    """The config file as TOML tables, or `InvalidInput` naming the file and what is wrong with it."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return {}
    except OSError as err:
        raise InvalidInput(f"The config file {path} cannot be read ({err.strerror or err}).") from None
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"The config file {path} is not a regular file; make it a TOML text file or remove it.")
    if info.st_mode & 0o077 and info.st_uid == os.getuid():  # it may hold API keys: private, like every file
        with contextlib.suppress(OSError):
            path.chmod(0o600)
    if info.st_size > _CONFIG_MAX_BYTES:
        raise InvalidInput(f"The config file {path} is {info.st_size:,} bytes; a config file is a few lines of TOML.")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InvalidInput(f"The config file {path} cannot be read ({err.strerror or err}).") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InvalidInput(f"The config file {path} is not UTF-8 text (bad byte at position {err.start}); save it "
                           "as UTF-8.") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise InvalidInput(f"The config file {path} is not valid TOML ({err}); fix it or move it away.") from None


def _validated(cfg: dict[str, Any], path: Path) -> tuple[dict[str, Any], list[str]]:
    """Check every known key's type and bounds; return the tables and warnings about unknown keys."""
    if not cfg:
        return cfg, []
    from pydantic import ValidationError

    from interview_tui import config_schema

    try:
        checked = config_schema.validate(cfg)
    except ValidationError as err:
        raise InvalidInput(f"The config file {path}: {config_schema.problem(err)}. Fix it or move it away.") \
            from None
    sections = checked.model_dump(exclude_none=True)
    warnings = [f"{path}: unknown setting {name} (ignored)" for name in config_schema.unknown_keys(checked)]
    return {name: sections.get(name, {}) for name in config_schema.ConfigFile.model_fields}, warnings


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


def _pause(value: Any) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError, OverflowError):
        seconds = math.nan
    if not (math.isfinite(seconds) and 1 <= seconds <= 15):
        raise InvalidInput(f"INTERVIEW_ANSWER_PAUSE_S (answer_pause_s) must be a number of seconds from 1 to 15, "
                           f"not {str(value)[:40]!r}.")
    return seconds


def _timeout(value: Any, source: str) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError, OverflowError):
        seconds = math.nan
    if not (math.isfinite(seconds) and 0 < seconds <= 3600):
        raise InvalidInput(f"{source} must be a finite number of seconds, more than 0 and at most 3600, not "
                           f"{str(value)[:40]!r}.")
    return seconds


def load_settings(paths: AppPaths, env: Mapping[str, str] | None = None, *, use_config_file: bool = True) -> Settings:
    """Read the config file (validated), then let environment variables override it."""
    env = os.environ if env is None else env
    raw = _read_config(paths.config_file) if use_config_file else {}
    cfg, warnings = _validated(raw, paths.config_file)
    gem, el, audio, profile = (cfg.get(k, {}) for k in ("gemini", "elevenlabs", "audio", "profile"))

    def pick(env_names: tuple[str, ...], section: dict[str, Any], key: str, default: Any = None) -> Any:
        for name in env_names:
            if env.get(name, "").strip():
                return env[name].strip()
        return section.get(key, default)

    env_timeout = env.get("GEMINI_TIMEOUT_S", "").strip()
    timeout_s = _timeout(env_timeout, "GEMINI_TIMEOUT_S") if env_timeout else float(gem.get("timeout_s", 120.0))
    base_urls = {name: pick((name,), section, "base_url") for name, section in
                 (("GEMINI_BASE_URL", gem), ("ELEVENLABS_BASE_URL", el))}
    for name, url in base_urls.items():
        if url is not None and not url.startswith(("http://", "https://")):
            raise InvalidInput(f"{name} must be an http:// or https:// URL.")

    def device(value: Any) -> str | None:
        return None if value is None else str(value)

    rec = cfg.get("recordings", {})
    return Settings(
        paths=paths,
        theme=cfg.get("ui", {}).get("theme"),
        record=_flag(pick(("INTERVIEW_RECORD",), rec, "enabled", False), "INTERVIEW_RECORD"),
        recordings_keep_days=_days(pick(("INTERVIEW_RECORDINGS_KEEP_DAYS",), rec, "keep_days")),
        gemini_api_key=_secret(pick(("GEMINI_API_KEY", "GOOGLE_API_KEY"), gem, "api_key")),
        gemini_base_url=base_urls["GEMINI_BASE_URL"],
        gemini_model=pick(("GEMINI_MODEL",), gem, "model", DEFAULT_GEMINI_MODEL),
        gemini_timeout_s=timeout_s,
        elevenlabs_api_key=_secret(pick(("ELEVENLABS_API_KEY",), el, "api_key")),
        elevenlabs_agent_id=pick(("ELEVENLABS_AGENT_ID",), el, "agent_id"),
        elevenlabs_voice_id=pick(("ELEVENLABS_VOICE_ID",), el, "voice_id"),
        elevenlabs_base_url=base_urls["ELEVENLABS_BASE_URL"],
        input_device=device(pick(("INTERVIEW_INPUT_DEVICE",), audio, "input_device")),
        output_device=device(pick(("INTERVIEW_OUTPUT_DEVICE",), audio, "output_device")),
        answer_pause_s=_pause(pick(("INTERVIEW_ANSWER_PAUSE_S",), audio, "answer_pause_s", 4.0)),
        candidate_name=pick(("INTERVIEW_CANDIDATE_NAME",), profile, "name", ""),
        extra=raw,
        warnings=tuple(warnings),
    )
